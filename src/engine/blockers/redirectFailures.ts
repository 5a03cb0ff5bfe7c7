/**
 * Redirects the browser refused or did not follow: a redirect answering a preflight (`PreflightDisallowedRedirect`,
 * a CORS error: the OPTIONS entry says `net::ERR_INVALID_REDIRECT`, sometimes with status 0 and no response), a
 * redirect to a scheme the browser will not follow (`net::ERR_UNSAFE_REDIRECT`, e.g. to `data:`), a loop
 * (`net::ERR_TOO_MANY_REDIRECTS` after 20 hops), a Location that is not a URL (`net::ERR_INVALID_REDIRECT`), and
 * `redirect: 'manual'` (the page gets an opaque redirect; DevTools records the redirect aborted).
 * See ../shared/research/beside-cors.md §5.
 */
import type { BlockerFinding } from '../../model/exchange.js';
import { isRedirectStatus } from '../checks.js';
import type { BlockerSignals } from './signals.js';

export const INVALID_REDIRECT = 'net::ERR_INVALID_REDIRECT';

export function detectRedirectFailure(s: BlockerSignals): BlockerFinding | undefined {
  const hops = s.exchange.hops;
  for (let h = 0; h < hops.length; h++) {
    const preflight = hops[h]?.preflight;
    if (preflight?.errorText === INVALID_REDIRECT && hops[h]!.outcome?.kind !== 'completed') {
      const values: Record<string, string> = { url: hops[h]!.request.url };
      const location = preflight.response?.redirectURL;
      if (location !== undefined) values.location = location;
      if (preflight.response !== undefined) values.status = String(preflight.response.status);
      const finding: BlockerFinding = { family: 'redirect', kind: 'preflight-redirect', netError: INVALID_REDIRECT, chromeCorsError: 'PreflightDisallowedRedirect', hop: h, values };
      if (location === undefined) finding.missing = ['where the preflight was redirected: DevTools handed over its entry without the response'];
      return finding;
    }
  }
  const location = s.hop.response?.redirectURL;
  const values: Record<string, string> = { url: s.url };
  if (location !== undefined) values.location = location;
  switch (s.netError) {
    case 'net::ERR_UNSAFE_REDIRECT':
      return { family: 'redirect', kind: 'unsafe-redirect', netError: s.netError, hop: s.hopIndex, values };
    case 'net::ERR_TOO_MANY_REDIRECTS':
      return { family: 'redirect', kind: 'too-many-redirects', netError: s.netError, hop: s.hopIndex, values: { ...values, redirects: String(s.hopIndex) } };
    case INVALID_REDIRECT:
      return { family: 'redirect', kind: 'invalid-redirect', netError: s.netError, hop: s.hopIndex, values };
    case 'net::ERR_ABORTED': {
      // redirect: 'manual': the redirect reached the page as an opaque redirect and was not followed.
      const redirected = s.status > 0 && isRedirectStatus(s.status) && location !== undefined;
      const previous = s.hopIndex > 0 ? hops[s.hopIndex - 1]?.response : undefined;
      const afterRedirect = s.status === 0 && previous !== undefined && isRedirectStatus(previous.status);
      if (!redirected && !afterRedirect) return undefined;
      const finding: BlockerFinding = { family: 'redirect', kind: 'manual-redirect', netError: s.netError, hop: s.hopIndex, values };
      if (s.page === undefined || !s.page.documentCaptured) {
        finding.missing = ['the page’s Content-Security-Policy: its document entry is not in the capture, and a CSP that refuses the redirect target leaves the same trace'];
      }
      return finding;
    }
    default:
      return undefined;
  }
}
