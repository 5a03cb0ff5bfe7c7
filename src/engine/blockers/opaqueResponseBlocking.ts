/**
 * Opaque Response Blocking (ORB): a no-cors load whose response is JSON, HTML or text (or `nosniff` with the wrong
 * type) gets nothing. A `<script src>` (or other element) records `net::ERR_BLOCKED_BY_ORB`; `fetch(…, {mode:
 * 'no-cors'})` records `net::ERR_ABORTED` with the real status but no response headers, and Chrome prints no console
 * line (../shared/research/beside-cors.md §3). Not a CORS failure: no-cors can never make a body readable.
 */
import type { BlockerFinding } from '../../model/exchange.js';
import type { BlockerSignals } from './signals.js';

export const ORB_ERROR = 'net::ERR_BLOCKED_BY_ORB';

export function detectOpaqueResponseBlocking(s: BlockerSignals): BlockerFinding | undefined {
  if (s.netError === ORB_ERROR) {
    return { family: 'orb', kind: 'blocked-by-orb', netError: s.netError, hop: s.hopIndex, values: { url: s.url, requestKind: s.exchange.kind } };
  }
  // A response arrived (its status is known) yet DevTools kept none of its headers, and the load was aborted: the
  // response ORB replaced with an empty one. A page abort after the headers keeps them; one before has no status.
  if (s.netError === 'net::ERR_ABORTED' && s.status > 0 && s.responseHeaderCount === 0 && s.exchange.mode !== 'cors') {
    const kind = s.exchange.kind === 'fetch' ? 'no-cors-fetch' : 'opaque-response';
    return { family: 'orb', kind, netError: s.netError, hop: s.hopIndex, values: { url: s.url, status: String(s.status), requestKind: s.exchange.kind } };
  }
  return undefined;
}
