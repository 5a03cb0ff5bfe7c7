/**
 * Does the request need a preflight? Method and header classification per the Fetch Standard, with Chromium's
 * departures where Chromium differs (it still forbids User-Agent and safelists a few client hints).
 */
// The parser module alone: the package's index also loads its sniffing tables, which the panel does not need.
import MIMEType from 'whatwg-mimetype/lib/mime-type.js';
import { HeaderIndex } from '../model/headers.js';
import type { BrowserRules, HeaderLines, PreflightDecision } from '../model/exchange.js';

const METHODS_NORMALIZED_TO_UPPER_CASE = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const CORS_SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** fetch and XHR upper-case only DELETE/GET/HEAD/OPTIONS/POST/PUT; everything else (`patch`) is sent as written. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return METHODS_NORMALIZED_TO_UPPER_CASE.has(upper) ? upper : method;
}

/** CONNECT, TRACE and TRACK in any case: script can never send them. */
export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** GET, HEAD, POST (after normalization). */
export function isCorsSafelistedMethod(method: string): boolean {
  return CORS_SAFELISTED_METHODS.has(normalizeMethod(method));
}

const FORBIDDEN_REQUEST_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const METHOD_OVERRIDE_HEADERS = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/**
 * Headers script cannot set, which therefore never count toward a preflight. Chromium still forbids `User-Agent`
 * (the Fetch Standard no longer does, nor does Firefox). HTTP/2 pseudo-headers (`:authority`) in a capture are the
 * network stack's, never the page's.
 */
export function isForbiddenRequestHeader(name: string, value: string, rules: BrowserRules = 'chromium'): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADERS.has(lower)) return true;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-') || lower.startsWith(':')) return true;
  if (lower === 'user-agent') return rules === 'chromium';
  if (METHOD_OVERRIDE_HEADERS.has(lower)) {
    for (const item of value.split(',')) if (isForbiddenMethod(item.trim())) return true;
  }
  return false;
}

/** Bytes the Fetch Standard calls CORS-unsafe in a safelisted header's value. */
const CORS_UNSAFE_BYTE = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 0x20; c++) if (c !== 0x09) table[c] = 1;
  for (const ch of '"():<>?@[\\]{}') table[ch.charCodeAt(0)] = 1;
  table[0x7f] = 1;
  return table;
})();

/** Whether the value holds a CORS-unsafe request-header byte. Non-ASCII counts as safe, as in the standard. */
export function hasCorsUnsafeRequestHeaderByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && CORS_UNSAFE_BYTE[c] === 1) return true;
  }
  return false;
}

/** Length of the value in bytes as it goes on the wire (UTF-8). */
export function byteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const LANGUAGE_VALUE_CHARS = /^[0-9A-Za-z *,\-.;=]*$/;
const SAFELISTED_CONTENT_TYPE_ESSENCES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const SIMPLE_RANGE = /^bytes=(\d+)-(\d*)$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;
const CHROMIUM_ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);
/**
 * Chromium's own additions to the safelist (client hints and `Intervention`); the standard and Firefox preflight them.
 * A Map, not an object literal: the key is a captured header name, and `__proto__` or `constructor` must find nothing.
 */
const CHROMIUM_SAFELIST_EXTENSIONS: ReadonlyMap<string, (value: string) => boolean> = new Map<string, (value: string) => boolean>([
  ['intervention', () => true],
  ['device-memory', (v) => DECIMAL.test(v)],
  ['dpr', (v) => DECIMAL.test(v)],
  ['width', (v) => DECIMAL.test(v)],
  ['viewport-width', (v) => DECIMAL.test(v)],
  ['downlink', (v) => DECIMAL.test(v)],
  ['rtt', (v) => INTEGER.test(v)],
  ['ect', (v) => CHROMIUM_ECT_VALUES.has(v)],
  ['save-data', (v) => v === 'on'],
]);

/** Content-Type is safelisted when it has no unsafe byte and parses (MIME Sniffing's parser) to one of three essences. */
export function isSafelistedContentType(value: string): boolean {
  if (hasCorsUnsafeRequestHeaderByte(value)) return false;
  let safelisted = contentTypeVerdicts.get(value);
  if (safelisted === undefined) {
    const parsed = MIMEType.parse(value);
    safelisted = parsed !== null && SAFELISTED_CONTENT_TYPE_ESSENCES.has(parsed.essence);
    if (contentTypeVerdicts.size < 1024) contentTypeVerdicts.set(value, safelisted);
  }
  return safelisted;
}
/** Content-Type values repeat across a capture; the MIME parse is done once per distinct value. */
const contentTypeVerdicts = new Map<string, boolean>();

/** `bytes=N-` or `bytes=N-M` with N <= M: one range, no suffix form, no whitespace. */
export function isSimpleRangeHeaderValue(value: string): boolean {
  const match = SIMPLE_RANGE.exec(value);
  if (!match) return false;
  const end = match[2];
  if (end === undefined || end === '') return true;
  const start = match[1] ?? '';
  // Compare as digit strings so huge numbers do not lose precision.
  const a = start.replace(/^0+(?=\d)/, '');
  const b = end.replace(/^0+(?=\d)/, '');
  return a.length < b.length || (a.length === b.length && a <= b);
}

/** The Fetch Standard's CORS-safelisted request-header test (value at most 128 bytes, per-name value rules). */
export function isCorsSafelistedRequestHeader(name: string, value: string, rules: BrowserRules = 'chromium'): boolean {
  if (byteLength(value) > 128) return false;
  const lower = name.toLowerCase();
  switch (lower) {
    case 'accept':
      return !hasCorsUnsafeRequestHeaderByte(value);
    case 'accept-language':
    case 'content-language':
      return LANGUAGE_VALUE_CHARS.test(value);
    case 'content-type':
      return isSafelistedContentType(value);
    case 'range':
      return isSimpleRangeHeaderValue(value);
    default: {
      if (rules !== 'chromium') return false;
      const extension = CHROMIUM_SAFELIST_EXTENSIONS.get(lower);
      return extension !== undefined && extension(value);
    }
  }
}

/**
 * The CORS-unsafe request-header names in the order the request lists them (lower-case, each once): forbidden headers
 * are ignored, non-safelisted ones count, and when the safelisted values add up to more than 1024 bytes they all count.
 */
/**
 * Headers a capture shows on every request because the browser's network layer adds them after the CORS decision
 * (Firefox's own User-Agent, the HTTP/2-3 `Priority`). A script-set User-Agent in Firefox does need a preflight, but a
 * capture cannot tell it from the browser's own, so captures ignore these names.
 */
const ADDED_BY_THE_BROWSER = new Set(['user-agent', 'priority']);

export interface UnsafeHeaderOptions {
  /** The list comes from a capture (not from script): ignore the headers the browser itself adds. */
  fromCapture?: boolean;
  /**
   * The capture is Firefox's own HAR: Firefox lists the page's headers before `Origin` and adds its own after it as it
   * sends (Connection, Cookie, Sec-Fetch-*, Priority; with DevTools' "Disable Cache" Pragma and Cache-Control; the
   * HTTP cache's If-None-Match), so only the names before `Origin` were set by the page.
   */
  firefoxCapture?: boolean;
}

function namesSetByThePage(index: HeaderIndex, options: UnsafeHeaderOptions): readonly string[] {
  const origin = options.firefoxCapture ? index.names.indexOf('origin') : -1;
  return origin < 0 ? index.names : index.names.slice(0, origin);
}

export function corsUnsafeRequestHeaderNamesInRequestOrder(
  lines: HeaderLines | HeaderIndex,
  rules: BrowserRules = 'chromium',
  options: UnsafeHeaderOptions = {},
): string[] {
  // Plain lines make an index no one else holds: nothing to remember the answer on.
  if (!(lines instanceof HeaderIndex)) return [...classifyRequestHeaders(new HeaderIndex(lines), rules, options)];
  const key = CLASSIFICATION_KEYS[rules === 'chromium' ? 'chromium' : 'firefox'][options.fromCapture === true ? 1 : 0][options.firefoxCapture === true ? 1 : 0];
  return [...lines.remember(key, (index) => classifyRequestHeaders(index, rules, options))];
}

/** The key each reading's answer is remembered under: made once, not per call (a string built per call is hashed per call). */
const CLASSIFICATION_KEYS: Record<BrowserRules, [[string, string], [string, string]]> = {
  chromium: [
    ['unsafe:chromium', 'unsafe:chromium+firefox'],
    ['unsafe:chromium+capture', 'unsafe:chromium+capture+firefox'],
  ],
  firefox: [
    ['unsafe:firefox', 'unsafe:firefox+firefox'],
    ['unsafe:firefox+capture', 'unsafe:firefox+capture+firefox'],
  ],
};

function classifyRequestHeaders(index: HeaderIndex, rules: BrowserRules, options: UnsafeHeaderOptions): readonly string[] {
  const unsafe: string[] = [];
  const safelisted: string[] = [];
  let safelistValueSize = 0;
  const names = namesSetByThePage(index, options);
  // `names` is `index.names` or its start: the values line up.
  const values = index.namedValues;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = values[i] ?? '';
    if (isForbiddenRequestHeader(name, value, rules)) continue;
    if (options.fromCapture && ADDED_BY_THE_BROWSER.has(name)) continue;
    if (isCorsSafelistedRequestHeader(name, value, rules)) {
      safelisted.push(name);
      safelistValueSize += byteLength(value);
    } else unsafe.push(name);
  }
  if (safelistValueSize > 1024) {
    const all = new Set([...unsafe, ...safelisted]);
    return names.filter((n) => all.has(n));
  }
  return unsafe;
}

/** The CORS-unsafe request-header names as the preflight's Access-Control-Request-Headers lists them: sorted. */
export function corsUnsafeRequestHeaderNames(
  lines: HeaderLines | HeaderIndex,
  rules: BrowserRules = 'chromium',
  options: UnsafeHeaderOptions = {},
): string[] {
  return corsUnsafeRequestHeaderNamesInRequestOrder(lines, rules, options).sort();
}

export interface PreflightDecisionInput {
  method: string;
  headers: HeaderLines | HeaderIndex;
  rules?: BrowserRules;
  /** The captured preflight's request headers, when one is in the capture: its ACRM/ACRH are the browser's own decision. */
  preflightRequestHeaders?: HeaderLines | HeaderIndex;
  /** The headers come from a capture: ignore the ones the browser adds itself (see `corsUnsafeRequestHeaderNamesInRequestOrder`). */
  fromCapture?: boolean;
  /** The capture is Firefox's HAR (see `UnsafeHeaderOptions`). */
  firefoxCapture?: boolean;
}

/**
 * Whether a cross-origin CORS request needs a preflight, and what it must cover. When the capture holds the preflight,
 * its Access-Control-Request-Method/-Headers are what the browser decided, so they win over recomputing from the
 * actual request's captured headers (which may include headers the network stack added later).
 */
export function decidePreflight(input: PreflightDecisionInput): PreflightDecision {
  const rules = input.rules ?? 'chromium';
  const method = normalizeMethod(input.method);
  const unsafeHeaders = corsUnsafeRequestHeaderNames(input.headers, rules, { fromCapture: input.fromCapture === true, firefoxCapture: input.firefoxCapture === true });
  const reasons: string[] = [];
  if (!isCorsSafelistedMethod(method)) reasons.push(`method ${method} is not CORS-safelisted (only GET, HEAD and POST are)`);
  for (const name of unsafeHeaders) reasons.push(`header ${name} is not CORS-safelisted`);

  if (input.preflightRequestHeaders) {
    const pf = input.preflightRequestHeaders instanceof HeaderIndex
      ? input.preflightRequestHeaders
      : new HeaderIndex(input.preflightRequestHeaders);
    const askedMethod = pf.get('access-control-request-method');
    const askedHeaders = pf.get('access-control-request-headers');
    const asked: string[] = [];
    if (askedHeaders !== undefined) {
      for (const item of askedHeaders.split(',')) {
        const name = item.trim();
        if (name.length > 0) asked.push(name.toLowerCase());
      }
    }
    if (reasons.length === 0) {
      reasons.push('the capture holds a preflight for this request (forced by an upload listener or a streamed body, or by headers the capture does not show)');
    }
    return {
      required: true,
      reasons,
      method: askedMethod ?? method,
      unsafeHeaders: askedHeaders === undefined ? unsafeHeaders : asked,
    };
  }
  return { required: reasons.length > 0, reasons, method, unsafeHeaders };
}
