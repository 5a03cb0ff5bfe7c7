/**
 * Turns the engine's findings into words: a failed check (`FailureFacts`) becomes a `CorsFailure` with Chromium's
 * CorsError and console line, Firefox's reason, and the plain-words headline, cause and fix, all taken from the
 * per-check data in checkTexts.ts; `describeFindings` does it for a whole `EngineFindings`.
 */
import { checkTextFor, fillTemplate } from './checkTexts.js';
import { chromeConsoleMessage, chromeCorsErrorFor, firefoxReasonFor } from './consoleMessages.js';
import type { ChromeCorsError, CorsFailure, EngineFindings, EngineResult, FailureFacts, MissingItem } from '../model/exchange.js';

export function buildCorsFailure(input: FailureFacts): CorsFailure {
  const originText = input.origin ?? '(the page’s origin)';
  const values: Record<string, string> = {
    origin: originText,
    url: input.url,
    method: input.method,
    status: input.status === undefined ? '(none)' : String(input.status),
    hint: input.block.failedParameter,
    acao: '(absent)',
    acac: '(absent)',
    ...input.block.values,
  };
  if (values.acac === '') values.acac = '(absent)';

  // Chromium's naming: from the Chromium run (this one, or the other when Firefox rules lead).
  const chromium = input.rules === 'chromium' ? input : input.other ? { ...input.other } : undefined;
  const chromeCorsError: ChromeCorsError =
    (chromium?.block.corsError as ChromeCorsError | null | undefined) ??
    input.block.corsError ??
    chromeCorsErrorFor(input.checkId, input.phase) ??
    'InvalidResponse';
  const chromeCheck = chromium ?? input;
  const failedParameter = chromium?.block.failedParameter ?? input.block.failedParameter;
  const consoleMessage = chromeConsoleMessage({
    checkId: chromeCheck.checkId,
    phase: chromeCheck.phase,
    kind: input.kind,
    url: input.url,
    ...(input.hop > 0 ? { redirectedFrom: input.firstUrl } : {}),
    origin: originText,
    failedParameter,
  });

  // Firefox's naming: from the Firefox run.
  const firefoxSide = input.rules === 'firefox' ? input : input.other;
  const firefoxReason = firefoxSide
    ? firefoxReasonFor({
        checkId: firefoxSide.checkId,
        phase: firefoxSide.phase,
        url: input.url,
        values: { ...values, ...firefoxSide.block.values },
        ...(input.status === undefined ? {} : { status: input.status }),
      })
    : undefined;

  const text = checkTextFor(input.checkId, input.phase);
  const failure: CorsFailure = {
    checkId: input.checkId,
    phase: input.phase,
    hop: input.hop,
    chromeCorsError,
    failedParameter,
    consoleMessage,
    headline: fillTemplate(text.headline, values),
    explanation: fillTemplate(text.why, values),
    fixHint: fillTemplate(text.fix, values),
  };
  if (firefoxReason) failure.firefoxReason = firefoxReason;
  return failure;
}

/** A `missing` entry in words. */
function describeMissing(item: MissingItem): string {
  if (typeof item === 'string') return item;
  const blocked = buildCorsFailure(item.blocked);
  const blockedName = item.blocked.rules === 'firefox' ? (blocked.firefoxReason?.id ?? blocked.chromeCorsError) : blocked.chromeCorsError;
  return `${item.undecided} and what the browser did: the capture records neither, and they decide the verdict (allowed ${item.allowedAs}; blocked ${item.blockedAs}: ${blockedName})`;
}

/**
 * The engine's findings with their failures in words: the same object when there is nothing to word (most exchanges,
 * and the shared frozen not-CORS results), else a copy with `failure`, `alternatives` (duplicates of the same CorsError
 * and failed parameter merged) and `missing` described, in the same field order.
 */
export function describeFindings(findings: EngineFindings): EngineResult {
  const { failure, alternatives, missing, likely } = findings;
  if (failure === undefined && alternatives === undefined && likely === undefined && missing.every((m) => typeof m === 'string')) {
    return findings as EngineResult;
  }
  const result = { ...findings } as unknown as EngineResult;
  result.missing = missing.map(describeMissing);
  const described = failure === undefined ? undefined : buildCorsFailure(failure);
  if (described) result.failure = described;
  if (alternatives !== undefined) {
    const seen = new Set(described ? [`${described.chromeCorsError}|${described.failedParameter}`] : []);
    const distinct: CorsFailure[] = [];
    for (const alternative of alternatives) {
      const worded = buildCorsFailure(alternative);
      const key = `${worded.chromeCorsError}|${worded.failedParameter}`;
      if (seen.has(key)) continue;
      seen.add(key);
      distinct.push(worded);
    }
    if (distinct.length > 0) result.alternatives = distinct;
    else delete result.alternatives;
  }
  if (likely !== undefined) result.likely = { ...likely, otherwise: buildCorsFailure(likely.otherwise) };
  return result;
}
