/**
 * What Chromium decided about one request, read off what it reported over CDP (test/support/cors-oracle.ts): the
 * verdict a report must give and the family (`BlockerFamily`) of what stopped it beside the CORS checks. Shared by the
 * engine test on the beside-CORS captures and the live panel test, so both hold the report to the same reading.
 */
import type { BrowserVerdict } from './cors-oracle.js';

/** The CorsError names of Local Network Access (Chromium 142+). */
export const LOCAL_NETWORK_ACCESS_ERRORS: ReadonlySet<string> = new Set(['LocalNetworkAccessPermissionDenied', 'InsecureLocalNetwork', 'InvalidLocalNetworkAccess']);

/**
 * What Chromium decided, from what it reported: `allowed` when the load finished; `blocked` when it reported a CORS
 * error, a `blockedReason` (CSP, mixed content, DevTools, an extension, CORP/COEP), a `net::ERR_BLOCKED_BY_*` error,
 * or a DevTools issue saying it blocked the response (ORB on a no-cors fetch, which DevTools records as ERR_ABORTED);
 * otherwise the request died without the browser refusing it: `network-error` (connection refused/reset/empty, too
 * many redirects, an unsafe redirect, a manual redirect's next hop, a page abort, a WebSocket handshake refused).
 */
export function browserDecision(v: BrowserVerdict): 'allowed' | 'blocked' | 'network-error' {
  if (v.outcome === 'loaded') return 'allowed';
  if (v.outcome === 'blocked' || v.corsError) return 'blocked';
  if (v.blockedReason) return 'blocked';
  if (v.errorText?.startsWith('net::ERR_BLOCKED_BY_')) return 'blocked';
  if ((v.issues ?? []).some((i) => i.includes('ResponseWasBlockedByORB') && !i.endsWith('(warning)'))) return 'blocked';
  return 'network-error';
}

/** The family (BlockerFamily) Chromium's report points at, or null when nothing beside the CORS checks stopped it. */
export function browserFamily(v: BrowserVerdict): string | null {
  if (v.outcome === 'loaded') return null;
  if (v.corsError) {
    if (LOCAL_NETWORK_ACCESS_ERRORS.has(v.corsError)) return 'local-network-access';
    if (v.corsError === 'PreflightDisallowedRedirect') return 'redirect';
    return null; // a CORS check
  }
  switch (v.blockedReason) {
    case 'csp':
      return 'csp';
    case 'mixed-content':
      return 'mixed-content';
    case 'inspector':
      return 'devtools';
    case 'corp-not-same-origin':
    case 'corp-not-same-site':
      return 'corp';
    case 'corp-not-same-origin-after-defaulted-to-same-origin-by-coep':
      return 'coep';
  }
  const error = v.errorText ?? '';
  // A WebSocket whose handshake failed (CDP reports its own message, no net error): the server refused the upgrade.
  if (v.resourceType === 'WebSocket') return 'network';
  if (error === 'net::ERR_BLOCKED_BY_CLIENT') return 'extension';
  if (error === 'net::ERR_BLOCKED_BY_ORB' || (v.issues ?? []).some((i) => i.includes('ResponseWasBlockedByORB'))) return 'orb';
  if (/^net::ERR_(CONNECTION_(REFUSED|RESET|CLOSED)|EMPTY_RESPONSE)$/.test(error)) return 'network';
  if (error === 'net::ERR_TOO_MANY_REDIRECTS' || error === 'net::ERR_UNSAFE_REDIRECT') return 'redirect';
  if (error === 'net::ERR_ABORTED') return v.urls.length > 1 && v.statuses.some((s) => s >= 300 && s < 400) ? 'redirect' : 'aborted';
  return 'unrecognised';
}

/**
 * The verdicts a report may give for what Chromium decided: `browserDecision`, except that a no-cors load Chromium
 * completed (an `<img>` without crossorigin) is not a CORS request at all, which the report may say (`not-cors`).
 */
export function acceptedVerdicts(v: BrowserVerdict, noCorsLoad: boolean): string[] {
  const decision = browserDecision(v);
  return decision === 'allowed' && noCorsLoad ? ['allowed', 'not-cors'] : [decision];
}
