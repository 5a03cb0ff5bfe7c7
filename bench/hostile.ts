/**
 * Hostile-size benchmark (issue 21): how the time to explain one exchange grows with its number of headers, for the CLI
 * (`explainHar`, Chromium and Firefox rules) and for the panel (the exchange store the panel feeds, then the panel's
 * Markdown export of it). Linear work shows a ratio near 10 between 10,000 and 100,000 headers; the quadratic code this
 * replaced showed about 100 (20,000 headers took 6.5 s, 100,000 did not finish in 300 s).
 */
import { explainHar } from '../src/lib/index.js';
import { createExchangeStore } from '../src/store/exchangeStore.js';
import { markdownExport } from '../src/panel/exportMarkdown.js';
import { assembleReport } from '../src/explain/assembleReport.js';
import { harLog, manyHeadersEntries } from '../test/security/corpus.js';
import { collectGarbage, median, ms, type BenchRow } from './stats.js';

export interface HostileBenchResult {
  rows: BenchRow[];
  notes: string[];
  figures: Record<string, number>;
}

/** The growth ratio a linear implementation stays under (×10 headers → about ×10 time; quadratic gives ~×100). */
export const LINEAR_RATIO_BUDGET = 20;

function timeMs(run: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

export function benchHostile(options: { runs?: number; log?: (line: string) => void } = {}): HostileBenchResult {
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => {});
  const rows: BenchRow[] = [];
  const figures: Record<string, number> = {};
  const sizes = [10_000, 100_000] as const;
  const measures: { name: string; run: (har: ReturnType<typeof harLog>) => void }[] = [
    { name: 'explainHar, Chromium rules', run: (har) => void explainHar(har, { rules: 'chromium' }) },
    { name: 'explainHar, Firefox rules', run: (har) => void explainHar(har, { rules: 'firefox' }) },
    {
      name: 'panel: store + Markdown export',
      run: (har) => {
        const store = createExchangeStore({ rules: 'auto' });
        store.addEntries(har.log.entries as unknown[]);
        const result = markdownExport(assembleReport(store.list(), { source: 'chromium-devtools' }));
        if (!result.ok) throw new Error(result.error);
      },
    },
  ];
  for (const measure of measures) {
    const at: number[] = [];
    for (const size of sizes) {
      const har = harLog(manyHeadersEntries(size));
      measure.run(har); // warm-up
      const value = timeMs(() => measure.run(har), runs);
      at.push(value);
      figures[`${measure.name} @ ${size}`] = value;
      log(`hostile: ${measure.name}, ${size.toLocaleString('en')} headers: ${ms(value)}`);
      rows.push({ bench: 'hostile', measure: `${measure.name}, ${size.toLocaleString('en')} request + response headers`, value: ms(value) });
    }
    const ratio = at[1]! / at[0]!;
    rows.push({
      bench: 'hostile',
      measure: `${measure.name}: time ×${sizes[1] / sizes[0]} headers`,
      value: `${ratio.toFixed(1)}x`,
      budget: `≤ ${LINEAR_RATIO_BUDGET}x (linear)`,
      ok: ratio <= LINEAR_RATIO_BUDGET,
    });
  }
  return { rows, notes: ['one blocked PUT whose preflight lists N headers and allows all but the last (test/security/corpus.ts)'], figures };
}
