// @vitest-environment happy-dom
/**
 * Imports and exports never fail silently (issue 21, item 8): the export functions return an error the panel shows
 * instead of throwing (a 1 MB value of backtick runs, a value nested 200,000 deep, a report longer than a string can
 * be), and importing more than 125,000 entries no longer overflows the stack (an argument spread) and shows "0
 * requests".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { createStaticSource } from '../../src/panel/source.js';
import { harExport, reportJsonExport } from '../../src/panel/exportReport.js';
import { markdownExport } from '../../src/panel/exportMarkdown.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import type { EngineResult } from '../../src/model/exchange.js';
import { API, harEntry, harLog, manyEntries, ORIGIN } from './corpus.js';

afterEach(cleanup);

/** An object nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = null;
  for (let i = 0; i < depth; i++) value = { parent: value };
  return value;
}

const deepEntry = () => harEntry({ url: `${API}/deep`, responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]], extra: { _deep: nested(200_000) } });

describe('the export functions', () => {
  it('Markdown: a 1 MB value made of backtick runs stays inside its code span, and nothing throws', () => {
    const value = '`a'.repeat(512 * 1024);
    const report = explainHar(harLog([harEntry({ url: `${API}/x?q=${value}`, requestHeaders: [['X-Ticks', `${value}\`\`\`\``]] })]));
    const result = markdownExport(report);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const heading = result.text.split('\n').find((line) => line.startsWith('## 1.'))!;
    // The fence is longer than the longest run inside (one backtick), so the value cannot close it.
    expect(heading.slice(0, 40)).toMatch(/^## 1\. [A-Z-]+: ``GET /);
    expect(heading.endsWith('``')).toBe(true);
  });

  it('HAR: a value nested 200,000 deep gives an error to show, not an exception', () => {
    const result = harExport([deepEntry()]);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^The HAR could not be saved: a captured value is nested too deeply/) });
  });

  it('JSON and Markdown: a report longer than the limit gives a "too large" error', () => {
    const report = explainHar(harLog(manyEntries(50)));
    for (const result of [reportJsonExport(report, 10_000), markdownExport(report, 10_000)]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/is too large to save as one file .*filter the list or lower “Keep”/);
    }
    expect(reportJsonExport(report).ok).toBe(true);
  });
});

/** The store's reading, pairing and cap with a constant verdict: what is tested here is the hand-over, not the engine. */
const ALLOWED: EngineResult = { verdict: 'allowed', checks: [], preflight: { required: false, reasons: [] }, assumptions: [], missing: [], rules: 'chromium' };
const quickStore = (options: Parameters<typeof createExchangeStore>[0]) => createExchangeStore(options, { evaluate: () => ALLOWED });

describe('the panel', () => {
  it('imports 150,000 entries: keeps the latest under the cap and says how many were dropped (an argument spread overflowed the stack)', async () => {
    const entries = manyEntries(150_000);
    render(<App source={createStaticSource('big.har', entries)} createStore={quickStore} schedule={(f) => f()} />);
    await waitFor(() => expect(document.querySelector('[data-testid="row-count"]')?.textContent).toBe('10000 requests'), { timeout: 60_000 });
    expect(document.querySelector('[data-testid="dropped-notice"]')?.textContent).toMatch(/^140,000 older exchanges were dropped/);
    expect(document.querySelector('[data-testid="message"]')).toBeNull();
  }, 120_000);

  it('shows why an export was not saved, and saves nothing', async () => {
    const downloads: string[] = [];
    render(
      <App
        source={createStaticSource('deep.har', [deepEntry()])}
        createStore={(o) => createExchangeStore(o)}
        schedule={(f) => f()}
        download={(name) => void downloads.push(name)}
      />,
    );
    await waitFor(() => expect(document.querySelector('[data-testid="row-count"]')?.textContent).toBe('1 requests'));
    fireEvent.click(document.querySelector('[data-testid="export-har"]')!);
    const message = document.querySelector('[data-testid="message"]');
    expect(message?.getAttribute('role')).toBe('alert');
    expect(message?.textContent).toMatch(/^The HAR could not be saved: a captured value is nested too deeply/);
    expect(downloads).toEqual([]);
    // The report exports still work: the deep value is not part of the report.
    fireEvent.click(document.querySelector('[data-testid="export-json"]')!);
    expect(downloads).toHaveLength(1);
    expect(document.querySelector('[data-testid="message"]')).toBeNull();
  });
});
