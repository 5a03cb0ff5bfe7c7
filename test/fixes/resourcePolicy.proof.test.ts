/**
 * The Cross-Origin-Resource-Policy fix proven in Chromium: an Express server whose earlier middleware sends
 * `Cross-Origin-Resource-Policy: same-origin` (what helmet does by default) has its image refused to a page on another
 * origin; with the generated Express snippet added, Chromium loads it. The engine names the refusal CORP from the same
 * kind of entry, and `cors-lens fix` prints this snippet for it.
 */
import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import express from 'express';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect } from '../support/lab-run.js';
import { RESOURCE_POLICY_VERIFIED, resourcePolicySnippet } from '../../src/fixes/index.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PATH = '/img/logo.png';

/** An image server; `withFix` adds the generated snippet after the middleware that sends same-origin. */
function imageServer(withFix: boolean): express.Express {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    next();
  });
  if (withFix) new Function('app', resourcePolicySnippet('express', { path: PATH, reason: '' }).snippet)(app);
  app.get(PATH, (_req, res) => res.type('png').send(PNG));
  return app;
}

const servers: Server[] = [];
async function listen(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
  const server = createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

let chromium: LaunchedChromium;
let browser: Browser;
let page: Page;
let blockedOrigin: string;
let fixedOrigin: string;

beforeAll(async () => {
  blockedOrigin = await listen(imageServer(false));
  fixedOrigin = await listen(imageServer(true));
  const pageOrigin = await listen((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>CORP proof</title>');
  });
  chromium = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  const connected = await connect(chromium);
  browser = connected.browser;
  page = connected.page;
  await page.goto(`${pageOrigin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await chromium?.close();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const loadImage = (url: string) =>
  page.evaluate(
    (src) =>
      new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(`loaded ${img.naturalWidth}x${img.naturalHeight}`);
        img.onerror = () => resolve('error');
        img.src = src;
      }),
    url,
  );

describe('the Cross-Origin-Resource-Policy snippet, in Chromium', () => {
  it('Express is marked verified exactly because this test runs it; the others are not', () => {
    expect([...RESOURCE_POLICY_VERIFIED]).toEqual(['express']);
    expect(resourcePolicySnippet('express', { path: PATH, reason: '' }).verified).toBe(true);
    expect(resourcePolicySnippet('nginx', { path: PATH, reason: '' }).verified).toBe(false);
  });

  it('without it, Chromium refuses the cross-origin image (CORP same-origin)', async () => {
    expect(await loadImage(`${blockedOrigin}${PATH}`)).toBe('error');
  }, 60_000);

  it('with the generated Express snippet, the same image loads', async () => {
    expect(await loadImage(`${fixedOrigin}${PATH}`)).toBe('loaded 1x1');
  }, 60_000);
});
