/**
 * Risk warnings (issue 7): CORS configurations that work today but are risky or fragile. Pure and fast: it runs on
 * every exchange of a 10,000-entry HAR, reads only captured headers, and never changes the engine's verdict.
 *
 * Which exchanges get warnings:
 * - Every rule except `duplicatedCorsHeaders` applies only when the engine's verdict is `allowed`: on a blocked or
 *   unknown exchange the failure (or what is missing) is the story, and a warning would be a guess.
 * - `duplicatedCorsHeaders` applies to any verdict with a captured response, because the repeated lines are a fact of
 *   the capture; it leaves out an Allow-Origin repeat when the failure already is "multiple Allow-Origin values".
 *
 * The "origin looks echoed" rule also needs what other exchanges saw: see `WarningContext` below.
 * The words live in ./warningTexts.ts, keyed by warning id.
 *
 * Why one file over 400 lines: each rule is a short function over the same header readings, and the order they run in
 * (and which skip which) is read best in one place; a rule is found by its id.
 */
import type { CapturedExchange, EngineResult, Hop, ResponseSnapshot } from '../model/exchange.js';
import { headerIndexOf, trimHttpWhitespace, type HeaderIndex } from '../model/headers.js';
import type { Warning } from './report.js';
import { WARNING_TEXTS, warningIdOfTextKey, type WarningId, type WarningTextKey } from './warningTexts.js';
import { lookupOwn } from '../model/lookup.js';

export type { WarningId } from './warningTexts.js';

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Context shared across exchanges

/**
 * A small incremental index for the rule that needs more than one exchange: "the same resource echoed two different
 * origins back with credentials allowed", which is what a server that copies any Origin looks like from the outside.
 *
 * How a store uses it (src/store/exchangeStore.ts):
 * 1. Keep one context per store: `const warningContext = createWarningContext()`; `clear()` makes a new one.
 * 2. Each time an exchange is created or updated, call `observeExchange(warningContext, exchange)` **before**
 *    `findWarnings(exchange, result, warningContext)`. It is O(1) amortized (one map lookup, sets of at most a few
 *    entries per resource) and returns the ids of *earlier* exchanges whose warnings just changed.
 * 3. Recompute `findWarnings` for those ids (when still in the store) and report them as `updated`.
 * With that, feeding entries one by one or all at once gives the same warnings. Dropping exchanges by the cap needs no
 * call: the index remembers what the server did, not which exchanges are kept.
 */
export interface WarningContext {
  /** Resource key (`scheme://host[:port]/path`, no query or fragment) → what it echoed. */
  readonly echoedOriginsByResource: Map<string, EchoedOrigins>;
}

export interface EchoedOrigins {
  /** The first two distinct Allow-Origin values this resource echoed back with credentials allowed. */
  readonly origins: string[];
  /** Exchanges seen while only one origin was known: their warnings change when a second one arrives. `null` after. */
  waiting: Set<string> | null;
}

export function createWarningContext(): WarningContext {
  return { echoedOriginsByResource: new Map() };
}

/**
 * Records what this exchange tells about its resource. Returns the ids of earlier exchanges (never this one) whose
 * warnings must be recomputed; usually empty.
 */
export function observeExchange(context: WarningContext, exchange: CapturedExchange): string[] {
  const echo = credentialedEcho(exchange);
  if (echo === undefined) return [];
  const key = resourceKey(echo.url);
  let entry = context.echoedOriginsByResource.get(key);
  if (entry === undefined) {
    entry = { origins: [echo.origin], waiting: new Set([exchange.id]) };
    context.echoedOriginsByResource.set(key, entry);
    return [];
  }
  if (entry.waiting === null) return [];
  if (entry.origins.includes(echo.origin)) {
    entry.waiting.add(exchange.id);
    return [];
  }
  entry.origins.push(echo.origin);
  const refresh = [...entry.waiting].filter((id) => id !== exchange.id);
  entry.waiting = null;
  return refresh;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// The rules

/** Every risk warning that applies to one exchange, in a fixed order (by rule, then by severity of the finding). */
export function findWarnings(exchange: CapturedExchange, result: EngineResult, context?: WarningContext): Warning[] {
  const warnings: Warning[] = [];
  const last = lastAnsweredHop(exchange);
  if (result.verdict === 'allowed' && last !== undefined) {
    const facts = readFinalResponse(exchange, last.hop, last.response);
    pushAll(warnings, allowOriginLooksReflected(facts, context));
    pushAll(warnings, nullOriginAllowed(facts));
    pushAll(warnings, insecureOriginTrusted(facts));
    pushAll(warnings, wildcardOriginOnSensitiveResponse(facts));
    pushAll(warnings, allowOriginWithoutVaryOrigin(facts));
    pushAll(warnings, maxAgeAboveBrowserCap(exchange));
    pushAll(warnings, wildcardIsLiteralUnderCredentials(exchange, facts));
    pushAll(warnings, customHeadersNotExposed(exchange, facts));
  }
  pushAll(warnings, duplicatedCorsHeaders(exchange, result));
  return warnings;
}

/** What the rules read of the response the page got (the last hop with a response). */
interface FinalResponseFacts {
  requestUrl: string;
  requestMethod: string;
  requestHeaders: HeaderIndex;
  /** The Origin the server saw, or the initiator's origin when the capture lacks the header. */
  requestOrigin: string | undefined;
  response: ResponseSnapshot;
  responseHeaders: HeaderIndex;
  allowOrigin: string | undefined;
  credentialsAllowed: boolean;
}

function readFinalResponse(exchange: CapturedExchange, hop: Hop, response: ResponseSnapshot): FinalResponseFacts {
  const requestHeaders = headerIndexOf(hop.request);
  const responseHeaders = headerIndexOf(response);
  const sentOrigin = hop.request.provisionalHeaders ? undefined : requestHeaders.get('origin');
  return {
    requestUrl: hop.request.url,
    requestMethod: hop.request.method,
    requestHeaders,
    requestOrigin: sentOrigin ?? exchange.initiatorOrigin,
    response,
    responseHeaders,
    allowOrigin: responseHeaders.get('access-control-allow-origin'),
    credentialsAllowed: responseHeaders.get('access-control-allow-credentials') === 'true',
  };
}

/** Credentials allowed for an Allow-Origin that equals the request's Origin: the one shape an echoing server shows. */
function allowOriginLooksReflected(facts: FinalResponseFacts, context: WarningContext | undefined): Warning | undefined {
  const { allowOrigin, requestOrigin } = facts;
  if (!facts.credentialsAllowed || allowOrigin === undefined || allowOrigin !== requestOrigin) return undefined;
  if (allowOrigin === 'null' || allowOrigin === '*') return undefined; // nullOriginAllowed covers `null`

  const seen = context?.echoedOriginsByResource.get(resourceKey(facts.requestUrl));
  if (seen !== undefined && seen.origins.length >= 2) {
    const other = seen.origins.find((origin) => origin !== allowOrigin) ?? seen.origins[0]!;
    return makeWarning('allowOriginLooksReflected.variesPerRequest', {
      origin: allowOrigin,
      otherOrigin: other,
      resource: resourceKey(facts.requestUrl),
    });
  }

  const origin = parseOrigin(allowOrigin);
  const resourceHost = parseOrigin(facts.requestUrl)?.host;
  if (origin === undefined || resourceHost === undefined) return undefined;
  if (origin.host === resourceHost) return undefined;

  const domain = registrableDomainGuess(resourceHost);
  if (domain !== undefined && origin.host !== domain && !origin.host.endsWith(`.${domain}`) && origin.host.includes(domain)) {
    return makeWarning('allowOriginLooksReflected.lookAlikeDomain', { origin: allowOrigin, domain });
  }
  if (origin.scheme !== 'http' && origin.scheme !== 'https') {
    return makeWarning('allowOriginLooksReflected.unusualScheme', { origin: allowOrigin, scheme: `${origin.scheme}:` });
  }
  const suffix = SHARED_HOSTING_SUFFIXES.find((s) => origin.host.endsWith(`.${s}`));
  if (suffix !== undefined && !resourceHost.endsWith(`.${suffix}`)) {
    return makeWarning('allowOriginLooksReflected.sharedHosting', { origin: allowOrigin, host: origin.host, suffix });
  }
  if (isLocalHost(origin.host) && !isLocalHost(resourceHost)) {
    return makeWarning('allowOriginLooksReflected.localOrigin', { origin: allowOrigin, resourceHost });
  }
  return undefined;
}

function nullOriginAllowed(facts: FinalResponseFacts): Warning | undefined {
  if (facts.allowOrigin !== 'null') return undefined;
  return makeWarning(
    'nullOriginAllowed',
    { credentialsClause: facts.credentialsAllowed ? ' with the user\'s cookies' : '' },
    facts.credentialsAllowed ? 'high' : undefined,
  );
}

/** An http:// origin trusted by an https:// resource. Loopback origins are left out (a network attacker cannot reach them). */
function insecureOriginTrusted(facts: FinalResponseFacts): Warning | undefined {
  if (!startsWithIgnoringCase(facts.requestUrl, 'https:') || facts.allowOrigin === undefined) return undefined;
  // An allowed exchange's Allow-Origin is `*`, `null` or the request's serialized origin: an http origin starts so
  // (the URL parse below is for the host, and most values are not http at all).
  if (!startsWithIgnoringCase(facts.allowOrigin, 'http:')) return undefined;
  const origin = parseOrigin(facts.allowOrigin);
  if (origin === undefined || origin.scheme !== 'http' || isLoopbackHost(origin.host)) return undefined;
  return makeWarning(
    'insecureOriginTrusted',
    {
      origin: facts.allowOrigin,
      credentialsClause: facts.credentialsAllowed ? ' with credentials' : '',
    },
    facts.credentialsAllowed ? 'high' : undefined,
  );
}

/** `*` on a response that sets cookies, or that answers (or carries) an Authorization header. */
function wildcardOriginOnSensitiveResponse(facts: FinalResponseFacts): Warning | undefined {
  if (facts.allowOrigin !== '*') return undefined;
  const reasons: string[] = [];
  if (facts.responseHeaders.has('set-cookie')) reasons.push('sets cookies');
  if (facts.requestHeaders.has('authorization')) reasons.push('answers a request that carried an Authorization header');
  else if (facts.responseHeaders.has('authorization')) reasons.push('carries an Authorization header');
  if (reasons.length === 0) return undefined;
  return makeWarning('wildcardOriginOnSensitiveResponse', { sensitiveWhat: reasons.join(' and ') });
}

/** Statuses a cache may store without explicit freshness (RFC 9110 §15.1 "heuristically cacheable"). */
const HEURISTICALLY_CACHEABLE_STATUSES = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

function allowOriginWithoutVaryOrigin(facts: FinalResponseFacts): Warning | undefined {
  const { allowOrigin, response } = facts;
  if (allowOrigin === undefined || allowOrigin === '*') return undefined;
  const method = facts.requestMethod.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (!HEURISTICALLY_CACHEABLE_STATUSES.has(response.status)) return undefined;
  const vary = listItems(facts.responseHeaders.get('vary')).map((v) => v.toLowerCase());
  if (vary.includes('origin') || vary.includes('*')) return undefined;
  const cacheReason = whyReusable(facts.responseHeaders);
  if (cacheReason === undefined) return undefined;
  return makeWarning('allowOriginWithoutVaryOrigin', { origin: allowOrigin, cacheReason });
}

/** Why a cache may reuse this response, or `undefined` when it may not (no-store, or nothing to reuse it by). */
function whyReusable(headers: HeaderIndex): string | undefined {
  const directives = listItems(headers.get('cache-control')).map((d) => d.toLowerCase());
  if (directives.includes('no-store')) return undefined;
  for (const directive of directives) {
    const match = /^(s-maxage|max-age)\s*=\s*"?(\d+)"?$/.exec(directive);
    if (match && Number(match[2]) > 0) return `Cache-Control: ${match[1]}=${match[2]}`;
  }
  if (headers.has('expires') && !directives.some((d) => d.startsWith('max-age'))) return 'it has an Expires header';
  if (headers.has('etag')) return 'it has an ETag, so it is revalidated and reused';
  if (headers.has('last-modified')) return 'it has a Last-Modified date, so it is revalidated and reused';
  return undefined;
}

/** Chromium caps the preflight cache at 7200 s, Firefox at 86400 s (cors-checks.md §3.4). */
const CHROMIUM_MAX_AGE_CAP_SECONDS = 7200;

function maxAgeAboveBrowserCap(exchange: CapturedExchange): Warning | undefined {
  let largest: string | undefined;
  for (const hop of exchange.hops) {
    const response = hop.preflight?.response;
    if (response === undefined) continue;
    const value = headerIndexOf(response).get('access-control-max-age');
    if (value === undefined || !/^\d{1,30}$/.test(value)) continue;
    if (Number(value) > CHROMIUM_MAX_AGE_CAP_SECONDS && (largest === undefined || Number(value) > Number(largest))) {
      largest = value;
    }
  }
  return largest === undefined ? undefined : makeWarning('maxAgeAboveBrowserCap', { maxAge: largest });
}

/** `*` in Allow-Methods / Allow-Headers (preflight) or Expose-Headers (response) on a response that allows credentials. */
function wildcardIsLiteralUnderCredentials(exchange: CapturedExchange, facts: FinalResponseFacts): Warning | undefined {
  const headersWithStar: string[] = [];
  const examples: string[] = [];
  for (const hop of exchange.hops) {
    const preflight = hop.preflight;
    const response = preflight?.response;
    if (preflight === undefined || response === undefined) continue;
    const responseHeaders = headerIndexOf(response);
    if (responseHeaders.get('access-control-allow-credentials') !== 'true') continue;
    const requestHeaders = headerIndexOf(preflight.request);
    const methods = listItems(responseHeaders.get('access-control-allow-methods'));
    if (methods.includes('*') && !headersWithStar.includes('Access-Control-Allow-Methods')) {
      headersWithStar.push('Access-Control-Allow-Methods');
      const requested = requestHeaders.get('access-control-request-method');
      examples.push(uniqueJoin([...methods.filter((m) => m !== '*'), ...(requested ? [requested] : [])], 'GET, POST, PUT, DELETE'));
    }
    const allowHeaders = listItems(responseHeaders.get('access-control-allow-headers'));
    if (allowHeaders.includes('*') && !headersWithStar.includes('Access-Control-Allow-Headers')) {
      headersWithStar.push('Access-Control-Allow-Headers');
      const requested = listItems(requestHeaders.get('access-control-request-headers'));
      examples.push(uniqueJoin([...allowHeaders.filter((h) => h !== '*'), ...requested], 'Content-Type, Authorization'));
    }
  }
  if (facts.credentialsAllowed) {
    const exposed = listItems(facts.responseHeaders.get('access-control-expose-headers'));
    if (exposed.includes('*')) {
      headersWithStar.push('Access-Control-Expose-Headers');
      examples.push(uniqueJoin(exposed.filter((h) => h !== '*'), 'X-Total-Count'));
    }
  }
  if (headersWithStar.length === 0) return undefined;
  return makeWarning('wildcardIsLiteralUnderCredentials', {
    header: headersWithStar.join(' and '),
    example: examples.join('` and `'),
  });
}

/** The CORS-safelisted response-header names (always readable). */
const SAFELISTED_RESPONSE_HEADERS = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** Response headers an API sets for its callers to read; `x-*` names count too unless listed as infrastructure below. */
const APPLICATION_RESPONSE_HEADERS = new Set([
  'link',
  'location',
  'retry-after',
  'content-disposition',
  'content-range',
  'ratelimit',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
]);

/** `x-*` headers set by servers, proxies and CDNs for their own purposes, which pages do not read. */
const INFRASTRUCTURE_HEADER_PREFIXES = [
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'x-powered-by',
  'x-aspnet',
  'x-robots-tag',
  'x-ua-compatible',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-runtime',
  'x-cache',
  'x-served-by',
  'x-timer',
  'x-varnish',
  'x-proxy-',
  'x-amz-',
  'x-amzn-',
  'x-fastly-',
  'x-nf-',
  'x-vercel-',
  'x-envoy-',
  'x-cloud-trace-context',
  'x-goog-',
  'x-github-',
  'x-gitlab-',
  'x-litespeed-',
  'x-turbo-charged-by',
  'x-firefox-spdy',
];

const MAX_LISTED_HEADERS = 6;

function customHeadersNotExposed(exchange: CapturedExchange, facts: FinalResponseFacts): Warning | undefined {
  if (exchange.kind !== 'fetch' && exchange.kind !== 'xhr') return undefined;
  const { response, responseHeaders } = facts;
  if (response.status >= 300 && response.status < 400) return undefined;
  // A Set: both lists can be long in a hostile capture, and a scan per header would be quadratic.
  const exposed = new Set(listItems(responseHeaders.get('access-control-expose-headers')).map((h) => h.toLowerCase()));
  if (exposed.has('*') && !facts.credentialsAllowed) return undefined;
  const hidden: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < responseHeaders.lineCount; i++) {
    const name = responseHeaders.nameAt(i);
    const lower = name.trim().toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (!isApplicationHeader(lower) || exposed.has(lower)) continue;
    if (lower === 'location' && response.status !== 201) continue;
    hidden.push(name.trim());
  }
  if (hidden.length === 0) return undefined;
  const shown = hidden.slice(0, MAX_LISTED_HEADERS);
  const more = hidden.length - shown.length;
  return makeWarning('customHeadersNotExposed', {
    headers: shown.join(', ') + (more > 0 ? ` and ${more} more` : ''),
    headerList: hidden.join(', '),
  });
}

function isApplicationHeader(lowerName: string): boolean {
  if (SAFELISTED_RESPONSE_HEADERS.has(lowerName)) return false;
  if (APPLICATION_RESPONSE_HEADERS.has(lowerName)) return true;
  if (!lowerName.startsWith('x-')) return false;
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(lowerName)) return false; // not a token: a mangled capture, not a header
  return !INFRASTRUCTURE_HEADER_PREFIXES.some((prefix) => lowerName.startsWith(prefix));
}

/** Header names whose repetition changes what the browser reads (joined with ", " they no longer match or parse). */
const REPEAT_BREAKS = new Set(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-max-age']);

function duplicatedCorsHeaders(exchange: CapturedExchange, result: EngineResult): Warning | undefined {
  const failureIsMultipleOrigins =
    result.failure?.chromeCorsError === 'MultipleAllowOriginValues' ||
    result.failure?.chromeCorsError === 'PreflightMultipleAllowOriginValues';
  const places: { where: string; counts: Map<string, { name: string; count: number }> }[] = [];
  exchange.hops.forEach((hop, index) => {
    const suffix = exchange.hops.length > 1 ? ` (hop ${index + 1})` : '';
    if (hop.preflight?.response) places.push({ where: `preflight response${suffix}`, counts: countCorsLines(headerIndexOf(hop.preflight.response)) });
    if (hop.response) places.push({ where: `response${suffix}`, counts: countCorsLines(headerIndexOf(hop.response)) });
  });
  for (const place of places) {
    const repeated = [...place.counts.entries()].filter(
      ([lower, { count }]) => count > 1 && !(failureIsMultipleOrigins && lower === 'access-control-allow-origin'),
    );
    if (repeated.length === 0) continue;
    const breaks = repeated.some(([lower]) => REPEAT_BREAKS.has(lower));
    return makeWarning(
      'duplicatedCorsHeaders',
      {
        headers: repeated.map(([, { name }]) => name).join(', '),
        headerCounts: repeated.map(([, { name, count }]) => `${name} (${count} lines)`).join(', '),
        where: place.where,
      },
      breaks ? 'medium' : undefined,
    );
  }
  return undefined;
}

function countCorsLines(headers: HeaderIndex): Map<string, { name: string; count: number }> {
  const counts = new Map<string, { name: string; count: number }>();
  for (let i = 0; i < headers.lineCount; i++) {
    const name = headers.nameAt(i);
    const lower = name.trim().toLowerCase();
    if (!lower.startsWith('access-control-')) continue;
    const entry = counts.get(lower);
    if (entry) entry.count += 1;
    else counts.set(lower, { name: name.trim(), count: 1 });
  }
  return counts;
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Helpers

/** The last hop that got a response: the response the page (or the next redirect) was judged on. */
function lastAnsweredHop(exchange: CapturedExchange): { hop: Hop; response: ResponseSnapshot } | undefined {
  for (let i = exchange.hops.length - 1; i >= 0; i -= 1) {
    const hop = exchange.hops[i]!;
    if (hop.response !== undefined) return { hop, response: hop.response };
  }
  return undefined;
}

/** Echoed origin + URL when the final response allows credentials for exactly the Origin the request sent. */
function credentialedEcho(exchange: CapturedExchange): { origin: string; url: string } | undefined {
  const last = lastAnsweredHop(exchange);
  if (last === undefined) return undefined;
  const facts = readFinalResponse(exchange, last.hop, last.response);
  const { allowOrigin } = facts;
  if (!facts.credentialsAllowed || allowOrigin === undefined || allowOrigin !== facts.requestOrigin) return undefined;
  if (allowOrigin === 'null' || allowOrigin === '*') return undefined;
  return { origin: allowOrigin, url: facts.requestUrl };
}

/** `scheme://host[:port]/path` of a URL: query and fragment dropped (cache busters make every URL different). */
export function resourceKey(url: string): string {
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const fragment = url.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  return url.slice(0, end);
}

/** Comma-separated items, trimmed, empty ones skipped (as Chromium parses Allow-Methods/-Headers). */
function listItems(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map(trimHttpWhitespace)
    .filter((item) => item.length > 0);
}

function uniqueJoin(items: string[], fallback: string): string {
  const unique = [...new Set(items)];
  return unique.length > 0 ? unique.join(', ') : fallback;
}

function startsWithIgnoringCase(value: string, prefix: string): boolean {
  return value.slice(0, prefix.length).toLowerCase() === prefix;
}

interface ParsedOrigin {
  scheme: string;
  host: string;
}

/** Scheme and host of an origin or URL; `undefined` when it does not parse (or is too long to be one). */
function parseOrigin(value: string): ParsedOrigin | undefined {
  if (value.length > 4096) return undefined;
  try {
    const url = new URL(value);
    const host = url.hostname.toLowerCase();
    if (host === '') return undefined;
    return { scheme: url.protocol.slice(0, -1).toLowerCase(), host };
  } catch {
    return undefined;
  }
}

/**
 * The last two labels of a host (three under a short second-level label such as `co.uk`): a guess at the registrable
 * domain without a public-suffix list. `undefined` for IP addresses and single-label hosts.
 */
function registrableDomainGuess(host: string): string | undefined {
  if (isIpLiteral(host)) return undefined;
  const labels = host.split('.').filter((l) => l.length > 0);
  if (labels.length < 2) return undefined;
  const top = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  const takeThree = labels.length >= 3 && top.length === 2 && ['co', 'com', 'org', 'net', 'gov', 'ac', 'edu', 'ne', 'or'].includes(second);
  return labels.slice(takeThree ? -3 : -2).join('.');
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isLocalHost(host: string): boolean {
  if (isLoopbackHost(host)) return true;
  return (
    /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^192\.168\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^\[f[cd][0-9a-f]{2}:/.test(host) ||
    host.endsWith('.local')
  );
}

/** Hosting domains where anyone can publish a page under their own subdomain. */
const SHARED_HOSTING_SUFFIXES = [
  'github.io',
  'gitlab.io',
  'netlify.app',
  'vercel.app',
  'herokuapp.com',
  'pages.dev',
  'workers.dev',
  'glitch.me',
  'codepen.io',
  'cdpn.io',
  'jsfiddle.net',
  'csb.app',
  'repl.co',
  'replit.dev',
  'ngrok.io',
  'ngrok-free.app',
  'trycloudflare.com',
  'web.app',
  'firebaseapp.com',
  'azurewebsites.net',
  'appspot.com',
  'blogspot.com',
  'surge.sh',
  'onrender.com',
  'fly.dev',
];

const MAX_SHOWN_VALUE_LENGTH = 160;

/**
 * A captured value made safe to place in a sentence: cut to a readable length, and control, bidi and zero-width
 * characters shown as `\u{…}` so they cannot reorder or hide the text around them. (The panel renders text, never
 * HTML; this is about what the reader sees, not about markup.)
 */
export function displaySafe(value: string): string {
  let shown = value;
  if (shown.length > MAX_SHOWN_VALUE_LENGTH) {
    let cut = MAX_SHOWN_VALUE_LENGTH - 1;
    const code = shown.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep surrogate pairs whole
    shown = `${shown.slice(0, cut)}…`;
  }
  return shown.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (ch) => `\\u{${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`,
  );
}

function makeWarning(key: WarningTextKey, values: Record<string, string>, severity?: Warning['severity']): Warning {
  const text = WARNING_TEXTS[key];
  const fill = (template: string): string =>
    template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
      const value = lookupOwn(values, name);
      return value === undefined ? whole : displaySafe(value);
    });
  return {
    id: warningIdOfTextKey(key),
    severity: severity ?? text.severity,
    headline: fill(text.headline),
    explanation: fill(text.explanation),
    fixHint: fill(text.fixHint),
  };
}

function pushAll(into: Warning[], warning: Warning | undefined): void {
  if (warning !== undefined) into.push(warning);
}

/** Every warning id, for documentation and tests. */
export const WARNING_IDS: readonly WarningId[] = [
  ...new Set(Object.keys(WARNING_TEXTS).map((key) => warningIdOfTextKey(key as WarningTextKey))),
];
