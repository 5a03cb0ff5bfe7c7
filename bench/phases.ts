/**
 * Where `explainHar`'s time goes, per exchange: each phase of the engine bench's HAR timed on its own, in a warm loop
 * (the best of six passes over every exchange, no forced collection), split into the exchanges CORS applies to and
 * those it does not; the same HAR split in two files by kind, each explained against its own parse; the heap each kind
 * of exchange keeps in the report; and, inside one `explainHar` as the engine bench runs it, the engine's and the warning
 * rules' share against everything else. Not part of `npm run bench` (no budget): it says what a budget would need.
 *
 *   node --expose-gc --import tsx bench/phases.ts [--blocked]
 */
import { readFileSync } from 'node:fs';
import { ENGINE_INPUT, BLOCKED_INPUT, harInput } from './inputs.js';
import { collectGarbage, median } from './stats.js';
import { explainHar, readHarLog } from '../src/lib/explainHar.js';
import { createExchangeStore } from '../src/store/exchangeStore.js';
import { normalizeEntry } from '../src/capture/normalize.js';
import { evaluateExchange } from '../src/explain/evaluateExchange.js';
import { judgeExchange } from '../src/engine/evaluate.js';
import { prepareExchange } from '../src/engine/prepare.js';
import { OutcomeReasoning } from '../src/engine/outcomeReasoning.js';
import { findWarnings } from '../src/explain/warnings.js';
import { buildReport } from '../src/explain/buildReport.js';
import type { CapturedExchange, EngineResult } from '../src/model/exchange.js';

const input = process.argv.includes('--blocked') ? harInput('engine-blocked', BLOCKED_INPUT) : harInput('engine', ENGINE_INPUT);
const text = readFileSync(input.path, 'utf8');
const { entries, context } = readHarLog(JSON.parse(text));

/** Every exchange as the store hands it to the engine, with its result. */
const judged: [CapturedExchange, EngineResult][] = [];
createExchangeStore(
  { maxExchanges: Number.MAX_SAFE_INTEGER },
  {
    harContext: context,
    evaluate: (exchange) => {
      const result = evaluateExchange(exchange);
      judged.push([exchange, result]);
      return result;
    },
  },
).addEntries(entries);
const cors = judged.filter(([, result]) => result.verdict !== 'not-cors');
const notCors = judged.filter(([, result]) => result.verdict === 'not-cors');

function perItem(label: string, count: number, run: () => void): void {
  let best = Infinity;
  for (let pass = 0; pass < 6; pass++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  console.log(`${label.padEnd(52)} ${((best * 1000) / count).toFixed(1).padStart(6)} µs each  (${best.toFixed(1)} ms for ${count})`);
}

console.log(`${input.path}: ${entries.length} entries, ${judged.length} exchanges, ${cors.length} of them CORS\n`);
console.log('Each phase alone, warm (best of six passes):');
perItem('JSON.parse of the whole HAR, per entry', entries.length, () => JSON.parse(text));
perItem('reading an entry (normalizeEntry)', entries.length, () => {
  for (let i = 0; i < entries.length; i++) normalizeEntry(entries[i], i, context);
});
perItem('CORS exchange: judging and its words (evaluateExchange)', cors.length, () => {
  for (const [exchange] of cors) evaluateExchange(exchange);
});
perItem('  of which: preparing it (prepareExchange)', cors.length, () => {
  for (const [exchange] of cors) prepareExchange(exchange);
});
const prepared = cors.map(([exchange]) => prepareExchange(exchange)).flatMap((p) => (p.ok ? [p.exchange] : []));
perItem('  of which: the checks and readings (OutcomeReasoning)', prepared.length, () => {
  for (const exchange of prepared) new OutcomeReasoning(exchange).evaluate();
});
perItem('  judging only (judgeExchange: no words)', cors.length, () => {
  for (const [exchange] of cors) judgeExchange(exchange);
});
perItem('CORS exchange: warnings (findWarnings)', cors.length, () => {
  for (const [exchange, result] of cors) findWarnings(exchange, result);
});
perItem('CORS exchange: the report (buildReport)', cors.length, () => {
  for (const [exchange, result] of cors) buildReport(exchange, result, {});
});
perItem('not-CORS exchange: judging (the shortcut)', notCors.length, () => {
  for (const [exchange] of notCors) evaluateExchange(exchange);
});
perItem('not-CORS exchange: the report (buildReport)', notCors.length, () => {
  for (const [exchange, result] of notCors) buildReport(exchange, result, {});
});

// The same HAR in two files: the entries of CORS requests (a cross-origin Origin header, or a preflight) and the rest.
function crossOriginOrPreflight(entry: unknown): boolean {
  const request = (entry as { request?: { method?: unknown; url?: unknown; headers?: unknown } }).request;
  if (request?.method === 'OPTIONS') return true;
  const headers = Array.isArray(request?.headers) ? (request.headers as { name?: unknown; value?: unknown }[]) : [];
  const origin = headers.find((h) => typeof h.name === 'string' && h.name.toLowerCase() === 'origin')?.value;
  if (typeof origin !== 'string' || typeof request?.url !== 'string') return false;
  try {
    return new URL(request.url).origin !== origin;
  } catch {
    return false;
  }
}

function ratioOf(part: unknown[]): { parse: number; explain: number; exchanges: number; keptBytes: number } {
  const partText = JSON.stringify({ log: { creator: { name: 'WebInspector' }, entries: part } });
  const parse: number[] = [];
  const explain: number[] = [];
  for (let run = 0; run < 9; run++) {
    collectGarbage();
    let start = performance.now();
    const har = JSON.parse(partText) as unknown;
    const parsed = performance.now() - start;
    collectGarbage();
    start = performance.now();
    explainHar(har);
    const explained = performance.now() - start;
    if (run < 2) continue;
    parse.push(parsed);
    explain.push(explained);
  }
  // The heap the report keeps beyond the parsed HAR, both held until measured.
  const har = JSON.parse(partText) as { log: unknown };
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const report = explainHar(har);
  collectGarbage();
  const keptBytes = process.memoryUsage().heapUsed - before;
  const exchanges = har.log === undefined ? 0 : report.exchanges.length;
  return { parse: median(parse), explain: median(explain), exchanges, keptBytes };
}

console.log('\nThe HAR split in two files, each explained against its own parse (forced GC before each, medians of 7):');
for (const [label, part] of [
  ['entries of CORS requests (cross-origin Origin, preflights)', entries.filter(crossOriginOrPreflight)],
  ['the other entries', entries.filter((entry) => !crossOriginOrPreflight(entry))],
] as const) {
  const figures = ratioOf(part);
  console.log(
    `${label}: ${part.length} entries, ${figures.exchanges} exchanges: parse ${figures.parse.toFixed(0)} ms, explainHar ` +
      `${figures.explain.toFixed(0)} ms (${(figures.explain / figures.parse).toFixed(2)}x); the report keeps ` +
      `${(figures.keptBytes / 1024 / 1024).toFixed(1)} MB beyond the parsed HAR, ${(figures.keptBytes / figures.exchanges).toFixed(0)} B per exchange`,
  );
}

// The same phases inside `explainHar` itself, as the engine bench runs it (a forced GC before each call): the engine and
// the warning rules timed through the store's replaceable parts, everything else (reading the entries, the repeat
// filter, pairing, assembling each exchange and its page context, the reports) is what is left of the call.
console.log('\nInside explainHar (forced GC before each call, medians of 7; the engine and the warnings timed in place):');
const inside = { total: [] as number[], engineCors: [] as number[], engineOther: [] as number[], warnings: [] as number[], parse: [] as number[] };
for (let run = 0; run < 9; run++) {
  collectGarbage();
  let start = performance.now();
  const har = JSON.parse(text) as unknown;
  const parsed = performance.now() - start;
  let engineCors = 0;
  let engineOther = 0;
  let warnings = 0;
  collectGarbage();
  start = performance.now();
  explainHar(har, {}, {
    evaluate: (exchange) => {
      const began = performance.now();
      const result = evaluateExchange(exchange);
      if (result.verdict === 'not-cors') engineOther += performance.now() - began;
      else engineCors += performance.now() - began;
      return result;
    },
    findWarnings: (exchange, result, context) => {
      const began = performance.now();
      const found = findWarnings(exchange, result, context);
      warnings += performance.now() - began;
      return found;
    },
  });
  const total = performance.now() - start;
  if (run < 2) continue;
  inside.parse.push(parsed);
  inside.total.push(total);
  inside.engineCors.push(engineCors);
  inside.engineOther.push(engineOther);
  inside.warnings.push(warnings);
}
const parseMs = median(inside.parse);
const insideRest = inside.total.map((total, i) => total - inside.engineCors[i]! - inside.engineOther[i]! - inside.warnings[i]!);
for (const [label, values] of [
  ['JSON.parse of the whole HAR', inside.parse],
  ['explainHar', inside.total],
  ['  the engine on the CORS exchanges', inside.engineCors],
  ['  the engine on the other exchanges', inside.engineOther],
  ['  the warning rules', inside.warnings],
  ['  the rest: reading, pairing, assembling, reports', insideRest],
] as const) {
  const ms = median(values);
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(6)} ms  (${(ms / parseMs).toFixed(2)}x parse)`);
}
