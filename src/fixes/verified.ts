/**
 * Which stacks the test suite proves: test/fixes/proof.test.ts starts the real server with the generated example and
 * replays the failing request in real Chromium. `true` only where that proof exists and runs here; the proof suite
 * asserts this table matches the stacks it proved. Everything else is shown as "not verified".
 */
import type { ServerId } from './model.js';

export const VERIFIED_BY_SUITE: Readonly<Record<ServerId, boolean>> = {
  express: true,
  'express-plain': true,
  flask: true,
  'flask-plain': true,
  nginx: true,
  php: true,
  fastapi: true,
  django: true,
  apache: true,
  caddy: true,
  go: true,
  nextjs: false,
  spring: false,
  aspnet: false,
};
