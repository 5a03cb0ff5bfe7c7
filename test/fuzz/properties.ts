/**
 * The fuzzing properties, shared by the short run in `npm test` (test/fuzz/*.test.ts) and the long one
 * (`npm run fuzz`, scripts/fuzz.ts). Each property throws an Error that says what broke; node:assert only, so the
 * script runs them without vitest.
 *
 * "No confident verdict on incomplete data", made precise:
 * - `allowed` needs the response the verdict is about: the last hop has a response with a real status (> 0), and the
 *   browser did not record a failure for that hop.
 * - `blocked` with a named failure needs the data that check reads:
 *     response phase  → that hop has a response with a real status;
 *     preflight phase → that hop has a captured preflight with a response or a recorded preflight error;
 *     redirect phase  → that hop has a response or a following hop;
 *     request phase   → decided from the request alone (mode, scheme), always checkable.
 *   A `blocked` verdict without a failure must say what is missing.
 * - `unknown` always says what is missing.
 * On the report level (after HAR normalization and pairing) the same holds for what the report shows: an exchange with
 * no response headers, no preflight and no redirect is never `allowed`, and never `blocked` by a response or
 * preflight check.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { CapturedExchange, CorsFailure, EngineResult } from '../../src/model/exchange.js';
import type { ExchangeReport, Report } from '../../src/explain/report.js';
import type { ExchangeStore, ExchangeStoreOptions } from '../../src/store/storeTypes.js';
import { createExchangeStore, explainHar, HarFormatError } from '../../src/lib/index.js';
import { createWarningContext, findWarnings, observeExchange } from '../../src/explain/warnings.js';

export type EvaluateExchange = (exchange: CapturedExchange) => EngineResult;

function fail(message: string, detail?: unknown): never {
  const shown = detail === undefined ? '' : `\n${safeJson(detail).slice(0, 4000)}`;
  throw new Error(message + shown);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 1) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The engine, once src/explain/evaluateExchange.ts exists (loaded by URL so this file compiles before it lands). */
export async function loadEngine(): Promise<EvaluateExchange | undefined> {
  const file = new URL('../../src/explain/evaluateExchange.ts', import.meta.url);
  if (!existsSync(file)) return undefined;
  const module = (await import(file.href)) as { evaluateExchange?: EvaluateExchange };
  return module.evaluateExchange;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Engine

function answered(response: { status: number } | undefined): boolean {
  return response !== undefined && response.status > 0;
}

/** Why the exchange cannot support this failure, or undefined when it can. */
export function unsupportedFailure(exchange: CapturedExchange, failure: CorsFailure): string | undefined {
  const hop = exchange.hops[failure.hop];
  if (hop === undefined) return `the failure names hop ${failure.hop}, which the exchange does not have`;
  switch (failure.phase) {
    case 'response':
      return answered(hop.response) ? undefined : `${failure.checkId} failed on hop ${failure.hop}, which has no captured response`;
    case 'preflight':
      return hop.preflight !== undefined && (answered(hop.preflight.response) || hop.preflight.errorText !== undefined)
        ? undefined
        : `${failure.checkId} failed on a preflight the capture does not hold (hop ${failure.hop})`;
    case 'redirect':
      return hop.response !== undefined || exchange.hops[failure.hop + 1] !== undefined
        ? undefined
        : `${failure.checkId} failed on a redirect the capture does not hold (hop ${failure.hop})`;
    case 'request':
      return undefined;
  }
}

/** Whatever exchange goes in: no throw, same answer twice, input untouched, verdict honest about missing data. */
export function engineProperty(evaluate: EvaluateExchange) {
  return (exchange: CapturedExchange): void => {
    const before = structuredClone(exchange);
    const result = evaluate(exchange);
    deepStrictEqual(structuredClone(exchange), before, 'the engine mutated its input'); // clones: inputs may have null prototypes
    deepStrictEqual(structuredClone(evaluate(structuredClone(exchange))), structuredClone(result), 'the engine answered differently for the same input');

    if (result.verdict === 'unknown' && result.missing.length === 0) fail('verdict unknown without saying what is missing', result);
    if (result.verdict === 'allowed') {
      const last = exchange.hops[exchange.hops.length - 1]!;
      if (!answered(last.response)) fail('allowed, but the last hop has no captured response', { exchange, result });
      if (last.outcome.kind === 'failed') fail('allowed, but the browser recorded a failure for the last hop', { exchange, result });
    }
    if (result.verdict === 'blocked') {
      if (result.failure === undefined) {
        if (result.missing.length === 0 && result.blocker === undefined) fail('blocked without a named check or blocker and without saying what is missing', result);
      } else {
        const why = unsupportedFailure(exchange, result.failure);
        if (why !== undefined) fail(`confident verdict on incomplete data: ${why}`, { exchange, result });
      }
    }

    if (result.blocker !== undefined) {
      // What stopped it beside CORS is read from the capture: its hop exists and its net error is the recorded one.
      const hop = exchange.hops[result.blocker.hop];
      if (hop === undefined) fail(`the blocker names hop ${result.blocker.hop}, which the exchange does not have`, { exchange, result });
      const recorded = new Set<string>();
      for (const h of exchange.hops) {
        if (h.outcome?.kind === 'failed') recorded.add(h.outcome.errorText);
        if (typeof h.netError === 'string') recorded.add(h.netError);
        if (h.preflight?.errorText !== undefined) recorded.add(h.preflight.errorText);
      }
      const netError = result.blocker.netError;
      if (netError !== undefined && netError !== '' && !recorded.has(netError)) fail(`the blocker names ${netError}, which the capture does not hold`, { exchange, result });
    }

    // Warnings never change the verdict: computing them leaves the result untouched and a re-evaluation identical.
    const resultBefore = structuredClone(result);
    const context = createWarningContext();
    observeExchange(context, exchange);
    findWarnings(exchange, result, context);
    deepStrictEqual(structuredClone(result), resultBefore, 'findWarnings changed the engine result');
  };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// HAR → report

/** Report-level honesty, for any exchange of any report. */
export function checkExchangeReport(report: ExchangeReport): void {
  const nothingAnswered =
    report.responseHeaders.length === 0 && report.status <= 0 && report.preflight === null && report.redirects.length === 0;
  if (report.verdict === 'unknown' && report.missing.length === 0) fail('verdict unknown without saying what is missing', report);
  if (nothingAnswered && report.verdict === 'allowed') fail('allowed with no response, no preflight and no redirect captured', report);
  if (nothingAnswered && report.verdict === 'blocked' && report.failure !== null && report.failure.phase !== 'request') {
    fail(`blocked by ${report.failure.checkId} (${report.failure.phase}) with nothing captured from the server`, report);
  }
  if (report.verdict === 'blocked' && report.failure === null && report.missing.length === 0) {
    fail('blocked without a named check and without saying what is missing', report);
  }
  if (report.verdict !== 'blocked' && report.failure !== null) fail(`a failure on a ${report.verdict} exchange`, report);
}

export type ExplainHar = typeof explainHar;

/** `explainHar` on anything: a report or a HarFormatError, the same report twice, totals that add up. */
export function explainHarProperty(explain: ExplainHar = explainHar, deps: Parameters<ExplainHar>[2] = {}) {
  return (har: unknown): void => {
    let report: Report;
    try {
      report = explain(structuredClone(har), {}, deps);
    } catch (error) {
      if (error instanceof HarFormatError) return;
      fail(`explainHar threw ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`, har);
    }
    const again = explain(structuredClone(har), {}, deps);
    deepStrictEqual(again, report, 'explainHar gave two different reports for the same HAR');
    JSON.parse(JSON.stringify(report)); // the --json output must serialize

    const counted = report.totals.allowed + report.totals.blocked + report.totals['not-cors'] + report.totals['network-error'] + report.totals.unknown;
    if (counted !== report.exchanges.length || report.totals.exchanges !== report.exchanges.length) {
      fail('totals do not add up to the exchanges', report.totals);
    }
    if (report.totals.warnings !== report.exchanges.filter((x) => x.warnings.length > 0).length) fail('warning total is wrong', report.totals);
    for (const exchange of report.exchanges) checkExchangeReport(exchange);
  };
}

/**
 * What must not depend on how entries were batched: each exchange's verdict, failure and warnings. Compared as a
 * sorted list: the list order of exchanges whose entries lack a start time is not part of this property.
 */
function verdictsOf(store: ExchangeStore) {
  return store
    .list()
    .map((x) =>
      JSON.stringify({
        url: x.url,
        method: x.method,
        verdict: x.verdict,
        failure: x.failure?.chromeCorsError ?? null,
        warnings: x.warnings.map((w) => w.id),
      }),
    )
    .sort();
}

/** Entries fed one by one or all at once, in the same order, give the same verdicts; addEntries never throws. */
export function storeBatchingProperty(deps: Parameters<typeof createExchangeStore>[1] = {}, options: ExchangeStoreOptions = {}) {
  return (entries: unknown[]): void => {
    const allAtOnce = createExchangeStore(options, deps);
    allAtOnce.addEntries(structuredClone(entries));
    const oneByOne = createExchangeStore(options, deps);
    for (const entry of structuredClone(entries)) oneByOne.addEntries([entry]);
    deepStrictEqual(verdictsOf(oneByOne), verdictsOf(allAtOnce), 'one-by-one and all-at-once gave different verdicts');
    if (oneByOne.size !== allAtOnce.size) fail('one-by-one and all-at-once hold a different number of exchanges');
    for (const report of allAtOnce.list()) checkExchangeReport(report);
  };
}
