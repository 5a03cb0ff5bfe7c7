/**
 * What stops a request beside the CORS checks, one family per unit, run in the order the browser meets them: the
 * browser's own blocking (an extension, DevTools), the page's policies (CSP, mixed content), Local Network Access at
 * connection time, redirects, then what is decided on the response (CORP/COEP, ORB) and dead connections.
 *
 * `judgeBesideCors` is the engine's hook (src/engine/evaluate.ts): when a family explains the failure, its result
 * replaces the CORS reasoning, so a credentials mode, a request mode or a CORS check is never assumed to explain a
 * failure a net error already explains. A redirect answering a preflight is itself a CORS error: there the CORS
 * checks run as usual and the finding is attached. Ids and values only; the words are in src/explain/blockerTexts.ts.
 */
import type { BlockerFamily, BlockerFinding, CapturedExchange, EngineFindings, PreflightDecision, Verdict } from '../../model/exchange.js';
import { headerIndexOf } from '../../model/headers.js';
import { decidePreflight } from '../requestClassification.js';
import { detectBlockedByClient, detectDevToolsBlocking } from './blockedByClient.js';
import { detectContentSecurityPolicy } from './contentSecurityPolicy.js';
import { detectCrossOriginResourcePolicy } from './crossOriginResourcePolicy.js';
import { detectLocalNetworkAccess, unresolvedTargetHost } from './localNetworkAccess.js';
import { detectMixedContent } from './mixedContent.js';
import { detectNetworkFailure } from './networkFailures.js';
import { detectOpaqueResponseBlocking } from './opaqueResponseBlocking.js';
import { detectRedirectFailure } from './redirectFailures.js';
import { readSignals, type BlockerSignals } from './signals.js';

/** The detectors in the browser's order. */
const DETECTORS: readonly ((s: BlockerSignals) => BlockerFinding | undefined)[] = [
  detectBlockedByClient,
  detectContentSecurityPolicy,
  detectMixedContent,
  detectDevToolsBlocking,
  detectLocalNetworkAccess,
  detectRedirectFailure,
  detectCrossOriginResourcePolicy,
  detectOpaqueResponseBlocking,
  detectNetworkFailure,
];

/** The verdict each family gives: the browser blocked it, or the request died in the network stack. */
const VERDICT_BY_FAMILY: Readonly<Record<BlockerFamily, Verdict>> = {
  'local-network-access': 'blocked',
  corp: 'blocked',
  coep: 'blocked',
  orb: 'blocked',
  csp: 'blocked',
  'mixed-content': 'blocked',
  extension: 'blocked',
  devtools: 'blocked',
  redirect: 'blocked',
  network: 'network-error',
  aborted: 'network-error',
};

/** Kinds whose verdict differs from their family's. */
const VERDICT_BY_KIND: Readonly<Record<string, Verdict>> = {
  // Chromium fails these in the network stack without a CORS error or a blocked reason.
  'manual-redirect': 'network-error',
  'unsafe-redirect': 'network-error',
  'too-many-redirects': 'network-error',
  'invalid-redirect': 'network-error',
};

/**
 * Kinds the CORS checks already decide as the browser does (a redirect answering a preflight is the CorsError
 * `PreflightDisallowedRedirect`; the redirect count is a check of its own): their checks run, the finding is attached.
 */
const DECIDED_BY_THE_CORS_CHECKS: ReadonlySet<string> = new Set(['preflight-redirect', 'too-many-redirects']);

export function verdictOfBlocker(finding: BlockerFinding): Verdict {
  return VERDICT_BY_KIND[finding.kind] ?? VERDICT_BY_FAMILY[finding.family];
}

/** The first family that explains the exchange's failure, in the browser's order; undefined when none does. */
export function findBlocker(exchange: CapturedExchange): BlockerFinding | undefined {
  const signals = readSignals(exchange);
  if (signals === undefined) return undefined;
  for (const detect of DETECTORS) {
    const finding = detect(signals);
    if (finding !== undefined) return finding;
  }
  return undefined;
}

/** Whether anything in the exchange can be a blocker's trace (most of a capture completed and has none). */
function mayBeBlocked(exchange: CapturedExchange): boolean {
  if (exchange.source === 'firefox-har-export') return false; // Firefox's HAR records no net error: nothing to read.
  if (exchange.resourceType === 'websocket') return true;
  const hops = exchange.hops;
  for (let h = 0; h < hops.length; h++) {
    const hop = hops[h];
    if (hop === undefined || hop === null || typeof hop !== 'object') return false;
    if (hop.outcome?.kind !== 'completed' || hop.preflight?.errorText !== undefined) return true;
  }
  return false;
}

function preflightOf(exchange: CapturedExchange, hop: number): PreflightDecision {
  const request = exchange.hops[hop]?.request;
  if (request === undefined || typeof request.method !== 'string') return { required: 'unknown', reasons: [] };
  const headers = headerIndexOf(request);
  if (headers.lineCount === 0) return { required: 'unknown', reasons: ['the request headers are not in the capture'] };
  return decidePreflight({ method: request.method, headers, rules: exchange.rules === 'firefox' ? 'firefox' : 'chromium', fromCapture: true });
}

function resultFor(exchange: CapturedExchange, verdict: Verdict, missing: string[], blocker?: BlockerFinding): EngineFindings {
  const result: EngineFindings = {
    verdict,
    checks: [],
    preflight: preflightOf(exchange, blocker?.hop ?? 0),
    assumptions: [],
    missing,
    rules: exchange.rules === 'firefox' ? 'firefox' : 'chromium',
  };
  if (blocker !== undefined) result.blocker = blocker;
  return result;
}

/**
 * The cause-less trace: no response, no headers, and an empty (or no) net error, in a capture that records errors.
 * CSP, mixed content, DevTools' request blocking and an entry handed over before its response was known all look so.
 */
function nothingNamesTheCause(exchange: CapturedExchange): string | undefined {
  if (exchange.source !== 'chromium-devtools' && exchange.source !== 'chromium-har-export') return undefined;
  const hop = exchange.hops[exchange.hops.length - 1];
  if (hop === undefined || hop.outcome?.kind === 'failed' || hop.preflight !== undefined) return undefined;
  if (hop.response !== undefined && hop.response.status > 0) return undefined;
  if (hop.netError === undefined && headerIndexOf(hop.request).lineCount === 0) return undefined;
  const page = exchange.page;
  const pageKnown = page?.documentCaptured === true;
  const pageUrl = page?.url ?? exchange.initiatorOrigin;
  const target = urlSchemeOf(hop.request.url);
  const mixedPossible = (pageUrl === undefined || urlSchemeOf(pageUrl) === 'https:') && (target === 'http:' || target === 'ws:');
  const candidates = [
    ...(pageKnown ? [] : ['the page’s Content-Security-Policy']),
    ...(mixedPossible && !pageKnown ? ['mixed content'] : []),
    'DevTools’ own request blocking',
    'an entry handed over before its response was known',
  ];
  const list = `${candidates.slice(0, -1).join(', ')} or ${candidates[candidates.length - 1]!}`;
  return `what stopped this request: it got no response and the capture records no error that names a cause (status 0, no headers${hop.netError === '' ? ', an empty _error' : ', no _error'}); ${list} leave this trace${pageKnown ? ' (the page’s document entry rules out its CSP and mixed content)' : '. The page’s document entry (with its CSP) is not in the capture'}`;
}

function urlSchemeOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

/**
 * The engine's hook: the result for an exchange something beside the CORS checks stopped, or undefined to let the CORS
 * evaluation answer. `judgeCors` runs that evaluation (for the families that are themselves CORS errors).
 */
export function judgeBesideCors(exchange: CapturedExchange, judgeCors: (exchange: CapturedExchange) => EngineFindings): EngineFindings | undefined {
  if (!mayBeBlocked(exchange)) return undefined;
  if (exchange.resourceType === 'websocket') return websocketResult(exchange);
  const finding = findBlocker(exchange);
  if (finding !== undefined) {
    if (finding.values.received === 'headers' && corsFailsOnTheHeaders(exchange, judgeCors)) {
      // The headers arrived and fail a CORS check whatever the capture leaves open: Chromium refused the response
      // there, before the body broke, and reported the CORS error.
      return undefined;
    }
    if (DECIDED_BY_THE_CORS_CHECKS.has(finding.kind)) {
      const cors = judgeCors(exchange);
      if (cors.verdict === verdictOfBlocker(finding)) return { ...cors, blocker: finding, missing: [...cors.missing, ...(finding.missing ?? [])] };
    }
    return resultFor(exchange, verdictOfBlocker(finding), [...(finding.missing ?? [])], finding);
  }
  const signals = readSignals(exchange);
  const host = signals === undefined ? undefined : unresolvedTargetHost(signals);
  if (host !== undefined) {
    // Chromium refused it (net::ERR_FAILED) before any response: blocked for sure, by what is left open.
    return resultFor(exchange, 'blocked', [
      `what refused it: Chromium failed the request before any response was read (net::ERR_FAILED, nothing received, no preflight). Local Network Access does that when ${host} is a local or loopback address, which the capture does not record (no serverIPAddress for it); a CORS failure DevTools handed over before its response was known looks the same`,
    ]);
  }
  const unexplained = nothingNamesTheCause(exchange);
  return unexplained === undefined ? undefined : resultFor(exchange, 'unknown', [unexplained]);
}

/**
 * Whether the response headers fail a CORS check under the least demanding reading of what the capture does not record
 * (no credentials unless the capture proves them): only then did the CORS check, which runs on the headers, fail first.
 */
function corsFailsOnTheHeaders(exchange: CapturedExchange, judgeCors: (exchange: CapturedExchange) => EngineFindings): boolean {
  const leastDemanding = exchange.credentials === undefined ? { ...exchange, credentials: 'omit' as const } : exchange;
  const cors = judgeCors(leastDemanding);
  return cors.verdict === 'blocked' && cors.failure !== undefined;
}

/** A WebSocket handshake is not subject to CORS (the server checks `Origin` itself, if it wants to). */
function websocketResult(exchange: CapturedExchange): EngineFindings {
  const hop = exchange.hops[exchange.hops.length - 1];
  const status = hop?.response?.status ?? 0;
  if (hop !== undefined && status === 101 && hop.outcome?.kind !== 'failed') {
    return {
      verdict: 'not-cors',
      checks: [{ id: 'corsApplies', phase: 'request', hop: 0, status: 'pass', subject: 'request mode and origin', expected: 'a cross-origin request in cors mode', actual: 'a WebSocket handshake', note: 'CORS does not apply' }],
      preflight: { required: false, reasons: ['CORS does not apply: a WebSocket handshake'] },
      assumptions: [],
      missing: [],
      rules: exchange.rules === 'firefox' ? 'firefox' : 'chromium',
    };
  }
  const netError = hop?.outcome?.kind === 'failed' ? hop.outcome.errorText : hop?.netError;
  const values: Record<string, string> = { url: hop?.request.url ?? '', status: String(status) };
  const finding: BlockerFinding = { family: 'network', kind: 'websocket-refused', hop: Math.max(0, exchange.hops.length - 1), values };
  if (netError !== undefined) finding.netError = netError;
  return resultFor(exchange, 'network-error', [], finding);
}
