/**
 * Dead connections and the page's own abort: the request failed in the network stack, so no CORS check ran on an
 * answer (a connection reset may come after the status and even the CORS headers arrived: the body broke). Chrome
 * prints "Failed to load resource: net::ERR_…", never a CORS line (../shared/research/beside-cors.md §5).
 */
import type { BlockerFinding } from '../../model/exchange.js';
import type { BlockerSignals } from './signals.js';

const KIND_BY_ERROR: Readonly<Record<string, string>> = {
  'net::ERR_CONNECTION_REFUSED': 'connection-refused',
  'net::ERR_CONNECTION_RESET': 'connection-reset',
  'net::ERR_CONNECTION_CLOSED': 'connection-closed',
  'net::ERR_CONNECTION_ABORTED': 'connection-closed',
  'net::ERR_EMPTY_RESPONSE': 'empty-response',
  'net::ERR_NAME_NOT_RESOLVED': 'name-not-resolved',
  'net::ERR_CONNECTION_TIMED_OUT': 'timed-out',
  'net::ERR_TIMED_OUT': 'timed-out',
  'net::ERR_ADDRESS_UNREACHABLE': 'unreachable',
  'net::ERR_INTERNET_DISCONNECTED': 'unreachable',
  'net::ERR_NETWORK_CHANGED': 'unreachable',
  'net::ERR_INCOMPLETE_CHUNKED_ENCODING': 'response-incomplete',
  'net::ERR_CONTENT_LENGTH_MISMATCH': 'response-incomplete',
  'net::ERR_HTTP2_PROTOCOL_ERROR': 'response-incomplete',
  'net::ERR_INVALID_HTTP_RESPONSE': 'invalid-response',
  'net::ERR_RESPONSE_HEADERS_TOO_BIG': 'invalid-response',
};

/** Net errors that are not a dead connection and that other families (or the CORS checks) explain. */
const NOT_NETWORK = new Set(['net::ERR_FAILED', 'net::ERR_ABORTED']);

export function detectNetworkFailure(s: BlockerSignals): BlockerFinding | undefined {
  // The preflight's own connection failed: the actual request was never sent.
  const hops = s.exchange.hops;
  for (let h = 0; h < hops.length; h++) {
    const error = hops[h]?.preflight?.errorText;
    if (error !== undefined && error.startsWith('net::ERR_') && !NOT_NETWORK.has(error) && hops[h]!.preflight!.response === undefined && hops[h]!.outcome?.kind !== 'completed') {
      const kind = KIND_BY_ERROR[error] ?? (/^net::ERR_(CERT|SSL)_/.test(error) ? 'tls' : 'net-error');
      return { family: 'network', kind, netError: error, hop: h, values: { url: hops[h]!.request.url, failedRequest: 'preflight' } };
    }
  }
  const error = s.netError;
  if (error === undefined || !error.startsWith('net::ERR_')) return undefined;
  if (error === 'net::ERR_ABORTED') {
    const values: Record<string, string> = { url: s.url, received: s.status > 0 && s.responseHeaderCount > 0 ? 'headers' : 'nothing' };
    return { family: 'aborted', kind: 'page-abort', netError: error, hop: s.hopIndex, values };
  }
  if (NOT_NETWORK.has(error) || error.startsWith('net::ERR_BLOCKED_BY_')) return undefined;
  const kind = KIND_BY_ERROR[error] ?? (/^net::ERR_(CERT|SSL)_/.test(error) ? 'tls' : 'net-error');
  const values: Record<string, string> = { url: s.url, failedRequest: 'request', received: s.status > 0 && s.responseHeaderCount > 0 ? 'headers' : 'nothing' };
  if (s.status > 0) values.status = String(s.status);
  return { family: 'network', kind, netError: error, hop: s.hopIndex, values };
}
