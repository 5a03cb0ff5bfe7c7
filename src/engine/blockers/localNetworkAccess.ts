/**
 * Local Network Access (Chromium 142+): a request from a page to a more private address space (public → local or
 * loopback, local → loopback) needs the user's permission, checked before any CORS header is read. Chromium reports a
 * refusal as a CORS error (`LocalNetworkAccessPermissionDenied`, `InsecureLocalNetwork`, `InvalidLocalNetworkAccess`).
 *
 * What a DevTools capture shows (../shared/research/beside-cors.md §1): the request has status 0, `net::ERR_FAILED`, no
 * response headers and no `serverIPAddress`; a preflighted request's OPTIONS entry fails with
 * `net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS`. A CORS check failing leaves the response in the capture instead,
 * so a bare `ERR_FAILED` is read as LNA only when the address spaces say the request crossed into a more private one.
 */
import type { BlockerFinding } from '../../model/exchange.js';
import {
  addressSpaceOfIp,
  addressSpaceOfUrl,
  isMorePrivate,
  isPotentiallyTrustworthyUrl,
  type AddressSpace,
  type AddressSpaceSource,
} from './addressSpace.js';
import { noResponse, type BlockerSignals } from './signals.js';

export const LNA_PREFLIGHT_ERROR = 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS';

interface Side {
  space: AddressSpace | 'unknown';
  from: AddressSpaceSource | 'unknown';
}

/** The target's space: an IP literal or `localhost` in its URL, else the address the capture recorded. */
function targetSide(url: string, serverIPAddress: string | undefined): Side {
  const literal = addressSpaceOfUrl(url);
  if (literal !== undefined) return { space: literal, from: 'url-literal' };
  const recorded = addressSpaceOfIp(serverIPAddress);
  if (recorded !== undefined) return { space: recorded, from: 'server-ip' };
  return { space: 'unknown', from: 'unknown' };
}

/** The page's space: its document's recorded address, else an IP literal in its URL, else assumed public (a name). */
function pageSide(s: BlockerSignals): Side {
  const recorded = addressSpaceOfIp(s.page?.serverIPAddress);
  if (recorded !== undefined) return { space: recorded, from: 'server-ip' };
  if (s.pageUrl === undefined) return { space: 'unknown', from: 'unknown' };
  const literal = addressSpaceOfUrl(s.pageUrl);
  if (literal !== undefined) return { space: literal, from: 'url-literal' };
  return { space: 'public', from: 'assumed' };
}

function finding(s: BlockerSignals, hop: number, target: Side, page: Side, netError: string | undefined): BlockerFinding {
  const secure = s.pageUrl !== undefined && isPotentiallyTrustworthyUrl(s.pageUrl);
  const kind = secure || s.pageUrl === undefined ? 'permission-denied' : 'insecure-page';
  const values: Record<string, string> = {
    url: s.exchange.hops[hop]?.request.url ?? s.url,
    targetSpace: target.space,
    targetSpaceFrom: target.from,
    pageSpace: page.space,
    pageSpaceFrom: page.from,
    secureContext: secure ? 'yes' : 'no',
  };
  if (s.pageOrigin !== undefined) values.pageOrigin = s.pageOrigin;
  if (s.pageUrl !== undefined) values.pageUrl = s.pageUrl;
  const missing: string[] = [];
  if (page.from === 'assumed') {
    missing.push(
      'the page’s own address: its document entry is not in the capture (or has no serverIPAddress), so its address space is assumed public from its host name',
    );
  }
  if (page.from === 'unknown') missing.push('the page that made the request: the capture names neither its URL nor its origin');
  if (target.from === 'unknown') missing.push('the target’s address: its URL holds a host name and the capture recorded no serverIPAddress for it');
  if (kind === 'permission-denied') {
    missing.push('whether the page passed fetch(url, {targetAddressSpace}): a wrong value is reported as InvalidLocalNetworkAccess instead, which a HAR cannot tell apart');
  }
  const result: BlockerFinding = {
    family: 'local-network-access',
    kind,
    chromeCorsError: kind === 'permission-denied' ? 'LocalNetworkAccessPermissionDenied' : 'InsecureLocalNetwork',
    hop,
    values,
  };
  if (netError !== undefined) result.netError = netError;
  if (missing.length > 0) result.missing = missing;
  return result;
}

export function detectLocalNetworkAccess(s: BlockerSignals): BlockerFinding | undefined {
  // The preflight Chromium refused for LNA names the family outright.
  const hops = s.exchange.hops;
  for (let h = 0; h < hops.length; h++) {
    const preflight = hops[h]?.preflight;
    if (preflight?.errorText === LNA_PREFLIGHT_ERROR && hops[h]!.outcome?.kind !== 'completed') {
      const url = hops[h]!.request.url;
      return finding(s, h, targetSide(url, hops[h]!.serverIPAddress), pageSide(s), LNA_PREFLIGHT_ERROR);
    }
  }
  if (s.netError === LNA_PREFLIGHT_ERROR) return finding(s, s.hopIndex, targetSide(s.url, s.hop.serverIPAddress), pageSide(s), s.netError);

  // A bare ERR_FAILED with nothing received, where CORS would have left the response in a DevTools capture.
  if (s.netError !== 'net::ERR_FAILED' || !s.devtoolsCapture || !noResponse(s) || s.hop.serverIPAddress !== undefined) return undefined;
  if (s.hop.preflight !== undefined) return undefined;
  const target = targetSide(s.url, s.hop.serverIPAddress);
  const page = pageSide(s);
  if (target.space === 'unknown' || page.space === 'unknown') return undefined;
  if (!isMorePrivate(target.space, page.space)) return undefined;
  return finding(s, s.hopIndex, target, page, s.netError);
}
