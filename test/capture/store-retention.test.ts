/**
 * What the library keeps after a call returns. Short-lived objects keep one instance per class (reports: per
 * combination of fields) alive so V8 keeps their shapes (src/model/shapeKeeper.ts), and the store keeps an empty
 * witness of itself; none of that may keep a HAR: a process that explains HAR after HAR (a CI job, the panel importing
 * files) must not grow with each one.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createExchangeStore, explainHar } from '../../src/lib/index.js';
import { generateHar } from '../../bench/generateHar.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The reports kept for their shapes (one per combination of optional fields, a handful per capture) hold their own
 * exchanges' entries; a kept store, index or report list would hold them all.
 */
const AT_MOST_THE_KEPT_REPORTS = 30;

/** How many of a HAR's entries are still reachable once `use` returned and what it made is dropped. */
async function entriesLeftAfter(use: (entries: unknown[]) => void): Promise<{ left: number; of: number }> {
  let entries: unknown[] | undefined = generateHar({ entries: 3_000, seed: 7 }).log.entries as unknown[];
  const refs = entries.map((entry) => new WeakRef(entry as object));
  use(entries);
  entries = undefined;
  // A WeakRef made in this task keeps its target until the task ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
  collectGarbage();
  return { left: refs.filter((ref) => ref.deref() !== undefined).length, of: refs.length };
}

describe('what stays in memory after a HAR is explained', () => {
  it('explainHar keeps nothing of a HAR once its report is dropped', async () => {
    const { left, of } = await entriesLeftAfter((entries) => {
      const report = explainHar({ log: { entries } });
      expect(report.totals.exchanges).toBeGreaterThan(2_000);
    });
    expect(of).toBe(3_000);
    expect(left).toBeLessThanOrEqual(AT_MOST_THE_KEPT_REPORTS);
  });

  it('a store that is dropped takes its entries with it', async () => {
    const { left } = await entriesLeftAfter((entries) => {
      const store = createExchangeStore({ maxExchanges: 100_000 });
      store.addEntries(entries);
      expect(store.size).toBeGreaterThan(2_000);
    });
    expect(left).toBeLessThanOrEqual(AT_MOST_THE_KEPT_REPORTS);
  });

  it('a store that is cleared lets its entries go', async () => {
    const store = createExchangeStore({ maxExchanges: 100_000 });
    const { left } = await entriesLeftAfter((entries) => {
      store.addEntries(entries);
      expect(store.size).toBeGreaterThan(2_000);
      store.clear();
    });
    expect(store.size).toBe(0);
    expect(left).toBeLessThanOrEqual(AT_MOST_THE_KEPT_REPORTS);
  });
});
