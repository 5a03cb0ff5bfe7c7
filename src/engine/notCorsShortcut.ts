/**
 * The not-CORS shortcut: most of a capture is navigations, no-cors loads and same-origin requests, for which the full
 * evaluation ends after its first check (`corsApplies`). This reaches the same result without preparing the exchange.
 */
import type { Assumption, BrowserRules, CapturedExchange, EngineFindings } from '../model/exchange.js';
import { CREDENTIALS_INCLUDED } from '../model/exchange.js';
import { headerIndexOf } from '../model/headers.js';
import { serializeOrigin, urlScheme } from '../model/origin.js';
import { isObject, normalizeOriginString } from './prepare.js';
import { CORS_APPLIES_EXPECTED, CORS_APPLIES_SUBJECT, CORS_DOES_NOT_APPLY } from './checkOrder.js';
import { COOKIE_SENT_MEANS_CREDENTIALS } from './outcomeReasoning.js';

/**
 * The `corsApplies` check alone, for the exchanges most of a capture is made of: one hop, no preflight, a request mode
 * the capture records, completed by the browser, and CORS does not apply (a navigation, a no-cors load, or same-origin
 * with an initiator the capture names). For those the full evaluation below ends after that one check with the same
 * result; this reaches it without indexing any header. Anything else returns `undefined` and takes the full path.
 * test/engine/notCorsShortcut.test.ts checks that both give equal results on every captured exchange and on fuzzed ones.
 */
export function notCorsWithoutPreparing(exchange: CapturedExchange): EngineFindings | undefined {
  if (!isObject(exchange) || !Array.isArray(exchange.hops) || exchange.hops.length !== 1) return undefined;
  const hop: unknown = exchange.hops[0];
  if (!isObject(hop) || hop.preflight !== undefined || !isObject(hop.outcome) || hop.outcome.kind !== 'completed') return undefined;
  const request = hop.request;
  if (!isObject(request) || typeof request.url !== 'string' || typeof request.method !== 'string') return undefined;
  const mode = exchange.mode;
  if (mode !== 'navigate' && mode !== 'no-cors' && mode !== 'cors' && mode !== 'same-origin') return undefined;
  if (typeof exchange.initiatorOrigin !== 'string') return undefined;
  const initiator = normalizeOriginString(exchange.initiatorOrigin);
  const origin = serializeOrigin(request.url);
  if (initiator === undefined || origin === undefined) return undefined;
  const scheme = urlScheme(request.url);
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const crossOrigin = initiator === 'null' || origin !== initiator;
  if (mode !== 'navigate' && mode !== 'no-cors' && crossOrigin) return undefined;

  const credentialsRecorded = exchange.credentials === 'include' || exchange.credentials === 'same-origin' || exchange.credentials === 'omit';
  const cookieSent =
    !credentialsRecorded &&
    crossOrigin &&
    request.provisionalHeaders !== true &&
    headerIndexOf(request).has('cookie');
  const rules: BrowserRules = exchange.rules === 'firefox' ? 'firefox' : 'chromium';
  // Results are values: exchanges with the same reason share one (frozen) result, as most of a capture does. Looked up
  // without building the reason's text: by rules, cookie, mode and (same-origin only) the initiator.
  const reasonKind = mode === 'navigate' || mode === 'no-cors' ? mode : 'same-origin';
  const shared = notCorsResults[rules][cookieSent ? 1 : 0][reasonKind];
  const key = reasonKind === 'same-origin' ? initiator : '';
  let result = shared.get(key);
  if (result === undefined) {
    const notCorsReason =
      reasonKind === 'navigate' ? 'a navigation' : reasonKind === 'no-cors' ? 'a no-cors request' : `same-origin with ${initiator}`;
    if (shared.size >= REMEMBERED_NOT_CORS_RESULTS) shared.clear();
    result = deepFreeze(notCorsResult(notCorsReason, cookieSent, rules));
    shared.set(key, result);
  }
  return result;
}

type NotCorsResultsByReason = Record<'navigate' | 'no-cors' | 'same-origin', Map<string, EngineFindings>>;
const notCorsResultsByReason = (): NotCorsResultsByReason => ({ navigate: new Map(), 'no-cors': new Map(), 'same-origin': new Map() });
/** The shared not-CORS results: by rules, then without / with a Cookie sent, then by reason (and initiator). */
const notCorsResults: Record<BrowserRules, [NotCorsResultsByReason, NotCorsResultsByReason]> = {
  chromium: [notCorsResultsByReason(), notCorsResultsByReason()],
  firefox: [notCorsResultsByReason(), notCorsResultsByReason()],
};
const REMEMBERED_NOT_CORS_RESULTS = 256;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}

function notCorsResult(notCorsReason: string, cookieSent: boolean, rules: BrowserRules): EngineFindings {
  const assumptions: Assumption[] = cookieSent
    ? [{ about: 'credentials', value: CREDENTIALS_INCLUDED, because: COOKIE_SENT_MEANS_CREDENTIALS }]
    : [];
  return {
    verdict: 'not-cors',
    checks: [
      {
        id: 'corsApplies',
        phase: 'request',
        hop: 0,
        status: 'pass',
        subject: CORS_APPLIES_SUBJECT,
        expected: CORS_APPLIES_EXPECTED,
        actual: notCorsReason,
        note: CORS_DOES_NOT_APPLY,
      },
    ],
    preflight: { required: false, reasons: [`${CORS_DOES_NOT_APPLY}: ${notCorsReason}`] },
    assumptions,
    missing: [],
    rules,
  };
}
