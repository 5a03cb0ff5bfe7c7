/** Terse builders for `CapturedExchange`s in tests. */
import type {
  BrowserOutcome,
  BrowserRules,
  CapturedExchange,
  CaptureSource,
  CredentialsMode,
  HeaderLines,
  Hop,
  PreflightPresence,
  RequestKind,
  RequestMode,
} from '../../src/model/exchange.js';
import { corsUnsafeRequestHeaderNames, normalizeMethod } from '../../src/engine/index.js';

export type Headers = Record<string, string> | HeaderLines;

export function lines(h: Headers | undefined): HeaderLines {
  if (h === undefined) return [];
  return Array.isArray(h) ? (h as HeaderLines) : Object.entries(h as Record<string, string>);
}

export const PAGE = 'http://app.test';
export const API = 'http://api.test/data';

export interface HopSpec {
  url?: string;
  method?: string;
  headers?: Headers;
  provisional?: boolean;
  /** `null`: no response. */
  response?: { status?: number; headers?: Headers; redirectURL?: string } | null;
  outcome?: 'completed' | 'failed' | 'unrecorded' | BrowserOutcome;
  /** Preflight answer; its request (ACRM/ACRH/Origin) is derived from this hop's request. */
  preflight?: { status?: number; headers?: Headers; redirectURL?: string; errorText?: string; noResponse?: boolean; requestHeaders?: Headers };
  presence?: PreflightPresence;
}

export interface ExchangeSpec extends HopSpec {
  origin?: string | undefined;
  kind?: RequestKind;
  mode?: RequestMode;
  credentials?: CredentialsMode;
  rules?: BrowserRules;
  source?: CaptureSource;
  /** Further hops after a redirect of hop 0. */
  next?: HopSpec[];
}

function outcomeOf(o: HopSpec['outcome'], response: HopSpec['response']): BrowserOutcome {
  if (o === undefined) return response === null ? { kind: 'failed', errorText: 'net::ERR_FAILED' } : { kind: 'completed' };
  if (typeof o === 'object') return o;
  if (o === 'failed') return { kind: 'failed', errorText: 'net::ERR_FAILED' };
  return { kind: o };
}

export function buildHop(spec: HopSpec, origin: string | undefined): Hop {
  const url = spec.url ?? API;
  const method = spec.method ?? 'GET';
  const headers = lines(spec.headers);
  const hop: Hop = {
    request: { method, url, headers, ...(spec.provisional ? { provisionalHeaders: true } : {}) },
    outcome: outcomeOf(spec.outcome, spec.response),
    preflightPresence: spec.preflight ? 'captured' : spec.presence ?? 'none-seen',
  };
  if (spec.response !== null) {
    const r = spec.response ?? {};
    hop.response = { status: r.status ?? 200, headers: lines(r.headers), ...(r.redirectURL ? { redirectURL: r.redirectURL } : {}) };
  }
  if (spec.preflight) {
    const pf = spec.preflight;
    const unsafe = corsUnsafeRequestHeaderNames(headers);
    const requestHeaders: HeaderLines = pf.requestHeaders
      ? lines(pf.requestHeaders)
      : [
          ['Access-Control-Request-Method', normalizeMethod(method)],
          ...(unsafe.length > 0 ? ([['Access-Control-Request-Headers', unsafe.join(',')]] as HeaderLines) : []),
          ...(origin ? ([['Origin', origin]] as HeaderLines) : []),
        ];
    hop.preflight = {
      request: { method: 'OPTIONS', url, headers: requestHeaders },
      ...(pf.noResponse
        ? {}
        : { response: { status: pf.status ?? 204, headers: lines(pf.headers), ...(pf.redirectURL ? { redirectURL: pf.redirectURL } : {}) } }),
      ...(pf.errorText ? { errorText: pf.errorText } : {}),
    };
  }
  return hop;
}

export function buildExchange(spec: ExchangeSpec = {}): CapturedExchange {
  const origin = 'origin' in spec ? spec.origin : PAGE;
  const hops = [buildHop(spec, origin), ...(spec.next ?? []).map((h) => buildHop(h, origin))];
  const ex: CapturedExchange = {
    id: 'x1',
    kind: spec.kind ?? 'fetch',
    hops,
    rules: spec.rules ?? 'chromium',
    source: spec.source ?? 'synthetic',
  };
  if (origin !== undefined) ex.initiatorOrigin = origin;
  if (spec.mode) ex.mode = spec.mode;
  if (spec.credentials) ex.credentials = spec.credentials;
  return ex;
}

/** Allow-Origin for the default page. */
export const ACAO_PAGE = { 'Access-Control-Allow-Origin': PAGE };
