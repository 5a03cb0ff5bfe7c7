/**
 * Engine benchmark: `explainHar()` on a 10,000-entry HAR against `JSON.parse` of the same text, side by side in one
 * process, interleaved (parse, explain, parse, explain, ...) so both see the same machine load, after warm-up runs;
 * medians. Budget: explain ≤ 1.0 × parse; on a blocked-heavy HAR (about half the exchanges blocked) ≤ 2.0 ×.
 *
 * Also times two parts of explain, so a regression can be placed: reading the entries alone (`normalizeEntry`), and the
 * store with a trivial engine (reading + pairing + building reports, no CORS checks).
 */
import { readFileSync } from 'node:fs';
import type { EngineResult } from '../src/model/exchange.js';
import { createExchangeStore, explainHar, normalizeEntry, readHarLog, type Report } from '../src/lib/index.js';
import { BLOCKED_INPUT, ENGINE_INPUT, harInput } from './inputs.js';
import type { GenerateOptions } from './generateHar.js';
import { collectGarbage, mb, median, ms, type BenchRow } from './stats.js';

/** Explaining costs no more than parsing (issue 19); a blocked-heavy HAR, whose every blocked exchange is worded, 2×. */
export const ENGINE_BUDGET_RATIO = 1.0;
export const BLOCKED_BUDGET_RATIO = 2.0;

export interface EngineBenchResult {
  rows: BenchRow[];
  parseMs: number;
  explainMs: number;
  ratio: number;
  cpuRatio: number;
  totals: Report['totals'];
  notes: string[];
}

/** Wall time and CPU time (this process, all threads: GC helpers count) of one call, after a full GC. */
function time<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms: elapsed, cpuMs: (used.user + used.system) / 1000, value };
}

/** A constant answer: the store still reads, pairs and builds reports; verdict `unknown` keeps the warning rules out. */
const STUB_RESULT: EngineResult = {
  verdict: 'unknown',
  checks: [],
  preflight: { required: false, reasons: [] },
  assumptions: [],
  missing: [],
  rules: 'chromium',
};

export function benchEngine(options: { runs?: number; warmup?: number; log?: (line: string) => void } = {}): EngineBenchResult {
  const typical = benchEngineOn('engine', ENGINE_INPUT, ENGINE_BUDGET_RATIO, '', options);
  const blocked = benchEngineOn('engine-blocked', BLOCKED_INPUT, BLOCKED_BUDGET_RATIO, 'blocked-heavy: ', options);
  return { ...typical, rows: [...typical.rows, ...blocked.rows], notes: [...typical.notes, ...blocked.notes.map((note) => `blocked-heavy ${note}`)] };
}

function benchEngineOn(
  name: string,
  generate: GenerateOptions,
  budget: number,
  label: string,
  options: { runs?: number; warmup?: number; log?: (line: string) => void },
): EngineBenchResult {
  const runs = options.runs ?? 7;
  const warmup = options.warmup ?? 2;
  const log = options.log ?? (() => {});
  const input = harInput(name, generate);
  const text = readFileSync(input.path, 'utf8');
  log(`engine: ${label}${input.path} (${mb(input.bytes)}, ${generate.entries} entries); ${warmup} warm-up + ${runs} measured runs`);

  const parse: number[] = [];
  const explain: number[] = [];
  const parseCpu: number[] = [];
  const explainCpu: number[] = [];
  const normalizeOnly: number[] = [];
  const storeOnly: number[] = [];
  let report: Report | undefined;
  for (let i = 0; i < warmup + runs; i++) {
    const parsed = time(() => JSON.parse(text) as unknown);
    const explained = time(() => explainHar(parsed.value));
    const { entries, context } = readHarLog(parsed.value);
    const normalized = time(() => {
      let ok = 0;
      for (let n = 0; n < entries.length; n++) if (normalizeEntry(entries[n], n, context).ok) ok++;
      return ok;
    });
    const stored = time(() => {
      const store = createExchangeStore({ maxExchanges: Number.MAX_SAFE_INTEGER }, { harContext: context, evaluate: () => STUB_RESULT });
      store.addEntries(entries);
      return store.size;
    });
    report = explained.value;
    if (i < warmup) continue;
    parse.push(parsed.ms);
    explain.push(explained.ms);
    parseCpu.push(parsed.cpuMs);
    explainCpu.push(explained.cpuMs);
    normalizeOnly.push(normalized.ms);
    storeOnly.push(stored.ms);
    log(`  run ${i - warmup + 1}: parse ${ms(parsed.ms)}, explainHar ${ms(explained.ms)}, normalize ${ms(normalized.ms)}, store without checks ${ms(stored.ms)}`);
  }

  const parseMs = median(parse);
  const explainMs = median(explain);
  const ratio = explainMs / parseMs;
  const cpuRatio = median(explainCpu) / median(parseCpu);
  const totals = report!.totals;
  const notes: string[] = [];
  const engineFailed = report!.exchanges.filter((e) => e.missing.some((m) => m.includes('engine failed'))).length;
  if (engineFailed > 0) notes.push(`${engineFailed} exchanges have no verdict because the engine failed on them: the figure is not the engine's real cost`);
  notes.push(
    `mix: ${totals.exchanges} exchanges: ${totals.allowed} allowed, ${totals.blocked} blocked, ${totals['not-cors']} not CORS, ` +
      `${totals['network-error']} network errors, ${totals.unknown} unknown, ${totals.warnings} with warnings; ` +
      `${report!.exchanges.filter((e) => e.preflight !== null).length} with a paired preflight`,
  );
  return {
    parseMs,
    explainMs,
    ratio,
    cpuRatio,
    totals,
    notes,
    rows: [
      { bench: 'engine', measure: `${label}input (${generate.entries} entries)`, value: mb(input.bytes) },
      { bench: 'engine', measure: `${label}JSON.parse (median)`, value: ms(parseMs) },
      { bench: 'engine', measure: `${label}explainHar (median)`, value: ms(explainMs) },
      { bench: 'engine', measure: `${label}  of which: reading entries`, value: `${ms(median(normalizeOnly))} (${(median(normalizeOnly) / parseMs).toFixed(2)}x parse)` },
      // The floor of this design: what explaining costs before any CORS check runs (issue 19's closing notes).
      { bench: 'engine', measure: `${label}  of which: store without checks`, value: `${ms(median(storeOnly))} (${(median(storeOnly) / parseMs).toFixed(2)}x parse)` },
      {
        bench: 'engine',
        measure: `${label}  of which: the checks and their words (the rest)`,
        value: `${ms(explainMs - median(storeOnly))} (${((explainMs - median(storeOnly)) / parseMs).toFixed(2)}x parse)`,
      },
      { bench: 'engine', measure: `${label}CPU time ratio (less sensitive to load)`, value: `${cpuRatio.toFixed(2)}x` },
      { bench: 'engine', measure: `${label}explainHar / JSON.parse`, value: `${ratio.toFixed(2)}x`, budget: `≤ ${budget}x`, ok: ratio <= budget },
    ],
  };
}
