/**
 * "The server is not yours": the Vite dev-server proxy CORS Lens suggests is proven in Chromium. An API that sends no
 * CORS header at all is blocked when the page calls it directly; with the generated vite.config.js, Vite's real dev
 * server forwards the page's same-origin call and the page reads the answer.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import type { ViteDevServer } from 'vite';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect } from '../support/lab-run.js';
import { freePort } from './runtimes.js';
import { DEV_PROXY_VERIFIED, suggestDevProxies } from '../../src/fixes/devProxy.js';

let api: Server;
let apiOrigin: string;
let apiHits = 0;
let vite: ViteDevServer;
let pageOrigin: string;
let dir: string;
let chromium: LaunchedChromium;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  api = createHttpServer((request, response) => {
    apiHits++;
    // Deliberately no Access-Control-* header: a third-party API that does not allow this page.
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ path: request.url, proxied: request.headers.origin === undefined }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const address = api.address();
  if (address === null || typeof address === 'string') throw new Error('no API address');
  apiOrigin = `http://127.0.0.1:${address.port}`;

  const vite_ = suggestDevProxies({ targetOrigin: apiOrigin, pathAndQuery: '/items?page=2', credentials: false }).find((s) => s.tool === 'vite')!;
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-vite-proxy-'));
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, vite_.file), vite_.snippet);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dev proxy proof</title><p>page</p>\n');
  const port = await freePort();
  const { createServer } = await import('vite');
  vite = await createServer({
    root: dir,
    configFile: join(dir, vite_.file),
    logLevel: 'silent',
    server: { host: '127.0.0.1', port, strictPort: true },
  });
  await vite.listen();
  pageOrigin = `http://127.0.0.1:${port}`;

  chromium = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  const connected = await connect(chromium);
  browser = connected.browser;
  page = connected.page;
  await page.goto(`${pageOrigin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await chromium?.close();
  await vite?.close();
  await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const callFromPage = (url: string) =>
  page.evaluate(async (target) => {
    try {
      const response = await fetch(target);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { error: String(error) };
    }
  }, url);

describe('the Vite dev-server proxy for an API that is not yours', () => {
  it('is marked verified exactly because this test runs it', () => {
    expect([...DEV_PROXY_VERIFIED]).toEqual(['vite']);
  });

  it('the direct call is blocked by CORS (the API allows no origin)', async () => {
    const before = apiHits;
    const result = await callFromPage(`${apiOrigin}/items?page=2`);
    expect(result.error).toMatch(/Failed to fetch/);
    expect(apiHits).toBe(before + 1);
  }, 60_000);

  it('the page call the suggestion names reaches the API through Vite and the page reads the answer', async () => {
    const suggestion = suggestDevProxies({ targetOrigin: apiOrigin, pathAndQuery: '/items?page=2', credentials: false })[0]!;
    const url = /fetch\("([^"]+)"\)/.exec(suggestion.pageCall)?.[1];
    expect(url).toBe('/api-proxy/items?page=2');
    const result = await callFromPage(url!);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ path: '/items?page=2', proxied: true });
  }, 60_000);
});
