/**
 * Pairing rules: which preflight guarded which actual request, which entry is the next hop of a redirect, and which
 * origin made the request. Pure functions over normalized entries; the exchange store (exchangeStore.ts) keeps the
 * indexes and calls these on the few candidates an index returns.
 *
 * Facts these rules rest on (devtools-capture.md §A, §F; firefox-capture.md):
 * - Chromium marks preflights (`_resourceType: preflight`, `_initiator: {type: preflight, url, requestId}`); the actual
 *   request starts 2–82 ms before its preflight, and either entry may be delivered first.
 * - Firefox and Playwright do not mark them: an OPTIONS with `Access-Control-Request-Method` is a preflight, and it goes
 *   with the request to the same URL whose method it names, nearest in time. Playwright never records preflights.
 * - Each redirect hop is its own entry; the next hop's URL is the previous hop's `redirectURL`.
 */
import { FIREFOX_SENT_WITHOUT_RESPONSE } from '../model/exchange.js';
import { keepShape, Shape } from '../model/shapeKeeper.js';
import { CHECKED_HEADER_INDEX, type HeaderIndex } from '../model/headers.js';
import type {
  BrowserOutcome,
  CapturedExchange,
  CredentialsMode,
  HeaderLines,
  Hop,
  PageContext,
  PreflightAttempt,
  RequestSnapshot,
  ResponseSnapshot,
} from '../model/exchange.js';
import { originOfUrl } from './harHeaders.js';
import type { NormalizedEntry } from './normalize.js';

/** How long before the actual request its preflight may start (Firefox sends it first; clocks are coarse). */
export const PREFLIGHT_LEAD_MS = 2_000;
/** How long after the actual request ended its preflight may still start. */
export const PREFLIGHT_LAG_MS = 2_000;
/** How long after a redirect hop ended the next hop may start. */
export const REDIRECT_GAP_MS = 2_000;

/** One hop of an exchange as the store holds it: the actual entry and the preflight paired with it. */
export interface HopEntries {
  /** Absent only on a placeholder hop: a preflight whose actual request is not (yet) in the capture. */
  actual?: NormalizedEntry;
  preflight?: NormalizedEntry;
}

function endOf(entry: NormalizedEntry): number | undefined {
  return entry.startedAt === undefined ? undefined : entry.startedAt + (entry.time ?? 0);
}

/** Whether `preflight` can be the preflight of the actual request `actual` (URL already matched by the caller's index). */
export function preflightFitsActual(preflight: NormalizedEntry, actual: NormalizedEntry): boolean {
  const marks = preflight.preflight;
  if (marks === undefined || actual.preflight !== undefined) return false;
  if (actual.mode === 'navigate' || actual.mode === 'no-cors') return false;
  if (marks.requestedMethod !== undefined && marks.requestedMethod !== actual.method) return false;
  // When both carry a real Origin they must agree (a redirected hop may send `null`).
  const preflightOrigin = preflight.facts.origin;
  const actualOrigin = actual.facts.origin;
  if (preflightOrigin !== null && actualOrigin !== null && preflightOrigin !== actualOrigin) return false;
  if (preflight.startedAt !== undefined && actual.startedAt !== undefined) {
    if (preflight.startedAt < actual.startedAt - PREFLIGHT_LEAD_MS) return false;
    if (preflight.startedAt > (endOf(actual) ?? actual.startedAt) + PREFLIGHT_LAG_MS) return false;
  }
  return true;
}

/** Slack for the containment test below: HAR times are rounded and the two clocks are read at different points. */
const CONTAINMENT_SLACK_MS = 5;

/**
 * How well a preflight fits an actual request, as a rank compared lexicographically (lower wins). Chromium books the
 * time spent waiting for the preflight to the actual request, so the preflight's interval lies inside the actual's: such
 * pairs come first, and among them the earliest other side, so repeated identical requests pair in issue order. Pairs
 * that are not nested (a Firefox actual request blocked with no timings) rank by distance, an actual request that
 * started first being the usual order.
 * `side` says which side the caller is choosing: an actual request for a preflight, or a preflight for an actual request.
 */
export function preflightRank(preflight: NormalizedEntry, actual: NormalizedEntry, side: 'actual' | 'preflight'): [number, number] {
  if (preflight.startedAt === undefined || actual.startedAt === undefined) return [2, 0];
  const delta = preflight.startedAt - actual.startedAt;
  const actualEnd = endOf(actual)!;
  const preflightEnd = endOf(preflight)!;
  const nested = delta >= -CONTAINMENT_SLACK_MS && preflightEnd <= actualEnd + CONTAINMENT_SLACK_MS && (actual.time ?? 0) > 0;
  if (nested) return [0, side === 'actual' ? actual.startedAt : preflight.startedAt];
  return [1, delta >= 0 ? delta : PREFLIGHT_LEAD_MS + PREFLIGHT_LAG_MS - delta];
}

export function rankIsBetter(rank: [number, number], best: [number, number] | undefined): boolean {
  return best === undefined || rank[0] < best[0] || (rank[0] === best[0] && rank[1] < best[1]);
}

/** Whether `next` is the hop the browser made after following `previous`'s redirect. */
export function continuesRedirect(previous: NormalizedEntry, next: NormalizedEntry): boolean {
  if (previous.redirectURL !== next.url || next.preflight !== undefined) return false;
  if (previous.resourceType !== undefined && next.resourceType !== undefined && previous.resourceType !== next.resourceType) {
    return false;
  }
  if (previous.startedAt !== undefined && next.startedAt !== undefined) {
    if (next.startedAt < previous.startedAt) return false;
    if (next.startedAt > (endOf(previous) ?? previous.startedAt) + REDIRECT_GAP_MS) return false;
  }
  // After a cross-origin redirect the browser sends `Origin: null`; any other change means another request.
  const before = previous.facts.origin;
  const after = next.facts.origin;
  if (before !== null && after !== null && after !== 'null' && after !== before) return false;
  return true;
}

/** A redirect the browser followed leaves a next hop; one it refused (`_error`) or never answered does not. */
export function awaitsNextHop(entry: NormalizedEntry): boolean {
  return entry.redirectURL !== undefined && entry.errorText === undefined && entry.status >= 300 && entry.status < 400;
}

export type InitiatorOriginSource = NonNullable<CapturedExchange['initiatorOriginSource']>;

/** The origin that made the request, and where it was read from; in the order the evidence is trusted. */
export function initiatorOriginOf(
  hops: readonly HopEntries[],
  pageUrl: string | undefined,
): { origin?: string; source: InitiatorOriginSource } {
  const first = hops[0];
  const actual = first?.actual;
  // On the first hop `Origin: null` means an opaque initiator (a sandboxed iframe, a data: URL), so it is kept; only later
  // hops get a `null` the redirect put there, and those are never read here.
  const fromHeader = (entry: NormalizedEntry | undefined): string | undefined => {
    const value = entry === undefined ? null : entry.facts.origin;
    return value !== null && value !== '' && !value.includes(',') ? value : undefined;
  };
  const originHeader = fromHeader(actual);
  if (originHeader !== undefined) return { origin: originHeader, source: 'origin-header' };
  const preflightOrigin = fromHeader(first?.preflight);
  if (preflightOrigin !== undefined) return { origin: preflightOrigin, source: 'preflight' };
  const referer = actual === undefined ? null : actual.facts.referer;
  const refererOrigin = referer === null ? undefined : originOfUrl(referer);
  if (refererOrigin !== undefined && refererOrigin !== 'null') return { origin: refererOrigin, source: 'referer' };
  const pageOrigin = pageUrl === undefined ? undefined : originOfUrl(pageUrl);
  if (pageOrigin !== undefined && pageOrigin !== 'null') return { origin: pageOrigin, source: 'page' };
  const initiator = actual?.initiator ?? first?.preflight?.initiator;
  const initiatorUrl = initiator?.stackUrl ?? (initiator?.type === 'parser' ? initiator.url : undefined);
  const initiatorOrigin = initiatorUrl === undefined ? undefined : originOfUrl(initiatorUrl);
  if (initiatorOrigin !== undefined && initiatorOrigin !== 'null') return { origin: initiatorOrigin, source: 'initiator' };
  return { source: 'unknown' };
}

/**
 * The engine's view of an entry's request. Its header lines are read in place, through the entry's index
 * (`CHECKED_HEADER_INDEX`), or as tuples on first use of `headers` (see `NormalizedEntry`). A class, so the getter is
 * shared.
 * `headers` lives on the prototype: reading it works anywhere, but a spread or `structuredClone` of a snapshot does not
 * carry it. Snapshots are the engine's input and stay inside the store; the report, which leaves it, is plain data
 * (src/explain/buildReport.ts). Own accessors here were measured at 8–20% more CPU for `explainHar`.
 */
class EntryRequestSnapshot implements RequestSnapshot {
  readonly method: string;
  readonly url: string;
  declare provisionalHeaders?: boolean;
  readonly #entry: NormalizedEntry;

  constructor(entry: NormalizedEntry) {
    this.method = entry.method;
    this.url = entry.url;
    // Always written (undefined when absent): one shape for every snapshot.
    this.provisionalHeaders = entry.provisionalHeaders ? true : undefined;
    this.#entry = entry;
    keepShape(Shape.RequestSnapshot, this);
  }

  get headers(): HeaderLines {
    return this.#entry.requestHeaders;
  }

  /** The lines' index, read from the HAR's own objects (`headerIndexOf`): no tuple is made. */
  [CHECKED_HEADER_INDEX](): HeaderIndex {
    return this.#entry.requestHeaderIndex();
  }
}

/** The engine's view of an entry's response; header lines read on first use, as for the request. */
class EntryResponseSnapshot implements ResponseSnapshot {
  readonly status: number;
  declare statusText?: string;
  declare redirectURL?: string;
  readonly #entry: NormalizedEntry;

  constructor(entry: NormalizedEntry) {
    this.status = entry.status;
    this.statusText = entry.statusText !== '' ? entry.statusText : undefined;
    this.redirectURL = entry.redirectURL;
    this.#entry = entry;
    keepShape(Shape.ResponseSnapshot, this);
  }

  get headers(): HeaderLines {
    return this.#entry.responseHeaders;
  }

  /** The lines' index, read from the HAR's own objects (`headerIndexOf`): no tuple is made. */
  [CHECKED_HEADER_INDEX](): HeaderIndex {
    return this.#entry.responseHeaderIndex();
  }
}

function requestSnapshot(entry: NormalizedEntry): RequestSnapshot {
  return new EntryRequestSnapshot(entry);
}

function responseSnapshot(entry: NormalizedEntry): ResponseSnapshot | undefined {
  return entry.status <= 0 ? undefined : new EntryResponseSnapshot(entry);
}

/** What the capture says the browser did with the request (see `BrowserOutcome`). */
export function outcomeOf(entry: NormalizedEntry): BrowserOutcome {
  if (entry.errorText !== undefined) return { kind: 'failed', errorText: entry.errorText };
  const marksFailures = entry.source === 'chromium-devtools' || entry.source === 'chromium-har-export' || entry.source === 'playwright-har';
  // Status 0 / -1 means no response reached the page, whatever the source.
  if (entry.status <= 0) {
    if (marksFailures) return UNRECORDED;
    // Firefox records timings only for a request it sent; one it stopped first (its preflight failed) has none.
    const sent = entry.source === 'firefox-har-export' && entry.timings !== undefined;
    return sent ? { kind: 'failed', errorText: FIREFOX_SENT_WITHOUT_RESPONSE } : FAILED_WITHOUT_TEXT;
  }
  return marksFailures ? COMPLETED : UNRECORDED;
}

// The outcomes without details are values every exchange can share.
const COMPLETED: BrowserOutcome = Object.freeze({ kind: 'completed' });
const UNRECORDED: BrowserOutcome = Object.freeze({ kind: 'unrecorded' });
const FAILED_WITHOUT_TEXT: BrowserOutcome = Object.freeze({ kind: 'failed', errorText: '' });

function preflightAttempt(entry: NormalizedEntry): PreflightAttempt {
  return { request: requestSnapshot(entry), response: responseSnapshot(entry), errorText: entry.errorText };
}

/** A stand-in for an actual request the capture lacks, built from what its preflight says about it. */
function placeholderRequest(preflight: NormalizedEntry): RequestSnapshot {
  const marks = preflight.preflight;
  return {
    method: marks?.requestedMethod ?? 'GET',
    url: marks?.actualUrl ?? preflight.url,
    headers: [],
    provisionalHeaders: true,
  };
}

/**
 * The credentials mode, only when the capture proves it: a cross-origin request that carried a `Cookie` header was
 * sent with credentials `include` (mode `same-origin` sends cookies only to its own origin).
 */
function provenCredentials(actual: NormalizedEntry | undefined, initiatorOrigin: string | undefined): CredentialsMode | undefined {
  if (actual === undefined || actual.provisionalHeaders || initiatorOrigin === undefined) return undefined;
  if (!actual.facts.hasCookie) return undefined;
  return originOfUrl(actual.url) !== initiatorOrigin ? 'include' : undefined;
}

export function toCapturedExchange(id: string, hops: readonly HopEntries[], pageUrl: string | undefined): CapturedExchange {
  const first = hops[0];
  const leadEntry = first?.actual ?? first?.preflight;
  if (leadEntry === undefined) throw new Error(`exchange ${id} has no entries`);
  const initiator = initiatorOriginOf(hops, pageUrl);
  const capturedHops: Hop[] = hops.map((hop) => {
    const source = (hop.actual ?? hop.preflight)?.source;
    let captured: Hop;
    if (hop.actual !== undefined) {
      captured = {
        request: requestSnapshot(hop.actual),
        response: responseSnapshot(hop.actual),
        outcome: outcomeOf(hop.actual),
        netError: hop.actual.recordedError,
        serverIPAddress: hop.actual.serverIPAddress,
        hostAddressSeen: undefined,
        preflight: undefined,
        preflightPresence: 'none-seen',
      };
    } else {
      captured = {
        request: placeholderRequest(hop.preflight!),
        response: undefined,
        outcome: UNRECORDED,
        netError: undefined,
        serverIPAddress: undefined,
        hostAddressSeen: undefined,
        preflight: undefined,
        preflightPresence: 'none-seen',
      };
    }
    if (hop.preflight !== undefined) {
      captured.preflight = preflightAttempt(hop.preflight);
      captured.preflightPresence = 'captured';
    } else if (source === 'playwright-har') {
      captured.preflightPresence = 'not-captured';
    }
    return captured;
  });
  // Every field written, undefined when the capture lacks it: one shape for every exchange.
  return {
    id,
    initiatorOrigin: initiator.origin,
    initiatorOriginSource: initiator.source,
    kind: first?.actual?.kind ?? 'other',
    mode: first?.actual?.mode,
    credentials: provenCredentials(first?.actual, initiator.origin),
    hops: capturedHops,
    rules: leadEntry.rules,
    source: leadEntry.source,
    startedAt: leadEntry.startedAt,
    resourceType: first?.actual?.resourceType?.toLowerCase(),
    page: undefined,
  };
}

/**
 * The page context of a request from the page's own `document` entry (its address, CSP and COEP), or from its URL
 * alone when that entry is not in the capture.
 */
export function pageContextOf(url: string, document: NormalizedEntry | undefined): PageContext {
  if (document === undefined) return { url, documentCaptured: false };
  const page: PageContext = { url: document.url, documentCaptured: true };
  if (document.serverIPAddress !== undefined) page.serverIPAddress = document.serverIPAddress;
  const csp: string[] = [];
  let coep: string | undefined;
  for (const [name, value] of document.responseHeaders) {
    const lower = name.trim().toLowerCase();
    if (lower === 'content-security-policy') csp.push(value);
    else if (lower === 'cross-origin-embedder-policy') coep = value;
  }
  if (csp.length > 0) page.csp = csp;
  if (coep !== undefined) page.coep = coep;
  return page;
}

/** Whether an entry is a document the browser loaded (a page or a frame): its CSP and COEP govern what it loads. */
export function isDocumentEntry(entry: NormalizedEntry): boolean {
  return entry.kind === 'document' && entry.status >= 200 && entry.status < 300 && entry.preflight === undefined;
}
