/**
 * The engine's entry point: `judgeExchange(exchange)` replays the browser's decisions on one captured exchange and
 * returns the verdict, the full checklist, the failing check as ids and values, and the assumptions it had to make.
 *
 * Where to look:
 * - notCorsShortcut.ts: navigations, no-cors loads and same-origin requests, judged without preparing the exchange;
 * - prepare.ts: the exchange read once and checked for what the engine needs;
 * - outcomeReasoning.ts: how the engine reasons from what the browser did (the readings of what a HAR does not record);
 * - checkOrder.ts: which checks run in which order; checks.ts: each check of the Fetch Standard as Chromium runs it.
 * Words come later: src/explain/evaluateExchange.ts gives the same result with Chrome's console line, Firefox's reason
 * and the plain-words headline, cause and fix.
 */
import type { BrowserRules, CapturedExchange, EngineFindings } from '../model/exchange.js';
import { judgeBesideCors } from './blockers/index.js';
import { notCorsWithoutPreparing } from './notCorsShortcut.js';
import { OutcomeReasoning } from './outcomeReasoning.js';
import { prepareExchange } from './prepare.js';

/** Judges one exchange. Never throws: bad input gives `verdict: 'unknown'` with what is missing. */
export function judgeExchange(exchange: CapturedExchange): EngineFindings {
  return judgeExchangeWith(exchange, true);
}

/**
 * The full evaluation, never the not-CORS shortcut. Only for the test that checks the shortcut gives the same result
 * (test/engine/notCorsShortcut.test.ts); everything else calls `judgeExchange`.
 */
export function judgeExchangeWithoutShortcut(exchange: CapturedExchange): EngineFindings {
  return judgeExchangeWith(exchange, false);
}

function judgeExchangeWith(exchange: CapturedExchange, shortcut: boolean): EngineFindings {
  try {
    // Local Network Access, CORP, ORB, CSP, a dead connection...: what stopped the request beside the CORS checks.
    const beside = judgeBesideCors(exchange, judgePrepared);
    if (beside !== undefined) return beside;
    return (shortcut ? notCorsWithoutPreparing(exchange) : undefined) ?? judgePrepared(exchange);
  } catch (error) {
    const rules: BrowserRules = (exchange as { rules?: unknown } | null)?.rules === 'firefox' ? 'firefox' : 'chromium';
    const message = error instanceof Error ? error.message : String(error);
    return unknownFindings(rules, [`the engine could not read this exchange (${message})`]);
  }
}

function unknownFindings(rules: BrowserRules, missing: string[]): EngineFindings {
  return {
    verdict: 'unknown',
    checks: [],
    preflight: { required: 'unknown', reasons: [] },
    assumptions: [],
    missing,
    rules,
  };
}

function judgePrepared(raw: CapturedExchange): EngineFindings {
  const prepared = prepareExchange(raw);
  if (!prepared.ok) return unknownFindings(prepared.rules, prepared.missing);
  return new OutcomeReasoning(prepared.exchange).evaluate();
}
