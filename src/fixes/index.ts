/**
 * Fix suggestions: from one exchange's report to server configs that make its request pass, one per stack.
 * `suggestFixes` is what the panel shows; `generateFix` is one stack for a policy (the CLI, tests).
 */
import type { ExchangeReport } from '../explain/report.js';
import type { CorsPolicy, FixSuggestion, ServerId } from './model.js';
import { FixInputError } from './escape.js';
import { policyFromReport, type PolicyOptions } from './policy.js';
import { preparePolicy, type GeneratedFix, type PreparedPolicy } from './servers/common.js';
import { expressCors, expressPlain } from './servers/express.js';
import { flaskCors, flaskPlain } from './servers/flask.js';
import { nginx } from './servers/nginx.js';
import { php } from './servers/php.js';
import { fastapi } from './servers/fastapi.js';
import { django } from './servers/django.js';
import { go } from './servers/go.js';
import { caddy } from './servers/caddy.js';
import { apache } from './servers/apache.js';
import { nextjs } from './servers/nextjs.js';
import { spring } from './servers/spring.js';
import { aspnet } from './servers/aspnet.js';
import { VERIFIED_BY_SUITE } from './verified.js';

export { FixInputError } from './escape.js';
export { policyFromReport, corsUnsafeHeaderNames, type PolicyOptions } from './policy.js';
export { VERIFIED_BY_SUITE } from './verified.js';
export type { CorsPolicy, FixSuggestion, ServerId, RunnableExample } from './model.js';

/** Port the runnable examples listen on unless told otherwise. */
export const DEFAULT_EXAMPLE_PORT = 8080;

const GENERATORS: Partial<Record<ServerId, (p: PreparedPolicy) => GeneratedFix>> = {
  express: expressCors,
  'express-plain': expressPlain,
  flask: flaskCors,
  'flask-plain': flaskPlain,
  nginx,
  php,
  fastapi,
  django,
  apache,
  caddy,
  go,
  nextjs,
  spring,
  aspnet,
};

/** Stacks in the order the panel shows them. */
export const SERVER_ORDER: readonly ServerId[] = [
  'express',
  'express-plain',
  'flask',
  'flask-plain',
  'nginx',
  'php',
  'fastapi',
  'django',
  'apache',
  'caddy',
  'go',
  'nextjs',
  'spring',
  'aspnet',
];

/** Stacks that have a generator. */
export function availableServers(): ServerId[] {
  return SERVER_ORDER.filter((s) => GENERATORS[s] !== undefined);
}

export function isServerId(value: string): value is ServerId {
  return (SERVER_ORDER as readonly string[]).includes(value);
}

/** One stack's fix for `policy`. Throws FixInputError for a value that cannot be placed safely, or an unknown stack. */
export function generateFix(server: ServerId, policy: CorsPolicy, options: { port?: number } = {}): FixSuggestion {
  const generator = GENERATORS[server];
  if (!generator) throw new FixInputError(`no generator for ${JSON.stringify(server)} yet`);
  const prepared = preparePolicy(policy, options.port ?? DEFAULT_EXAMPLE_PORT);
  const fix = generator(prepared);
  return {
    server,
    label: fix.label,
    language: fix.language,
    snippet: fix.snippet,
    example: { files: fix.files, command: fix.command },
    pitfalls: fix.pitfalls,
    verified: VERIFIED_BY_SUITE[server],
    ...(fix.limitation ? { limitation: fix.limitation } : {}),
  };
}

export interface SuggestOptions extends PolicyOptions {
  port?: number;
  /** Suggest even when the request was not blocked (e.g. to tighten a risky config). */
  force?: boolean;
  /** Only these stacks (default: every stack with a generator). */
  servers?: ServerId[];
}

export type FixAvailability =
  | { ok: true; policy: CorsPolicy }
  | { ok: false; reason: string };

/** Whether a server config can fix this exchange, and the policy when it can; never throws. */
export function fixAvailability(report: ExchangeReport, options: SuggestOptions = {}): FixAvailability {
  if (!options.force && report.verdict !== 'blocked' && report.verdict !== 'unknown') {
    return { ok: false, reason: `the browser did not block this request (verdict: ${report.verdict}): nothing to fix` };
  }
  const notServerSide: Record<string, string> = {
    DisallowedByMode: "the page's own request mode forbids cross-origin requests; change the page, not the server",
    CorsDisabledScheme: 'the URL scheme does not support CORS; no server header changes that',
    RedirectContainsCredentials: 'the redirect Location holds a user name or password; remove it from the redirect',
  };
  const code = report.failure?.chromeCorsError;
  if (!options.force && code && notServerSide[code]) return { ok: false, reason: notServerSide[code] };
  try {
    return { ok: true, policy: policyFromReport(report, options) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Server configs that make the request in `report` pass, one per stack, most asked first. Empty when nothing on the
 * server can fix it (see `fixAvailability` for why). A stack whose escaping refuses a captured value is left out.
 */
export function suggestFixes(report: ExchangeReport, options: SuggestOptions = {}): FixSuggestion[] {
  const availability = fixAvailability(report, options);
  if (!availability.ok) return [];
  const servers = options.servers ?? availableServers();
  const fixes: FixSuggestion[] = [];
  for (const server of servers) {
    try {
      fixes.push(generateFix(server, availability.policy, options.port !== undefined ? { port: options.port } : {}));
    } catch (error) {
      if (!(error instanceof FixInputError)) throw error;
    }
  }
  return fixes;
}
