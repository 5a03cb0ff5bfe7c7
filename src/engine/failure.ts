/**
 * Turns a failed check into a `CorsFailure`: Chromium's CorsError and console line, Firefox's reason, and the
 * plain-words headline, cause and fix, all taken from the per-check data in src/explain/checkTexts.ts.
 */
import { checkTextFor, fillTemplate } from '../explain/checkTexts.js';
import { chromeConsoleMessage, chromeCorsErrorFor, firefoxReasonFor } from '../explain/consoleMessages.js';
import type { BlockInfo } from './checkRunner.js';
import type { BrowserRules, CheckId, CheckPhase, ChromeCorsError, CorsFailure, RequestKind } from '../model/exchange.js';

export interface FailureInput {
  checkId: CheckId;
  phase: CheckPhase;
  hop: number;
  block: BlockInfo;
  rules: BrowserRules;
  kind: RequestKind;
  /** URL of the hop that failed. */
  url: string;
  /** URL the page asked for. */
  firstUrl: string;
  origin: string | undefined;
  method: string;
  credentialsInclude: boolean;
  status: number | undefined;
  /** The same headers judged by the other browser's rules, when that run also failed. */
  other?: { checkId: CheckId; phase: CheckPhase; block: BlockInfo };
}

export function buildCorsFailure(input: FailureInput): CorsFailure {
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
