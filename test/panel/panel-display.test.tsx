// @vitest-environment happy-dom
/**
 * What the panel shows, as a user reads it: captured values that cannot pass for something else, requests stopped
 * beside CORS with their cause, the first screen of the detail, closing it, the list's columns and default view, and
 * every import or export failure said in the panel.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { App, MAX_IMPORT_BYTES, type PanelDeps } from '../../src/panel/App.js';
import { createFeedSource, createStaticSource } from '../../src/panel/source.js';
import type { ExchangeReport } from '../../src/explain/report.js';
import {
  allowed,
  blockedBy,
  CONNECTION_REFUSED,
  CORP_SAME_ORIGIN,
  createFakeStore,
  fakeFixes,
  LNA_DENIED,
  missingAllowOrigin,
  notCors,
  spoofing,
} from './fixtures.js';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, String(v)) };
}

function setup(reports: ExchangeReport[], extra: Partial<PanelDeps> = {}) {
  const source = createFeedSource({ initial: reports });
  const deps: PanelDeps = {
    source,
    createStore: createFakeStore,
    suggestFixes: fakeFixes,
    storage: memoryStorage(),
    schedule: (flush) => flush(),
    download: () => undefined,
    panelBrowser: 'chrome',
    ...extra,
  };
  return { ...render(<App {...deps} />), source, deps };
}

const q = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
};
const rowIds = (): string[] => [...document.querySelectorAll<HTMLElement>('.exchange-row')].map((r) => r.dataset.exchangeId!);
const open = (id: string): HTMLElement => {
  fireEvent.mouseDown(q(`[data-exchange-id="${id}"]`));
  return q('[data-testid="detail"]');
};
const BIDI_OR_INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('captured values cannot pass for something else', () => {
  it('marks bidi and zero-width characters visibly in the row, the detail URL, the Origin line, the headers and the Why text', () => {
    setup([spoofing('s')]);
    const row = q('[data-exchange-id="s"]');
    // The row's target shows the override as a mark, not "…exe.pdf".
    expect(q('.cell.target', row).textContent).toBe('127.0.0.1:8002/s/invoice⟨U+202E⟩fdp.exe');
    expect(q('.cell.target .invisible-mark', row).getAttribute('title')).toBe('U+202E, a direction control in the capture');
    const detail = open('s');
    expect(q('.detail-url', detail).textContent).toContain('invoice⟨U+202E⟩fdp.exe');
    const diagram = q('[data-testid="exchange-diagram"]', detail);
    expect(diagram.textContent).toContain('Browser (https://⟨U+202E⟩elpmaxe.knab)');
    expect(diagram.textContent).toContain('Access-Control-Allow-Origin: https://bank.example⟨U+200B⟩`');
    expect(q('[data-testid="checklist"]', detail).textContent).toContain('https://bank.example⟨U+200B⟩');
    expect(q('[data-testid="why"]', detail).textContent).toContain('came from https://⟨U+202E⟩elpmaxe.knab');
    expect(q('[data-testid="console-message"]', detail).textContent).toContain('invoice⟨U+202E⟩fdp.exe');
    // Nothing on screen applies a direction change or hides a character.
    const leaks = [...document.body.textContent!.matchAll(new RegExp(BIDI_OR_INVISIBLE, 'g'))].map((m) =>
      document.body.textContent!.slice(Math.max(0, m.index - 40), m.index + 10),
    );
    expect(leaks).toEqual([]);
    expect(document.querySelectorAll('.invisible-mark').length).toBeGreaterThanOrEqual(6);
  });

  it('keeps a captured value with backticks inside its code span: it cannot read as the tool’s advice', () => {
    setup([spoofing('s')]);
    const why = q('[data-testid="why"]', open('s'));
    const codes = [...why.querySelectorAll('code')].map((c) => c.textContent);
    // Two code spans, as the sentence has: the Allow-Origin value whole (backticks and all), then the origin.
    expect(codes).toEqual(['https://bank.example⟨U+200B⟩` is fine. Ignore CORS and `', 'https://⟨U+202E⟩elpmaxe.knab']);
    expect(why.textContent).toContain('The browser compares the two strings exactly');
    // The fix hint: the template's own code spans, the captured origin inside one.
    const fix = q('[data-testid="fix-hint"]');
    expect([...fix.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'Access-Control-Allow-Origin: https://⟨U+202E⟩elpmaxe.knab',
      'Vary: Origin',
    ]);
  });

  it('renders the reason column as text with inline code, never raw backticks', () => {
    const report = spoofing('s');
    report.failure = { ...report.failure!, headline: 'Allow-Origin `*` refused because the request includes credentials' };
    setup([report]);
    const reason = q('[data-exchange-id="s"] .cell.reason');
    expect(reason.textContent).toBe('Allow-Origin * refused because the request includes credentials');
    expect(q('code', reason).textContent).toBe('*');
  });
});

describe('requests stopped beside the CORS checks', () => {
  const rows = () => [
    blockedBy('lna', LNA_DENIED),
    blockedBy('corp', CORP_SAME_ORIGIN),
    blockedBy('refused', CONNECTION_REFUSED, 'network-error'),
    missingAllowOrigin('cors'),
    allowed('ok'),
  ];

  it('shows what stopped each row as a badge, red or grey as the browser decided', () => {
    setup(rows());
    const badge = (id: string) => q(`[data-exchange-id="${id}"] [data-testid="blocker-badge"]`).textContent;
    expect(badge('lna')).toBe('LNA');
    expect(badge('corp')).toBe('CORP');
    expect(badge('refused')).toBe('Network');
    expect(document.querySelector('[data-exchange-id="cors"] [data-testid="blocker-badge"]')).toBeNull();
    expect(q('[data-exchange-id="lna"]').classList.contains('verdict-blocked')).toBe(true);
    expect(q('[data-exchange-id="refused"]').classList.contains('verdict-network-error')).toBe(true);
    expect(q('[data-exchange-id="lna"] .reason').textContent).toBe('Chrome’s Local Network Access permission stopped this request to loopback');
    // Chromium reports LNA as a CorsError although no CORS check failed: the row carries it for the real-browser tests.
    expect(q('[data-exchange-id="lna"]').dataset.corsError).toBe('LocalNetworkAccessPermissionDenied');
  });

  it('filters to them, and finds them by their badge', () => {
    setup(rows());
    fireEvent.click(q('[data-filter="beside-cors"]'));
    expect(rowIds()).toEqual(['lna', 'corp', 'refused']);
    fireEvent.click(q('[data-filter="all"]'));
    fireEvent.input(q('[data-testid="search"]'), { target: { value: 'corp' } });
    expect(rowIds()).toEqual(['corp']);
  });

  it('opens on the blocker’s headline, Chrome’s own console line and a page-side fix, with no server snippet', () => {
    setup(rows());
    const detail = open('lna');
    expect(q('[data-testid="headline"]', detail).textContent).toBe('Chrome’s Local Network Access permission stopped this request to loopback');
    expect(q('[data-testid="console-message"]', detail).textContent).toBe(LNA_DENIED.consoleMessage);
    expect(q('[data-testid="fix-hint"]', detail).textContent).toMatch(/^Fix in the page: Let the user grant the permission/);
    expect(detail.querySelector('[data-testid="fix-snippet"]')).toBeNull();
    expect(detail.querySelector('[data-testid="fix-tab"]')).toBeNull();
  });

  it('says when Chrome prints nothing, and offers the server snippet only when the server is the fix', () => {
    setup(rows(), { suggestFixes: (r) => fakeFixes({ ...r, verdict: 'blocked' }) });
    let detail = open('corp');
    expect(detail.querySelector('[data-testid="console-message"]')).toBeNull();
    expect(q('[data-testid="console-none"]', detail).textContent).toBe('Chrome prints no console line for this.');
    expect(q('[data-testid="fix-hint"]', detail).textContent).toMatch(/^Fix on the server: /);
    expect(detail.querySelectorAll('[data-testid="fix-tab"]').length).toBeGreaterThan(0);
    detail = open('refused');
    expect(q('[data-testid="fix-hint"]', detail).textContent).toMatch(/^Fix the connection: Start the server/);
    expect(detail.querySelector('[data-testid="fix-snippet"]')).toBeNull();
  });
});

describe('the detail', () => {
  it('closes with ✕ and with Escape: the list gets its full width back and the row keeps the focus', async () => {
    setup([missingAllowOrigin('a'), allowed('b')]);
    const app = q('.app');
    open('a');
    expect(app.classList.contains('has-detail')).toBe(true);
    fireEvent.click(q('[data-testid="close-detail"]'));
    expect(document.querySelector('[data-testid="detail"]')).toBeNull();
    expect(app.classList.contains('has-detail')).toBe(false);
    const list = q('[data-testid="exchange-list"]');
    expect(document.activeElement).toBe(list);
    expect(list.getAttribute('aria-activedescendant')).toBe(q('[data-exchange-id="a"]').id);
    expect(q('[data-exchange-id="a"]').getAttribute('aria-selected')).toBe('true');

    fireEvent.keyDown(list, { key: 'Enter' });
    const detail = q('[data-testid="detail"]');
    await waitFor(() => expect(document.activeElement).toBe(detail));
    fireEvent.keyDown(detail, { key: 'Escape' });
    expect(document.querySelector('[data-testid="detail"]')).toBeNull();
    expect(document.activeElement).toBe(list);
  });

  it('puts the fix right after the console line, before the Why, the picture and the checks', () => {
    setup([missingAllowOrigin('a')]);
    const detail = open('a');
    const order = [...detail.querySelectorAll('[data-testid="headline"], [data-testid="console-message"], [data-testid="copy-snippet"], .fold')].map(
      (el) => (el as HTMLElement).dataset.section ?? (el as HTMLElement).dataset.testid,
    );
    expect(order).toEqual(['headline', 'console-message', 'copy-snippet', 'why', 'exchange', 'checks', 'reproduce']);
  });

  it('folds the picture and the checks, and remembers it', () => {
    const storage = memoryStorage();
    setup([missingAllowOrigin('a')], { storage });
    const fold = q<HTMLDetailsElement>('.fold[data-section="checks"]', open('a'));
    expect(fold.open).toBe(true);
    fold.open = false;
    fireEvent(fold, new Event('toggle'));
    cleanup();
    setup([missingAllowOrigin('a')], { storage });
    expect(q<HTMLDetailsElement>('.fold[data-section="checks"]', open('a')).open).toBe(false);
    expect(q<HTMLDetailsElement>('.fold[data-section="exchange"]').open).toBe(true);
  });

  it('copies the fix of the selected row with one key, C', async () => {
    setup([missingAllowOrigin('a')]);
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    open('a');
    fireEvent.keyDown(q('[data-testid="exchange-list"]'), { key: 'c' });
    await waitFor(() => expect(q('[data-testid="copy-status"]').textContent).toMatch(/^Copied/));
    expect(writeText).toHaveBeenCalledWith("app.use(cors({ origin: 'http://127.0.0.1:8001' }));");
    // With the detail closed, C still copies the selected row's fix (and opens the detail, which says so).
    writeText.mockClear();
    fireEvent.click(q('[data-testid="close-detail"]'));
    fireEvent.keyDown(q('[data-testid="exchange-list"]'), { key: 'c' });
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("app.use(cors({ origin: 'http://127.0.0.1:8001' }));"));
    // Typing C in the search box is typing.
    writeText.mockClear();
    fireEvent.keyDown(q('[data-testid="search"]'), { key: 'c' });
    expect(writeText).not.toHaveBeenCalled();
  });

  it('shows Chrome’s wording first in Chrome and folds Firefox’s under “Firefox says”; the other way round in Firefox', () => {
    setup([missingAllowOrigin('a')]);
    let detail = open('a');
    expect(q('.console-block > .label', detail).textContent).toMatch(/^Chrome console/);
    expect(q('[data-testid="other-browser"] > summary', detail).textContent).toBe('Firefox says');
    expect(q<HTMLDetailsElement>('[data-testid="other-browser"]', detail).open).toBe(false);
    cleanup();
    setup([missingAllowOrigin('a')], { panelBrowser: 'firefox' });
    detail = open('a');
    expect(q('[data-testid="rules-applied"]', detail).textContent).toMatch(/^Firefox console · CORSMissingAllowOrigin/);
    expect(q('[data-testid="other-browser"] > summary', detail).textContent).toBe('Chrome says');
  });
});

describe('the list', () => {
  it('leaves the page’s own navigations and same-origin requests out until “Same-origin” is on', () => {
    const nav: ExchangeReport = { ...notCors('nav'), kind: 'document' };
    setup([nav, notCors('same'), missingAllowOrigin('a'), allowed('b')]);
    expect(rowIds()).toEqual(['a', 'b']);
    expect(q('[data-testid="row-count"]').textContent).toBe('2 / 4 requests');
    fireEvent.click(q('[data-testid="show-page-own"]'));
    expect(rowIds()).toEqual(['nav', 'same', 'a', 'b']);
  });

  it('shows the full method and the target first, and the initiator only where it differs from the page', () => {
    const other: ExchangeReport = { ...allowed('other'), method: 'PROPPATCH', initiatorOrigin: 'https://widget.example' };
    setup([missingAllowOrigin('a'), allowed('b'), other]);
    const head = [...document.querySelectorAll<HTMLElement>('[data-testid="list-head"] .cell')].map((c) => c.dataset.column);
    expect(head.slice(0, 4)).toEqual(['verdict', 'method', 'target', 'reason']);
    expect(q('[data-exchange-id="a"] .cell.target').textContent).toBe('127.0.0.1:8002/a');
    expect(q('[data-exchange-id="other"] .cell.method').textContent).toBe('PROPPATCH');
    expect(q('[data-exchange-id="a"] .cell.initiator').textContent).toBe('');
    expect(q('[data-exchange-id="other"] .cell.initiator').textContent).toBe('https://widget.example');
  });

  it('hides a column from the Columns menu and keeps a dragged width, across a reload', () => {
    const storage = memoryStorage();
    setup([missingAllowOrigin('a')], { storage });
    fireEvent.click(q('[data-column-toggle="status"]'));
    expect(document.querySelector('[data-exchange-id="a"] .cell.status')).toBeNull();
    const handle = q('[data-column="reason"] .col-resize');
    fireEvent.pointerDown(handle, { clientX: 100 });
    fireEvent.pointerMove(window, { clientX: 180 });
    fireEvent.pointerUp(window, { clientX: 180 });
    cleanup();
    setup([missingAllowOrigin('a')], { storage });
    expect(document.querySelector('[data-exchange-id="a"] .cell.status')).toBeNull();
    const template = q('.list-pane').style.getPropertyValue('--columns');
    // The reason column is a fixed width now (its start width, 0 in a DOM without layout, + 80 px, at least 32 px).
    expect(template.split(' ')).toContain('80px');
  });
});

describe('import and export failures are said in the panel', () => {
  function upload(file: File) {
    const input = q<HTMLInputElement>('[data-testid="import-har"]');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
  }
  const message = () => document.querySelector('[data-testid="message"]')?.textContent ?? null;

  it('refuses a file too large to read with “too large”, without reading it', async () => {
    setup([allowed('live')]);
    const file = new File(['{}'], 'huge.har');
    Object.defineProperty(file, 'size', { value: MAX_IMPORT_BYTES + 1 });
    const text = vi.spyOn(file, 'text');
    upload(file);
    await waitFor(() => expect(message()).toMatch(/^Could not open huge\.har: too large to open in the panel \(400 MB; the panel reads up to 400 MB\)/));
    expect(text).not.toHaveBeenCalled();
    expect(rowIds()).toEqual(['live']);
  });

  it('opens a HAR of 150,000 entries: the list keeps the latest under the cap and says how many were dropped', async () => {
    const many = Array.from({ length: 150_000 }, (_, i) => allowed(`r${i}`));
    setup([], { openHar: (_har, name) => createStaticSource(name, many) });
    fireEvent.change(q('[data-testid="max-exchanges"]'), { target: { value: '50000' } });
    upload(new File(['{"log":{"entries":[]}}'], 'big.har'));
    await waitFor(() => expect(q('[data-testid="row-count"]').textContent).toBe('50000 requests'), { timeout: 20_000 });
    expect(q('[data-testid="dropped-notice"]').textContent).toMatch(/^100,000 older exchanges were dropped/);
    expect(message()).toBeNull();
  }, 60_000);

  it('says when an export cannot be written (nested too deeply), instead of failing in the console', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = { deep };
    const report = { ...allowed('deep'), extra: deep } as ExchangeReport;
    const downloads: string[] = [];
    setup([report], { download: (name) => void downloads.push(name) });
    fireEvent.click(q('[data-testid="export-har"]'));
    expect(message()).toMatch(/^The HAR could not be saved: a captured value is nested too deeply/);
    expect(downloads).toEqual([]);
  });
});

describe('redirects on the wire', () => {
  it('draws the Origin the browser sent on each hop: null after a redirect to another origin', () => {
    const base = missingAllowOrigin('r');
    const report: ExchangeReport = {
      ...base,
      failure: { ...base.failure!, hop: 2 },
      finalUrl: 'http://127.0.0.1:8003/final',
      redirects: [
        { from: 'http://127.0.0.1:8002/r', to: 'http://127.0.0.1:8002/moved', status: 302 },
        { from: 'http://127.0.0.1:8002/moved', to: 'http://127.0.0.1:8003/final', status: 307 },
      ],
    };
    setup([report]);
    const steps = [...q('[data-testid="exchange-diagram"]', open('r')).querySelectorAll<HTMLElement>('.step-out')];
    const originOf = (step: HTMLElement) => [...step.querySelectorAll('.step-line')].map((l) => l.textContent).find((l) => l!.startsWith('Origin: '));
    // Same-origin hop within the API keeps the page's Origin; leaving the API's origin makes it null.
    expect(steps.map(originOf)).toEqual(['Origin: http://127.0.0.1:8001', 'Origin: http://127.0.0.1:8001', 'Origin: null']);
    expect(steps[2]!.textContent).toContain('the browser sends Origin: null from here on');
  });
});

describe('a Firefox capture without the credentials mode', () => {
  it('reads “likely allowed” with the condition, not a bare “cannot tell”', () => {
    const base = missingAllowOrigin('ff');
    const report: ExchangeReport = {
      ...allowed('ff'),
      verdict: 'unknown',
      rules: 'firefox',
      summary: 'Allowed, unless the page sent it with credentials: then blocked (CORSNotSupportingCredentials).',
      likely: { verdict: 'allowed', unless: 'credentials', otherwise: base.failure! },
    };
    setup([report, { ...allowed('plain'), verdict: 'unknown', summary: 'Cannot tell.' }]);
    expect(q('[data-exchange-id="ff"] .badge').textContent).toBe('likely allowed');
    expect(q('[data-exchange-id="ff"] .reason').textContent).toBe(report.summary);
    expect(q('[data-exchange-id="plain"] .badge').textContent).toBe('cannot tell');
  });
});

describe('file names are captured values too', () => {
  it('marks a bidi override in an imported file’s name, in the chip and in a refusal', async () => {
    setup([allowed('live')]);
    const input = q<HTMLInputElement>('[data-testid="import-har"]');
    Object.defineProperty(input, 'files', { value: [new File(['{"log": '], 'report\u202Eraw.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(q('[data-testid="message"]').textContent).toMatch(/^Could not open report⟨U\+202E⟩raw\.har: not JSON/));
    expect(document.body.textContent).not.toContain('\u202E');
  });
});

describe('marks stay few in the DOM', () => {
  it('a megabyte of U+202E is one mark; a value of 100,000 alternating ones keeps a bounded number of mark elements, the rest marked as text', async () => {
    const { Shown } = await import('../../src/panel/shownText.js');
    const { container } = render(
      <div>
        <p id="run">
          <Shown text={`x${'\u202E'.repeat(1024 * 1024)}y`} />
        </p>
        <p id="mixed">
          <Shown text={'\u202E<b>'.repeat(100_000)} />
        </p>
      </div>,
    );
    expect(q('#run', container).textContent).toBe('x⟨U+202E ×1048576⟩y');
    const mixed = q('#mixed', container);
    expect(mixed.querySelectorAll('.invisible-mark').length).toBe(300);
    expect(mixed.textContent).not.toContain('\u202E');
    expect(mixed.textContent!.split('⟨U+202E⟩')).toHaveLength(100_001);
  });
});
