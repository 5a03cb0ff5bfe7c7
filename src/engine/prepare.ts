/**
 * Reads a `CapturedExchange` defensively (it may come from any HAR) into the shape the checks use: header lists indexed
 * once, URLs and statuses validated, the initiator origin found. Never throws on bad input; says what is missing.
 */
import { headerIndexOf, type HeaderIndex } from '../model/headers.js';
import type {
  BrowserOutcome,
  BrowserRules,
  CaptureSource,
  CredentialsMode,
  PreflightPresence,
  RequestKind,
  RequestMode,
} from '../model/exchange.js';
import { serializeOrigin } from '../model/origin.js';

export interface PreparedResponse {
  status: number;
  headers: HeaderIndex;
  /** Where a 3xx points (redirectURL, else the Location header resolved against the request URL). */
  location?: string;
}

export interface PreparedPreflight {
  requestHeaders: HeaderIndex;
  response?: PreparedResponse;
  errorText?: string;
}

export interface PreparedHop {
  index: number;
  url: string;
  /** Serialized origin of `url` (`null` for opaque, `undefined` when the URL does not parse). */
  origin: string | undefined;
  method: string;
  headers: HeaderIndex;
  headerLineCount: number;
  provisional: boolean;
  response?: PreparedResponse;
  outcome: BrowserOutcome;
  preflight?: PreparedPreflight;
  presence: PreflightPresence;
  earlierPreflightMaxAge?: string;
}

export interface PreparedExchange {
  id: string;
  kind: RequestKind;
  rules: BrowserRules;
  source: CaptureSource;
  mode?: RequestMode;
  credentials?: CredentialsMode;
  hops: PreparedHop[];
  /** Serialized initiator origin, `undefined` when nothing in the capture tells it. */
  initiator: string | undefined;
  initiatorFrom: 'exchange' | 'origin-header' | 'preflight-origin-header' | 'unknown';
  /** Problems with the input worth telling the user (dropped header lines, bad fields). */
  inputNotes: string[];
  /**
   * Set when the capture has a hop that cannot be read (`hops` stops before it): the chain went on past the last
   * prepared hop, so that hop's response is not the final one.
   */
  unreadableHop?: { index: number; reason: string };
}

const KINDS = new Set<RequestKind>(['fetch', 'xhr', 'script', 'font', 'image', 'stylesheet', 'media', 'document', 'other']);
const MODES = new Set<RequestMode>(['cors', 'no-cors', 'same-origin', 'navigate']);
const CREDENTIALS = new Set<CredentialsMode>(['include', 'same-origin', 'omit']);
const PRESENCES = new Set<PreflightPresence>(['captured', 'none-seen', 'not-captured']);
const SOURCES = new Set<CaptureSource>([
  'chromium-devtools',
  'chromium-har-export',
  'firefox-har-export',
  'playwright-har',
  'unknown-har',
  'synthetic',
  'cors-lens-check',
]);

/** A plain object (not null, not an array): how untrusted capture data is read. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function resolveUrl(target: string, base: string): string | undefined {
  try {
    return new URL(target, base).href;
  } catch {
    return undefined;
  }
}

/** Normalizes an origin-like string: `http://a.test/` (CDP's initiatorOrigin) becomes `http://a.test`. */
export function normalizeOriginString(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === 'null') return 'null';
  const origin = serializeOrigin(trimmed);
  return origin === undefined || origin === 'null' ? undefined : origin;
}

/** The index of a request's or response's header lines, noting how many malformed ones were dropped. */
function headerIndexNoting(snapshot: Record<string, unknown>, notes: string[], label: string): HeaderIndex {
  return headerIndexOf(snapshot, (dropped) => notes.push(`${dropped} malformed ${label} header line(s) ignored`));
}

function readResponse(raw: unknown, requestUrl: string, notes: string[], label: string): PreparedResponse | undefined {
  if (!isObject(raw)) return undefined;
  const status = typeof raw.status === 'number' && Number.isFinite(raw.status) ? Math.trunc(raw.status) : 0;
  const headers = headerIndexNoting(raw, notes, label);
  const redirect = str(raw.redirectURL);
  const locationHeader = headers.get('location');
  const rawLocation = redirect !== undefined && redirect !== '' ? redirect : locationHeader;
  const location = rawLocation === undefined ? undefined : resolveUrl(rawLocation, requestUrl) ?? rawLocation;
  return { status, headers, location };
}

// Outcomes without details are values every hop can share; the checks only read them.
const COMPLETED: BrowserOutcome = Object.freeze({ kind: 'completed' });
const UNRECORDED: BrowserOutcome = Object.freeze({ kind: 'unrecorded' });

function readOutcome(raw: unknown): BrowserOutcome {
  if (!isObject(raw)) return UNRECORDED;
  if (raw.kind === 'completed') return COMPLETED;
  if (raw.kind === 'failed') return { kind: 'failed', errorText: str(raw.errorText) ?? '' };
  return UNRECORDED;
}

export type PrepareResult = { ok: true; exchange: PreparedExchange } | { ok: false; missing: string[]; id: string; rules: BrowserRules };

export function prepareExchange(raw: unknown): PrepareResult {
  const input = isObject(raw) ? raw : {};
  const id = str(input.id) ?? '';
  const rules: BrowserRules = input.rules === 'firefox' ? 'firefox' : 'chromium';
  if (!isObject(raw)) return { ok: false, missing: ['the exchange itself (the input is not an object)'], id, rules };
  const notes: string[] = [];
  const rawHops = Array.isArray(input.hops) ? (input.hops as unknown[]) : [];
  const hops: PreparedHop[] = [];
  let unreadableHop: PreparedExchange['unreadableHop'];
  for (let i = 0; i < rawHops.length; i++) {
    const rawHop = rawHops[i];
    if (!isObject(rawHop) || !isObject(rawHop.request)) {
      if (i === 0) return { ok: false, missing: ['the request (hop 0 has no request)'], id, rules };
      notes.push(`hop ${i} is malformed; later hops ignored`);
      unreadableHop = { index: i, reason: 'is malformed' };
      break;
    }
    const request = rawHop.request;
    const url = str(request.url);
    if (url === undefined || serializeOrigin(url) === undefined) {
      if (i === 0) return { ok: false, missing: ['a valid request URL'], id, rules };
      notes.push(`hop ${i} has no valid URL; later hops ignored`);
      unreadableHop = { index: i, reason: 'has no valid URL' };
      break;
    }
    const requestHeaders = headerIndexNoting(request, notes, 'request');
    if (str(request.method) === undefined) notes.push(`hop ${i}: request method missing; GET assumed`);
    let preflight: PreparedPreflight | undefined;
    if (isObject(rawHop.preflight)) {
      const pf = rawHop.preflight;
      const pfRequest = isObject(pf.request) ? pf.request : {};
      const pfRequestHeaders = headerIndexOf(pfRequest);
      const response = readResponse(pf.response, str(pfRequest.url) ?? url, notes, 'preflight response');
      const errorText = str(pf.errorText);
      preflight = { requestHeaders: pfRequestHeaders, response, errorText: errorText === '' ? undefined : errorText };
    }
    const presenceRaw = rawHop.preflightPresence;
    const presence: PreflightPresence = preflight
      ? 'captured'
      : PRESENCES.has(presenceRaw as PreflightPresence) && presenceRaw !== 'captured'
        ? (presenceRaw as PreflightPresence)
        : 'none-seen';
    const response = readResponse(rawHop.response, url, notes, 'response');
    const hop: PreparedHop = {
      index: i,
      url,
      origin: serializeOrigin(url),
      method: str(request.method) ?? 'GET',
      headers: requestHeaders,
      headerLineCount: requestHeaders.lineCount,
      provisional: request.provisionalHeaders === true,
      outcome: readOutcome(rawHop.outcome),
      presence,
      response,
      preflight,
      earlierPreflightMaxAge: typeof rawHop.earlierPreflightMaxAge === 'string' ? rawHop.earlierPreflightMaxAge.trim() : undefined,
    };
    hops.push(hop);
  }
  if (hops.length === 0) return { ok: false, missing: ['the request (the exchange has no hops)'], id, rules };

  let initiator: string | undefined;
  let initiatorFrom: PreparedExchange['initiatorFrom'] = 'unknown';
  const given = str(input.initiatorOrigin);
  const givenOrigin = given === undefined ? undefined : normalizeOriginString(given);
  if (givenOrigin !== undefined) {
    initiator = givenOrigin;
    initiatorFrom = 'exchange';
  } else {
    const first = hops[0]!;
    const originHeader = first.provisional ? undefined : first.headers.get('origin');
    const preflightOrigin = first.preflight?.requestHeaders.get('origin');
    if (originHeader !== undefined && normalizeOriginString(originHeader) !== undefined) {
      initiator = normalizeOriginString(originHeader);
      initiatorFrom = 'origin-header';
    } else if (preflightOrigin !== undefined && normalizeOriginString(preflightOrigin) !== undefined) {
      initiator = normalizeOriginString(preflightOrigin);
      initiatorFrom = 'preflight-origin-header';
    }
  }

  const kind = KINDS.has(input.kind as RequestKind) ? (input.kind as RequestKind) : 'other';
  const source = SOURCES.has(input.source as CaptureSource) ? (input.source as CaptureSource) : 'unknown-har';
  const exchange: PreparedExchange = {
    id,
    kind,
    rules,
    source,
    hops,
    initiator,
    initiatorFrom,
    inputNotes: notes,
    mode: MODES.has(input.mode as RequestMode) ? (input.mode as RequestMode) : undefined,
    credentials: CREDENTIALS.has(input.credentials as CredentialsMode) ? (input.credentials as CredentialsMode) : undefined,
    unreadableHop,
  };
  return { ok: true, exchange };
}
