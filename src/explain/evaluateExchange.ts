/**
 * `evaluateExchange(exchange)`: the engine's judgement (src/engine/evaluate.ts) with its failures in words — Chrome's
 * console line, Firefox's reason, the headline, cause and fix. What the store, the library and the tests call.
 */
import type { CapturedExchange, EngineResult } from '../model/exchange.js';
import { judgeExchange, judgeExchangeWithoutShortcut } from '../engine/evaluate.js';
import { describeFindings } from './describeFailure.js';

/** Evaluates one exchange. Never throws: bad input gives `verdict: 'unknown'` with what is missing. */
export function evaluateExchange(exchange: CapturedExchange): EngineResult {
  return describeFindings(judgeExchange(exchange));
}

/** The same without the engine's not-CORS shortcut, for test/engine/notCorsShortcut.test.ts alone. */
export function evaluateExchangeWithoutShortcut(exchange: CapturedExchange): EngineResult {
  return describeFindings(judgeExchangeWithoutShortcut(exchange));
}
