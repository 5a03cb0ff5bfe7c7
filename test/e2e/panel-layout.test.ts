/**
 * The panel's layout in real Chromium at DevTools' three docking sizes (side 500×1000, bottom 1600×300, undocked
 * 1600×1000), with 120 and 50,000 rows: the list scrolls by wheel and keys inside itself, only the rows in view are in
 * the DOM, the document never scrolls, and after a click the detail's first screen holds the headline, the console
 * line and the fix's Copy button; Escape and ✕ close it. The page is the real panel (test/support/panel-harness)
 * built by Vite, fed hand-made reports. Screenshots of each size and theme go to test-results/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import preact from '@preact/preset-vite';
import type { Page } from 'playwright';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect, type ConnectedChromium } from '../support/lab-run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = join(root, 'test-results');

export const DOCK_SIZES = {
  side: { width: 500, height: 1000 },
  bottom: { width: 1600, height: 300 },
  undocked: { width: 1600, height: 1000 },
} as const;
type Dock = keyof typeof DOCK_SIZES;

let outDir: string;
let server: Server;
let baseUrl: string;
let launched: LaunchedChromium | undefined;
let c: ConnectedChromium;
let page: Page;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.har': 'application/json' };
/** The lab as real Chromium ran it (every scenario), for the screenshots of docs/panel.md. */
const LAB_HAR = 'lab-2026-11-23.har';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'cors-lens-harness-'));
  await build({
    configFile: false,
    root: join(root, 'test/support/panel-harness'),
    logLevel: 'silent',
    plugins: [preact()],
    build: { outDir, emptyOutDir: true, target: 'chrome116', modulePreload: false, minify: false },
  });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = path === `/har/${LAB_HAR}` ? join(root, 'test/fixtures/chromium', LAB_HAR) : join(outDir, path === '/' ? 'index.html' : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  launched = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  c = await connect(launched);
  page = c.page;
  mkdirSync(artifacts, { recursive: true });
}, 180_000);

afterAll(async () => {
  await c?.browser.close().catch(() => undefined);
  await launched?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function openPanel(dock: Dock, rows: number, theme: 'light' | 'dark' = 'light'): Promise<void> {
  await page.setViewportSize(DOCK_SIZES[dock]);
  await page.goto(`${baseUrl}/?rows=${rows}&theme=${theme}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForFunction((n) => document.querySelector('[data-testid="row-count"]')?.textContent === `${n} requests`, rows, {
    timeout: 60_000,
  });
}

interface Layout {
  rowsInDom: number;
  listTop: number;
  listHeight: number;
  listScrollTop: number;
  listScrollHeight: number;
  documentScrolled: number;
  selected: { index: string; top: number; bottom: number } | null;
}

function layout(): Promise<Layout> {
  return page.evaluate(() => {
    const list = document.querySelector<HTMLElement>('[data-testid="exchange-list"]')!;
    const box = list.getBoundingClientRect();
    const sel = document.querySelector<HTMLElement>('.exchange-row[aria-selected="true"]');
    const selBox = sel?.getBoundingClientRect();
    return {
      rowsInDom: document.querySelectorAll('.exchange-row').length,
      listTop: box.top,
      listHeight: box.height,
      listScrollTop: list.scrollTop,
      listScrollHeight: list.scrollHeight,
      documentScrolled: (document.scrollingElement?.scrollTop ?? 0) + document.body.scrollTop + (document.querySelector('.app')?.scrollTop ?? 0),
      selected: sel && selBox ? { index: sel.id, top: selBox.top, bottom: selBox.bottom } : null,
    };
  });
}

/** Whether the element is on screen without scrolling: inside the viewport and inside every scrolling ancestor. */
function onScreen(selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector<HTMLElement>(sel);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) return false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (!/(auto|scroll|hidden)/.test(style.overflowY + style.overflowX)) continue;
      const b = p.getBoundingClientRect();
      if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5 || r.left < b.left - 0.5 || r.right > b.right + 0.5) return false;
    }
    return true;
  }, selector);
}

const CASES: [Dock, number][] = [
  ['side', 120],
  ['side', 50_000],
  ['bottom', 120],
  ['bottom', 50_000],
  ['undocked', 120],
  ['undocked', 50_000],
];

describe('the panel at DevTools’ docking sizes, in Chromium', () => {
  it.each(CASES)('%s with %i rows: the list scrolls and virtualizes, the detail opens with the answer on screen, Escape and ✕ close it', async (dock, rows) => {
    const size = DOCK_SIZES[dock];
    await openPanel(dock, rows);
    let now = await layout();
    // The list has a bounded height inside the window, and only the rows in view (+ overscan) are in the DOM.
    expect(now.listHeight).toBeGreaterThan(40);
    expect(now.listTop + now.listHeight).toBeLessThanOrEqual(size.height);
    expect(now.listScrollHeight).toBe(rows * 20);
    const bound = Math.ceil(now.listHeight / 20) + 2 * 12 + 2;
    expect(now.rowsInDom).toBeLessThanOrEqual(bound);
    // Each header cell sits over its column: the list keeps room for its scrollbar, and the header the same room.
    const columns = await page.evaluate(() => {
      const edges = (cells: Element[]) => cells.map((cell) => [Math.round(cell.getBoundingClientRect().left), Math.round(cell.getBoundingClientRect().right)]);
      return {
        head: edges([...document.querySelectorAll('[data-testid="list-head"] > .cell')]),
        row: edges([...document.querySelector('.exchange-row')!.children]),
        scrollbar: (() => {
          const list = document.querySelector<HTMLElement>('[data-testid="exchange-list"]')!;
          return list.offsetWidth - list.clientWidth;
        })(),
      };
    });
    expect(columns.scrollbar).toBeGreaterThan(0);
    expect(columns.row).toEqual(columns.head);

    // The wheel scrolls the list, not the document.
    await page.mouse.move(size.width / 2, now.listTop + now.listHeight / 2);
    await page.mouse.wheel(0, 600);
    await page.waitForFunction(() => document.querySelector('[data-testid="exchange-list"]')!.scrollTop > 0);
    now = await layout();
    expect(now.listScrollTop).toBeGreaterThan(0);
    expect(now.documentScrolled).toBe(0);
    expect(now.rowsInDom).toBeLessThanOrEqual(bound);

    // End selects the last row and shows it inside the list; Home goes back; the document never moves.
    await page.focus('[data-testid="exchange-list"]');
    await page.keyboard.press('End');
    await page.waitForFunction((id) => document.querySelector('.exchange-row[aria-selected="true"]')?.id === id, `exchange-${rows - 1}`);
    await page.keyboard.press('Escape'); // the detail moved focus; Escape closes it and gives the list back
    now = await layout();
    expect(now.selected?.index).toBe(`exchange-${rows - 1}`);
    expect(now.documentScrolled).toBe(0);
    expect(now.rowsInDom).toBeLessThanOrEqual(bound + 2);
    await page.focus('[data-testid="exchange-list"]');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('.exchange-row[aria-selected="true"]')?.id === 'exchange-0');
    await page.keyboard.press('Escape');
    now = await layout();
    expect(now.selected!.top).toBeGreaterThanOrEqual(now.listTop - 0.5);
    expect(now.selected!.bottom).toBeLessThanOrEqual(now.listTop + now.listHeight + 0.5);
    expect(now.documentScrolled).toBe(0);
    await page.focus('[data-testid="exchange-list"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    expect((await layout()).selected?.index).toBe('exchange-1');

    // A click on a blocked row: the detail has a sane size, and its first screen holds the answer.
    await page.click('.exchange-row[data-exchange-id="r0"]');
    await page.waitForSelector('[data-testid="detail"]');
    const detail = await page.evaluate(() => {
      const r = document.querySelector('[data-testid="detail"]')!.getBoundingClientRect();
      return { top: r.top, height: r.height, width: r.width };
    });
    expect(detail.top).toBeLessThan(size.height);
    expect(detail.height).toBeGreaterThanOrEqual(Math.min(200, size.height * 0.5));
    expect(detail.width).toBeGreaterThanOrEqual(Math.min(480, size.width * 0.4));
    for (const sel of ['[data-testid="headline"]', '[data-testid="console-message"]', '[data-testid="copy-snippet"]']) {
      expect(await onScreen(sel), `${sel} on the first screen`).toBe(true);
    }
    expect((await layout()).documentScrolled).toBe(0);
    if (rows === 120) await page.screenshot({ path: join(artifacts, `cors-panel-${dock}-light.png`) });

    // Escape closes it: the list has the whole width again and the focus is on the list.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="detail"]', { state: 'detached' });
    const after = await page.evaluate(() => ({
      listWidth: document.querySelector('.list-pane')!.getBoundingClientRect().width,
      focused: document.activeElement?.getAttribute('data-testid'),
    }));
    expect(after.listWidth).toBeGreaterThanOrEqual(size.width - 2);
    expect(after.focused).toBe('exchange-list');
    // ✕ closes it as well.
    await page.click('.exchange-row[data-exchange-id="r2"]');
    await page.click('[data-testid="close-detail"]');
    await page.waitForSelector('[data-testid="detail"]', { state: 'detached' });
  }, 120_000);

  it('a request Local Network Access stopped, docked to the side: its cause first, Chrome’s line, the fix in the page, no server snippet', async () => {
    await openPanel('side', 120);
    await page.click('.exchange-row[data-exchange-id="r7"]');
    await page.waitForSelector('[data-testid="detail"]');
    expect(await page.textContent('.exchange-row[data-exchange-id="r7"] [data-testid="blocker-badge"]')).toBe('LNA');
    expect(await page.textContent('[data-testid="headline"]')).toMatch(/^Chrome’s Local Network Access permission stopped this request/);
    for (const sel of ['[data-testid="headline"]', '[data-testid="console-message"]', '[data-testid="fix-hint"]']) {
      expect(await onScreen(sel), `${sel} on the first screen`).toBe(true);
    }
    expect(await page.textContent('[data-testid="fix-hint"]')).toMatch(/^Fix in the page: /);
    expect(await page.$('[data-testid="fix-snippet"]')).toBeNull();
    await page.screenshot({ path: join(artifacts, 'cors-panel-side-lna.png') });
  }, 60_000);

  const LAB_CASES: [Dock, 'light' | 'dark'][] = [
    ['side', 'light'],
    ['side', 'dark'],
    ['bottom', 'light'],
    ['bottom', 'dark'],
    ['undocked', 'light'],
    ['undocked', 'dark'],
  ];
  it.each(LAB_CASES)('the lab at %s in the %s theme: a blocked row’s answer on the first screen (screenshot)', async (dock, theme) => {
    await page.setViewportSize(DOCK_SIZES[dock]);
    await page.goto(`${baseUrl}/?har=${LAB_HAR}&theme=${theme}`);
    await page.waitForFunction(() => document.querySelectorAll('.exchange-row').length > 0, undefined, { timeout: 60_000 });
    const row = '.exchange-row[data-url*="/s/fail-header-not-allowed?"]';
    // The row is below the fold at 300 px: find it as a user would, then clear the search so the list shows the lab.
    await page.fill('[data-testid="search"]', 'fail-header-not-allowed');
    await page.click(row);
    await page.fill('[data-testid="search"]', '');
    await page.waitForFunction(() => document.querySelectorAll('.exchange-row').length > 3);
    await page.waitForSelector('[data-testid="detail"]');
    for (const sel of ['[data-testid="headline"]', '[data-testid="console-message"]', '[data-testid="copy-snippet"]']) {
      expect(await onScreen(sel), `${sel} on the first screen`).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    // The page's own document request is out of the default view; every row's target is readable.
    expect(await page.textContent('[data-testid="row-count"]')).toMatch(/^\d+ \/ \d+ requests$/);
    await page.screenshot({ path: join(artifacts, `cors-panel-lab-${dock}-${theme}.png`) });
  }, 90_000);
});
