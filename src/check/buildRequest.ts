/**
 * The request a page would make, and the headers Chromium puts on the wire for it: what script may set (forbidden
 * request headers are dropped, as fetch and XHR drop them), what the browser adds (Origin, Sec-Fetch-*, Accept,
 * Referer, User-Agent), and the preflight Chromium sends (OPTIONS with Access-Control-Request-Method and the sorted,
 * lower-case Access-Control-Request-Headers). Whether a preflight is needed is the engine's own decision
 * (src/engine/requestClassification.ts), never re-derived here. See ../shared/research/cors-checks.md §2.
 */
import type { HeaderLine, RequestKind } from '../model/exchange.js';
import { serializeOrigin } from '../model/origin.js';
import {
  decidePreflight,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  normalizeMethod,
} from '../engine/requestClassification.js';
import { isHttpToken } from '../engine/allowList.js';
import { TOOL_VERSION } from '../model/toolVersion.js';

/** How the page loads the resource: decides the request's destination, its Accept header and Chrome's `{kind}` word. */
export type CheckKind = 'fetch' | 'xhr' | 'font' | 'image' | 'script';
export const CHECK_KINDS: readonly CheckKind[] = ['fetch', 'xhr', 'font', 'image', 'script'];

/** What the user asks to check: the page's request, in the page's terms. */
export interface CheckRequestInput {
  url: string;
  /** The page's origin (`https://app.example`), or `null` for an opaque origin (sandboxed iframe, data: document). */
  origin: string;
  /** As the script writes it; fetch upper-cases only DELETE/GET/HEAD/OPTIONS/POST/PUT. Default GET. */
  method?: string;
  /** Headers the script sets, in order, as `[name, value]` or `'Name: value'`. */
  headers?: readonly (HeaderLine | string)[];
  /** fetch `credentials: 'include'`, XHR `withCredentials`, `crossorigin="use-credentials"`. */
  credentials?: boolean;
  /** The Content-Type the page sets (or its body's type). */
  contentType?: string;
  /** The request body as text. */
  body?: string;
  kind?: CheckKind;
  /**
   * The Cookie header the browser's cookie jar would add (`name=value; other=value`), sent on the actual request to the
   * URL's host when `credentials` is set; never on a preflight.
   */
  cookie?: string;
}

/** A header the page asked for that the browser would not send, and why. */
export interface DroppedHeader {
  name: string;
  reason: string;
}

/** The page's request, validated: what the browser would accept from script. */
export interface PageRequest {
  url: string;
  /** Serialized page origin, or `null`. */
  initiatorOrigin: string;
  /** After fetch's normalization (`put` → `PUT`, `patch` stays `patch`). */
  method: string;
  kind: CheckKind;
  credentials: 'include' | 'same-origin';
  /** The headers script set that the browser keeps, duplicates combined with ", " as fetch's Headers does. */
  authorHeaders: HeaderLine[];
  dropped: DroppedHeader[];
  body?: string;
  cookie?: string;
  /** Any method but GET, HEAD and OPTIONS may change data on the server. */
  changesData: boolean;
  /** What the browser changes before sending (an image upgraded to https on an https page). */
  notes: string[];
}

/** Input a browser would refuse (fetch throws a TypeError) or that `check` cannot send. */
export class CheckInputError extends Error {
  override readonly name = 'CheckInputError';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Chromium's request destination and default Accept per kind of load. */
const DESTINATIONS: Readonly<Record<CheckKind, { dest: string; accept: string; engineKind: RequestKind }>> = {
  fetch: { dest: 'empty', accept: '*/*', engineKind: 'fetch' },
  xhr: { dest: 'empty', accept: '*/*', engineKind: 'xhr' },
  font: { dest: 'font', accept: '*/*', engineKind: 'font' },
  image: { dest: 'image', accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', engineKind: 'image' },
  script: { dest: 'script', accept: '*/*', engineKind: 'script' },
};

export function engineKindOf(kind: CheckKind): RequestKind {
  return DESTINATIONS[kind].engineKind;
}

/**
 * Chromium 156's User-Agent shape, marked as cors-lens so server logs can tell the check from a user. Servers that
 * vary on the User-Agent see a browser.
 */
export const CHECK_USER_AGENT = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 cors-lens/${TOOL_VERSION}`;
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** HTTP whitespace fetch strips from both ends of a header value. */
function trimValue(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

function parseHeaderArgument(header: HeaderLine | string): HeaderLine {
  if (typeof header !== 'string') return [header[0], header[1]];
  const colon = header.indexOf(':');
  if (colon <= 0) throw new CheckInputError(`a header is "Name: value", not ${JSON.stringify(header)}`);
  return [header.slice(0, colon).trim(), header.slice(colon + 1)];
}

/** The origin argument: a serialized http(s) origin, or `null`. */
export function readPageOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (trimmed === 'null') return 'null';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new CheckInputError(`--origin must be the page's origin, e.g. https://app.example.com (or null), not ${JSON.stringify(origin)}`);
  }
  const serialized = serializeOrigin(trimmed);
  if (serialized === undefined || serialized === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CheckInputError(`--origin must be an http(s) origin or null, not ${JSON.stringify(origin)}`);
  }
  if (trimmed.replace(/\/$/, '') !== serialized) {
    throw new CheckInputError(`--origin is an origin (scheme, host and port only): ${JSON.stringify(origin)} would be sent as ${serialized}`);
  }
  return serialized;
}

function readUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CheckInputError(`not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckInputError(`check sends http and https requests only, not ${url.protocol} (${raw})`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch throws for a URL with credentials in it.
    throw new CheckInputError(`fetch refuses a URL with a user name or password in it (${url.host})`);
  }
  url.hash = '';
  return url.href;
}

/**
 * Whether Chromium treats an http URL as potentially trustworthy (so an https page may load it): loopback addresses and
 * `localhost` names.
 */
export function isPotentiallyTrustworthy(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/** An https page loading an http URL that is not potentially trustworthy: Chromium's mixed-content rules apply first. */
export function isMixedContent(initiatorOrigin: string, url: string): boolean {
  return initiatorOrigin.startsWith('https:') && !isPotentiallyTrustworthy(url);
}

/** Validates the page's request as fetch/XHR would, and drops what the browser would drop. */
export function buildPageRequest(input: CheckRequestInput): PageRequest {
  const kind = input.kind ?? 'fetch';
  if (!CHECK_KINDS.includes(kind)) throw new CheckInputError(`kind must be one of ${CHECK_KINDS.join(', ')}, not ${JSON.stringify(kind)}`);
  let url = readUrl(input.url);
  const initiatorOrigin = readPageOrigin(input.origin);
  const notes: string[] = [];
  if (isMixedContent(initiatorOrigin, url)) {
    if (kind !== 'image') {
      throw new CheckInputError(
        `Chromium never sends this request: an https page loading ${url} is mixed content, blocked before CORS is checked (console: "Mixed Content: … This request has been blocked; the content must be served over HTTPS."). Serve it over https.`,
      );
    }
    // Chromium upgrades a mixed-content image to https rather than blocking it.
    url = `https:${url.slice('http:'.length)}`;
    notes.push(`an https page's http image is upgraded to https by Chromium (mixed-content autoupgrade): checked ${url}`);
  }
  if (input.cookie !== undefined) {
    if (!input.credentials) throw new CheckInputError('a cookie goes to another origin only with credentials: add --credentials');
    if (/[\0\r\n]/.test(input.cookie)) throw new CheckInputError('the cookie holds a NUL, CR or LF');
  }
  const rawMethod = input.method ?? 'GET';
  if (!isHttpToken(rawMethod)) throw new CheckInputError(`${JSON.stringify(rawMethod)} is not a valid HTTP method`);
  if (isForbiddenMethod(rawMethod)) throw new CheckInputError(`the browser never sends ${rawMethod} from script (fetch throws a TypeError)`);
  const method = normalizeMethod(rawMethod);

  if (kind === 'font' || kind === 'image' || kind === 'script') {
    if (method !== 'GET') throw new CheckInputError(`a ${kind} is always loaded with GET`);
    if ((input.headers ?? []).length > 0 || input.contentType !== undefined || input.body !== undefined) {
      throw new CheckInputError(`a ${kind} load carries no headers or body set by script`);
    }
    if (kind === 'font' && input.credentials) throw new CheckInputError('a font is always fetched with credentials mode "same-origin": --credentials does not apply');
  }
  if (input.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new CheckInputError(`a ${method} request cannot have a body (fetch throws a TypeError)`);
  }

  const dropped: DroppedHeader[] = [];
  const combined: HeaderLine[] = [];
  const lines = (input.headers ?? []).map(parseHeaderArgument);
  if (input.contentType !== undefined) {
    if (lines.some(([name]) => name.toLowerCase() === 'content-type')) {
      throw new CheckInputError('give the Content-Type once: either --content-type or --header "Content-Type: …"');
    }
    lines.push(['Content-Type', input.contentType]);
  } else if (input.body !== undefined && !lines.some(([name]) => name.toLowerCase() === 'content-type')) {
    // A string body gets this type from fetch and XHR unless the script sets one.
    lines.push(['Content-Type', 'text/plain;charset=UTF-8']);
  }
  for (const [rawName, rawValue] of lines) {
    const name = rawName;
    const value = trimValue(rawValue);
    if (!isHttpToken(name)) throw new CheckInputError(`${JSON.stringify(name)} is not a valid header name (fetch throws a TypeError)`);
    if (/[\0\r\n]/.test(value)) throw new CheckInputError(`the value of ${name} holds a NUL, CR or LF (fetch throws a TypeError)`);
    if (isForbiddenRequestHeader(name, value, 'chromium')) {
      dropped.push({ name, reason: 'a forbidden request header: script cannot set it, so the browser leaves it out' });
      continue;
    }
    const existing = combined.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (existing >= 0) {
      const [firstName, firstValue] = combined[existing]!;
      combined[existing] = [firstName, `${firstValue}, ${value}`];
    } else combined.push([name, value]);
  }

  const request: PageRequest = {
    url,
    initiatorOrigin,
    method,
    kind,
    credentials: input.credentials ? 'include' : 'same-origin',
    authorHeaders: combined,
    dropped,
    changesData: !SAFE_METHODS.has(method),
    notes,
  };
  if (input.body !== undefined) request.body = input.body;
  if (input.cookie !== undefined && input.cookie.trim() !== '') request.cookie = input.cookie.trim();
  return request;
}

/** One request on the wire: method, URL, and the header lines in the order they are sent. */
export interface WireRequest {
  method: string;
  url: string;
  headers: HeaderLine[];
  body?: string;
}

/** Where one hop of the chain stands: the URL, the method and author headers after any redirect, the origin sent. */
export interface HopState {
  url: string;
  method: string;
  authorHeaders: HeaderLine[];
  body?: string;
  /** The Origin the browser sends on this hop: the page's, or `null` once a redirect tainted the request. */
  originSent: string;
  /** The request is cross-origin to the page at this hop or was at an earlier one (Chromium's sticky CORS flag). */
  corsFlag: boolean;
  /** Sec-Fetch-Site over the URLs visited so far. */
  site: FetchSite;
}

export type FetchSite = 'same-origin' | 'same-site' | 'cross-site';

const SITE_RANK: Readonly<Record<FetchSite, number>> = { 'same-origin': 0, 'same-site': 1, 'cross-site': 2 };

/**
 * Sec-Fetch-Site of `url` for a page of `initiatorOrigin`, no less cross than `before` (the value covers every URL of
 * the chain). Same-site is approximated without the public-suffix list: same scheme and the same host name, or the same
 * last two labels of a domain name.
 */
export function fetchSite(initiatorOrigin: string, url: string, before: FetchSite = 'same-origin'): FetchSite {
  let site: FetchSite;
  const target = serializeOrigin(url);
  if (initiatorOrigin === 'null' || target === undefined) site = 'cross-site';
  else if (target === initiatorOrigin) site = 'same-origin';
  else {
    const a = new URL(initiatorOrigin);
    const b = new URL(url);
    const registrable = (host: string) => (/^[\d.]+$|^\[/.test(host) ? host : host.split('.').slice(-2).join('.'));
    site = a.protocol === b.protocol && registrable(a.hostname) === registrable(b.hostname) ? 'same-site' : 'cross-site';
  }
  return SITE_RANK[site] >= SITE_RANK[before] ? site : before;
}

/** The Referer under Chromium's default policy (strict-origin-when-cross-origin), knowing only the page's origin. */
function refererFor(initiatorOrigin: string, url: string): string | undefined {
  if (initiatorOrigin === 'null') return undefined;
  if (initiatorOrigin.startsWith('https:') && url.startsWith('http:')) return undefined;
  return `${initiatorOrigin}/`;
}

/** The headers Chromium sends for the actual request at one hop: the page's, then what the browser adds. */
export function actualRequest(page: PageRequest, hop: HopState): WireRequest {
  const headers: HeaderLine[] = [...hop.authorHeaders];
  if (!headers.some(([name]) => name.toLowerCase() === 'accept')) headers.push(['Accept', DESTINATIONS[page.kind].accept]);
  // Fetch's "append a request Origin header": always for CORS requests, and for any method but GET and HEAD.
  if (hop.corsFlag || (hop.method !== 'GET' && hop.method !== 'HEAD')) headers.push(['Origin', hop.originSent]);
  headers.push(['Sec-Fetch-Site', hop.site], ['Sec-Fetch-Mode', 'cors'], ['Sec-Fetch-Dest', DESTINATIONS[page.kind].dest]);
  headers.push(['User-Agent', CHECK_USER_AGENT]);
  const referer = refererFor(page.initiatorOrigin, hop.url);
  if (referer !== undefined) headers.push(['Referer', referer]);
  headers.push(['Accept-Encoding', ACCEPT_ENCODING]);
  // The cookie jar's cookies for the page's URL: only to that host, and only with credentials.
  if (page.cookie !== undefined && page.credentials === 'include' && new URL(hop.url).host === new URL(page.url).host) {
    headers.push(['Cookie', page.cookie]);
  }
  const wire: WireRequest = { method: hop.method, url: hop.url, headers };
  if (hop.body !== undefined) wire.body = hop.body;
  return wire;
}

/** Whether this hop needs a preflight, by the engine's rules: only a CORS request can, then by method and headers. */
export function needsPreflight(hop: HopState): { required: boolean; method: string; unsafeHeaders: string[] } {
  if (!hop.corsFlag) return { required: false, method: hop.method, unsafeHeaders: [] };
  const decision = decidePreflight({ method: hop.method, headers: hop.authorHeaders, rules: 'chromium' });
  return { required: decision.required === true, method: decision.method ?? hop.method, unsafeHeaders: decision.unsafeHeaders ?? [] };
}

/** The OPTIONS request Chromium sends ahead of the hop: no cookies, no author headers, the Access-Control-Request-* pair. */
export function preflightRequest(page: PageRequest, hop: HopState, decision: { method: string; unsafeHeaders: string[] }): WireRequest {
  // The engine's list is already lower-case and sorted, as Chromium sends it.
  const unsafe = decision.unsafeHeaders;
  const headers: HeaderLine[] = [['Accept', '*/*'], ['Access-Control-Request-Method', decision.method]];
  if (unsafe.length > 0) headers.push(['Access-Control-Request-Headers', unsafe.join(',')]);
  headers.push(['Origin', hop.originSent]);
  headers.push(['Sec-Fetch-Mode', 'cors'], ['Sec-Fetch-Site', hop.site], ['Sec-Fetch-Dest', DESTINATIONS[page.kind].dest]);
  headers.push(['User-Agent', CHECK_USER_AGENT]);
  const referer = refererFor(page.initiatorOrigin, hop.url);
  if (referer !== undefined) headers.push(['Referer', referer]);
  headers.push(['Accept-Encoding', ACCEPT_ENCODING]);
  return { method: 'OPTIONS', url: hop.url, headers };
}

const REQUEST_BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

/**
 * The hop after a redirect the browser follows (Fetch "HTTP-redirect fetch"): 301/302 turn POST into GET and 303 any
 * method but GET/HEAD, dropping the body and its headers; Authorization goes when the redirect leaves the origin; the
 * request is tainted (Origin: null from then on) when it leaves an origin that is not the page's.
 */
export function nextHop(page: PageRequest, hop: HopState, status: number, location: string): HopState {
  let method = hop.method;
  let authorHeaders = hop.authorHeaders;
  let body = hop.body;
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET';
    body = undefined;
    authorHeaders = authorHeaders.filter(([name]) => !REQUEST_BODY_HEADERS.has(name.toLowerCase()));
  }
  const currentOrigin = serializeOrigin(hop.url);
  const nextOrigin = serializeOrigin(location);
  if (currentOrigin !== nextOrigin) authorHeaders = authorHeaders.filter(([name]) => name.toLowerCase() !== 'authorization');
  const taints = nextOrigin !== currentOrigin && page.initiatorOrigin !== currentOrigin;
  const corsFlag = hop.corsFlag || page.initiatorOrigin === 'null' || nextOrigin !== page.initiatorOrigin;
  const next: HopState = {
    url: location,
    method,
    authorHeaders,
    originSent: taints ? 'null' : hop.originSent,
    corsFlag,
    site: fetchSite(page.initiatorOrigin, location, hop.site),
  };
  if (body !== undefined) next.body = body;
  return next;
}

/** The first hop: the URL the page asked for. */
export function firstHop(page: PageRequest): HopState {
  const hop: HopState = {
    url: page.url,
    method: page.method,
    authorHeaders: page.authorHeaders,
    originSent: page.initiatorOrigin,
    corsFlag: page.initiatorOrigin === 'null' || serializeOrigin(page.url) !== page.initiatorOrigin,
    site: fetchSite(page.initiatorOrigin, page.url),
  };
  if (page.body !== undefined) hop.body = page.body;
  return hop;
}
