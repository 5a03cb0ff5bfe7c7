/**
 * A seeded generator of Chromium DevTools HARs for the benchmarks: the same seed gives the same bytes, so figures compare
 * between commits. Entries have the shape Chromium 156 writes (see test/fixtures/chromium/*.har): `_resourceType`,
 * `_initiator` with script stacks, preflights marked `preflight` and paired by `_initiator.requestId`, blocked requests
 * with Chromium's provisional headers and status 0, redirect hops, timings.
 *
 * The mix, per exchange (a preflighted request is two entries, a redirect two or three): mostly same-origin loads that
 * pass, then cross-origin no-cors subresources, cross-origin CORS requests that pass, preflighted ones that pass, a few
 * preflight-cache hits, redirects, and a few percent that fail in the ways the lab reproduces.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

/** mulberry32: small, fast and good enough to shuffle a benchmark input. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  /** How many HAR entries to write (exchanges are fewer: preflights and redirect hops are entries of their own). */
  entries: number;
  seed?: number;
  /**
   * `typical`: headers as a small app sends them (a short session cookie on some requests).
   * `heavy`: a production site's sizes: analytics cookies of 1–3 KB, CSP and Permissions-Policy on documents, tracing
   * headers, long Set-Cookie lines. Used for the ~100 MB CLI input.
   */
  headers?: 'typical' | 'heavy';
  /**
   * Response bodies (`response.content.text`) of about this many bytes on responses with a size, as DevTools writes
   * them when saving "with content" (base64 for binary types). Default none.
   */
  bodyBytes?: number;
  /** `typical` (default): about 3.5% of exchanges blocked. `blocked-heavy`: about half blocked, in every way the mix has. */
  mix?: 'typical' | 'blocked-heavy';
}

type Header = { name: string; value: string };
type Entry = Record<string, unknown>;

/** Exchange kinds and their weights (out of 1000). */
const MIX: readonly [ExchangeKind, number][] = [
  ['same-origin-fetch', 300],
  ['same-origin-script', 110],
  ['same-origin-stylesheet', 40],
  ['same-origin-image', 150],
  ['same-origin-font', 20],
  ['same-origin-document', 5],
  ['cdn-image', 90],
  ['cdn-script', 40],
  ['cors-get-pass', 110],
  ['cors-credentialed-pass', 25],
  ['preflight-pass', 55],
  ['preflight-cache-hit', 10],
  ['redirect-pass', 10],
  ['fail-allow-origin-missing', 12],
  ['fail-wildcard-credentials', 5],
  ['fail-preflight-status', 5],
  ['fail-header-not-allowed', 6],
  ['fail-method-not-allowed', 3],
  ['fail-redirect-without-cors', 2],
  ['cross-origin-font-fail', 2],
];

/** Half the exchanges blocked (each failure kind 70 of 1000), the rest as in MIX. */
const BLOCKED_HEAVY_MIX: readonly [ExchangeKind, number][] = MIX.map(([kind, weight]) => [
  kind,
  kind.startsWith('fail-') || kind === 'cross-origin-font-fail' ? 70 : Math.round(weight * (510 / 965)),
]);

type ExchangeKind =
  | 'same-origin-fetch'
  | 'same-origin-script'
  | 'same-origin-stylesheet'
  | 'same-origin-image'
  | 'same-origin-font'
  | 'same-origin-document'
  | 'cdn-image'
  | 'cdn-script'
  | 'cors-get-pass'
  | 'cors-credentialed-pass'
  | 'preflight-pass'
  | 'preflight-cache-hit'
  | 'redirect-pass'
  | 'fail-allow-origin-missing'
  | 'fail-wildcard-credentials'
  | 'fail-preflight-status'
  | 'fail-header-not-allowed'
  | 'fail-method-not-allowed'
  | 'fail-redirect-without-cors'
  | 'cross-origin-font-fail';

const PAGE_ORIGIN = 'https://app.shop.example';
const API_ORIGIN = 'https://api.shop.example';
const AUTH_ORIGIN = 'https://auth.shop.example';
const CDN_ORIGIN = 'https://cdn.static.example';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const PATH_WORDS = ['cart', 'items', 'orders', 'users', 'search', 'recommendations', 'inventory', 'prices', 'reviews', 'session'];
const SCRIPT_FILES = ['main', 'vendor', 'checkout', 'analytics', 'chunk-ab12', 'chunk-cd34', 'chunk-ef56', 'runtime'];

const LOG_HEAD = {
  version: '1.2',
  creator: { name: 'WebInspector', version: '537.36' },
  pages: [{ startedDateTime: '2026-11-23T09:00:00.000Z', id: 'page_1', title: 'https://app.shop.example/', pageTimings: { onContentLoad: 412.5, onLoad: 980.1 } }],
};

export function generateHar(options: GenerateOptions): { log: Record<string, unknown> } {
  const entries: Entry[] = [];
  for (const entry of generateEntries(options)) entries.push(entry);
  return { log: { ...LOG_HEAD, entries } };
}

/** The entries of `generateHar`, one at a time, so a HAR of any size can be written without holding it. */
export function* generateEntries(options: GenerateOptions): Generator<Entry> {
  const random = seededRandom(options.seed ?? 0x0c0a5);
  const heavy = options.headers === 'heavy';
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const token = (length: number): string => {
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let out = '';
    for (let i = 0; i < length; i++) out += chars[Math.floor(random() * chars.length)];
    return out;
  };
  const mix = options.mix === 'blocked-heavy' ? BLOCKED_HEAVY_MIX : MIX;
  const totalWeight = mix.reduce((n, [, w]) => n + w, 0);
  const pickKind = (): ExchangeKind => {
    let r = random() * totalWeight;
    for (const [kind, weight] of mix) {
      r -= weight;
      if (r < 0) return kind;
    }
    return mix[0]![0];
  };

  const sessionCookie = `sid=${token(32)}; theme=dark`;
  const analyticsCookie = `_ga=GA1.1.${int(1e8, 9e8)}.${int(1e9, 2e9)}; _ga_${token(10)}=GS1.1.${int(1e9, 2e9)}.4.1.${int(1e9, 2e9)}.0.0.0; ${Array.from({ length: 18 }, () => `${token(int(4, 10))}=${token(int(20, 90))}`).join('; ')}`;
  const csp = `default-src 'self'; script-src 'self' ${CDN_ORIGIN} 'nonce-${token(22)}' 'strict-dynamic'; style-src 'self' 'unsafe-inline' ${CDN_ORIGIN}; img-src 'self' data: ${CDN_ORIGIN} https://*.tiles.example; connect-src 'self' ${API_ORIGIN} ${AUTH_ORIGIN} https://telemetry.example; font-src 'self' ${CDN_ORIGIN}; frame-ancestors 'none'; base-uri 'self'; form-action 'self' ${AUTH_ORIGIN}; upgrade-insecure-requests; report-to csp-endpoint`;

  let clock = Date.parse('2026-11-23T09:00:00.000Z');
  let requestSeq = 1000;
  let connection = 40;
  const entries: Entry[] = [];
  /** Preflighted URLs already answered with a Max-Age, for cache hits. */
  const cachedPreflights: string[] = [];

  const iso = (ms: number): string => new Date(ms).toISOString();
  const nextRequestId = (): string => `${int(20000, 29999)}.${requestSeq++}`;

  function scriptInitiator(): Record<string, unknown> {
    const frames = Array.from({ length: int(1, 5) }, () => ({
      functionName: pick(['fetchJson', 'request', 'load', 'refresh', 'onClick', 'dispatch', '']),
      scriptId: String(int(5, 90)),
      url: `${PAGE_ORIGIN}/assets/${pick(SCRIPT_FILES)}.js`,
      lineNumber: int(0, 4000),
      columnNumber: int(0, 200),
    }));
    const stack: Record<string, unknown> = { callFrames: frames };
    if (random() < 0.5) {
      stack.parent = {
        description: pick(['await', 'Promise.then', 'setTimeout']),
        callFrames: [{ functionName: 'run', scriptId: String(int(5, 90)), url: `${PAGE_ORIGIN}/assets/runtime.js`, lineNumber: int(0, 900), columnNumber: int(0, 80) }],
      };
    }
    return { type: 'script', stack };
  }

  function baseRequestHeaders(url: string, dest: string, mode: string, site: string, accept: string): Header[] {
    const host = new URL(url).host;
    const headers: Header[] = [
      { name: 'Accept', value: accept },
      { name: 'Accept-Encoding', value: 'gzip, deflate, br, zstd' },
      { name: 'Accept-Language', value: 'en-US,en;q=0.9' },
      { name: 'Connection', value: 'keep-alive' },
      { name: 'Host', value: host },
      { name: 'Referer', value: `${PAGE_ORIGIN}/` },
      { name: 'Sec-Fetch-Dest', value: dest },
      { name: 'Sec-Fetch-Mode', value: mode },
      { name: 'Sec-Fetch-Site', value: site },
      { name: 'User-Agent', value: UA },
      { name: 'sec-ch-ua', value: '"Not:A-Brand";v="8", "Chromium";v="156"' },
      { name: 'sec-ch-ua-mobile', value: '?0' },
      { name: 'sec-ch-ua-platform', value: '"Linux"' },
    ];
    if (heavy) {
      // A tracing header is not CORS-safelisted: sites send it to their own origin only, or every API call preflights.
      if (site === 'same-origin') headers.push({ name: 'traceparent', value: `00-${token(32).toLowerCase()}-${token(16).toLowerCase()}-01` });
      headers.push({ name: 'sec-ch-ua-full-version-list', value: '"Not:A-Brand";v="8.0.0.0", "Chromium";v="156.0.7390.54"' });
    }
    return headers;
  }

  function responseHeaders(extra: Header[], contentType: string | null, options: { document?: boolean } = {}): Header[] {
    const headers: Header[] = [
      { name: 'Cache-Control', value: pick(['no-store', 'private, max-age=0', 'public, max-age=31536000, immutable']) },
      { name: 'Date', value: 'Mon, 23 Nov 2026 09:00:00 GMT' },
      { name: 'Server', value: pick(['nginx', 'cloudflare', 'envoy']) },
      ...extra,
    ];
    if (contentType !== null) headers.push({ name: 'Content-Type', value: contentType });
    if (heavy) {
      headers.push({ name: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' });
      headers.push({ name: 'X-Request-Id', value: token(36) });
      headers.push({ name: 'Server-Timing', value: `edge;dur=${int(1, 40)}, origin;dur=${int(5, 300)}, cache;desc="${pick(['HIT', 'MISS'])}"` });
      if (options.document || random() < 0.2) {
        headers.push({ name: 'Content-Security-Policy', value: csp });
        headers.push({ name: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(self), payment=(self "https://pay.example"), usb=(), interest-cohort=()' });
        headers.push({ name: 'Set-Cookie', value: `_session=${token(180)}; Path=/; Domain=.shop.example; Secure; HttpOnly; SameSite=Lax; Max-Age=86400` });
      }
    }
    return headers;
  }

  function timings(total: number): Record<string, number> {
    const wait = Math.max(0.5, total * 0.6);
    return {
      blocked: 1.2,
      dns: -1,
      ssl: -1,
      connect: -1,
      send: 0.1,
      wait,
      receive: Math.max(0.1, total - wait - 1.3),
      _blocked_queueing: 0.9,
      _workerStart: -1,
      _workerReady: -1,
      _workerFetchStart: -1,
      _workerRespondWithSettled: -1,
    };
  }

  function makeEntry(fields: {
    resourceType: string;
    initiator: Record<string, unknown>;
    method: string;
    url: string;
    requestHeaders: Header[];
    status: number;
    statusText: string;
    responseHeaders: Header[];
    mimeType: string;
    size: number;
    start: number;
    time: number;
    error?: string;
    redirectURL?: string;
    postData?: { mimeType: string; text: string };
    provisional?: boolean;
  }): Entry {
    const url = new URL(fields.url);
    const request: Record<string, unknown> = {
      method: fields.method,
      url: fields.url,
      httpVersion: fields.provisional ? '' : 'HTTP/1.1',
      headers: fields.requestHeaders,
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      cookies: [],
      headersSize: fields.provisional ? -1 : 400 + fields.requestHeaders.reduce((n, h) => n + h.name.length + h.value.length + 4, 0),
      bodySize: fields.postData?.text.length ?? 0,
    };
    if (fields.postData) request.postData = fields.postData;
    const entry: Entry = {
      _initiator: fields.initiator,
      _priority: pick(['High', 'Low', 'VeryHigh']),
      _resourceType: fields.resourceType,
      cache: {},
      request,
      response: {
        status: fields.status,
        statusText: fields.statusText,
        httpVersion: fields.status > 0 ? 'HTTP/1.1' : '',
        headers: fields.responseHeaders,
        cookies: [],
        content: { size: fields.size, mimeType: fields.mimeType, compression: fields.size > 0 ? int(-20, 400) : 0 },
        redirectURL: fields.redirectURL ?? '',
        headersSize: fields.status > 0 ? 250 : -1,
        bodySize: fields.status > 0 ? fields.size : -1,
        _transferSize: fields.status > 0 ? fields.size + 300 : 0,
        _error: fields.error ?? null,
        _fetchedViaServiceWorker: false,
      },
      serverIPAddress: fields.status > 0 ? `203.0.113.${int(1, 250)}` : '',
      startedDateTime: iso(fields.start),
      time: fields.time,
      timings: timings(fields.time),
      pageref: 'page_1',
    };
    if (fields.status > 0) {
      entry.connection = String(443);
      entry._connectionId = String(connection++);
    }
    return entry;
  }

  function apiUrl(origin: string): string {
    return `${origin}/v2/${pick(PATH_WORDS)}/${int(1, 99999)}?locale=en-US&v=${int(1, 40)}`;
  }

  function corsRequestHeaders(url: string, dest = 'empty', options: { cookie?: boolean; extra?: Header[] } = {}): Header[] {
    const headers = baseRequestHeaders(url, dest, 'cors', 'same-site', 'application/json, text/plain, */*');
    headers.push({ name: 'Origin', value: PAGE_ORIGIN });
    if (options.cookie) headers.push({ name: 'Cookie', value: heavy ? `${sessionCookie}; ${analyticsCookie}` : sessionCookie });
    headers.push(...(options.extra ?? []));
    return headers;
  }

  /** Chromium's provisional headers for a request that never left the renderer (blocked by its preflight). */
  function provisionalHeaders(extra: Header[]): Header[] {
    return [
      { name: 'sec-ch-ua-platform', value: '"Linux"' },
      { name: 'Referer', value: `${PAGE_ORIGIN}/` },
      { name: 'User-Agent', value: UA },
      { name: 'sec-ch-ua', value: '"Not:A-Brand";v="8", "Chromium";v="156"' },
      ...extra,
      { name: 'sec-ch-ua-mobile', value: '?0' },
    ];
  }

  function preflightEntry(
    actualUrl: string,
    actualRequestId: string,
    method: string,
    requestHeaderNames: string,
    start: number,
    time: number,
    response: { status: number; statusText: string; headers: Header[] },
  ): Entry {
    const headers = baseRequestHeaders(actualUrl, 'empty', 'cors', 'same-site', '*/*');
    headers.push({ name: 'Access-Control-Request-Method', value: method });
    if (requestHeaderNames !== '') headers.push({ name: 'Access-Control-Request-Headers', value: requestHeaderNames });
    headers.push({ name: 'Origin', value: PAGE_ORIGIN });
    return makeEntry({
      resourceType: 'preflight',
      initiator: { type: 'preflight', url: actualUrl, requestId: actualRequestId },
      method: 'OPTIONS',
      url: actualUrl,
      requestHeaders: headers,
      status: response.status,
      statusText: response.statusText,
      responseHeaders: responseHeaders(response.headers, null),
      mimeType: 'x-unknown',
      size: 0,
      start,
      time,
    });
  }

  function addExchange(kind: ExchangeKind): void {
    clock += int(0, 25);
    const start = clock;
    const time = 5 + random() * 120;
    const jsonBody = { mimeType: 'application/json', text: JSON.stringify({ id: int(1, 9999), qty: int(1, 9), note: token(int(8, 40)) }) };
    switch (kind) {
      case 'same-origin-fetch': {
        const url = apiUrl(PAGE_ORIGIN);
        const method = random() < 0.8 ? 'GET' : 'POST';
        const headers = baseRequestHeaders(url, 'empty', 'cors', 'same-origin', 'application/json');
        if (method === 'POST') headers.push({ name: 'Origin', value: PAGE_ORIGIN }, { name: 'Content-Type', value: 'application/json' });
        if (random() < 0.6) headers.push({ name: 'Cookie', value: heavy ? `${sessionCookie}; ${analyticsCookie}` : sessionCookie });
        entries.push(makeEntry({
          resourceType: random() < 0.7 ? 'fetch' : 'xhr', initiator: scriptInitiator(), method, url, requestHeaders: headers,
          status: 200, statusText: 'OK', responseHeaders: responseHeaders([{ name: 'Vary', value: 'Accept-Encoding' }], 'application/json; charset=utf-8'),
          mimeType: 'application/json', size: int(80, 9000), start, time,
          ...(method === 'POST' ? { postData: jsonBody } : {}),
        }));
        return;
      }
      case 'same-origin-script':
      case 'same-origin-stylesheet':
      case 'same-origin-image':
      case 'same-origin-font':
      case 'same-origin-document': {
        const spec = {
          'same-origin-script': ['script', 'script', 'no-cors', '*/*', `/assets/${pick(SCRIPT_FILES)}-${token(8)}.js`, 'text/javascript'],
          'same-origin-stylesheet': ['stylesheet', 'style', 'no-cors', 'text/css,*/*;q=0.1', `/assets/app-${token(8)}.css`, 'text/css'],
          'same-origin-image': ['image', 'image', 'no-cors', 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', `/img/${token(10)}.webp`, 'image/webp'],
          'same-origin-font': ['font', 'font', 'cors', '*/*', `/fonts/inter-${token(4)}.woff2`, 'font/woff2'],
          'same-origin-document': ['document', 'document', 'navigate', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', `/${pick(PATH_WORDS)}`, 'text/html'],
        }[kind];
        const [resourceType, dest, mode, accept, path, mimeType] = spec as [string, string, string, string, string, string];
        const url = `${PAGE_ORIGIN}${path}`;
        const headers = baseRequestHeaders(url, dest, mode, 'same-origin', accept);
        if (kind === 'same-origin-document' || random() < 0.3) headers.push({ name: 'Cookie', value: heavy ? `${sessionCookie}; ${analyticsCookie}` : sessionCookie });
        const initiator = kind === 'same-origin-document' ? { type: 'other' } : { type: 'parser', url: `${PAGE_ORIGIN}/`, lineNumber: int(1, 80) };
        entries.push(makeEntry({
          resourceType, initiator, method: 'GET', url, requestHeaders: headers, status: 200, statusText: 'OK',
          responseHeaders: responseHeaders([], mimeType, { document: kind === 'same-origin-document' }), mimeType,
          size: int(300, 200000), start, time,
        }));
        return;
      }
      case 'cdn-image':
      case 'cdn-script': {
        const image = kind === 'cdn-image';
        const url = `${CDN_ORIGIN}/${image ? 'i' : 'js'}/${token(12)}.${image ? 'png' : 'js'}`;
        const headers = baseRequestHeaders(url, image ? 'image' : 'script', 'no-cors', 'cross-site', image ? 'image/avif,image/webp,*/*;q=0.8' : '*/*');
        entries.push(makeEntry({
          resourceType: image ? 'image' : 'script', initiator: { type: 'parser', url: `${PAGE_ORIGIN}/`, lineNumber: int(1, 80) },
          method: 'GET', url, requestHeaders: headers, status: 200, statusText: 'OK',
          responseHeaders: responseHeaders([{ name: 'Age', value: String(int(1, 90000)) }], image ? 'image/png' : 'text/javascript'),
          mimeType: image ? 'image/png' : 'text/javascript', size: int(500, 90000), start, time,
        }));
        return;
      }
      case 'cors-get-pass':
      case 'cors-credentialed-pass':
      case 'fail-allow-origin-missing':
      case 'fail-wildcard-credentials': {
        const credentialed = kind === 'cors-credentialed-pass' || kind === 'fail-wildcard-credentials';
        const url = apiUrl(credentialed ? AUTH_ORIGIN : API_ORIGIN);
        const cors: Header[] =
          kind === 'fail-allow-origin-missing'
            ? []
            : kind === 'fail-wildcard-credentials'
              ? [{ name: 'Access-Control-Allow-Origin', value: '*' }, { name: 'Access-Control-Allow-Credentials', value: 'true' }]
              : credentialed
                ? [{ name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN }, { name: 'Access-Control-Allow-Credentials', value: 'true' }, { name: 'Vary', value: 'Origin' }]
                : random() < 0.5
                  ? [{ name: 'Access-Control-Allow-Origin', value: '*' }]
                  : // Some servers echo the origin without Vary: Origin (a risk warning).
                    [{ name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN }, ...(random() < 0.8 ? [{ name: 'Vary', value: 'Origin' }] : [])];
        const failed = kind.startsWith('fail-');
        entries.push(makeEntry({
          resourceType: random() < 0.75 ? 'fetch' : 'xhr', initiator: scriptInitiator(), method: 'GET', url,
          requestHeaders: corsRequestHeaders(url, 'empty', { cookie: credentialed }), status: 200, statusText: 'OK',
          responseHeaders: responseHeaders(cors, 'application/json'), mimeType: 'application/json', size: int(100, 20000), start, time,
          ...(failed ? { error: 'net::ERR_FAILED' } : {}),
        }));
        return;
      }
      case 'preflight-pass':
      case 'fail-preflight-status':
      case 'fail-header-not-allowed':
      case 'fail-method-not-allowed': {
        const url = apiUrl(API_ORIGIN);
        const method = kind === 'fail-method-not-allowed' ? 'DELETE' : pick(['PUT', 'POST', 'PATCH']);
        const requestHeaderNames = kind === 'fail-header-not-allowed' ? 'authorization,content-type,x-client-version' : 'authorization,content-type';
        const requestId = nextRequestId();
        const preflightStart = start + int(2, 8);
        const preflightTime = 3 + random() * 30;
        const maxAge = random() < 0.5 ? '600' : null;
        const allowed: Header[] = [
          { name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN },
          { name: 'Access-Control-Allow-Methods', value: 'GET, POST, PUT, PATCH' },
          { name: 'Access-Control-Allow-Headers', value: 'authorization, content-type' },
          { name: 'Vary', value: 'Origin' },
          ...(maxAge === null ? [] : [{ name: 'Access-Control-Max-Age', value: maxAge }]),
        ];
        const preflightResponse =
          kind === 'fail-preflight-status'
            ? { status: 404, statusText: 'Not Found', headers: [] }
            : { status: 204, statusText: 'No Content', headers: allowed };
        const extra: Header[] = [
          { name: 'Authorization', value: `Bearer ${token(heavy ? 600 : 40)}` },
          { name: 'Content-Type', value: 'application/json' },
        ];
        if (kind === 'fail-header-not-allowed') extra.push({ name: 'X-Client-Version', value: '4.2.1' });
        const preflight = preflightEntry(url, requestId, method, requestHeaderNames, preflightStart, preflightTime, preflightResponse);
        let actual: Entry;
        if (kind === 'preflight-pass') {
          const actualTime = preflightStart - start + preflightTime + 5 + random() * 80;
          actual = makeEntry({
            resourceType: 'fetch', initiator: scriptInitiator(), method, url, requestHeaders: corsRequestHeaders(url, 'empty', { extra }),
            status: 200, statusText: 'OK', responseHeaders: responseHeaders([{ name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN }, { name: 'Vary', value: 'Origin' }], 'application/json'),
            mimeType: 'application/json', size: int(50, 4000), start, time: actualTime, postData: jsonBody,
          });
          if (maxAge !== null) cachedPreflights.push(url);
        } else {
          actual = makeEntry({
            resourceType: 'fetch', initiator: scriptInitiator(), method, url, requestHeaders: provisionalHeaders(extra),
            status: 0, statusText: '', responseHeaders: [], mimeType: 'x-unknown', size: 0, start,
            time: preflightStart - start + preflightTime + 1, error: 'net::ERR_FAILED', postData: jsonBody, provisional: true,
          });
        }
        // Either may be delivered first (devtools-capture.md §A).
        if (random() < 0.5) entries.push(actual, preflight);
        else entries.push(preflight, actual);
        return;
      }
      case 'preflight-cache-hit': {
        const url = cachedPreflights.length > 0 ? pick(cachedPreflights) : apiUrl(API_ORIGIN);
        entries.push(makeEntry({
          resourceType: 'fetch', initiator: scriptInitiator(), method: 'PUT', url,
          requestHeaders: corsRequestHeaders(url, 'empty', { extra: [{ name: 'Authorization', value: `Bearer ${token(40)}` }, { name: 'Content-Type', value: 'application/json' }] }),
          status: 200, statusText: 'OK', responseHeaders: responseHeaders([{ name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN }], 'application/json'),
          mimeType: 'application/json', size: int(50, 4000), start, time, postData: jsonBody,
        }));
        return;
      }
      case 'redirect-pass':
      case 'fail-redirect-without-cors': {
        const from = apiUrl(API_ORIGIN);
        const to = `${AUTH_ORIGIN}/v2/moved/${int(1, 99999)}`;
        const failed = kind === 'fail-redirect-without-cors';
        const firstTime = 3 + random() * 20;
        entries.push(makeEntry({
          resourceType: 'fetch', initiator: scriptInitiator(), method: 'GET', url: from, requestHeaders: corsRequestHeaders(from),
          status: 302, statusText: 'Found',
          responseHeaders: responseHeaders([...(failed ? [] : [{ name: 'Access-Control-Allow-Origin', value: PAGE_ORIGIN }]), { name: 'Location', value: to }], null),
          mimeType: 'x-unknown', size: 0, start, time: firstTime, redirectURL: to, ...(failed ? { error: 'net::ERR_FAILED' } : {}),
        }));
        if (!failed) {
          const headers = corsRequestHeaders(to).map((h) => (h.name === 'Origin' ? { name: 'Origin', value: 'null' } : h));
          entries.push(makeEntry({
            resourceType: 'fetch', initiator: scriptInitiator(), method: 'GET', url: to, requestHeaders: headers, status: 200, statusText: 'OK',
            responseHeaders: responseHeaders([{ name: 'Access-Control-Allow-Origin', value: '*' }], 'application/json'),
            mimeType: 'application/json', size: int(50, 4000), start: start + Math.ceil(firstTime) + 1, time,
          }));
        }
        return;
      }
      case 'cross-origin-font-fail': {
        const url = `${CDN_ORIGIN}/fonts/${token(8)}.woff2`;
        entries.push(makeEntry({
          resourceType: 'font', initiator: { type: 'parser', url: `${PAGE_ORIGIN}/assets/app.css` }, method: 'GET', url,
          requestHeaders: corsRequestHeaders(url, 'font'), status: 200, statusText: 'OK', responseHeaders: responseHeaders([], 'font/woff2'),
          mimeType: 'font/woff2', size: int(10000, 60000), start, time, error: 'net::ERR_FAILED',
        }));
        return;
      }
    }
  }

  let produced = 0;
  const body = options.bodyBytes === undefined ? undefined : token(Math.min(options.bodyBytes, 4096)).repeat(Math.ceil(options.bodyBytes / 4096)).slice(0, options.bodyBytes);
  while (produced < options.entries) {
    addExchange(pickKind());
    for (const entry of entries) {
      if (produced === options.entries) break;
      produced++;
      if (body !== undefined) {
        const content = (entry.response as { content: Record<string, unknown> }).content;
        if (Number(content.size) > 0) {
          content.text = body;
          content.encoding = 'base64';
        }
      }
      yield entry;
    }
    entries.length = 0;
  }
}

/** `generateHar` written to a file entry by entry as Chromium saves it (two-space indent): any size, bounded memory. */
export function writeHarFile(path: string, options: GenerateOptions): void {
  const fd = openSync(path, 'w');
  try {
    const head = JSON.stringify({ log: { ...LOG_HEAD, entries: [] } }, null, 2);
    const marker = '"entries": []';
    const at = head.indexOf(marker);
    writeSync(fd, `${head.slice(0, at)}"entries": [\n`);
    let first = true;
    let pending: string[] = [];
    let pendingLength = 0;
    for (const entry of generateEntries(options)) {
      // The entry at its depth in the file (three levels in), as JSON.stringify(har, null, 2) writes it.
      const wrapped = JSON.stringify({ log: { entries: [entry] } }, null, 2);
      const text = wrapped.slice('{\n  "log": {\n    "entries": [\n'.length, wrapped.length - '\n    ]\n  }\n}'.length);
      pending.push(first ? text : `,\n${text}`);
      pendingLength += text.length;
      first = false;
      if (pendingLength > 1 << 22) {
        writeSync(fd, pending.join(''));
        pending = [];
        pendingLength = 0;
      }
    }
    writeSync(fd, pending.join(''));
    writeSync(fd, `\n    ]${head.slice(at + marker.length)}`);
  } finally {
    closeSync(fd);
  }
}

/** The HAR as Chromium saves it (two-space indent), so the text JSON.parse reads is the size a user's file has. */
export function generateHarText(options: GenerateOptions): string {
  return JSON.stringify(generateHar(options), null, 2);
}
