/** Small statistics and formatting helpers shared by the benchmarks. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of the values; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : value >= 1 ? `${value.toFixed(1)} ms` : `${value.toFixed(3)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Runs the collector when node was started with --expose-gc, so one measurement does not pay for another's garbage. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

/** One line of the printed table. */
export interface BenchRow {
  bench: string;
  measure: string;
  value: string;
  budget?: string;
  /** `true` met, `false` missed, undefined: no budget. */
  ok?: boolean;
}

export function printTable(rows: readonly BenchRow[], write: (text: string) => void): void {
  const header: BenchRow = { bench: 'bench', measure: 'measure', value: 'value', budget: 'budget' };
  const all = [header, ...rows];
  const width = (key: 'bench' | 'measure' | 'value' | 'budget') => Math.max(...all.map((r) => (r[key] ?? '').length));
  const w = { bench: width('bench'), measure: width('measure'), value: width('value'), budget: width('budget') };
  const line = (r: BenchRow, status: string) =>
    `${r.bench.padEnd(w.bench)}  ${r.measure.padEnd(w.measure)}  ${r.value.padStart(w.value)}  ${(r.budget ?? '').padEnd(w.budget)}  ${status}`.trimEnd();
  write(`${line(header, 'status')}\n`);
  write(`${'-'.repeat(w.bench + w.measure + w.value + w.budget + 14)}\n`);
  for (const r of rows) write(`${line(r, r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER BUDGET')}\n`);
}
