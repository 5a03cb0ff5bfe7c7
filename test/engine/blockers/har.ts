/**
 * HAR entries shaped as Chromium 156's DevTools records them for the failures beside CORS
 * (../shared/research/beside-cors.md, devtools-capture.md): status 0 and provisional request headers when the request
 * never left, `_error` as Chromium writes it (`''` included), `serverIPAddress` only when something connected, and
 * the page's own `document` entry with its headers.
 */
import { explainHar } from '../../../src/lib/index.js';
import type { ExchangeReport, Report } from '../../../src/explain/report.js';

type Headers = Record<string, string>;
const lines = (h: Headers = {}) => Object.entries(h).map(([name, value]) => ({ name, value }));

let clock = Date.parse('2026-12-01T10:00:00.000Z');
const next = () => new Date((clock += 50)).toISOString();

export interface EntrySpec {
  url: string;
  method?: string;
  resourceType?: string;
  /** The page's URL: the Referer of provisional headers and the Origin of sent ones. */
  page: string;
  /** `provisional`: the request never left (no Host, no Origin); `sent`: the full headers. */
  request?: 'provisional' | 'sent';
  requestHeaders?: Headers;
  status?: number;
  responseHeaders?: Headers;
  /** Chromium's `_error`: a string (`''` included) or `null` (none). */
  error?: string | null;
  serverIPAddress?: string;
  redirectURL?: string;
  initiator?: Record<string, unknown>;
}

export function entry(spec: EntrySpec): Record<string, unknown> {
  const origin = new URL(spec.page).origin;
  const host = new URL(spec.url).host;
  const provisional = spec.request !== 'sent';
  const requestHeaders: Headers = provisional
    ? { 'sec-ch-ua-platform': '"Linux"', Referer: spec.page, 'User-Agent': 'Mozilla/5.0 Chrome/156.0.0.0', ...spec.requestHeaders }
    : { Host: host, Origin: origin, 'Sec-Fetch-Mode': spec.resourceType === 'image' ? 'no-cors' : 'cors', Referer: spec.page, ...spec.requestHeaders };
  return {
    startedDateTime: next(),
    time: 20,
    _resourceType: spec.resourceType ?? 'fetch',
    _initiator: spec.initiator ?? { type: 'script' },
    request: { method: spec.method ?? 'GET', url: spec.url, httpVersion: provisional ? '' : 'HTTP/1.1', headers: lines(requestHeaders), headersSize: -1 },
    response: {
      status: spec.status ?? 0,
      statusText: '',
      httpVersion: '',
      headers: lines(spec.responseHeaders),
      redirectURL: spec.redirectURL ?? '',
      content: { size: 0, mimeType: 'x-unknown' },
      _error: spec.error === undefined ? null : spec.error,
    },
    serverIPAddress: spec.serverIPAddress ?? '',
    timings: { blocked: 20, send: 0, wait: 0, receive: 0 },
  };
}

/** The page's own document entry (a navigation that succeeded), with its CSP / COEP and address. */
export function documentEntry(url: string, options: { serverIPAddress?: string; headers?: Headers } = {}): Record<string, unknown> {
  return {
    startedDateTime: next(),
    time: 10,
    _resourceType: 'document',
    _initiator: { type: 'other' },
    request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: lines({ Host: new URL(url).host, 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' }) },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: lines({ 'Content-Type': 'text/html', ...options.headers }), redirectURL: '', content: { size: 10, mimeType: 'text/html' }, _error: null },
    serverIPAddress: options.serverIPAddress ?? '',
    timings: { blocked: 1, send: 1, wait: 5, receive: 3 },
  };
}

export function harOf(...entries: Record<string, unknown>[]): unknown {
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
}

export function explain(...entries: Record<string, unknown>[]): Report {
  return explainHar(harOf(...entries));
}

/** The one exchange of a HAR for `url`. */
export function exchangeFor(report: Report, url: string): ExchangeReport {
  const found = report.exchanges.filter((e) => e.url === url);
  if (found.length !== 1) throw new Error(`${found.length} exchanges for ${url}`);
  return found[0]!;
}
