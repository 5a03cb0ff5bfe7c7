/**
 * Blocked inside the browser by something other than the page: another extension (an ad or privacy blocker:
 * `net::ERR_BLOCKED_BY_CLIENT`), an administrator's policy (`net::ERR_BLOCKED_BY_ADMINISTRATOR`), or DevTools' own
 * request blocking. The request never reached the server (../shared/research/beside-cors.md §4).
 */
import type { BlockerFinding } from '../../model/exchange.js';
import { noResponse, type BlockerSignals } from './signals.js';

const BY_ERROR: Readonly<Record<string, { family: 'extension' | 'devtools'; kind: string }>> = {
  'net::ERR_BLOCKED_BY_CLIENT': { family: 'extension', kind: 'blocked-by-client' },
  'net::ERR_BLOCKED_BY_ADMINISTRATOR': { family: 'extension', kind: 'blocked-by-administrator' },
};

export function detectBlockedByClient(s: BlockerSignals): BlockerFinding | undefined {
  const hops = s.exchange.hops;
  // A preflight an extension blocked stops the request the same way.
  for (let h = 0; h < hops.length; h++) {
    const error = hops[h]?.preflight?.errorText;
    const known = error === undefined ? undefined : BY_ERROR[error];
    if (known && hops[h]!.outcome?.kind !== 'completed') return { ...known, netError: error, hop: h, values: { url: hops[h]!.request.url, blockedRequest: 'preflight' } };
  }
  const known = s.netError === undefined ? undefined : BY_ERROR[s.netError];
  if (known) return { ...known, netError: s.netError, hop: s.hopIndex, values: { url: s.url, blockedRequest: 'request' } };
  return undefined;
}

/**
 * DevTools' own request blocking leaves the same trace as CSP and mixed content (status 0, an empty `_error`, only the
 * Referer among the request headers): it is named only when the page's document entry is in the capture and neither its
 * CSP nor mixed content refuses the URL (those run first). Without the document the trace stays "cannot tell".
 */
export function detectDevToolsBlocking(s: BlockerSignals): BlockerFinding | undefined {
  if (s.netError !== '' || !s.devtoolsCapture || !noResponse(s) || s.page?.documentCaptured !== true) return undefined;
  if (s.hop.preflight !== undefined || s.exchange.kind === 'document') return undefined;
  return {
    family: 'devtools',
    kind: 'blocked',
    netError: '',
    hop: s.hopIndex,
    values: { url: s.url },
    missing: [
      'a cause named in the capture: Chromium recorded an empty error, which DevTools’ request blocking leaves; the page’s document entry rules out its CSP and mixed content',
    ],
  };
}
