// @vitest-environment happy-dom
/**
 * The panel with the real exchange store, engine and fix generators, fed the getHAR() log of a real Chromium 156 lab
 * run (test/fixtures/chromium): the wiring extension/panel.ts uses, outside DevTools.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { createFeedSource } from '../../src/panel/source.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { suggestFixes } from '../../src/fixes/index.js';
import { createHarFileSource } from '../../src/panel/harFileSource.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/chromium/lab-2026-11-23.har');
const log = JSON.parse(readFileSync(fixture, 'utf8')) as {
  entries: unknown[];
};

afterEach(cleanup);

function row(scenario: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.exchange-row[data-url*="/s/${scenario}?"]`);
  if (!el) throw new Error(`no row for ${scenario}`);
  return el;
}

describe('the panel over a real Chromium capture', () => {
  it('pairs the preflight, names the refused header, and offers server fixes', () => {
    const source = createFeedSource();
    render(<App source={source} createStore={(o) => createExchangeStore(o)} suggestFixes={(r) => suggestFixes(r)} schedule={(f) => f()} />);
    // Live delivery: half the entries in one frame, the rest in the next.
    source.push(...log.entries.slice(0, 30));
    source.push(...log.entries.slice(30));
    const search = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    fireEvent.input(search, { target: { value: 'fail-header-not-allowed' } });
    const r = row('fail-header-not-allowed');
    expect([r.dataset.method, r.dataset.verdict, r.dataset.preflight, r.getAttribute('data-cors-error'), r.getAttribute('data-failed-parameter')]).toEqual([
      'POST',
      'blocked',
      'paired',
      'HeaderDisallowedByPreflightResponse',
      'x-token',
    ]);
    fireEvent.mouseDown(r);
    const detail = document.querySelector<HTMLElement>('[data-testid="detail"]')!;
    expect(detail.querySelector('[data-testid="console-message"]')!.textContent).toContain(
      'Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.',
    );
    const failing = [...detail.querySelectorAll<HTMLElement>('[data-check-id][data-status="fail"]')].map((c) => `${c.dataset.phase}:${c.dataset.checkId}`);
    expect(failing).toEqual(['preflight:preflightAllowsHeaders']);
    const tabs = [...detail.querySelectorAll<HTMLElement>('[data-testid="fix-tab"]')].map((t) => t.dataset.server);
    expect(tabs.slice(0, 4)).toEqual(['express', 'flask', 'nginx', 'php']);
    expect(detail.querySelector('[data-testid="fix-snippet"]')!.textContent!.toLowerCase()).toContain('x-token');
  });
});

describe('importing a saved HAR into the panel', () => {
  const firefoxHar = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/firefox/lab.har'), 'utf8');
  const reasons = JSON.parse(
    readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/firefox/lab.reasons.json'), 'utf8'),
  ) as { scenarios: Record<string, { firefox: { outcome: string; reason?: { id: string } } }> };

  it('explains a Firefox HAR with Firefox’s rules and its reason, and exports the report with the file’s source', async () => {
    const downloads: { name: string; text: string }[] = [];
    render(
      <App
        source={createFeedSource()}
        createStore={(o) => createExchangeStore(o)}
        suggestFixes={(r) => suggestFixes(r)}
        openHar={(har, name) => createHarFileSource(har, name, 'light')}
        schedule={(f) => f()}
        download={(name, _type, text) => void downloads.push({ name, text })}
      />,
    );
    const input = document.querySelector<HTMLInputElement>('[data-testid="import-har"]')!;
    Object.defineProperty(input, 'files', { value: [new File([firefoxHar], 'firefox-lab.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(document.querySelector('.exchange-row[data-url*="/s/fail-allow-origin-missing?"]')).not.toBeNull());
    fireEvent.mouseDown(row('fail-allow-origin-missing'));
    const detail = document.querySelector<HTMLElement>('[data-testid="detail"]')!;
    expect(detail.getAttribute('data-verdict')).toBe('blocked');
    expect(detail.querySelector('[data-testid="firefox-reason"]')!.textContent).toContain(
      reasons.scenarios['fail-allow-origin-missing']!.firefox.reason!.id,
    );
    fireEvent.click(document.querySelector('[data-testid="export-json"]')!);
    const report = JSON.parse(downloads[0]!.text) as { source: string; rules: string };
    expect(report).toMatchObject({ source: 'firefox-har-export', rules: 'firefox' });
  });

  it('says in one line that a JSON file without log.entries is not a HAR', async () => {
    render(<App source={createFeedSource()} createStore={(o) => createExchangeStore(o)} openHar={(har, name) => createHarFileSource(har, name, 'light')} schedule={(f) => f()} />);
    const input = document.querySelector<HTMLInputElement>('[data-testid="import-har"]')!;
    Object.defineProperty(input, 'files', { value: [new File(['{"log": {"entries": 3}}'], 'odd.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(document.querySelector('[data-testid="message"]')?.textContent).toMatch(/^Could not open odd\.har: .*log\.entries/));
  });
});

describe('the cap on the list with the real store', () => {
  /** `count` distinct copies of the lab's allowed simple GET, one millisecond apart, numbered `n=0`, `n=1`, … */
  function simpleGets(count: number, from = 0): unknown[] {
    const template = log.entries.find((e) => (e as { request: { url: string } }).request.url.includes('/s/pass-simple-get?')) as {
      startedDateTime: string;
      request: { url: string };
    };
    const start = Date.parse(template.startedDateTime);
    return Array.from({ length: count }, (_, i) => ({
      ...template,
      startedDateTime: new Date(start + from + i).toISOString(),
      request: { ...template.request, url: `${template.request.url}&n=${from + i}` },
    }));
  }
  const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;
  const firstRowUrl = () => document.querySelector<HTMLElement>('.exchange-row')!.dataset.url!;
  const chooseCap = (cap: number) =>
    fireEvent.change(document.querySelector('[data-testid="max-exchanges"]')!, { target: { value: String(cap) } });

  it('drops the oldest at once when lowered, and an imported HAR is read under the cap chosen', async () => {
    const source = createFeedSource();
    render(
      <App
        source={source}
        createStore={(o) => createExchangeStore(o)}
        openHar={(har, name) => createHarFileSource(har, name, 'light')}
        schedule={(f) => f()}
      />,
    );
    source.push(...simpleGets(1200));
    await waitFor(() => expect(text('row-count')).toBe('1200 requests'));
    expect(firstRowUrl()).toMatch(/&n=0$/);
    chooseCap(1000);
    await waitFor(() => expect(text('row-count')).toBe('1000 requests'));
    expect(firstRowUrl()).toMatch(/&n=200$/);
    expect(text('dropped-notice')).toMatch(/^200 older exchanges were dropped: the list keeps the latest 1,000\./);

    const input = document.querySelector<HTMLInputElement>('[data-testid="import-har"]')!;
    const har = JSON.stringify({ log: { ...log, entries: simpleGets(1100, 5000) } });
    Object.defineProperty(input, 'files', { value: [new File([har], 'long.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(firstRowUrl()).toMatch(/&n=5100$/));
    expect(text('row-count')).toBe('1000 requests');
    expect(text('dropped-notice')).toMatch(/^100 older exchanges were dropped/);
  });
});
