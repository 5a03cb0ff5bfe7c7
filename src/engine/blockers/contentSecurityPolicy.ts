/**
 * Content Security Policy: the page's own policy (its document's `Content-Security-Policy` headers) refuses the URL
 * before the request leaves. DevTools records status 0 and an empty `_error`; a CSP-refused redirect target shows as
 * `net::ERR_ABORTED` on the hop before it (../shared/research/beside-cors.md §4). The finding names the directive that
 * refused it, so it needs the page's document entry: without it, the same trace is left as "cannot tell".
 *
 * The matching follows CSP Level 3 §6.7 ("Does url match source list?") for the URL-based source expressions; nonces,
 * hashes and 'unsafe-*' keywords never match a URL.
 */
import type { BlockerFinding, RequestKind } from '../../model/exchange.js';
import type { BlockerSignals } from './signals.js';

/** The directive that governs each kind of load, most specific first; `default-src` is the last fallback. */
const DIRECTIVES_BY_KIND: Readonly<Record<RequestKind, readonly string[]>> = {
  fetch: ['connect-src'],
  xhr: ['connect-src'],
  image: ['img-src'],
  script: ['script-src-elem', 'script-src'],
  stylesheet: ['style-src-elem', 'style-src'],
  font: ['font-src'],
  media: ['media-src'],
  document: ['frame-src', 'child-src'],
  other: ['connect-src'],
};

type Policy = Map<string, string[]>;

/** One header value → its policies (a comma separates policies) → directive name → source list. */
export function parsePolicies(headerValue: string): Policy[] {
  const policies: Policy[] = [];
  for (const serialized of headerValue.split(',')) {
    const policy: Policy = new Map();
    for (const token of serialized.split(';')) {
      const parts = token.trim().split(/[\t\n\f\r ]+/).filter((p) => p !== '');
      const name = parts[0]?.toLowerCase();
      // The first occurrence of a directive wins; later duplicates are ignored (CSP3 §2.2.1).
      if (name === undefined || policy.has(name)) continue;
      policy.set(name, parts.slice(1));
    }
    if (policy.size > 0) policies.push(policy);
  }
  return policies;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' };

function portOf(url: URL): string {
  return url.port === '' ? DEFAULT_PORTS[url.protocol] ?? '' : url.port;
}

/** CSP3 "scheme-part matching": equal, or the secure upgrade of http (to https) and ws (to wss, and http/https). */
function schemeMatches(expression: string, urlScheme: string): boolean {
  const a = expression.toLowerCase();
  if (a === urlScheme) return true;
  if (a === 'http') return urlScheme === 'https';
  if (a === 'ws') return urlScheme === 'wss' || urlScheme === 'http' || urlScheme === 'https';
  if (a === 'wss') return urlScheme === 'https';
  return false;
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return p === h;
}

const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[^:/]+)(?::(\d+|\*))?(\/.*)?$/i;

function sourceMatches(expression: string, url: URL, page: URL): boolean {
  const lower = expression.toLowerCase();
  const scheme = url.protocol.slice(0, -1);
  if (lower === '*') {
    if (['http', 'https', 'ws', 'wss', 'ftp'].includes(scheme)) return true;
    return scheme === page.protocol.slice(0, -1);
  }
  if (lower === "'self'") {
    if (url.origin === page.origin) return true;
    // CSP3: the same host and port reached over the secure scheme also matches 'self'.
    const upgrade =
      url.hostname === page.hostname &&
      ((page.protocol === 'http:' && (scheme === 'https' || scheme === 'ws' || scheme === 'wss')) ||
        (page.protocol === 'https:' && scheme === 'wss'));
    return upgrade && (portOf(url) === portOf(page) || (url.port === '' && page.port === ''));
  }
  if (lower.startsWith("'")) return false;
  const schemeOnly = /^([a-z][a-z0-9+.-]*):$/i.exec(expression);
  if (schemeOnly) return schemeMatches(schemeOnly[1]!, scheme);
  const host = HOST_SOURCE.exec(expression);
  if (!host) return false;
  const [, sourceScheme, sourceHost, sourcePort, sourcePath] = host;
  if (sourceScheme !== undefined) {
    if (!schemeMatches(sourceScheme, scheme)) return false;
  } else if (!schemeMatches(page.protocol.slice(0, -1), scheme)) {
    return false;
  }
  if (!hostMatches(sourceHost!, url.hostname.replace(/^\[|\]$/g, ''))) return false;
  if (sourcePort !== '*') {
    const wanted = sourcePort ?? DEFAULT_PORTS[`${sourceScheme ?? scheme}:`] ?? '';
    const actual = portOf(url);
    const upgradedDefault = sourcePort === undefined && (wanted === '80' && actual === '443');
    if (wanted !== actual && !upgradedDefault) return false;
  }
  if (sourcePath !== undefined && sourcePath !== '' && sourcePath !== '/') {
    const path = decodeURIComponent(url.pathname);
    const wantedPath = decodeURIComponent(sourcePath);
    if (wantedPath.endsWith('/') ? !path.startsWith(wantedPath) : path !== wantedPath) return false;
  }
  return true;
}

export interface CspRefusal {
  /** The directive that refused the URL, as the policy spells it (`connect-src`, or `default-src` as the fallback). */
  directive: string;
  /** The directive the load is governed by (`connect-src`), which differs from `directive` when it fell back. */
  effectiveDirective: string;
  /** The directive with its source list, as in the policy. */
  directiveText: string;
}

/** Whether the page's enforced policies refuse `url` for a load of `kind`; the first refusing directive, or undefined. */
export function cspRefusal(policies: readonly string[], kind: RequestKind, url: string, pageUrl: string): CspRefusal | undefined {
  let target: URL;
  let page: URL;
  try {
    target = new URL(url);
    page = new URL(pageUrl);
  } catch {
    return undefined;
  }
  const chain = DIRECTIVES_BY_KIND[kind] ?? DIRECTIVES_BY_KIND.other;
  for (const header of policies) {
    for (const policy of parsePolicies(header)) {
      const name = [...chain, 'default-src'].find((d) => policy.has(d));
      if (name === undefined) continue;
      const sources = policy.get(name)!;
      const allowed = sources.some((source) => sourceMatches(source, target, page));
      if (!allowed) {
        return { directive: name, effectiveDirective: chain[0]!, directiveText: [name, ...sources].join(' ') };
      }
    }
  }
  return undefined;
}

export function detectContentSecurityPolicy(s: BlockerSignals): BlockerFinding | undefined {
  const page = s.page;
  if (page === undefined || page.csp === undefined || page.csp.length === 0) return undefined;
  // The request never left: no status, and an empty (or no) net error.
  if (s.status === 0 && (s.netError === '' || s.netError === undefined) && s.responseHeaderCount === 0) {
    const refusal = cspRefusal(page.csp, s.exchange.kind, s.url, page.url);
    if (refusal === undefined) return undefined;
    return { family: 'csp', kind: 'request', netError: s.netError ?? '', hop: s.hopIndex, values: { url: s.url, pageUrl: page.url, ...refusal } };
  }
  // A redirect whose target the policy refuses: the hop before it is recorded aborted.
  const location = s.hop.response?.redirectURL;
  if (s.netError === 'net::ERR_ABORTED' && location !== undefined) {
    const refusal = cspRefusal(page.csp, s.exchange.kind, location, page.url);
    if (refusal === undefined) return undefined;
    return { family: 'csp', kind: 'redirect-target', netError: s.netError, hop: s.hopIndex, values: { url: location, redirectedFrom: s.url, pageUrl: page.url, ...refusal } };
  }
  return undefined;
}
