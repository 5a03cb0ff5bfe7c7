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
import type { BlockerFinding, Hop } from '../../model/exchange.js';
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
  from: AddressSpaceSource | 'inferred' | 'unknown';
}

/** Chromium's CorsErrors for a refusal a DevTools entry cannot tell apart (the permission, or a wrong targetAddressSpace). */
export const LNA_SECURE_PAGE_ERRORS = 'LocalNetworkAccessPermissionDenied,InvalidLocalNetworkAccess';

/** The target's space: an IP literal or `localhost` in its URL, else the address the capture recorded. */
function targetSide(hop: Hop): Side {
  const literal = addressSpaceOfUrl(hop.request.url);
  if (literal !== undefined) return { space: literal, from: 'url-literal' };
  const recorded = addressSpaceOfIp(hop.serverIPAddress);
  if (recorded !== undefined) return { space: recorded, from: 'server-ip' };
  const elsewhere = addressSpaceOfIp(hop.hostAddressSeen);
  if (elsewhere !== undefined) return { space: elsewhere, from: 'other-entry' };
  return { space: 'unknown', from: 'unknown' };
}

/**
 * The page's space as Chromium treated it. An IP literal or `localhost` in its URL says it outright. Its document's
 * `serverIPAddress` is only the address the browser connected to: behind a local proxy (or an address-space
 * override) a public page shows 127.0.0.1. So when that address is not less private than the target, yet Chromium
 * refused the request the way only Local Network Access does, the page was less private than the target ("inferred").
 */
function pageSide(s: BlockerSignals, target: Side): Side {
  const literal = s.pageUrl === undefined ? undefined : addressSpaceOfUrl(s.pageUrl);
  if (literal !== undefined) return { space: literal, from: 'url-literal' };
  const recorded = addressSpaceOfIp(s.page?.serverIPAddress);
  if (recorded !== undefined && (target.space === 'unknown' || isMorePrivate(target.space, recorded))) return { space: recorded, from: 'server-ip' };
  if (recorded !== undefined) return { space: 'public', from: 'inferred' };
  if (s.pageUrl === undefined) return { space: 'unknown', from: 'unknown' };
  return { space: 'public', from: 'assumed' };
}

function finding(s: BlockerSignals, hop: number, target: Side, page: Side, netError: string, certain: boolean): BlockerFinding {
  const secure = s.pageUrl === undefined || isPotentiallyTrustworthyUrl(s.pageUrl);
  const kind = secure ? 'permission-denied' : 'insecure-page';
  const values: Record<string, string> = {
    url: s.exchange.hops[hop]?.request.url ?? s.url,
    targetSpace: target.space,
    targetSpaceFrom: target.from,
    pageSpace: page.space,
    pageSpaceFrom: page.from,
    secureContext: s.pageUrl === undefined ? 'unknown' : secure ? 'yes' : 'no',
  };
  if (s.pageOrigin !== undefined) values.pageOrigin = s.pageOrigin;
  if (s.pageUrl !== undefined) values.pageUrl = s.pageUrl;
  if (s.page?.serverIPAddress !== undefined) values.pageServerIPAddress = s.page.serverIPAddress;
  const missing: string[] = [];
  if (page.from === 'assumed') {
    missing.push('the page’s own address: its document entry is not in the capture, so its address space is assumed public from its host name');
  } else if (page.from === 'inferred') {
    missing.push(
      `why the page counts as less private than ${target.space}: its document came from ${s.page?.serverIPAddress ?? '?'} (a local proxy, or an address-space override), yet Chromium refused the request the way only Local Network Access does`,
    );
  } else if (page.from === 'unknown') {
    missing.push('the page that made the request: the capture names neither its URL nor its origin');
  }
  if (target.from === 'unknown') {
    missing.push(
      'the target’s address: its URL holds a host name and the capture recorded no serverIPAddress; Chromium refused the request before any response (net::ERR_FAILED, nothing received, no preflight), as Local Network Access does when the name resolves to a local or loopback address',
    );
  }
  const result: BlockerFinding = { family: 'local-network-access', kind, netError, hop, values };
  if (kind === 'insecure-page') result.chromeCorsError = 'InsecureLocalNetwork';
  else if (certain) result.chromeCorsError = 'LocalNetworkAccessPermissionDenied';
  else {
    values.possibleCorsErrors = LNA_SECURE_PAGE_ERRORS;
    missing.push(
      'whether the page passed fetch(url, {targetAddressSpace}): Chromium reports LocalNetworkAccessPermissionDenied without it and InvalidLocalNetworkAccess for a wrong value, and the two leave the same HAR entry',
    );
  }
  if (missing.length > 0) result.missing = missing;
  return result;
}

/**
 * Chromium refused the request before any response was read (a CORS check would leave the response in a DevTools
 * capture): net::ERR_FAILED, nothing received, no connection recorded, no preflight, a method that needs none. Local
 * Network Access leaves exactly this; so does a CORS failure DevTools handed over before its response was known.
 */
export function refusedBeforeAnyResponse(s: BlockerSignals): boolean {
  if (s.netError !== 'net::ERR_FAILED' || !s.devtoolsCapture || !noResponse(s) || s.hop.serverIPAddress !== undefined) return false;
  if (s.hop.preflight !== undefined || s.exchange.kind === 'document') return false;
  return NO_PREFLIGHT_METHODS.has(String(s.hop.request.method).toUpperCase());
}

/** The host of a refused request whose address space nothing in the capture tells (a name no entry resolved). */
export function unresolvedTargetHost(s: BlockerSignals): string | undefined {
  if (!refusedBeforeAnyResponse(s) || targetSide(s.hop).space !== 'unknown') return undefined;
  const pageLiteral = s.pageUrl === undefined ? undefined : addressSpaceOfUrl(s.pageUrl);
  if (pageLiteral === 'loopback') return undefined;
  try {
    return new URL(s.url).hostname;
  } catch {
    return undefined;
  }
}

/** Methods a request can use without a preflight: a refused request with another method should have an OPTIONS entry. */
const NO_PREFLIGHT_METHODS = new Set(['GET', 'HEAD', 'POST']);

export function detectLocalNetworkAccess(s: BlockerSignals): BlockerFinding | undefined {
  // The preflight Chromium refused for LNA names the family outright.
  const hops = s.exchange.hops;
  for (let h = 0; h < hops.length; h++) {
    const preflight = hops[h]?.preflight;
    if (preflight?.errorText === LNA_PREFLIGHT_ERROR && hops[h]!.outcome?.kind !== 'completed') {
      const target = targetSide(hops[h]!);
      return finding(s, h, target, pageSide(s, target), LNA_PREFLIGHT_ERROR, true);
    }
  }
  if (s.netError === LNA_PREFLIGHT_ERROR) {
    const target = targetSide(s.hop);
    return finding(s, s.hopIndex, target, pageSide(s, target), s.netError, true);
  }

  if (!refusedBeforeAnyResponse(s)) return undefined;
  const target = targetSide(s.hop);
  // A host name nothing in the capture resolved is never called LNA: a CORS failure handed over early looks the same.
  if (target.space === 'public' || target.space === 'unknown') return undefined;
  // A page whose URL says it is at least as private as the target cannot cross into a more private space.
  const pageLiteral = s.pageUrl === undefined ? undefined : addressSpaceOfUrl(s.pageUrl);
  if (pageLiteral !== undefined && !isMorePrivate(target.space, pageLiteral)) return undefined;
  return finding(s, s.hopIndex, target, pageSide(s, target), 'net::ERR_FAILED', false);
}
