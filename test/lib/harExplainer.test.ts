/**
 * createHarExplainer: entries one at a time, exchanges released once the window is full. Within the window it must
 * give explainHar's report exactly, and it must not hold more than the window.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHar } from '../../bench/generateHar.js';
import type { ExchangeReport, Report } from '../../src/explain/report.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { createHarExplainer, type HarExplainerWindow } from '../../src/lib/harExplainer.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');

function streamed(har: { log?: { entries?: unknown[]; creator?: unknown; pages?: unknown } } & Record<string, unknown>, window?: HarExplainerWindow): Report {
  const log = (har.log ?? har) as { entries: unknown[]; creator?: unknown; pages?: unknown };
  const exchanges: ExchangeReport[] = [];
  const explainer = createHarExplainer({ ...(window === undefined ? {} : { window }), onExchange: (report) => void exchanges.push(report) });
  if (log.creator !== undefined) explainer.setLogField('creator', log.creator);
  if (log.pages !== undefined) explainer.setLogField('pages', log.pages);
  log.entries.forEach((entry, index) => explainer.addEntry(index, entry, JSON.stringify(entry).length));
  const { report } = explainer.finish();
  return { ...report, exchanges };
}

const fixtureFiles = ['chromium', 'firefox', 'hand'].flatMap((folder) =>
  readdirSync(join(FIXTURES, folder))
    .filter((name) => name.endsWith('.har'))
    .map((name) => join(FIXTURES, folder, name)),
);

describe('createHarExplainer', () => {
  it.each(fixtureFiles)('gives explainHar\'s report, byte for byte, for %s', (path) => {
    const har = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    expect(JSON.stringify(streamed(har), null, 2)).toBe(JSON.stringify(explainHar(har), null, 2));
  });

  it('gives the same report with a window of 64 exchanges on 3,000 generated entries, releasing as it goes', () => {
    const har = generateHar({ entries: 3_000, seed: 11, headers: 'typical', mix: 'blocked-heavy' });
    const whole = explainHar(har);
    const small = streamed(har, { exchanges: 64, bytes: Number.MAX_SAFE_INTEGER });
    expect(whole.totals.blocked).toBeGreaterThan(500);
    expect(JSON.stringify(small)).toBe(JSON.stringify(whole));
  });

  it('holds at most the window: exchanges are handed over while entries are still arriving', () => {
    const har = generateHar({ entries: 3_000, seed: 12, headers: 'typical' });
    let released = 0;
    let releasedBeforeEnd = 0;
    const explainer = createHarExplainer({ window: { exchanges: 100, bytes: 200_000 }, onExchange: () => void released++ });
    (har.log.entries as unknown[]).forEach((entry, index) => {
      explainer.addEntry(index, entry, JSON.stringify(entry).length);
      // Entries go in by batches of 256: after each batch no more than the window (plus that batch) is held.
      if ((index + 1) % 256 === 0) expect(index + 1 - released).toBeLessThanOrEqual(200_000 / 1_000 + 256 * 2);
    });
    releasedBeforeEnd = released;
    const { totals } = explainer.finish();
    expect(releasedBeforeEnd).toBeGreaterThan(totals.exchanges - 400);
    expect(released).toBe(totals.exchanges);
  });
});

describe('createHarExplainer and repeated entries', () => {
  it('counts repeats across its batches as explainHar does in one call', () => {
    const har = JSON.parse(readFileSync(join(FIXTURES, 'hand/chromium-repeated.har'), 'utf8')) as { log: { entries: unknown[] } };
    const one = har.log.entries[0];
    har.log.entries = Array.from({ length: 1200 }, () => structuredClone(one));
    const whole = explainHar(har);
    expect(whole.totals.repeatsMerged).toBe(1199);
    expect(JSON.stringify(streamed(har))).toBe(JSON.stringify(whole));
  });
});
