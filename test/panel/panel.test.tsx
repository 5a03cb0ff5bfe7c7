// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { App, type PanelDeps } from '../../src/panel/App.js';
import { mountPanel } from '../../src/panel/mount.js';
import { ExchangeRow } from '../../src/panel/ExchangeList.js';
import { checkTextFor } from '../../src/explain/checkTexts.js';
import { createFeedSource } from '../../src/panel/source.js';
import type { ExchangeReport } from '../../src/explain/report.js';
import type { ExchangeStoreOptions } from '../../src/store/storeTypes.js';
import {
  allowed,
  allowedWithWarning,
  cannotTell,
  createFakeStore,
  fakeFixes,
  headerNotAllowedByPreflight,
  hostile,
  missingAllowOrigin,
  notCors,
  preflightCached,
} from './fixtures.js';

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
    clear: () => data.clear(),
    key: (i) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

function setup(reports: ExchangeReport[], extra: Partial<PanelDeps> = {}) {
  const source = createFeedSource({ initial: reports });
  const storage = extra.storage ?? memoryStorage();
  const downloads: { name: string; type: string; text: string }[] = [];
  const deps: PanelDeps = {
    source,
    createStore: createFakeStore,
    suggestFixes: fakeFixes,
    storage,
    schedule: (flush) => flush(),
    download: (name, type, text) => void downloads.push({ name, type, text }),
    ...extra,
  };
  const view = render(<App {...deps} />);
  return { ...view, source, storage, downloads };
}

const rows = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('.exchange-row')];
const rowIds = (): string[] => rows().map((r) => r.dataset.exchangeId!);
/** The named attributes of an element (happy-dom's dataset drops empty ones). */
const attrs = (el: Element, names: string[]): Record<string, string | null> =>
  Object.fromEntries(names.map((n) => [n, el.getAttribute(n)]));
const q = <T extends Element = HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
};
/** Turns on “Same-origin”: the page's own requests, out of the default view, shown. */
const showPageOwn = (): void => {
  const box = q<HTMLInputElement>('[data-testid="show-page-own"]');
  if (!box.checked) fireEvent.click(box);
};

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const everyKind = (): ExchangeReport[] => [
  missingAllowOrigin('a'),
  headerNotAllowedByPreflight('b'),
  allowedWithWarning('c'),
  allowed('d'),
  notCors('e'),
  cannotTell('f'),
  preflightCached('g'),
];

describe('the exchange list', () => {
  it('shows one row per exchange with the attributes the real-browser tests read', () => {
    setup(everyKind());
    showPageOwn();
    expect(rowIds()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const a = q('[data-exchange-id="a"]');
    expect(
      attrs(a, ['data-url', 'data-method', 'data-verdict', 'data-cors-error', 'data-failed-parameter', 'data-has-warning', 'data-preflight']),
    ).toEqual({
      'data-url': 'http://127.0.0.1:8002/a',
      'data-method': 'GET',
      'data-verdict': 'blocked',
      'data-cors-error': 'MissingAllowOriginHeader',
      'data-failed-parameter': '',
      'data-has-warning': 'false',
      'data-preflight': 'none',
    });
    expect(q('[data-exchange-id="d"]').getAttribute('data-cors-error')).toBe('');
    expect(a.getAttribute('aria-selected')).toBe('false');
    const b = q('[data-exchange-id="b"]');
    expect(b.dataset).toMatchObject({ verdict: 'blocked', corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-token', preflight: 'paired' });
    expect(q('[data-exchange-id="c"]').dataset.hasWarning).toBe('true');
    expect(q('[data-exchange-id="g"]').dataset.preflight).toBe('cached');
    expect(q('[data-testid="row-count"]').textContent).toBe('7 requests');
  });

  it('labels each verdict, with the one-line reason on blocked rows', () => {
    setup(everyKind());
    showPageOwn();
    const badge = (id: string) => q(`[data-exchange-id="${id}"] .badge`).textContent;
    expect(badge('a')).toBe('blocked');
    expect(q('[data-exchange-id="a"] .reason').textContent).toBe('The response has no Access-Control-Allow-Origin header');
    expect(badge('c')).toBe('warning');
    expect(badge('d')).toBe('allowed');
    expect(badge('e')).toBe('not CORS');
    expect(badge('f')).toBe('cannot tell');
    expect(q('[data-exchange-id="b"] .preflight').textContent).toBe('⇄ 204');
    expect(q('[data-exchange-id="b"] .preflight').classList.contains('preflight-failed')).toBe(true);
  });

  it('keeps a low-severity note on an allowed badge, and marks risky configurations as warnings', () => {
    const note = {
      ...allowed('note'),
      warnings: [{ id: 'customHeadersNotExposed', severity: 'low' as const, headline: 'Response headers the page cannot read: x-id', explanation: '', fixHint: '' }],
    };
    setup([note, allowedWithWarning('risky')]);
    expect(q('[data-exchange-id="note"] .badge').textContent).toBe('allowed');
    // A note that holds for most responses stays out of the row, and is in the detail.
    expect(q('[data-exchange-id="note"] .reason').textContent).toBe('');
    expect(q('[data-exchange-id="note"]').dataset.hasWarning).toBe('true');
    expect(q('[data-exchange-id="risky"] .badge').textContent).toBe('warning');
    expect(q('[data-exchange-id="risky"] .reason').textContent).toBe(allowedWithWarning('risky').warnings[0]!.headline);
    fireEvent.mouseDown(q('[data-exchange-id="note"]'));
    expect(q('[data-testid="why"]').textContent).toContain('Response headers the page cannot read: x-id');
  });

  it('filters to blocked, preflighted or warning rows and remembers the filter', () => {
    const { storage } = setup(everyKind());
    fireEvent.click(q('[data-filter="blocked"]'));
    expect(rowIds()).toEqual(['a', 'b']);
    fireEvent.click(q('[data-filter="preflighted"]'));
    expect(rowIds()).toEqual(['b', 'g']);
    fireEvent.click(q('[data-filter="warnings"]'));
    expect(rowIds()).toEqual(['c']);
    expect(q('[data-testid="row-count"]').textContent).toBe('1 / 7 requests');
    cleanup();
    setup(everyKind(), { storage });
    expect(q('[data-filter="warnings"]').getAttribute('aria-pressed')).toBe('true');
    expect(rowIds()).toEqual(['c']);
  });

  it('searches URL, method and origins as a case-insensitive substring', () => {
    setup(everyKind());
    showPageOwn();
    const search = q<HTMLInputElement>('[data-testid="search"]');
    fireEvent.input(search, { target: { value: 'post' } });
    expect(rowIds()).toEqual(['b']);
    fireEvent.input(search, { target: { value: '8002/F' } });
    expect(rowIds()).toEqual(['f']);
    fireEvent.input(search, { target: { value: '127.0.0.1:8001' } });
    expect(rowIds()).toHaveLength(7);
  });

  it('moves the selection with the arrow keys, opens the detail with Enter and returns with Escape', async () => {
    setup(everyKind());
    const list = q('[data-testid="exchange-list"]');
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(q('.exchange-row[aria-selected="true"]').dataset.exchangeId).toBe('a');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowUp' });
    expect(q('.exchange-row[aria-selected="true"]').dataset.exchangeId).toBe('b');
    expect(document.querySelectorAll('.exchange-row[aria-selected="true"]')).toHaveLength(1);
    fireEvent.keyDown(list, { key: 'Enter' });
    const detail = q('[data-testid="detail"]');
    await waitFor(() => expect(document.activeElement).toBe(detail));
    expect(detail.dataset.corsError).toBe('HeaderDisallowedByPreflightResponse');
    fireEvent.keyDown(detail, { key: 'Escape' });
    expect(document.activeElement).toBe(list);
  });

  it('renders only the rows in view when there are thousands, and all of them are reachable', () => {
    const many = Array.from({ length: 5000 }, (_, i) => (i % 2 ? allowed(`r${i}`) : missingAllowOrigin(`r${i}`)));
    setup(many);
    expect(q('[data-testid="row-count"]').textContent).toBe('5000 requests');
    expect(rows().length).toBeGreaterThan(10);
    expect(rows().length).toBeLessThan(100);
    const list = q('[data-testid="exchange-list"]');
    list.focus();
    fireEvent.keyDown(list, { key: 'End' });
    expect(list.getAttribute('aria-activedescendant')).toBe('exchange-4999');
    expect(q('[data-testid="detail"]').getAttribute('data-verdict')).toBe('allowed');
    expect(q('[data-testid="detail"] .detail-url').textContent).toBe('GET http://127.0.0.1:8002/r4999');
    // A page is the rows the list shows, less one (this DOM lays nothing out: the 600 px fallback, 30 rows of 20 px).
    fireEvent.keyDown(list, { key: 'PageUp' });
    expect(list.getAttribute('aria-activedescendant')).toBe('exchange-4970');
    fireEvent.keyDown(list, { key: 'PageDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('exchange-4999');
  });

  it('adds entries that finish in the same frame in one batch', () => {
    const flushes: (() => void)[] = [];
    const stores: ReturnType<typeof createFakeStore>[] = [];
    const { source } = setup([], {
      schedule: (flush) => void flushes.push(flush),
      createStore: (o) => {
        const s = createFakeStore(o);
        const add = s.addEntries.bind(s);
        s.addEntries = vi.fn(add);
        stores.push(s);
        return s;
      },
    });
    source.push(missingAllowOrigin('x1'));
    source.push(allowed('x2'));
    source.push(allowed('x3'));
    expect(flushes).toHaveLength(1);
    expect(rows()).toHaveLength(0);
    flushes[0]!();
    const store = stores.at(-1)!;
    expect(store.addEntries).toHaveBeenCalledTimes(1);
    return waitFor(() => expect(rowIds()).toEqual(['x1', 'x2', 'x3']));
  });

  it('leaves the rows already shown untouched when new entries arrive', async () => {
    const { source } = setup([missingAllowOrigin('a'), allowed('b'), headerNotAllowedByPreflight('c')]);
    const before = rows();
    const changed: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const row = (r.target as Element).closest?.('.exchange-row');
        if (row && before.includes(row as HTMLElement)) changed.push(`${r.type} ${r.attributeName ?? ''}`);
      }
    });
    observer.observe(q('[data-testid="exchange-list"]'), { subtree: true, childList: true, attributes: true, characterData: true });
    const renders = vi.spyOn(ExchangeRow.prototype, 'render');
    source.push(allowed('d'), allowedWithWarning('e'));
    await waitFor(() => expect(rowIds()).toEqual(['a', 'b', 'c', 'd', 'e']));
    await new Promise((r) => setTimeout(r, 0));
    observer.disconnect();
    expect(changed).toEqual([]);
    expect(rows().slice(0, 3)).toEqual(before);
    // Only the two new rows rendered; the three existing ones were skipped.
    expect(renders.mock.calls.map(([props]) => props.report.id).sort()).toEqual(['d', 'e']);
  });

  it('clears on navigation unless Preserve log is on, and remembers Preserve log', async () => {
    const { source, storage } = setup([missingAllowOrigin('a')]);
    source.navigate('http://127.0.0.1:8001/next');
    await waitFor(() => expect(rows()).toHaveLength(0));
    source.push(allowed('b'));
    await waitFor(() => expect(rowIds()).toEqual(['b']));
    fireEvent.click(q('[data-testid="preserve-log"]'));
    source.navigate('http://127.0.0.1:8001/again');
    source.push(allowed('c'));
    await waitFor(() => expect(rowIds()).toEqual(['b', 'c']));
    cleanup();
    setup([], { storage });
    expect(q<HTMLInputElement>('[data-testid="preserve-log"]').checked).toBe(true);
  });

  it('empties the list with Clear', async () => {
    setup(everyKind());
    fireEvent.click(q('[data-testid="clear"]'));
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(q('[data-testid="row-count"]').textContent).toBe('0 requests');
  });

  it('says so when the store dropped old exchanges', async () => {
    setup(Array.from({ length: 5 }, (_, i) => allowed(`d${i}`)), { createStore: (o) => createFakeStore({ ...o, maxExchanges: 3 }) });
    expect(rowIds()).toEqual(['d2', 'd3', 'd4']);
    expect(q('[data-testid="dropped-notice"]').textContent).toContain('2 older exchanges');
  });
});

describe('the cap on the list (Keep)', () => {
  const capSelect = () => q<HTMLSelectElement>('[data-testid="max-exchanges"]');
  const chooseCap = (cap: number) => fireEvent.change(capSelect(), { target: { value: String(cap) } });
  const rowCount = () => q('[data-testid="row-count"]').textContent;
  const droppedNotice = () => document.querySelector('[data-testid="dropped-notice"]')?.textContent ?? null;
  const allowedRange = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => allowed(`r${from + i}`));

  it('offers 1,000 to 50,000 and starts at the store’s default of 10,000', () => {
    setup([]);
    expect([...capSelect().options].map((o) => o.textContent)).toEqual(['1,000', '5,000', '10,000', '50,000']);
    expect(capSelect().value).toBe('10000');
  });

  it('drops the oldest rows at once when lowered, closes a dropped row’s detail, and says how many and the cap', async () => {
    setup(allowedRange(0, 1200));
    expect(rowCount()).toBe('1200 requests');
    expect(droppedNotice()).toBeNull();
    fireEvent.mouseDown(q('[data-exchange-id="r0"]'));
    expect(q('[data-testid="detail"] .detail-url').textContent).toBe('GET http://127.0.0.1:8002/r0');
    chooseCap(1000);
    await waitFor(() => expect(rowCount()).toBe('1000 requests'));
    expect(rowIds()[0]).toBe('r200');
    expect(document.querySelector('[data-testid="detail"]')).toBeNull();
    expect(droppedNotice()).toBe(
      '200 older exchanges were dropped: the list keeps the latest 1,000. ' +
        'Raise “Keep” in the toolbar to hold more, or export the HAR regularly to keep everything.',
    );
  });

  it('lets more rows in once raised, and the notice names the new cap', async () => {
    const { source } = setup(allowedRange(0, 1200));
    chooseCap(1000);
    await waitFor(() => expect(rowCount()).toBe('1000 requests'));
    chooseCap(5000);
    source.push(...allowedRange(1200, 2200));
    await waitFor(() => expect(rowCount()).toBe('2000 requests'));
    expect(rowIds()[0]).toBe('r200');
    expect(droppedNotice()).toMatch(/^200 older exchanges were dropped: the list keeps the latest 5,000\./);
  });

  it('survives a reload of the panel, and applies to the stores made after navigation and for an imported HAR', async () => {
    const { storage } = setup([]);
    chooseCap(1000);
    cleanup();
    const made: ExchangeStoreOptions[] = [];
    const { source } = setup(allowedRange(0, 1200), {
      storage,
      createStore: (options) => (made.push(options), createFakeStore(options)),
    });
    expect(capSelect().value).toBe('1000');
    expect(rowCount()).toBe('1000 requests');
    expect(droppedNotice()).toMatch(/^200 older exchanges were dropped: the list keeps the latest 1,000\./);

    source.navigate('http://127.0.0.1:8001/next');
    source.push(...allowedRange(2000, 3500));
    await waitFor(() => expect(rowCount()).toBe('1000 requests'));
    expect(rowIds()[0]).toBe('r2500');

    const input = q<HTMLInputElement>('[data-testid="import-har"]');
    const har = JSON.stringify({ log: { version: '1.2', entries: allowedRange(5000, 6100) } });
    Object.defineProperty(input, 'files', { value: [new File([har], 'big.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(rowIds()[0]).toBe('r5100'));
    expect(rowCount()).toBe('1000 requests');
    expect(made.map((options) => options.maxExchanges)).toEqual([1000, 1000, 1000]);
  });

  it('does not offer to raise the cap when it is already the largest', async () => {
    const { source } = setup([]);
    chooseCap(50_000);
    source.push(...allowedRange(0, 50_002));
    await waitFor(() => expect(rowCount()).toBe('50000 requests'));
    expect(droppedNotice()).toBe(
      '2 older exchanges were dropped: the list keeps the latest 50,000. Export the HAR regularly to keep everything.',
    );
  });

  it('ignores a stored cap the panel does not offer and keeps the default', () => {
    const storage = memoryStorage();
    storage.setItem('cors-lens.settings.v1', JSON.stringify({ preserveLog: true, maxExchanges: 3 }));
    setup(allowedRange(0, 5), { storage });
    expect(capSelect().value).toBe('10000');
    expect(rowCount()).toBe('5 requests');
    expect(q<HTMLInputElement>('[data-testid="preserve-log"]').checked).toBe(true);
  });
});

describe('the detail of a blocked exchange', () => {
  function openRow(id: string): HTMLElement {
    fireEvent.mouseDown(q(`[data-exchange-id="${id}"]`));
    return q('[data-testid="detail"]');
  }

  it('shows the headline, Chrome’s console line verbatim and Firefox’s reason', () => {
    setup(everyKind());
    const detail = openRow('a');
    expect(attrs(detail, ['data-verdict', 'data-cors-error', 'data-failed-parameter'])).toEqual({
      'data-verdict': 'blocked',
      'data-cors-error': 'MissingAllowOriginHeader',
      'data-failed-parameter': '',
    });
    const d = within(detail);
    expect(d.getByTestId('headline').textContent).toBe('The response has no Access-Control-Allow-Origin header');
    expect(d.getByTestId('console-message').textContent).toBe(missingAllowOrigin('a').failure!.consoleMessage);
    expect(d.getByTestId('firefox-reason').textContent).toContain('CORS header ‘Access-Control-Allow-Origin’ missing');
    expect(d.getByTestId('why').textContent).toContain('did not say that this origin may read the answer');
  });

  it('lists every check with its status and the values compared', () => {
    setup(everyKind());
    const detail = openRow('b');
    const items = [...detail.querySelectorAll<HTMLElement>('[data-testid="checklist"] [data-check-id]')];
    expect(items.map((i) => [i.dataset.checkId, i.dataset.phase, i.dataset.status])).toEqual([
      ['preflightRequired', 'request', 'pass'],
      ['preflightReceived', 'preflight', 'pass'],
      ['allowOriginMatches', 'preflight', 'pass'],
      ['preflightAllowsMethod', 'preflight', 'pass'],
      ['preflightAllowsHeaders', 'preflight', 'fail'],
      ['responseReceived', 'response', 'not-reached'],
    ]);
    expect(items[4]!.textContent).toContain(checkTextFor('preflightAllowsHeaders', 'preflight').title);
    const failing = items[4]!;
    expect(failing.textContent).toContain('Access-Control-Allow-Headers');
    expect(failing.textContent).toContain('x-token');
    expect(failing.textContent).toContain('content-type');
  });

  it('draws the preflight, its answer in red, and that the POST was never sent', () => {
    setup(everyKind());
    const diagram = within(openRow('b')).getByTestId('exchange-diagram');
    const steps = [...diagram.querySelectorAll<HTMLElement>('.step')];
    expect(steps.map((s) => s.dataset.stepState)).toEqual(['ok', 'failed', 'not-sent']);
    expect(steps[0]!.textContent).toContain('OPTIONS /b');
    expect(steps[0]!.textContent).toContain('Access-Control-Request-Headers: content-type,x-token');
    expect(steps[1]!.querySelector('.line-failed')?.textContent).toBe('Access-Control-Allow-Headers: content-type');
    expect(steps[1]!.querySelectorAll('.line-failed')).toHaveLength(1);
    expect(steps[2]!.textContent).toContain('POST request was never sent');
  });

  it('draws a response-phase failure on the answer, after the request was sent', () => {
    setup(everyKind());
    const steps = [...within(openRow('a')).getByTestId('exchange-diagram').querySelectorAll<HTMLElement>('.step')];
    expect(steps.map((s) => s.dataset.stepState)).toEqual(['ok', 'failed', 'not-sent']);
    expect(steps[1]!.textContent).toContain('Access-Control-Allow-Origin: (absent)');
  });

  it('offers fix tabs Express, Flask, Nginx, PHP first, remembers the last one, and says which are verified', () => {
    const { storage } = setup(everyKind());
    openRow('a');
    const tabs = [...document.querySelectorAll<HTMLElement>('[data-testid="fix-tab"]')];
    expect(tabs.map((t) => t.dataset.server)).toEqual(['express', 'flask', 'nginx', 'php']);
    expect(q('[data-testid="fix-snippet"]').textContent).toContain("cors({ origin: 'http://127.0.0.1:8001' })");
    fireEvent.click(q('[data-testid="fix-tab"][data-server="php"]'));
    expect(q('[data-testid="fix-snippet"]').textContent).toBe("header('Access-Control-Allow-Origin: http://127.0.0.1:8001');");
    expect(q('[data-testid="fix-verified"]').textContent).toBe('not verified');
    cleanup();
    setup(everyKind(), { storage });
    openRow('b');
    expect(q('[data-testid="fix-tab"][aria-pressed="true"]').dataset.server).toBe('php');
  });
});

describe('copying inside DevTools', () => {
  it('falls back to a selected textarea and execCommand when the Clipboard API is refused, and says it copied', async () => {
    setup(everyKind());
    const writeText = vi.fn().mockRejectedValue(new DOMException('Document is not focused', 'NotAllowedError'));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    let copied: string | undefined;
    const execCommand = vi.fn((command: string) => {
      const area = document.querySelector('textarea');
      copied = area && area.selectionStart === 0 && area.selectionEnd === area.value.length ? area.value : undefined;
      return command === 'copy';
    });
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    fireEvent.mouseDown(q('[data-exchange-id="a"]'));
    fireEvent.click(q('[data-testid="copy-snippet"]'));
    await waitFor(() => expect(q('[data-testid="copy-status"]').textContent).toContain('Copied'));
    expect(writeText).toHaveBeenCalledOnce();
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(copied).toBe("app.use(cors({ origin: 'http://127.0.0.1:8001' }));");
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('shows the text selected when both ways fail', async () => {
    setup(everyKind());
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    fireEvent.mouseDown(q('[data-exchange-id="b"]'));
    fireEvent.click(q('[data-testid="copy-curl-preflight"]'));
    await waitFor(() => expect(q('[data-testid="copy-status"]').textContent).toBe('Copy failed — select the text'));
    const fallback = q('[data-testid="copy-fallback"]');
    expect(fallback.textContent).toContain("-H 'Access-Control-Request-Headers: content-type,x-token'");
    await waitFor(() => expect(document.getSelection()?.toString()).toBe(fallback.textContent));
  });

  it('copies the actual request as curl with the real Origin', async () => {
    setup(everyKind());
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fireEvent.mouseDown(q('[data-exchange-id="b"]'));
    fireEvent.click(q('[data-testid="copy-curl-actual"]'));
    await waitFor(() => expect(q('[data-testid="copy-status"]').textContent).toContain('Copied'));
    const command = writeText.mock.calls[0]![0] as string;
    expect(command).toContain("-X 'POST'");
    expect(command).toContain("-H 'Origin: http://127.0.0.1:8001'");
    expect(command).toContain("-H 'X-Token: abc'");
  });
});

describe('captured values are text, never markup', () => {
  beforeEach(() => {
    delete (globalThis as { __pwned?: unknown }).__pwned;
  });

  it('renders hostile URLs, headers, bidi controls and a 1 MB value as text and runs nothing', async () => {
    const report = hostile('h');
    setup([report]);
    const row = q('[data-exchange-id="h"]');
    expect(row.dataset.url).toBe(report.url);
    fireEvent.mouseDown(row);
    const detail = q('[data-testid="detail"]');
    await new Promise((r) => setTimeout(r, 20));
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('a[href^="javascript:"]')).toBeNull();
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect(within(detail).getByTestId('headline').textContent).toBe('<img src=x onerror="globalThis.__pwned=1">');
    // The bidi controls are shown as marks, never applied: the line reads as the bytes are.
    expect(within(detail).getByTestId('console-message').textContent).toContain('admin⟨U+202E⟩txt.exe⟨U+2066⟩');
    expect(detail.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(within(detail).getByTestId('why').textContent!.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect(row.textContent).toContain('<img src=x');
  });
});

describe('theme', () => {
  it('follows the source’s DevTools theme, also when it changes while open', () => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    const unmount = mountPanel(root, {
      source: createFeedSource({ theme: 'dark' }),
      createStore: createFakeStore,
      schedule: (f) => f(),
    });
    expect(document.documentElement.dataset.theme).toBe('dark');
    unmount();
    mountPanel(root, { source: createFeedSource({ theme: 'light' }), createStore: createFakeStore, schedule: (f) => f() })();
    expect(document.documentElement.dataset.theme).toBe('light');
    const source = createFeedSource({ theme: 'light' });
    const stop = mountPanel(root, { source, createStore: createFakeStore, schedule: (f) => f() });
    source.changeTheme('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    stop();
    root.remove();
  });
});

describe('HAR import and export', () => {
  function upload(name: string, text: string) {
    const input = q<HTMLInputElement>('[data-testid="import-har"]');
    const file = new File([text], name, { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
  }

  it('explains an imported HAR file, and goes back to live capture', async () => {
    setup([allowed('live1')]);
    upload('saved.har', JSON.stringify({ log: { version: '1.2', entries: [missingAllowOrigin('f1'), allowed('f2')] } }));
    await waitFor(() => expect(rowIds()).toEqual(['f1', 'f2']));
    expect(screen.getByText('saved.har ✕')).toBeTruthy();
    fireEvent.click(screen.getByText('saved.har ✕'));
    await waitFor(() => expect(rowIds()).toEqual(['live1']));
  });

  it('says in one line why a file cannot be read, and keeps the list', async () => {
    setup([allowed('live1')]);
    upload('broken.har', '{"log": ');
    await waitFor(() => expect(q('[data-testid="message"]').textContent).toMatch(/^Could not open broken\.har: not JSON/));
    upload('other.json', '{"hello": 1}');
    await waitFor(() => expect(q('[data-testid="message"]').textContent).toBe('Could not open other.json: not a HAR: no "log" object at the top level'));
    expect(rowIds()).toEqual(['live1']);
  });

  it('exports the entries as HAR, the report as JSON and as Markdown', () => {
    const { downloads } = setup([missingAllowOrigin('a'), allowedWithWarning('c')]);
    fireEvent.click(q('[data-testid="export-har"]'));
    fireEvent.click(q('[data-testid="export-json"]'));
    fireEvent.click(q('[data-testid="export-markdown"]'));
    expect(downloads.map((d) => d.name.split('.').pop())).toEqual(['har', 'json', 'md']);
    const har = JSON.parse(downloads[0]!.text);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.map((e: ExchangeReport) => e.id)).toEqual(['a', 'c']);
    const report = JSON.parse(downloads[1]!.text);
    expect(report.schemaVersion).toBe(1);
    expect(report.totals).toMatchObject({ exchanges: 2, blocked: 1, allowed: 1, warnings: 1 });
    expect(downloads[2]!.text).toContain('MissingAllowOriginHeader');
  });
});
