/**
 * One raw HAR entry (anything a HAR file or `chrome.devtools.network` hands over) → a typed, validated entry, or a
 * one-line reason it cannot be read. No pairing and no CORS decision happens here: only reading what the capture holds
 * and recording which source wrote it, because each source leaves out different things (devtools-capture.md §A, §G;
 * firefox-capture.md).
 */
import type {
  BrowserRules,
  CaptureSource,
  HeaderLine,
  HeaderLines,
  RequestKind,
  RequestMode,
} from '../cors/model.js';
import { combinedHeaderValue, hasHeader, originOfUrl, splitList } from './headers.js';

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

export interface NormalizedEntry {
  /** Position in the batch or HAR it came from. */
  index: number;
  raw: unknown;
  source: CaptureSource;
  rules: BrowserRules;
  method: string;
  url: string;
  requestHeaders: HeaderLines;
  /**
   * The headers of a request that never reached the network: Chromium's provisional renderer headers (no Origin, no
   * Host), or a Firefox entry without Origin and Sec-Fetch-Mode (no author header says how it would have been sent).
   */
  provisionalHeaders: boolean;
  requestBodyMimeType?: string;
  /** 0 or -1 when no response was recorded. */
  status: number;
  statusText: string;
  responseHeaders: HeaderLines;
  /** Resolved against `url`. */
  redirectURL?: string;
  /** `_error` (Chromium) or `_failureText` (Playwright). */
  errorText?: string;
  resourceType?: string;
  initiator?: InitiatorInfo;
  startedDateTime?: string;
  /** ms since epoch, when `startedDateTime` parses. */
  startedAt?: number;
  /** The entry's `time` in ms, when recorded (≥ 0). */
  time?: number;
  /** The HAR timings that were recorded (≥ 0); Chromium's `_blocked_queueing` is the only hint of a preflight-cache hit. */
  timings?: EntryTimings;
  pageref?: string;
  kind: RequestKind;
  /** Only set where the capture proves it. */
  mode?: RequestMode;
  /** Set when this entry is a preflight (an OPTIONS the browser sent ahead of an actual request). */
  preflight?: PreflightMarks;
  /**
   * Two entries with the same key are the same request delivered twice (getHAR() and onRequestFinished overlap);
   * empty when the entry has no start time (then it is never taken for a repeat).
   */
  dedupeKey: string;
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

function readHeaderLines(value: unknown, where: string): HeaderLine[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return `${where} is not an array`;
  const lines: HeaderLine[] = [];
  for (let i = 0; i < value.length; i++) {
    const header: unknown = value[i];
    if (!isRecord(header)) return `${where}[${i}] is not an object`;
    const { name, value: headerValue } = header;
    if (typeof name !== 'string' || name === '') return `${where}[${i}].name is not a non-empty string`;
    if (typeof headerValue === 'string') lines.push([name, headerValue]);
    else if (typeof headerValue === 'number' || typeof headerValue === 'boolean') lines.push([name, String(headerValue)]);
    else return `${where}[${i}].value (${name}) is not a string`;
  }
  return lines;
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

function kindOf(resourceType: string | undefined, requestHeaders: HeaderLines): RequestKind {
  if (resourceType !== undefined) return KIND_BY_RESOURCE_TYPE[resourceType.toLowerCase()] ?? 'other';
  const dest = combinedHeaderValue(requestHeaders, 'sec-fetch-dest');
  if (dest !== null) return KIND_BY_FETCH_DEST[dest.toLowerCase()] ?? 'other';
  return 'other';
}

function modeOf(kind: RequestKind, requestHeaders: HeaderLines, provisional: boolean): RequestMode | undefined {
  const fetchMode = combinedHeaderValue(requestHeaders, 'sec-fetch-mode')?.toLowerCase();
  const declared = MODES.find((mode) => mode === fetchMode);
  if (declared) return declared;
  if (kind === 'document') return 'navigate';
  if (!provisional && NO_CORS_UNLESS_ASKED.has(kind) && !hasHeader(requestHeaders, 'origin')) return 'no-cors';
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
  const requestHeaders = readHeaderLines(request.headers, 'request.headers');
  if (typeof requestHeaders === 'string') return { ok: false, reason: requestHeaders };

  const response = raw.response === undefined || raw.response === null ? {} : raw.response;
  if (!isRecord(response)) return { ok: false, reason: 'response is not an object' };
  let status = 0;
  if (response.status !== undefined && response.status !== null) {
    const parsed = typeof response.status === 'string' && /^-?\d+$/.test(response.status) ? Number(response.status) : response.status;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed)) return { ok: false, reason: 'response.status is not a number' };
    status = parsed;
  }
  const responseHeaders = readHeaderLines(response.headers, 'response.headers');
  if (typeof responseHeaders === 'string') return { ok: false, reason: responseHeaders };

  const source = detectSource(raw, context.creatorName);
  const rules = rulesForSource(source, context.rules);
  const resourceType = typeof raw._resourceType === 'string' ? raw._resourceType : undefined;
  const initiator = readInitiator(raw._initiator);

  let redirectURL: string | undefined;
  if (typeof response.redirectURL === 'string' && response.redirectURL !== '') {
    redirectURL = resolveUrl(response.redirectURL, url);
  } else if (status >= 300 && status < 400) {
    const location = combinedHeaderValue(responseHeaders, 'location');
    if (location !== null && location !== '') redirectURL = resolveUrl(location, url);
  }

  const errorCandidate = [response._error, response._failureText].find((e) => typeof e === 'string' && e !== '');
  const errorText = errorCandidate as string | undefined;

  const provisionalHeaders =
    status <= 0 &&
    !hasHeader(requestHeaders, 'origin') &&
    (source === 'firefox-har-export'
      ? // Firefox lists Host at once but adds Origin and Sec-Fetch-* only as it sends: without both, it never did.
        !hasHeader(requestHeaders, 'sec-fetch-mode')
      : !hasHeader(requestHeaders, 'host') && !hasHeader(requestHeaders, ':authority'));

  const startedDateTime = typeof raw.startedDateTime === 'string' ? raw.startedDateTime : undefined;
  const parsedStart = startedDateTime === undefined ? NaN : Date.parse(startedDateTime);
  const time = numberOrUndefined(raw.time);

  const kind = kindOf(resourceType, requestHeaders);
  const entry: NormalizedEntry = {
    index,
    raw,
    source,
    rules,
    method,
    url,
    requestHeaders,
    provisionalHeaders,
    status,
    statusText: typeof response.statusText === 'string' ? response.statusText : '',
    responseHeaders,
    kind,
    dedupeKey: '',
  };
  const mode = modeOf(kind, requestHeaders, provisionalHeaders);
  if (mode !== undefined) entry.mode = mode;
  if (redirectURL !== undefined) entry.redirectURL = redirectURL;
  if (errorText !== undefined) entry.errorText = errorText;
  if (resourceType !== undefined) entry.resourceType = resourceType;
  if (initiator !== undefined) entry.initiator = initiator;
  if (startedDateTime !== undefined) entry.startedDateTime = startedDateTime;
  if (Number.isFinite(parsedStart)) entry.startedAt = parsedStart;
  if (time !== undefined && time >= 0) entry.time = time;
  const timings = readTimings(raw.timings);
  if (timings !== undefined) entry.timings = timings;
  if (typeof raw.pageref === 'string') entry.pageref = raw.pageref;
  if (isRecord(request.postData) && typeof request.postData.mimeType === 'string' && request.postData.mimeType !== '') {
    entry.requestBodyMimeType = request.postData.mimeType;
  }

  const marked = resourceType?.toLowerCase() === 'preflight' || initiator?.type === 'preflight';
  const requestedMethod = combinedHeaderValue(requestHeaders, 'access-control-request-method');
  if (method.toUpperCase() === 'OPTIONS' && (marked || requestedMethod !== null)) {
    const marks: PreflightMarks = {
      actualUrl: marked && initiator?.url !== undefined ? initiator.url : url,
      requestedHeaders: splitList(combinedHeaderValue(requestHeaders, 'access-control-request-headers')).map((h) =>
        h.toLowerCase(),
      ),
      marked,
    };
    if (requestedMethod !== null && requestedMethod !== '') marks.requestedMethod = requestedMethod;
    if (initiator?.requestId !== undefined) marks.actualRequestId = initiator.requestId;
    entry.preflight = marks;
  }

  // Without a start time two different requests could look alike, so such entries are never treated as repeats.
  entry.dedupeKey = startedDateTime === undefined ? '' : [
    startedDateTime,
    method,
    url,
    status,
    raw.time === undefined ? '' : String(raw.time),
    initiator?.requestId ?? '',
  ].join('\u0000');
  return { ok: true, entry };
}
