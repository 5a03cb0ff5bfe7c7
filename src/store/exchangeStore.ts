/**
 * The exchange store (contract: ./storeTypes.ts). Entries go in one at a time (live DevTools) or all at once (a HAR file);
 * each call pairs the new entries with what is already there through four indexes keyed by URL (actual requests awaiting
 * their preflight, preflights awaiting their actual request, redirects awaiting their next hop, first hops a late
 * redirect hop may continue), so adding one entry touches only the exchanges it can belong to, and only those are
 * re-evaluated.
 *
 * Why one file over 400 lines: the four pairing indexes, the exchanges they point into and the cap that drops the
 * oldest must change together in every call; split apart, each half would have to re-check the other's invariants.
 */
import { evaluateExchange } from '../explain/evaluateExchange.js';
import { keepShape, Shape } from '../model/shapeKeeper.js';
import type { CapturedExchange, EngineResult, PageContext } from '../model/exchange.js';
import { buildReport, type ReportExtras } from '../explain/buildReport.js';
import { detectExchangeServerStack } from '../fixes/detectServerStack.js';
import { createWarningContext, findWarnings, observeExchange, type WarningContext } from '../explain/warnings.js';
import type { ExchangeReport, Warning } from '../explain/report.js';
import type { ExchangeStoreOptions, ReleasingExchangeStore, StoreChange } from './storeTypes.js';
import { normalizeEntry, type HarContext, type NormalizedEntry } from '../capture/normalize.js';
import { originOfUrl } from '../capture/harHeaders.js';
import {
  awaitsNextHop,
  continuesRedirect,
  isDocumentEntry,
  pageContextOf,
  preflightFitsActual,
  preflightRank,
  rankIsBetter,
  toCapturedExchange,
  type HopEntries,
} from '../capture/pair.js';

export const DEFAULT_MAX_EXCHANGES = 10_000;
const ONLY_THE_PREFLIGHT = 'the actual request: the capture holds only its preflight';
/** Index lists forget entries this much older than the newest one added under the same URL: too old to pair. */
const INDEX_HORIZON_MS = 60_000;

/** Replaceable parts, for tests (counting engine calls) and for callers that already read the HAR's `log`. */
export interface ExchangeStoreDeps {
  evaluate?: (exchange: CapturedExchange) => EngineResult;
  findWarnings?: (exchange: CapturedExchange, result: EngineResult, context?: WarningContext) => Warning[];
  /** What the HAR's `log` says (creator, pages); the live panel has none. */
  harContext?: HarContext;
  /** The size of a raw entry as read, for `retainedBytes` (a streaming reader knows it; default 0). */
  entryBytes?: (raw: unknown) => number;
  /**
   * Every `addEntries` call is a part of one capture (a HAR read in batches): a repeat of an earlier call's entry is a
   * repeat in the capture and counted in `repeatsMerged`, as when the whole HAR comes in one call. (Live, a repeat from
   * an earlier call is getHAR() and onRequestFinished delivering the same request twice, and is not counted.)
   */
  oneCapture?: boolean;
}

interface ExchangeRecord {
  id: string;
  seq: number;
  sortKey: number;
  hops: HopEntries[];
  /** The next hop's preflight, when it arrived before the hop itself. */
  nextHopPreflight?: NormalizedEntry;
  /**
   * The last evaluation, kept so a warning that depends on other exchanges can be refreshed without re-running it;
   * dropped once the report is built when no warning rule can apply (`mayHaveWarnings`).
   */
  evaluated?: { exchange: CapturedExchange; result: EngineResult; extras: ReportExtras };
  report?: ExchangeReport;
  dropped: boolean;
}

interface HopRef {
  record: ExchangeRecord;
  hop: number;
}

/** More than one candidate under one URL: the list, and what its pruning needs. */
class UrlList<T> {
  prunedLength: number;
  constructor(
    public items: T[],
    public newestStart: number | undefined,
  ) {
    this.prunedLength = items.length;
  }
}

/**
 * A URL-keyed index of candidates. Most URLs of a capture are requested once, so a URL with one candidate maps to that
 * candidate itself; a second one turns it into a `UrlList`. A list is pruned (dropped, used, or too old to pair: older
 * than the horizon before the newest item added) when it has doubled since it was last pruned, so adding stays O(1)
 * amortized even for a URL a page requests thousands of times; `candidates` returns the live items.
 */
class UrlIndex<T extends object> {
  private readonly map = new Map<string, T | UrlList<T>>();
  constructor(
    private readonly isLive: (item: T) => boolean,
    private readonly startOf: (item: T) => number | undefined,
  ) {}

  add(url: string, item: T): void {
    const held = this.map.get(url);
    if (held === undefined) {
      this.map.set(url, item);
      return;
    }
    const start = this.startOf(item);
    if (!(held instanceof UrlList)) {
      const heldStart = this.startOf(held);
      const newest = heldStart === undefined ? start : start === undefined || heldStart > start ? heldStart : start;
      this.map.set(url, new UrlList([held, item], newest));
      return;
    }
    held.items.push(item);
    if (start !== undefined && (held.newestStart === undefined || start > held.newestStart)) held.newestStart = start;
    if (held.items.length >= 2 * held.prunedLength + 8) this.prune(held);
  }

  private prune(list: UrlList<T>): void {
    const horizon = list.newestStart === undefined ? undefined : list.newestStart - INDEX_HORIZON_MS;
    list.items = list.items.filter((other) => {
      if (!this.isLive(other)) return false;
      const otherStart = this.startOf(other);
      return horizon === undefined || otherStart === undefined || otherStart >= horizon;
    });
    list.prunedLength = list.items.length;
  }

  candidates(url: string): readonly T[] {
    const held = this.map.get(url);
    if (held === undefined) return NO_CANDIDATES;
    if (!(held instanceof UrlList)) {
      if (this.isLive(held)) return [held];
      this.map.delete(url);
      return NO_CANDIDATES;
    }
    // Most lists are all live: return them as they are rather than a filtered copy.
    let allLive = true;
    for (let i = 0; i < held.items.length && allLive; i++) allLive = this.isLive(held.items[i]!);
    if (allLive) return held.items;
    const live = held.items.filter(this.isLive);
    if (live.length === 0) this.map.delete(url);
    else {
      held.items = live;
      held.prunedLength = live.length;
    }
    return live;
  }

  /** Forgets the items under `url` that `matches` says belong to a record leaving the store. */
  remove(url: string, matches: (item: T) => boolean): void {
    const held = this.map.get(url);
    if (held === undefined) return;
    if (!(held instanceof UrlList)) {
      if (matches(held)) this.map.delete(url);
      return;
    }
    const rest = held.items.filter((item) => !matches(item));
    if (rest.length === 0) this.map.delete(url);
    else if (rest.length !== held.items.length) {
      held.items = rest;
      held.prunedLength = rest.length;
    }
  }

  clear(): void {
    this.map.clear();
  }
}

const NO_CANDIDATES: readonly never[] = Object.freeze([]);

/** The host of an absolute URL, lower-cased, without user info or port (string work: called for most entries). */
function hostOfUrl(url: string): string {
  const start = url.indexOf('//');
  if (start < 0) return '';
  let end = url.length;
  for (let i = start + 2; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      end = i;
      break;
    }
  }
  let authority = url.slice(start + 2, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1).toLowerCase();
  const colon = authority.indexOf(':');
  return (colon >= 0 ? authority.slice(0, colon) : authority).toLowerCase();
}

function originOfEntry(entry: NormalizedEntry): string | undefined {
  const origin = originOfUrl(entry.url);
  return origin === undefined || origin === 'null' ? undefined : origin;
}

/** What DevTools never delivered for the entries of an exchange the live source handed over unfinished. */
function undeliveredParts(record: ExchangeRecord): string[] {
  const parts: string[] = [];
  for (const hop of record.hops) {
    if (hop.preflight?.undelivered !== undefined) parts.push(hop.preflight.undelivered);
    if (hop.actual?.undelivered !== undefined) parts.push(hop.actual.undelivered);
  }
  return parts;
}

/**
 * An exchange with an entry DevTools never finished is "cannot tell", whatever the checks would make of the empty
 * entry: a cause read from it would be a guess (issue 15). Kept as it is only when the engine already says so, finds
 * CORS does not apply, or names something beside CORS that leaves exactly such an entry from other evidence (the
 * page's Content-Security-Policy or its https scheme, DevTools' request blocking); either way the report says what
 * was never delivered.
 */
function cannotTellUnfinished(result: EngineResult, undelivered: readonly string[]): EngineResult {
  const missing = [...undelivered, ...result.missing];
  if (result.verdict === 'unknown' || result.verdict === 'not-cors' || result.blocker !== undefined) return { ...result, missing };
  return {
    verdict: 'unknown',
    checks: result.checks.map((check) => (check.status === 'fail' ? { ...check, status: 'unknown' } : check)),
    preflight: result.preflight,
    assumptions: [],
    missing,
    rules: result.rules,
  };
}

/** A cap is a whole number of exchanges, at least 1; anything else keeps the default. */
function capOf(value: number): number {
  return Number.isFinite(value) ? Math.max(1, Math.floor(value)) : DEFAULT_MAX_EXCHANGES;
}

/** Candidates' start times and liveness for the four URL indexes (module functions: one compiled copy for every store). */
const hopStart = (ref: HopRef): number | undefined => ref.record.hops[ref.hop]?.actual?.startedAt;
const awaitsItsPreflight = (ref: HopRef): boolean => !ref.record.dropped && ref.record.hops[ref.hop]?.preflight === undefined;
const isPlaceholder = (record: ExchangeRecord): boolean => !record.dropped && record.hops[0]?.actual === undefined;
const placeholderStart = (record: ExchangeRecord): number | undefined => record.hops[0]?.preflight?.startedAt;
const isLastHop = (ref: HopRef): boolean => !ref.record.dropped && ref.record.hops.length === ref.hop + 1;
const hasFirstActual = (record: ExchangeRecord): boolean => !record.dropped && record.hops[0]?.actual !== undefined;
const firstActualStart = (record: ExchangeRecord): number | undefined => record.hops[0]?.actual?.startedAt;

/**
 * Entries already taken in are keyed by start time, method and URL: a repeat is ignored. Not by start time alone: a
 * generated or second-resolution HAR gives thousands of entries one start time, and comparing each with all the others
 * was quadratic.
 */
const seenKey = (entry: NormalizedEntry): string | undefined =>
  entry.startedDateTime === undefined ? undefined : `${entry.startedDateTime} ${entry.method} ${entry.url}`;

const MAX_DOCUMENTS_PER_ORIGIN = 64;
const MAX_HOST_ADDRESSES = 4096;
const MAX_AWAITING = 1024;

/**
 * Whether a warning rule could apply: every rule but one needs an `allowed` verdict, and that one (and the context's
 * echoed-origin index) needs `Access-Control-*` lines in a response. Most of a capture has neither, and skipping them
 * saves reading their headers (test/security/warning-preconditions.test.ts checks the premise).
 */
function mayHaveWarnings(record: ExchangeRecord, result: EngineResult): boolean {
  if (result.verdict === 'allowed') return true;
  return record.hops.some(
    (hop) => (hop.actual?.responseCorsHeaderLines ?? 0) > 0 || (hop.preflight?.responseCorsHeaderLines ?? 0) > 0,
  );
}

export function createExchangeStore(options: ExchangeStoreOptions = {}, deps: ExchangeStoreDeps = {}): ReleasingExchangeStore {
  return new PairingExchangeStore(options, deps);
}

/**
 * The store's state and the steps that change it. A class rather than closures in `createExchangeStore`: V8 keeps the
 * optimized code of a method with the class, whereas a closure's went with the store that made it, so the first HAR
 * explained after a full garbage collection ran in the interpreter until it was optimized again.
 */
class PairingExchangeStore implements ReleasingExchangeStore {
  private cap: number;
  private readonly evaluate: (exchange: CapturedExchange) => EngineResult;
  private readonly warningsOf: (exchange: CapturedExchange, result: EngineResult, context?: WarningContext) => Warning[];
  private warningContext = createWarningContext();
  private readonly context: HarContext;
  private ordered: ExchangeRecord[] = [];
  private readonly byId = new Map<string, ExchangeRecord>();
  /** Entries already taken in, by `seenKey` (the entry itself while it is the only one under its key). */
  private readonly seen = new Map<string, NormalizedEntry | NormalizedEntry[]>();
  /** How many repeats of an entry taken in were merged into it (reported per exchange as `repeatsMerged`). */
  private readonly repeatCounts = new WeakMap<NormalizedEntry, number>();
  /** Chromium `_initiator.requestId` of a preflight → its exchange (later hops' preflights share the id). */
  private readonly byActualRequestId = new Map<string, ExchangeRecord>();
  private nextSeq = 0;
  /** Bytes of the entries the store holds, as `deps.entryBytes` measures them. */
  private retained = 0;
  private readonly entryBytes: ((raw: unknown) => number) | undefined;
  private lastSortKey = 0;
  private droppedTotal = 0;
  /** `list()`'s answer until the next change. */
  private listCache: ExchangeReport[] | undefined = undefined;
  /** Actual hops with no preflight yet, by URL. */
  private readonly awaitingPreflight = new UrlIndex<HopRef>(awaitsItsPreflight, hopStart);
  /** Placeholder exchanges (a preflight whose actual request has not arrived), by the actual's URL. */
  private readonly awaitingActual = new UrlIndex<ExchangeRecord>(isPlaceholder, placeholderStart);
  /** Exchanges whose last hop redirected and whose next hop has not arrived, by the redirect target. */
  private readonly awaitingNextHop = new UrlIndex<HopRef>(isLastHop, hopStart);
  /** Exchanges by their first hop's URL: a redirect hop that arrives after its next hop finds that hop's exchange here. */
  private readonly awaitingPreviousHop = new UrlIndex<ExchangeRecord>(hasFirstActual, firstActualStart);
  /**
   * The documents (pages and frames) the capture holds, by origin, in the order they arrived: the page context of a
   * request (its CSP, COEP and address) is read from the latest document of the request's origin that started before it.
   */
  private readonly documentsByOrigin = new Map<string, NormalizedEntry[]>();
  /** The latest address the capture recorded for each host name (IP-literal hosts need none). */
  private readonly hostAddresses = new Map<string, string>();
  /**
   * Failed exchanges judged without their page's document, or with a host no entry had resolved yet, by origin / host:
   * when that document or address arrives later (one entry at a time, live), they are judged again, so the order
   * entries arrive in does not change a verdict (a whole HAR at once knows them all before judging).
   */
  private readonly awaitingPage = new Map<string, Map<ExchangeRecord, number | undefined>>();
  private readonly awaitingHost = new Map<string, Map<ExchangeRecord, number | undefined>>();
  /** Records to judge again in the current `addEntries` call because what they waited for arrived. */
  private learned: ExchangeRecord[] = [];
  /** A document's page context, read once (many requests share one page). */
  private readonly pageContexts = new WeakMap<NormalizedEntry, PageContext>();
  /** Exchanges folded into the exchange of their redirect's earlier hop during the current `addEntries` call. */
  private folded: ExchangeRecord[] = [];

  constructor(
    private readonly options: ExchangeStoreOptions,
    private readonly deps: ExchangeStoreDeps,
  ) {
    this.cap = capOf(options.maxExchanges ?? DEFAULT_MAX_EXCHANGES);
    this.evaluate = deps.evaluate ?? evaluateExchange;
    this.warningsOf = deps.findWarnings ?? findWarnings;
    this.context = { ...deps.harContext, rules: options.rules ?? deps.harContext?.rules ?? 'auto' };
    this.entryBytes = deps.entryBytes;
  }

  /**
   * An empty store whose number fields hold what a store explaining a HAR comes to hold: a cap and a start time that
   * are not small integers. V8 gives such a field another map the first time it holds one, so a witness that never did
   * would keep a map no store uses.
   */
  static shapeWitness(): PairingExchangeStore {
    const store = new PairingExchangeStore({ maxExchanges: Number.MAX_SAFE_INTEGER }, {});
    store.lastSortKey = Date.now() + 0.5;
    store.retained = 0.5;
    return store;
  }

  private bytesOf(entry: NormalizedEntry | undefined): number {
    return entry === undefined || this.entryBytes === undefined ? 0 : this.entryBytes(entry.raw);
  }

  /** Records `entry` as seen: `undefined` when it is new, else the entry already taken in that it repeats. */
  private takeOnce(entry: NormalizedEntry): NormalizedEntry | undefined {
    const key = seenKey(entry);
    if (key === undefined) return undefined;
    const same = this.seen.get(key);
    if (same === undefined) {
      this.seen.set(key, entry);
      return undefined;
    }
    if (!Array.isArray(same)) {
      if (entry.isRepeatOf(same)) return same;
      this.seen.set(key, [same, entry]);
      return undefined;
    }
    const original = same.find((other) => entry.isRepeatOf(other));
    if (original !== undefined) return original;
    same.push(entry);
    return undefined;
  }

  private repeatsOf(record: ExchangeRecord): number {
    let count = 0;
    for (const hop of record.hops) count += (hop.actual ? this.repeatCounts.get(hop.actual) ?? 0 : 0) + (hop.preflight ? this.repeatCounts.get(hop.preflight) ?? 0 : 0);
    if (record.nextHopPreflight) count += this.repeatCounts.get(record.nextHopPreflight) ?? 0;
    return count;
  }

  private holdsOneOf(record: ExchangeRecord, entries: ReadonlySet<NormalizedEntry>): boolean {
    const held = (entry: NormalizedEntry | undefined) => entry !== undefined && entries.has(entry);
    return record.hops.some((hop) => held(hop.actual) || held(hop.preflight)) || held(record.nextHopPreflight);
  }

  private forget(entry: NormalizedEntry | undefined): void {
    const key = entry === undefined ? undefined : seenKey(entry);
    if (key === undefined) return;
    const same = this.seen.get(key);
    if (same === undefined) return;
    if (!Array.isArray(same)) {
      if (same === entry) this.seen.delete(key);
      return;
    }
    const rest = same.filter((other) => other !== entry);
    if (rest.length === 0) this.seen.delete(key);
    else this.seen.set(key, rest.length === 1 ? rest[0]! : rest);
  }

  private rememberHostAddress(entry: NormalizedEntry): void {
    const host = hostOfUrl(entry.url);
    if (host === '' || host.startsWith('[') || /^[\d.]+$/.test(host)) return;
    if (!this.hostAddresses.has(host) && this.hostAddresses.size >= MAX_HOST_ADDRESSES) return;
    if (!this.hostAddresses.has(host)) this.learnedFor(this.awaitingHost, host);
    this.hostAddresses.set(host, entry.serverIPAddress!);
  }

  /**
   * What the records waiting under `key` waited for arrived. A page's document helps only the requests that started
   * after it (`pageDocumentFor`), so with `startedAt` (the document's start) the earlier ones keep waiting rather than
   * being judged again for nothing: a capture whose failed requests precede the page's next navigation re-judged every
   * one of them at each document otherwise.
   */
  private learnedFor(index: Map<string, Map<ExchangeRecord, number | undefined>>, key: string, startedAt?: number): void {
    const waiting = index.get(key);
    if (waiting === undefined) return;
    for (const [record, recordStart] of waiting) {
      const tooLate = startedAt !== undefined && recordStart !== undefined && startedAt > recordStart;
      if (tooLate && !record.dropped) continue;
      waiting.delete(record);
      if (!record.dropped) this.learned.push(record);
    }
    if (waiting.size === 0) index.delete(key);
  }

  private awaitContext(index: Map<string, Map<ExchangeRecord, number | undefined>>, key: string, record: ExchangeRecord, startedAt: number | undefined): void {
    let waiting = index.get(key);
    if (waiting === undefined) {
      if (index.size >= MAX_AWAITING) return;
      index.set(key, (waiting = new Map()));
    }
    if (waiting.size < MAX_AWAITING || waiting.has(record)) waiting.set(record, startedAt);
  }

  private rememberDocument(entry: NormalizedEntry): void {
    const origin = originOfEntry(entry);
    if (origin === undefined) return;
    this.learnedFor(this.awaitingPage, origin, entry.startedAt);
    const list = this.documentsByOrigin.get(origin);
    if (list === undefined) this.documentsByOrigin.set(origin, [entry]);
    else {
      list.push(entry);
      if (list.length > MAX_DOCUMENTS_PER_ORIGIN) list.shift();
    }
  }

  private pageDocumentFor(origin: string, startedAt: number | undefined, pageUrl: string | undefined): NormalizedEntry | undefined {
    const list = this.documentsByOrigin.get(origin);
    if (list === undefined) return undefined;
    let best: NormalizedEntry | undefined;
    for (const document of list) {
      if (startedAt !== undefined && document.startedAt !== undefined && document.startedAt > startedAt) continue;
      if (best === undefined || document.url === pageUrl || best.url !== pageUrl) best = document;
    }
    return best;
  }

  private insertOrdered(record: ExchangeRecord): void {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.ordered[mid]!;
      if (other.sortKey < record.sortKey || (other.sortKey === record.sortKey && other.seq < record.seq)) low = mid + 1;
      else high = mid;
    }
    this.ordered.splice(low, 0, record);
  }

  private sortKeyOf(entry: NormalizedEntry): number {
    if (entry.startedAt !== undefined) this.lastSortKey = Math.max(this.lastSortKey, entry.startedAt);
    return entry.startedAt ?? this.lastSortKey;
  }

  private newRecord(hop: HopEntries, lead: NormalizedEntry): ExchangeRecord {
    const seq = this.nextSeq++;
    // Every field written at once, undefined until set: one shape for every record.
    const record: ExchangeRecord = {
      id: String(seq + 1),
      seq,
      sortKey: this.sortKeyOf(lead),
      hops: [hop],
      nextHopPreflight: undefined,
      evaluated: undefined,
      report: undefined,
      dropped: false,
    };
    this.byId.set(record.id, record);
    this.insertOrdered(record);
    return record;
  }

  private rememberRequestId(preflight: NormalizedEntry, record: ExchangeRecord): void {
    const id = preflight.preflight?.actualRequestId;
    if (id !== undefined) this.byActualRequestId.set(id, record);
  }

  /** Indexes an actual hop for the preflight and the redirect hop that may still come. */
  private indexActualHop(record: ExchangeRecord, hop: number): void {
    const entries = record.hops[hop]!;
    const actual = entries.actual!;
    // A navigation or a no-cors request never has a preflight (`preflightFitsActual`): no need to wait for one.
    if (entries.preflight === undefined && actual.mode !== 'navigate' && actual.mode !== 'no-cors') {
      this.awaitingPreflight.add(actual.url, { record, hop });
    }
    if (awaitsNextHop(actual)) this.awaitingNextHop.add(actual.redirectURL!, { record, hop });
  }

  private addPreflight(preflight: NormalizedEntry, touched: Set<ExchangeRecord>): void {
    const marks = preflight.preflight!;
    // Chromium: a later hop's preflight carries the same actual request id as the first hop's.
    const known = marks.actualRequestId === undefined ? undefined : this.byActualRequestId.get(marks.actualRequestId);
    if (known !== undefined && !known.dropped) {
      const hop = known.hops.findIndex((h) => h.preflight === undefined && h.actual?.url === marks.actualUrl);
      if (hop >= 0) {
        known.hops[hop]!.preflight = preflight;
        touched.add(known);
        return;
      }
      const last = known.hops[known.hops.length - 1]?.actual;
      if (last !== undefined && last.redirectURL === marks.actualUrl && known.nextHopPreflight === undefined) {
        known.nextHopPreflight = preflight;
        touched.add(known);
        return;
      }
    }

    let best: HopRef | undefined;
    let bestRank: [number, number] | undefined;
    for (const ref of this.awaitingPreflight.candidates(marks.actualUrl)) {
      const actual = ref.record.hops[ref.hop]!.actual!;
      if (!preflightFitsActual(preflight, actual)) continue;
      const rank = preflightRank(preflight, actual, 'actual');
      if (rankIsBetter(rank, bestRank)) {
        best = ref;
        bestRank = rank;
      }
    }
    if (best !== undefined) {
      best.record.hops[best.hop]!.preflight = preflight;
      this.rememberRequestId(preflight, best.record);
      touched.add(best.record);
      return;
    }

    // The preflight of a redirect's next hop, before that hop arrived.
    for (const ref of this.awaitingNextHop.candidates(marks.actualUrl)) {
      if (ref.record.nextHopPreflight !== undefined) continue;
      const previous = ref.record.hops[ref.hop]!.actual!;
      if (previous.startedAt !== undefined && preflight.startedAt !== undefined && preflight.startedAt < previous.startedAt) continue;
      ref.record.nextHopPreflight = preflight;
      this.rememberRequestId(preflight, ref.record);
      touched.add(ref.record);
      return;
    }

    // No actual request yet: a placeholder exchange, filled in if the actual request arrives.
    const record = this.newRecord({ actual: undefined, preflight }, preflight);
    this.rememberRequestId(preflight, record);
    this.awaitingActual.add(marks.actualUrl, record);
    touched.add(record);
  }

  /**
   * A redirect hop that arrived after its next hop (out of order, or with no start time): the exchange that next hop
   * started is folded into this one, so the order entries arrive in does not decide how hops group.
   */
  private foldFollowingExchange(record: ExchangeRecord, touched: Set<ExchangeRecord>): void {
    const last = record.hops[record.hops.length - 1]!.actual;
    if (last === undefined || !awaitsNextHop(last)) return;
    let following: ExchangeRecord | undefined;
    for (const other of this.awaitingPreviousHop.candidates(last.redirectURL!)) {
      const next = other.hops[0]!.actual!;
      if (other === record || !continuesRedirect(last, next)) continue;
      if (following === undefined || (next.startedAt ?? Infinity) < (following.hops[0]!.actual!.startedAt ?? Infinity)) following = other;
    }
    if (following === undefined) return;
    following.dropped = true;
    this.byId.delete(following.id);
    this.ordered.splice(this.ordered.lastIndexOf(following), 1);
    touched.delete(following);
    this.folded.push(following);

    const firstHop = following.hops[0]!;
    const pending = record.nextHopPreflight;
    if (pending !== undefined && firstHop.preflight === undefined && preflightFitsActual(pending, firstHop.actual!)) {
      firstHop.preflight = pending;
      record.nextHopPreflight = undefined;
    }
    const offset = record.hops.length;
    record.hops.push(...following.hops);
    for (let hop = offset; hop < record.hops.length; hop++) this.indexActualHop(record, hop);
    const stale = record.nextHopPreflight;
    record.nextHopPreflight = undefined;
    if (following.nextHopPreflight !== undefined) record.nextHopPreflight = following.nextHopPreflight;
    for (const entry of [...following.hops.map((h) => h.preflight), following.nextHopPreflight]) {
      const id = entry?.preflight?.actualRequestId;
      if (id !== undefined && this.byActualRequestId.get(id) === following) this.byActualRequestId.set(id, record);
    }
    touched.add(record);
    // A preflight kept for a next hop that turned out to be another one: paired again like any preflight.
    if (stale !== undefined) this.addPreflight(stale, touched);
  }

  private addActual(actual: NormalizedEntry, touched: Set<ExchangeRecord>): void {
    // A redirect hop joins the exchange it continues, keyed by the URL the page asked for.
    let bestHop: HopRef | undefined;
    for (const ref of this.awaitingNextHop.candidates(actual.url)) {
      const previous = ref.record.hops[ref.hop]!.actual!;
      if (!continuesRedirect(previous, actual)) continue;
      if (bestHop === undefined || (hopStart(bestHop) ?? 0) < (previous.startedAt ?? 0)) bestHop = ref;
    }
    if (bestHop !== undefined) {
      const record = bestHop.record;
      const hop: HopEntries = { actual, preflight: undefined };
      const pending = record.nextHopPreflight;
      if (pending !== undefined && preflightFitsActual(pending, actual)) {
        hop.preflight = pending;
        record.nextHopPreflight = undefined;
      }
      record.hops.push(hop);
      this.indexActualHop(record, record.hops.length - 1);
      touched.add(record);
      this.foldFollowingExchange(record, touched);
      return;
    }

    // A placeholder made from this request's preflight.
    let placeholder: ExchangeRecord | undefined;
    let bestRank: [number, number] | undefined;
    for (const record of this.awaitingActual.candidates(actual.url)) {
      const preflight = record.hops[0]!.preflight!;
      if (!preflightFitsActual(preflight, actual)) continue;
      const rank = preflightRank(preflight, actual, 'preflight');
      if (rankIsBetter(rank, bestRank)) {
        placeholder = record;
        bestRank = rank;
      }
    }
    if (placeholder !== undefined) {
      placeholder.hops[0]!.actual = actual;
      // Placeholders sit near the end (their preflight just arrived): search from there.
      this.ordered.splice(this.ordered.lastIndexOf(placeholder), 1);
      placeholder.sortKey = this.sortKeyOf(actual);
      this.insertOrdered(placeholder);
      this.indexActualHop(placeholder, 0);
      this.awaitingPreviousHop.add(actual.url, placeholder);
      touched.add(placeholder);
      this.foldFollowingExchange(placeholder, touched);
      return;
    }

    const record = this.newRecord({ actual, preflight: undefined }, actual);
    this.indexActualHop(record, 0);
    this.awaitingPreviousHop.add(actual.url, record);
    touched.add(record);
    this.foldFollowingExchange(record, touched);
  }

  private evaluateRecord(record: ExchangeRecord): NonNullable<ExchangeRecord['evaluated']> {
    const lead = record.hops[0]!.actual ?? record.hops[0]!.preflight!;
    const pageUrl = (lead.pageref === undefined ? undefined : this.context.pageUrls?.get(lead.pageref)) ?? this.options.pageUrl;
    const exchange = toCapturedExchange(record.id, record.hops, pageUrl);
    // A refused request connects nowhere: what another entry recorded for its host says where the name points (LNA).
    let failed = false;
    for (const hop of exchange.hops) {
      if (hop.outcome.kind === 'failed') failed = true;
      if (hop.serverIPAddress !== undefined || hop.outcome.kind !== 'failed') continue;
      const host = hostOfUrl(hop.request.url);
      const address = this.hostAddresses.get(host);
      if (address !== undefined) hop.hostAddressSeen = address;
      else this.awaitContext(this.awaitingHost, host, record, exchange.startedAt);
    }
    const pageOrigin = exchange.initiatorOrigin;
    if (pageOrigin !== undefined && pageOrigin !== 'null' && exchange.kind !== 'document') {
      const document = this.pageDocumentFor(pageOrigin, exchange.startedAt, pageUrl);
      if (document === undefined && (failed || exchange.hops.some((hop) => hop.response === undefined))) this.awaitContext(this.awaitingPage, pageOrigin, record, exchange.startedAt);
      const knownUrl = pageUrl !== undefined && originOfUrl(pageUrl) === pageOrigin ? pageUrl : pageOrigin;
      let page = document === undefined ? undefined : this.pageContexts.get(document);
      if (page === undefined) {
        page = pageContextOf(knownUrl, document);
        if (document !== undefined) this.pageContexts.set(document, page);
      }
      exchange.page = page;
    }
    const repeats = this.repeatsOf(record);
    const extras: ReportExtras = {
      warnings: undefined,
      missing: record.hops[0]!.actual === undefined ? [ONLY_THE_PREFLIGHT] : undefined,
      requestBodyMimeType: record.hops[0]!.actual?.requestBodyMimeType,
      startedDateTime: lead.startedDateTime,
      repeatsMerged: repeats > 0 ? repeats : undefined,
      serverStack: undefined,
      findServerStack: detectExchangeServerStack,
    };
    let result: EngineResult;
    try {
      result = this.evaluate(exchange);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      result = {
        verdict: 'unknown',
        checks: [],
        preflight: { required: 'unknown', reasons: [] },
        assumptions: [],
        missing: [`a verdict: the engine failed on this exchange (${detail})`],
        rules: exchange.rules,
      };
    }
    const undelivered = undeliveredParts(record);
    if (undelivered.length > 0) result = cannotTellUnfinished(result, undelivered);
    record.evaluated = { exchange, result, extras };
    return record.evaluated;
  }

  /** Builds the report from the last evaluation, with warnings as they stand now. */
  private refreshReport(record: ExchangeRecord): void {
    const { exchange, result, extras } = record.evaluated!;
    const canWarn = mayHaveWarnings(record, result);
    // No warnings: buildReport's shared empty list.
    let warnings: Warning[] | undefined;
    try {
      if (canWarn) warnings = this.warningsOf(exchange, result, this.warningContext);
    } catch {
      // A rule that throws gives no warning rather than no report.
    }
    extras.warnings = warnings;
    record.report = buildReport(exchange, result, extras);
    // No rule can reach it, so its warnings are never refreshed: the evaluation need not be kept (most of a capture).
    if (!canWarn) record.evaluated = undefined;
  }

  /**
   * Takes a record out of every structure that points to it: the id map, the request-id map, the repeat filter (so a
   * long session's memory stays bounded) and the four URL indexes (which would otherwise keep it, its entries and their
   * raw HAR objects alive until the same URL was asked for again).
   */
  private retire(record: ExchangeRecord): void {
    record.dropped = true;
    this.byId.delete(record.id);
    const isRecord = (item: ExchangeRecord) => item === record;
    const isHopOf = (ref: HopRef) => ref.record === record;
    for (const hop of record.hops) {
      const id = hop.preflight?.preflight?.actualRequestId;
      if (id !== undefined && this.byActualRequestId.get(id) === record) this.byActualRequestId.delete(id);
      this.forget(hop.actual);
      this.forget(hop.preflight);
      this.retained -= this.bytesOf(hop.actual) + this.bytesOf(hop.preflight);
      if (hop.actual !== undefined) {
        this.awaitingPreflight.remove(hop.actual.url, isHopOf);
        if (hop.actual.redirectURL !== undefined) this.awaitingNextHop.remove(hop.actual.redirectURL, isHopOf);
      }
    }
    const first = record.hops[0];
    if (first?.actual !== undefined) this.awaitingPreviousHop.remove(first.actual.url, isRecord);
    const placeholderUrl = first?.preflight?.preflight?.actualUrl;
    if (placeholderUrl !== undefined) this.awaitingActual.remove(placeholderUrl, isRecord);
    this.forget(record.nextHopPreflight);
    this.retained -= this.bytesOf(record.nextHopPreflight);
  }

  private dropOverflow(change: StoreChange): void {
    if (this.ordered.length <= this.cap) return;
    const overflow = this.ordered.length - this.cap;
    const victims = this.ordered.slice(0, overflow);
    this.ordered = this.ordered.slice(overflow);
    // Records this call added and now drops leave `added` in one pass (an import of 150,000 entries under a cap of
    // 10,000 drops 140,000 of them: an indexOf + splice per record was quadratic).
    const addedNow = new Set(change.added);
    const droppedNow = new Set<string>();
    for (const record of victims) {
      this.retire(record);
      this.droppedTotal++;
      if (addedNow.has(record.id)) droppedNow.add(record.id);
      else change.dropped.push(record.id);
    }
    if (droppedNow.size > 0) change.added = change.added.filter((id) => !droppedNow.has(id));
  }

  addEntries(entries: readonly unknown[]): StoreChange {
    const change: StoreChange = { added: [], updated: [], dropped: [], rejected: [] };
    if (!Array.isArray(entries)) {
      change.rejected.push({ index: -1, reason: 'entries is not an array' });
      return change;
    }
    this.listCache = undefined;
    const fresh: NormalizedEntry[] = [];
    /** The entries of this call: a repeat of one of them is a repeat the capture holds, and is counted. */
    let freshSet: Set<NormalizedEntry> | undefined;
    /** Entries of earlier calls repeated in this one (`oneCapture`): their exchanges' reports count one more. */
    let repeatedEarlier: Set<NormalizedEntry> | undefined;
    for (let index = 0; index < entries.length; index++) {
      const result = normalizeEntry(entries[index], index, this.context);
      if (!result.ok) {
        change.rejected.push({ index, reason: result.reason });
        continue;
      }
      const original = this.takeOnce(result.entry);
      if (original === undefined) {
        fresh.push(result.entry);
        freshSet?.add(result.entry);
        if (this.entryBytes !== undefined) this.retained += this.entryBytes(result.entry.raw);
        continue;
      }
      // A repeat of an earlier call's entry is the same request delivered twice (getHAR() and onRequestFinished
      // overlap), not a repeat in the capture: it is ignored, and its exchange is not re-evaluated. Under `oneCapture`
      // it is a repeat in the capture: counted, and its exchange reported again.
      // Made at the first repeat only: most calls have none.
      freshSet ??= new Set(fresh);
      if (!freshSet.has(original)) {
        if (!this.deps.oneCapture) continue;
        (repeatedEarlier ??= new Set()).add(original);
      }
      this.repeatCounts.set(original, (this.repeatCounts.get(original) ?? 0) + 1);
    }
    // In the order given, never re-sorted: a batch then pairs exactly as the same entries fed one per call would (the
    // live panel's case), with or without start times. Redirect hops meet in either order (foldFollowingExchange), and
    // preflights pair either way (placeholders, awaitingPreflight).

    // Records made by this call have seq ≥ this; older ones existed before (no O(n) snapshot of the store per call).
    const firstNewSeq = this.nextSeq;
    const touched = new Set<ExchangeRecord>();
    this.folded = [];
    this.learned = [];
    for (const entry of fresh) {
      if (isDocumentEntry(entry)) this.rememberDocument(entry);
      if (entry.serverIPAddress !== undefined) this.rememberHostAddress(entry);
      if (entry.preflight !== undefined) this.addPreflight(entry, touched);
      else this.addActual(entry, touched);
    }
    for (const record of this.learned) if (!record.dropped && this.byId.get(record.id) === record) touched.add(record);
    // Rare (a HAR that records a request twice, read in batches), so a walk over the store rather than another index.
    if (repeatedEarlier !== undefined) for (const record of this.ordered) if (this.holdsOneOf(record, repeatedEarlier)) touched.add(record);

    const touchedInOrder = [...touched].filter((r) => !r.dropped).sort((a, b) => a.sortKey - b.sortKey || a.seq - b.seq);
    for (const record of touchedInOrder) {
      if (record.seq < firstNewSeq) change.updated.push(record.id);
      else change.added.push(record.id);
    }
    for (const record of this.folded) if (record.seq < firstNewSeq) change.dropped.push(record.id);
    this.dropOverflow(change);
    const live = touchedInOrder.filter((record) => !record.dropped);
    // Every touched exchange is observed before any warning is computed, so one batch and one-by-one feeding agree.
    const warningsChanged = new Set<string>();
    for (const record of live) {
      const { exchange, result } = this.evaluateRecord(record);
      if (!mayHaveWarnings(record, result)) continue;
      for (const id of observeExchange(this.warningContext, exchange)) warningsChanged.add(id);
    }
    for (const record of live) this.refreshReport(record);
    for (const id of warningsChanged) {
      const record = this.byId.get(id);
      if (record === undefined || touched.has(record) || record.evaluated === undefined) continue;
      this.refreshReport(record);
      change.updated.push(id);
    }
    return change;
  }

  get(id: string) {
    return this.byId.get(id)?.report;
  }

  list() {
    // Built once per change, not per call: the panel asks on every render.
    this.listCache ??= this.ordered.map((record) => record.report!).filter((report) => report !== undefined);
    return this.listCache;
  }

  get size() {
    return this.ordered.length;
  }

  get retainedBytes() {
    return this.retained;
  }

  releaseOldest(keep: { exchanges: number; bytes: number }, take: (report: ExchangeReport) => void) {
    let count = 0;
    while (count < this.ordered.length && (this.ordered.length - count > keep.exchanges || this.retained > keep.bytes)) {
      const record = this.ordered[count++]!;
      // Repeats of its entries counted by later calls (oneCapture) are in the report it leaves with.
      if (record.report !== undefined && (record.report.repeatsMerged ?? 0) !== this.repeatsOf(record)) {
        this.evaluateRecord(record);
        this.refreshReport(record);
      }
      this.retire(record);
      if (record.report !== undefined) take(record.report);
    }
    if (count > 0) {
      this.ordered.splice(0, count);
      this.listCache = undefined;
    }
  }

  get droppedCount() {
    return this.droppedTotal;
  }

  get maxExchanges() {
    return this.cap;
  }

  setMaxExchanges(cap: number) {
    const change: StoreChange = { added: [], updated: [], dropped: [], rejected: [] };
    this.cap = capOf(cap);
    if (this.ordered.length > this.cap) {
      this.listCache = undefined;
      this.dropOverflow(change);
    }
    return change;
  }

  clear() {
    this.listCache = undefined;
    for (const record of this.ordered) record.dropped = true;
    this.ordered = [];
    this.byId.clear();
    this.seen.clear();
    this.byActualRequestId.clear();
    this.awaitingPreflight.clear();
    this.awaitingActual.clear();
    this.awaitingNextHop.clear();
    this.awaitingPreviousHop.clear();
    this.documentsByOrigin.clear();
    this.hostAddresses.clear();
    this.awaitingPage.clear();
    this.awaitingHost.clear();
    this.warningContext = createWarningContext();
    this.droppedTotal = 0;
    this.retained = 0;
  }

  entries() {
    const raw: unknown[] = [];
    for (const record of this.ordered) {
      for (const hop of record.hops) {
        const pair = [hop.preflight, hop.actual].filter((e): e is NormalizedEntry => e !== undefined);
        pair.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
        for (const entry of pair) raw.push(entry.raw);
      }
      if (record.nextHopPreflight !== undefined) raw.push(record.nextHopPreflight.raw);
    }
    return raw;
  }
}

// Empty instances that live as long as the module, so the maps of a store and of its index lists outlive every store
// (see src/model/shapeKeeper.ts). Not the latest store: that would keep a whole explained HAR alive.
keepShape(Shape.ExchangeStore, PairingExchangeStore.shapeWitness());
keepShape(Shape.UrlList, new UrlList<object>([], undefined));
