/**
 * One raw HAR entry (anything a HAR file or `chrome.devtools.network` hands over) → a typed, validated entry, or a
 * one-line reason it cannot be read. No pairing and no CORS decision happens here: only reading what the capture holds
 * and recording which source wrote it, because each source leaves out different things (devtools-capture.md §A, §G;
 * firefox-capture.md).
 *
 * Why one file over 400 lines: an entry is read in one pass that validates every field as it goes (a malformed entry
 * is refused with the first bad field named); the per-source differences are tables at the bottom.
 */
import { undeliveredMark } from './entryCompleteness.js';
import type {
  BrowserRules,
  CaptureSource,
  HeaderLine,
  HeaderLines,
  RequestKind,
  RequestMode,
} from '../model/exchange.js';
import { HeaderIndex, trimHttpWhitespace, type CheckedHarHeader } from '../model/headers.js';
import { lookupOwn } from '../model/lookup.js';
import { combinedHeaderValue, originOfUrl, splitList } from './harHeaders.js';

/** What the HAR's `log` says about every entry in it. */
export interface HarContext {
  /** `log.creator.name`: `WebInspector` (Chromium), `Firefox`, `Playwright`, ... */
  creatorName?: string;
  /** `log.pages[].id` → the page's URL (Chromium and Firefox put it in `title`, Playwright too). */
  pageUrls?: ReadonlyMap<string, string>;
  /** Forced rules; `auto` (the default) decides from the source. */
  rules?: BrowserRules | 'auto';
}

/** Chromium's `_initiator`, reduced to what pairing and the initiator origin need. */
export interface InitiatorInfo {
  type: string;
  /** For `preflight`: the actual request's URL; for `parser`: the document's URL. */
  url?: string;
  /** For `preflight`: the CDP request id of the actual request. */
  requestId?: string;
  /** The first script URL on the initiator stack, when there is one. */
  stackUrl?: string;
}

/** What a preflight entry says about the request it guarded. */
export interface PreflightMarks {
  /** The actual request's URL (`_initiator.url` when Chromium marked it, else the OPTIONS URL). */
  actualUrl: string;
  /** `Access-Control-Request-Method`, or undefined when absent. */
  requestedMethod?: string;
  /** `Access-Control-Request-Headers`, lower-cased. */
  requestedHeaders: string[];
  /** Chromium marked it (`_resourceType: preflight` or `_initiator.type: preflight`) rather than us guessing. */
  marked: boolean;
  /** `_initiator.requestId`: a key unique per actual request. */
  actualRequestId?: string;
}

/**
 * One HAR entry, read. The header lines stay the HAR's own objects: the engine, the warnings and the report's summaries
 * read them in place through an index (`requestHeaderIndex`, `responseHeaderIndex`), and they become tuples only when
 * something asks for tuples (`requestHeaders`, `responseHeaders`: a report's header lines, read by the JSON output or
 * the panel's detail view). Copying every header of a 100 MB HAR costs more than reading it. The few request headers
 * pairing and the engine's triage need are read in the same pass that validates the lines (`RequestHeaderFacts`).
 */
export class NormalizedEntry {
  /**
   * The headers of a request that never reached the network: Chromium's provisional renderer headers (no Origin, no
   * Host), or a Firefox entry without Origin and Sec-Fetch-Mode (no author header says how it would have been sent).
   */
  provisionalHeaders = false;
  requestBodyMimeType?: string;
  /** 0 or -1 when no response was recorded. */
  status = 0;
  statusText = '';
  /** Resolved against `url`. */
  redirectURL?: string;
  /** `_error` (Chromium) or `_failureText` (Playwright), when not empty. */
  errorText?: string;
  /** Chromium's `_error` as recorded, `''` included (CSP, mixed content and DevTools blocking leave it empty). */
  recordedError?: string;
  /** `serverIPAddress` without IPv6 brackets; absent when empty (nothing connected, or the response was refused). */
  serverIPAddress?: string;
  /**
   * Set when the live source handed this entry over unfinished after waiting for DevTools (`_corsLensUnfinished`):
   * what DevTools never delivered. The store judges such an exchange "cannot tell".
   */
  undelivered?: string;
  resourceType?: string;
  startedDateTime?: string;
  /** ms since epoch, when `startedDateTime` parses. */
  startedAt?: number;
  /** The entry's `time` in ms, when recorded (≥ 0). */
  time?: number;
  pageref?: string;
  kind: RequestKind = 'other';
  /**
   * How many response lines are `Access-Control-*` ones (name trimmed, any case). With none in any response of an
   * exchange, no risk warning can apply unless the verdict is `allowed` (the store's `mayHaveWarnings`).
   */
  responseCorsHeaderLines = 0;
  /** Only set where the capture proves it. */
  mode?: RequestMode;
  /** Set when this entry is a preflight (an OPTIONS the browser sent ahead of an actual request). */
  preflight?: PreflightMarks;
  private requestLines: HeaderLines | undefined;
  private responseLines: HeaderLines | undefined;
  private initiatorRead = false;
  private initiatorInfo: InitiatorInfo | undefined;

  constructor(
    /** Position in the batch or HAR it came from. */
    readonly index: number,
    readonly raw: Rec,
    readonly source: CaptureSource,
    readonly rules: BrowserRules,
    readonly method: string,
    readonly url: string,
    /** The request headers pairing and triage read, combined the way Chromium reads them. */
    readonly facts: RequestHeaderFacts,
    private readonly rawRequestHeaders: unknown[],
    private readonly rawResponseHeaders: unknown[],
  ) {}

  /** Request header lines in capture order (duplicates apart), as tuples. */
  get requestHeaders(): HeaderLines {
    return (this.requestLines ??= toHeaderLines(this.rawRequestHeaders));
  }

  /** Response header lines in capture order (duplicates apart), as tuples. */
  get responseHeaders(): HeaderLines {
    return (this.responseLines ??= toHeaderLines(this.rawResponseHeaders));
  }

  /** The request header lines indexed where the HAR holds them (checked as the entry was read): no tuple is made. */
  requestHeaderIndex(): HeaderIndex {
    return HeaderIndex.ofCheckedHarHeaders(this.rawRequestHeaders as CheckedHarHeader[]);
  }

  /** The response header lines indexed where the HAR holds them (checked as the entry was read): no tuple is made. */
  responseHeaderIndex(): HeaderIndex {
    return HeaderIndex.ofCheckedHarHeaders(this.rawResponseHeaders as CheckedHarHeader[]);
  }

  /** Chromium's `_initiator`, read on first use (only pairing of preflights and a missing initiator origin need it). */
  get initiator(): InitiatorInfo | undefined {
    if (!this.initiatorRead) {
      this.initiatorInfo = readInitiator(this.raw._initiator);
      this.initiatorRead = true;
    }
    return this.initiatorInfo;
  }

  /** The HAR timings that were recorded (≥ 0); Chromium's `_blocked_queueing` is the only hint of a preflight-cache hit. */
  get timings(): EntryTimings | undefined {
    return readTimings(this.raw.timings);
  }

  /**
   * Whether `other` is this same request delivered twice (getHAR() and onRequestFinished overlap): same start time,
   * method, URL, status, duration and initiator request id. Entries without a start time are never repeats.
   */
  isRepeatOf(other: NormalizedEntry): boolean {
    return (
      this.startedDateTime !== undefined &&
      this.startedDateTime === other.startedDateTime &&
      this.method === other.method &&
      this.url === other.url &&
      this.status === other.status &&
      timeText(this.raw.time) === timeText(other.raw.time) &&
      (this.initiator?.requestId ?? '') === (other.initiator?.requestId ?? '')
    );
  }
}

function timeText(time: unknown): string {
  return time === undefined ? '' : String(time);
}

/**
 * The request headers read while validating the lines, each combined the way `combinedHeaderValue` combines them
 * (`null` when absent).
 */
export interface RequestHeaderFacts {
  origin: string | null;
  referer: string | null;
  secFetchMode: string | null;
  secFetchDest: string | null;
  accessControlRequestMethod: string | null;
  accessControlRequestHeaders: string | null;
  /** A `Host` or HTTP/2 `:authority` line: the headers went on the wire (not Chromium's provisional ones). */
  hasHost: boolean;
  hasCookie: boolean;
}

export interface EntryTimings {
  blocked?: number;
  blockedQueueing?: number;
  send?: number;
  wait?: number;
  receive?: number;
}

export type NormalizeResult = { ok: true; entry: NormalizedEntry } | { ok: false; reason: string };

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which tool wrote the entry, from its private `_` fields and the HAR creator. */
export function detectSource(entry: Rec, creatorName?: string): CaptureSource {
  const response = isRecord(entry.response) ? entry.response : undefined;
  const creator = creatorName?.toLowerCase() ?? '';
  if (
    creator === 'playwright' ||
    '_frameref' in entry ||
    '_monotonicTime' in entry ||
    (response !== undefined && '_failureText' in response)
  ) {
    return 'playwright-har';
  }
  if ('_resourceType' in entry || '_initiator' in entry) {
    return creator === 'webinspector' ? 'chromium-har-export' : 'chromium-devtools';
  }
  if (creator === 'firefox' || '_securityState' in entry) return 'firefox-har-export';
  return 'unknown-har';
}

export function rulesForSource(source: CaptureSource, forced?: BrowserRules | 'auto'): BrowserRules {
  if (forced === 'chromium' || forced === 'firefox') return forced;
  return source === 'firefox-har-export' ? 'firefox' : 'chromium';
}

/** Keyed by captured strings, so looked up with `lookupOwn` (a `_resourceType` of `constructor` is not a kind). */
const KIND_BY_RESOURCE_TYPE: Readonly<Record<string, RequestKind>> = {
  document: 'document',
  stylesheet: 'stylesheet',
  image: 'image',
  media: 'media',
  font: 'font',
  script: 'script',
  xhr: 'xhr',
  fetch: 'fetch',
  // A preflight is typed after the request it guards once paired; on its own it is a fetch-like load.
  preflight: 'fetch',
};

/** `Sec-Fetch-Dest` names, for captures without `_resourceType` (Firefox, Playwright). */
const KIND_BY_FETCH_DEST: Readonly<Record<string, RequestKind>> = {
  document: 'document',
  iframe: 'document',
  frame: 'document',
  style: 'stylesheet',
  image: 'image',
  font: 'font',
  script: 'script',
  worker: 'script',
  sharedworker: 'script',
  serviceworker: 'script',
  audio: 'media',
  video: 'media',
  track: 'media',
  // fetch() and XMLHttpRequest both send `empty`; the difference only changes Chrome's wording.
  empty: 'fetch',
};

const MODES: readonly RequestMode[] = ['cors', 'no-cors', 'same-origin', 'navigate'];

/** Kinds whose element loads without CORS unless it asks for it (`crossorigin`), so no `Origin` means `no-cors`. */
const NO_CORS_UNLESS_ASKED: ReadonlySet<RequestKind> = new Set(['image', 'script', 'stylesheet', 'media']);

/** The lower-case request header names `RequestHeaderFacts` holds, by length: only a name of that length is lower-cased. */
const FACT_NAME_LENGTHS = new Set([4, 6, 7, 10, 14, 29, 30]);

/** Adds one line's value the way `combinedHeaderValue` joins repeated lines. */
function combine(previous: string | null, value: string): string {
  const trimmed = trimHttpWhitespace(value);
  return previous === null ? trimmed : `${previous}, ${trimmed}`;
}

/**
 * Checks that every line is `{ name: non-empty string, value: string | number | boolean }`; returns the reason when
 * one is not. With `facts`, also reads the request headers pairing and triage need, in the same pass.
 */
function validateHeaderLines(value: unknown[], where: string, facts?: RequestHeaderFacts): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const header: unknown = value[i];
    if (!isRecord(header)) return `${where}[${i}] is not an object`;
    const name = header.name;
    const headerValue = header.value;
    if (typeof name !== 'string' || name === '') return `${where}[${i}].name is not a non-empty string`;
    if (typeof headerValue !== 'string' && typeof headerValue !== 'number' && typeof headerValue !== 'boolean') {
      return `${where}[${i}].value (${name}) is not a string`;
    }
    if (facts === undefined || !FACT_NAME_LENGTHS.has(name.length)) continue;
    const lower = name.toLowerCase();
    const text = typeof headerValue === 'string' ? headerValue : String(headerValue);
    switch (lower) {
      case 'origin':
        facts.origin = combine(facts.origin, text);
        break;
      case 'referer':
        facts.referer = combine(facts.referer, text);
        break;
      case 'cookie':
        facts.hasCookie = true;
        break;
      case 'host':
      case ':authority':
        facts.hasHost = true;
        break;
      case 'sec-fetch-mode':
        facts.secFetchMode = combine(facts.secFetchMode, text);
        break;
      case 'sec-fetch-dest':
        facts.secFetchDest = combine(facts.secFetchDest, text);
        break;
      case 'access-control-request-method':
        facts.accessControlRequestMethod = combine(facts.accessControlRequestMethod, text);
        break;
      case 'access-control-request-headers':
        facts.accessControlRequestHeaders = combine(facts.accessControlRequestHeaders, text);
        break;
    }
  }
  return undefined;
}

/**
 * Whether a header name, trimmed and lower-cased, starts with `access-control-` (how the warning rules spot CORS
 * lines). Only a name that starts with `a`, `A`, whitespace or a non-ASCII character is looked at closely.
 */
export function isCorsHeaderName(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first !== 0x61 && first !== 0x41 && first > 0x20 && first < 0x7f) return false;
  return name.trim().toLowerCase().startsWith('access-control-');
}

function countCorsHeaderLines(value: unknown[]): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) if (isCorsHeaderName((value[i] as { name: string }).name)) count++;
  return count;
}

/** Validated HAR header objects → tuples (numbers and booleans as strings). */
function toHeaderLines(value: unknown[]): HeaderLines {
  const lines: HeaderLine[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const header = value[i] as { name: string; value: string | number | boolean };
    lines[i] = [header.name, typeof header.value === 'string' ? header.value : String(header.value)];
  }
  return lines;
}

const NO_HEADERS: unknown[] = [];

function headerArray(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return NO_HEADERS;
  return Array.isArray(value) ? value : undefined;
}

function readInitiator(value: unknown): InitiatorInfo | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const info: InitiatorInfo = { type: value.type };
  if (typeof value.url === 'string' && value.url !== '') info.url = value.url;
  if (typeof value.requestId === 'string' && value.requestId !== '') info.requestId = value.requestId;
  // Walk the async stack chain for the first frame with a URL.
  let stack: unknown = value.stack;
  for (let depth = 0; depth < 32 && isRecord(stack); depth++) {
    const frames = stack.callFrames;
    if (Array.isArray(frames)) {
      const frame = frames.find((f): f is Rec => isRecord(f) && typeof f.url === 'string' && f.url !== '');
      if (frame) {
        info.stackUrl = frame.url as string;
        break;
      }
    }
    stack = stack.parent;
  }
  return info;
}

function resolveUrl(relative: string, base: string): string {
  try {
    return new URL(relative, base).href;
  } catch {
    return relative;
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function readTimings(value: unknown): EntryTimings | undefined {
  if (!isRecord(value)) return undefined;
  const timings: EntryTimings = {};
  const fields: [keyof EntryTimings, string][] = [
    ['blocked', 'blocked'],
    ['blockedQueueing', '_blocked_queueing'],
    ['send', 'send'],
    ['wait', 'wait'],
    ['receive', 'receive'],
  ];
  for (const [key, field] of fields) {
    const number = numberOrUndefined(value[field]);
    if (number !== undefined && number >= 0) timings[key] = number;
  }
  return Object.keys(timings).length === 0 ? undefined : timings;
}

function kindOf(resourceType: string | undefined, facts: RequestHeaderFacts): RequestKind {
  if (resourceType !== undefined) return lookupOwn(KIND_BY_RESOURCE_TYPE, resourceType.toLowerCase()) ?? 'other';
  const dest = facts.secFetchDest;
  if (dest !== null) return lookupOwn(KIND_BY_FETCH_DEST, dest.toLowerCase()) ?? 'other';
  return 'other';
}

function modeOf(kind: RequestKind, facts: RequestHeaderFacts, provisional: boolean): RequestMode | undefined {
  const fetchMode = facts.secFetchMode?.toLowerCase();
  const declared = MODES.find((mode) => mode === fetchMode);
  if (declared) return declared;
  if (kind === 'document') return 'navigate';
  if (!provisional && NO_CORS_UNLESS_ASKED.has(kind) && facts.origin === null) return 'no-cors';
  return undefined;
}

/** Reads one raw HAR entry. `index` is only used to number it. Never throws. */
export function normalizeEntry(raw: unknown, index: number, context: HarContext = {}): NormalizeResult {
  try {
    return normalizeUnsafe(raw, index, context);
  } catch (error) {
    return { ok: false, reason: `could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

function normalizeUnsafe(raw: unknown, index: number, context: HarContext): NormalizeResult {
  if (!isRecord(raw)) return { ok: false, reason: 'is not an object' };
  const request = raw.request;
  if (!isRecord(request)) return { ok: false, reason: 'has no request object' };
  const method = request.method;
  if (typeof method !== 'string' || method === '') return { ok: false, reason: 'request.method is not a non-empty string' };
  const url = request.url;
  if (typeof url !== 'string' || url === '') return { ok: false, reason: 'request.url is not a non-empty string' };
  if (originOfUrl(url) === undefined) return { ok: false, reason: `request.url is not a valid URL: ${url.slice(0, 200)}` };
  const requestHeaders = headerArray(request.headers);
  if (requestHeaders === undefined) return { ok: false, reason: 'request.headers is not an array' };
  const facts: RequestHeaderFacts = {
    origin: null,
    referer: null,
    secFetchMode: null,
    secFetchDest: null,
    accessControlRequestMethod: null,
    accessControlRequestHeaders: null,
    hasHost: false,
    hasCookie: false,
  };
  const badRequestHeader = validateHeaderLines(requestHeaders, 'request.headers', facts);
  if (badRequestHeader !== undefined) return { ok: false, reason: badRequestHeader };

  const response = raw.response === undefined || raw.response === null ? {} : raw.response;
  if (!isRecord(response)) return { ok: false, reason: 'response is not an object' };
  let status = 0;
  if (response.status !== undefined && response.status !== null) {
    const parsed = typeof response.status === 'string' && /^-?\d+$/.test(response.status) ? Number(response.status) : response.status;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed)) return { ok: false, reason: 'response.status is not a number' };
    status = parsed;
  }
  const responseHeaders = headerArray(response.headers);
  if (responseHeaders === undefined) return { ok: false, reason: 'response.headers is not an array' };
  const badResponseHeader = validateHeaderLines(responseHeaders, 'response.headers');
  if (badResponseHeader !== undefined) return { ok: false, reason: badResponseHeader };

  const source = detectSource(raw, context.creatorName);
  const rules = rulesForSource(source, context.rules);
  const entry = new NormalizedEntry(index, raw, source, rules, method, url, facts, requestHeaders, responseHeaders);
  entry.status = status;
  entry.responseCorsHeaderLines = countCorsHeaderLines(responseHeaders);
  if (typeof response.statusText === 'string') entry.statusText = response.statusText;
  const resourceType = typeof raw._resourceType === 'string' ? raw._resourceType : undefined;

  if (typeof response.redirectURL === 'string' && response.redirectURL !== '') {
    entry.redirectURL = resolveUrl(response.redirectURL, url);
  } else if (status >= 300 && status < 400) {
    const location = combinedHeaderValue(entry.responseHeaders, 'location');
    if (location !== null && location !== '') entry.redirectURL = resolveUrl(location, url);
  }

  if (typeof response._error === 'string') entry.recordedError = response._error;
  if (typeof raw.serverIPAddress === 'string' && raw.serverIPAddress !== '') {
    entry.serverIPAddress = raw.serverIPAddress.replace(/^\[(.*)\]$/, '$1');
  }
  const undelivered = undeliveredMark(raw);
  if (undelivered !== undefined) entry.undelivered = undelivered;
  if (typeof response._error === 'string' && response._error !== '') entry.errorText = response._error;
  else if (typeof response._failureText === 'string' && response._failureText !== '') entry.errorText = response._failureText;

  entry.provisionalHeaders =
    status <= 0 &&
    facts.origin === null &&
    (source === 'firefox-har-export'
      ? // Firefox lists Host at once but adds Origin and Sec-Fetch-* only as it sends: without both, it never did.
        facts.secFetchMode === null
      : !facts.hasHost);

  if (typeof raw.startedDateTime === 'string') {
    entry.startedDateTime = raw.startedDateTime;
    const parsedStart = Date.parse(raw.startedDateTime);
    if (Number.isFinite(parsedStart)) entry.startedAt = parsedStart;
  }
  const time = numberOrUndefined(raw.time);
  if (time !== undefined && time >= 0) entry.time = time;

  entry.kind = kindOf(resourceType, facts);
  const mode = modeOf(entry.kind, facts, entry.provisionalHeaders);
  if (mode !== undefined) entry.mode = mode;
  if (resourceType !== undefined) entry.resourceType = resourceType;
  if (typeof raw.pageref === 'string') entry.pageref = raw.pageref;
  const postData = request.postData;
  if (isRecord(postData) && typeof postData.mimeType === 'string' && postData.mimeType !== '') {
    entry.requestBodyMimeType = postData.mimeType;
  }

  if (method.length === 7 && method.toUpperCase() === 'OPTIONS') {
    const initiator = entry.initiator;
    const marked = resourceType?.toLowerCase() === 'preflight' || initiator?.type === 'preflight';
    const requestedMethod = facts.accessControlRequestMethod;
    if (marked || requestedMethod !== null) {
      const marks: PreflightMarks = {
        actualUrl: marked && initiator?.url !== undefined ? initiator.url : url,
        requestedHeaders: splitList(facts.accessControlRequestHeaders).map((h) => h.toLowerCase()),
        marked,
      };
      if (requestedMethod !== null && requestedMethod !== '') marks.requestedMethod = requestedMethod;
      if (initiator?.requestId !== undefined) marks.actualRequestId = initiator.requestId;
      entry.preflight = marks;
    }
  }
  return { ok: true, entry };
}
