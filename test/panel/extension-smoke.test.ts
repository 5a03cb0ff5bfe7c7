/**
 * The built extension, as a user gets it: build it, check the manifest asks for nothing, load it unpacked in headless
 * Chromium with DevTools open, make a page send a request its server does not allow, switch to the CORS tab and read
 * the row and the detail. Screenshots of the panel in light and dark DevTools go to test-results/.
 * (The lab engineer's test/e2e suite covers every scenario; this is the quick check that the shell works.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-results');
const chromium = process.env.CHROME_PATH || '/usr/bin/chromium';

let outDir: string;
let profile: string;
let browser: Browser | undefined;
let pageServer: Server;
let apiServer: Server;
let pageOrigin: string;
let apiOrigin: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  // A fresh build in a temporary folder, so this test never races `npm run build` over dist/extension.
  outDir = mkdtempSync(join(tmpdir(), 'cors-lens-ext-'));
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  apiServer = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      // A preflight answer that allows the origin and PUT, but not the x-token header the page sends.
      res.writeHead(204, { 'access-control-allow-origin': String(req.headers.origin), 'access-control-allow-methods': 'PUT' });
      res.end();
      return;
    }
    // Answers, but never with Access-Control-Allow-Origin: the browser must block the page from reading it.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"secret":1}');
  });
  apiOrigin = await listen(apiServer);
  pageServer = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>smoke</title><script>
      window.run = (tag) => fetch('${apiOrigin}/smoke/' + tag).then(() => 'ok', (e) => String(e));
      window.runPut = (tag) => fetch('${apiOrigin}/smoke/' + tag, { method: 'PUT', headers: { 'x-token': 'abc' } }).then(() => 'ok', (e) => String(e));
    </script>`);
  });
  pageOrigin = await listen(pageServer);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  pageServer?.close();
  apiServer?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the built extension', () => {
  it('asks for no permissions, host permissions, content scripts or background worker', () => {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.name).toBe('CORS Lens');
    for (const key of ['permissions', 'host_permissions', 'optional_permissions', 'content_scripts', 'background']) {
      expect(manifest, key).not.toHaveProperty(key);
    }
    expect(manifest.devtools_page).toMatch(/\/devtools\.html$|^devtools\.html$/);
    expect(existsSync(join(outDir, manifest.devtools_page))).toBe(true);
    const pages = filesUnder(outDir).map((f) => f.slice(outDir.length));
    expect(pages.some((p) => p.endsWith('/devtools.html'))).toBe(true);
    expect(pages.some((p) => p.endsWith('/panel.html'))).toBe(true);
    for (const size of [16, 32, 48, 128]) expect(existsSync(join(outDir, manifest.icons[String(size)]))).toBe(true);
  });

  it('loads no remote code, and our code never turns strings into HTML', () => {
    const built = filesUnder(outDir).filter((f) => /\.(js|html)$/.test(f));
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(text, file).not.toMatch(/\bimport\(\s*["'`]https?:/);
      expect(text, file).not.toMatch(/(?<![.\w])eval\(|new Function\(/);
    }
    // Preact itself can set innerHTML (for dangerouslySetInnerHTML), so the check is on our own sources.
    const ours = [...filesUnder(join(root, 'src/panel')), ...filesUnder(join(root, 'extension'))].filter((f) => /\.(tsx?|html)$/.test(f));
    for (const file of ours) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|\.outerHTML\s*=|insertAdjacentHTML|document\.write/);
    }
    const gz = filesUnder(outDir)
      .filter((f) => /\.(js|css|html)$/.test(f))
      .reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
    console.log(`built extension: ${(gz / 1024).toFixed(1)} KB gzipped (JS + CSS + HTML)`);
  });

  it('adds a CORS tab to DevTools that lists a blocked request and explains it', async () => {
    profile = mkdtempSync(join(tmpdir(), 'cors-lens-profile-'));
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      enableExtensions: true,
      userDataDir: profile,
      defaultViewport: null,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--window-size=1400,900',
        `--disable-extensions-except=${outDir}`, `--load-extension=${outDir}`, '--auto-open-devtools-for-tabs',
      ],
    });
    const page = (await browser.pages())[0]!;
    await browser.waitForTarget((t) => t.url().endsWith('/devtools.html'), { timeout: 90_000 });
    await page.goto(pageOrigin);
    expect(await page.evaluate(() => (window as unknown as { run(t: string): Promise<string> }).run('before-panel'))).toMatch(/Failed to fetch/);

    const devtoolsTarget = browser.targets().find((t) => t.url().startsWith('devtools://'))!;
    const devtools = (await devtoolsTarget.asPage()) as Page;
    const panel = await showCorsPanel(devtools);
    expect(await panel.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    // A request made after the panel opened arrives through onRequestFinished; the earlier one came from getHAR().
    await page.evaluate(() => (window as unknown as { run(t: string): Promise<string> }).run('after-panel'));
    await panel.waitForFunction(() => document.querySelectorAll('.exchange-row[data-url*="/smoke/"]').length >= 2, { timeout: 30_000, polling: 100 });
    const rows = await panel.$$eval('.exchange-row[data-url*="/smoke/"]', (els) =>
      els.map((el) => ({ url: el.getAttribute('data-url'), verdict: el.getAttribute('data-verdict'), corsError: el.getAttribute('data-cors-error') })),
    );
    expect(rows.map((r) => r.url)).toEqual([`${apiOrigin}/smoke/before-panel`, `${apiOrigin}/smoke/after-panel`]);
    expect(rows.map((r) => [r.verdict, r.corsError])).toEqual([
      ['blocked', 'MissingAllowOriginHeader'],
      ['blocked', 'MissingAllowOriginHeader'],
    ]);

    await panel.click('.exchange-row[data-url$="/smoke/after-panel"]');
    await panel.waitForSelector('[data-testid="detail"] [data-testid="console-message"]');
    const consoleMessage = await panel.$eval('[data-testid="console-message"]', (el) => el.textContent);
    expect(consoleMessage).toBe(
      `Access to fetch at '${apiOrigin}/smoke/after-panel' from origin '${pageOrigin}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    await panel.click('[data-testid="copy-snippet"]');
    await panel.waitForFunction(() => /Copied/.test(document.querySelector('[data-testid="copy-status"]')?.textContent ?? ''), { timeout: 10_000, polling: 100 });

    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'smoke-panel-light-narrow.png'), await devtools.screenshot({ type: 'png' }));

    // A preflight that does not allow the page's x-token header, seen with DevTools docked at the bottom (wide).
    await page.evaluate(() => (window as unknown as { runPut(t: string): Promise<string> }).runPut('preflight-header'));
    await devtools.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('bottom');
    })()`);
    // A request its preflight stopped shows as pending until DevTools' entry is complete: wait for its verdict.
    const judged = '.exchange-row[data-url$="/smoke/preflight-header"]:not([data-verdict="pending"])';
    await panel.waitForSelector(judged, { timeout: 30_000 });
    await panel.click(judged);
    await panel.waitForFunction(() => document.querySelector('[data-testid="detail"]')?.getAttribute('data-cors-error') === 'HeaderDisallowedByPreflightResponse', { timeout: 10_000, polling: 100 }).catch(() => undefined);
    const detail = await panel.$eval('[data-testid="detail"]', (el) => ({
      corsError: el.getAttribute('data-cors-error'),
      failedParameter: el.getAttribute('data-failed-parameter'),
      failedLine: el.querySelector('[data-testid="exchange-diagram"] .line-failed')?.textContent,
    }));
    expect(detail).toEqual({
      corsError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: 'x-token',
      failedLine: 'Access-Control-Allow-Headers: (absent)',
    });
    expect(await panel.$eval('.exchange-row[data-url$="/smoke/preflight-header"]', (el) => el.getAttribute('data-preflight'))).toBe('paired');
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(artifacts, 'smoke-panel-light.png'), await devtools.screenshot({ type: 'png' }));

    // Dark: DevTools passes its theme to extension pages as they load; a new tab gets a new DevTools window.
    await devtools.evaluate(`(async () => {
      const Common = await import('./core/common/common.js');
      Common.Settings.Settings.instance().moduleSetting('ui-theme').set('dark');
    })()`);
    const known = new Set(browser.targets().filter((t) => t.url().startsWith('devtools://')));
    const page2 = await browser.newPage();
    const dt2Target = await browser.waitForTarget((t) => t.url().startsWith('devtools://') && !known.has(t), { timeout: 90_000 });
    // Its DevTools must finish starting (it loads our devtools page last) before anything touches its UI.
    const cdp = await browser.target().createCDPSession();
    const devtoolsPages = async () =>
      ((await cdp.send('Target.getTargets')).targetInfos as { url: string }[]).filter((t) => t.url.endsWith('/devtools.html')).length;
    for (const until = Date.now() + 90_000; (await devtoolsPages()) < 2 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
    await page2.goto(pageOrigin);
    await page2.evaluate(() => (window as unknown as { run(t: string): Promise<string> }).run('dark'));
    await page2.evaluate(() => (window as unknown as { runPut(t: string): Promise<string> }).runPut('dark-put'));
    const devtools2 = (await dt2Target.asPage()) as Page;
    const panel2 = await showCorsPanel(devtools2);
    expect(await panel2.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await devtools2.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      UI.DockController.DockController.instance().setDockSide('bottom');
    })()`);
    const darkPut = '.exchange-row[data-url$="/smoke/dark-put"]:not([data-verdict="pending"])';
    await panel2.waitForSelector(darkPut, { timeout: 30_000 });
    await panel2.click(darkPut);
    await panel2.waitForSelector('[data-testid="detail"]');
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(artifacts, 'smoke-panel-dark.png'), await devtools2.screenshot({ type: 'png' }));
  }, 240_000);
});

async function showCorsPanel(devtools: Page): Promise<Frame> {
  // Poll by hand: DevTools is a background page here, so requestAnimationFrame-based waiting never fires.
  const deadline = Date.now() + 90_000;
  let shown = false;
  while (!shown && Date.now() < deadline) {
    // A string, not a function: vitest would rewrite a function's import() into its own loader.
    shown = (await devtools.evaluate(`(async () => {
      const UI = await import('./ui/legacy/legacy.js');
      // Not instance(): before DevTools made its view, that would make one (see showDevToolsPanel in test/support/cdp.ts).
      const view = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance();
      const tab = view?.tabbedPane.tabs.find((t) => t.title === 'CORS');
      if (!tab) return false;
      await view.showPanel(tab.id);
      return true;
    })()`)) as boolean;
    if (!shown) await new Promise((r) => setTimeout(r, 250));
  }
  while (Date.now() < deadline) {
    const frame = devtools.frames().find((f) => f.url().endsWith('/panel.html'));
    if (frame) {
      await frame.waitForSelector('[data-testid="search"]', { timeout: 30_000 });
      return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the CORS panel frame (*/panel.html) never loaded');
}
