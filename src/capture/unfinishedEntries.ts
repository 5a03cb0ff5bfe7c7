/**
 * The gate between DevTools and the store for live Chromium capture: entries DevTools hands over finished go through at
 * once; one it hands over unfinished (entryCompleteness.ts) waits, while `getHAR()` is asked again on a bounded
 * backoff and later `onRequestFinished` events are watched, and goes through as soon as its complete copy turns up.
 * After `UNFINISHED_WAIT_MS` it goes through as it is, marked with what DevTools never delivered, so the store judges
 * it "cannot tell". Entries for the same URL (its preflight, its actual request) wait with it, so the exchange is
 * judged once, from complete entries; a finished preflight also waits (briefly) for its actual request, which DevTools
 * hands over right after it. Each request goes through once: a later copy of one already handed over (a
 * duplicate event, the same request in a `getHAR()` answer) is dropped, so a judged row never flips.
 *
 * Pure logic with an injectable clock; the live source (src/panel/source.ts) wires it to `chrome.devtools.network`.
 *
 * Why one file over 400 lines: one scheduler whose waiting, re-asking getHAR() and release rules share their state.
 */
import { harEntryKey, harRequestIdentity } from './devtoolsNetwork.js';
import {
  describeUndelivered,
  entryCompleteness,
  isChromiumPreflightEntry,
  UNFINISHED_ENTRY_FIELD,
  type EntryCompleteness,
} from './entryCompleteness.js';

/** How long an unfinished entry is waited for, from when it was first seen, before it is judged "cannot tell" (ms). */
export const UNFINISHED_WAIT_MS = 4000;
/**
 * How long an entry that can be judged as it is (its recorded failure is enough: `ifNeverCompleted: 'as-recorded'`)
 * waits for a fuller copy, and how long a preflight waits for its actual request, before going through as they are
 * (ms). Shorter: most of these never change (a request its preflight stopped looks the same for good).
 */
export const JUDGEABLE_WAIT_MS = 1600;
/** When `getHAR()` is asked again for an unfinished entry, in ms after it was first seen (doubling gaps). */
export const LOOK_AGAIN_AT_MS: readonly number[] = [100, 300, 700, 1400, 3000];
/**
 * A preflight goes through at once when an actual request to its URL started at most this long before it (ms):
 * Chromium starts the actual request 2–82 ms before inserting its preflight (devtools-capture.md §A); one from
 * longer ago is an earlier request to the same URL.
 */
const ACTUAL_BEFORE_PREFLIGHT_MS = 500;
/** How long a handed-over request is remembered, so a late copy of it is dropped (ms). */
const DELIVERED_MEMORY_MS = 120_000;

export interface GateClock {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: GateClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An entry not handed over yet, as the panel lists it ("pending"). */
export interface WaitingEntry {
  /** Stable while it waits (the request's identity). */
  id: string;
  method: string;
  url: string;
  /** What it waits for, one line. */
  reason: string;
  /** `clock.now()` when it was first seen. */
  since: number;
}

/** How one entry that came unfinished ended. */
export interface UnfinishedOutcome {
  method: string;
  url: string;
  /** What the early entry lacked (`entryCompleteness`). */
  missing: string;
  /**
   * `completed`: its complete copy arrived (through `via`); `gave-up`: handed over unfinished, marked so the store
   * says "cannot tell"; `as-recorded`: handed over unfinished, unmarked, because the failure it records is enough.
   */
  result: 'completed' | 'gave-up' | 'as-recorded';
  via?: 'getHAR' | 'onRequestFinished';
  waitedMs: number;
  /** How many times getHAR() was asked while it waited. */
  looks: number;
}

export interface UnfinishedEntryGateOptions {
  /** Asks DevTools for every entry it holds now (`getHAR()`); may never answer. */
  lookUp(answer: (entries: readonly unknown[]) => void): void;
  /** Entries ready to be judged, in the order they became ready. */
  deliver(entries: readonly unknown[]): void;
  /** The entries waiting now, whenever that list changes. */
  waitingChanged?(waiting: readonly WaitingEntry[]): void;
  /** Each entry that came unfinished, when it is handed over. */
  settled?(outcome: UnfinishedOutcome): void;
  completeness?: (entry: unknown) => EntryCompleteness;
  clock?: GateClock;
  waitMs?: number;
  judgeableWaitMs?: number;
  lookAgainAtMs?: readonly number[];
}

export type EntryRoute = 'getHAR' | 'onRequestFinished';

export interface UnfinishedEntryGate {
  /** Entries from one route; finished ones are handed over (or wait with an unfinished one for the same URL). */
  offer(entries: readonly unknown[], via: EntryRoute): void;
  /** Forgets every waiting entry without handing it over (the list was cleared by a navigation). */
  discardWaiting(): void;
  /** Stops the timer; nothing is handed over after this. */
  stop(): void;
}

interface Pending {
  id: string;
  entry: unknown;
  missing: string;
  ifNeverCompleted: 'cannot-tell' | 'as-recorded';
  firstSeen: number;
  deadline: number;
  looks: number;
  relation: string;
}

interface Held {
  id: string;
  entry: unknown;
  relation: string;
  since: number;
}

type Rec = Record<string, unknown>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);

function requestOf(entry: unknown): { method: string; url: string } {
  const request = isRecord(entry) && isRecord(entry.request) ? entry.request : {};
  return {
    method: typeof request.method === 'string' ? request.method : '?',
    url: typeof request.url === 'string' ? request.url : '',
  };
}

function startOf(entry: unknown): number | undefined {
  const started = isRecord(entry) && typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
  return Number.isFinite(started) ? started : undefined;
}

/** The URL of the request an entry belongs with: a preflight's actual request URL, else its own URL. */
function relationOf(entry: unknown): string {
  if (isChromiumPreflightEntry(entry)) {
    const initiator = (entry as Rec)._initiator;
    if (isRecord(initiator) && typeof initiator.url === 'string') return initiator.url;
  }
  return requestOf(entry).url;
}

export function createUnfinishedEntryGate(options: UnfinishedEntryGateOptions): UnfinishedEntryGate {
  const clock = options.clock ?? systemClock;
  const completeness = options.completeness ?? entryCompleteness;
  const waitMs = options.waitMs ?? UNFINISHED_WAIT_MS;
  const judgeableWaitMs = options.judgeableWaitMs ?? JUDGEABLE_WAIT_MS;
  const lookAt = options.lookAgainAtMs ?? LOOK_AGAIN_AT_MS;

  const pending = new Map<string, Pending>();
  const held: Held[] = [];
  /**
   * Finished preflights whose actual request DevTools has not handed over yet (it follows within milliseconds):
   * alone, a preflight makes a placeholder row that would change when its request comes. By identity.
   */
  const lonely = new Map<string, Held>();
  /** URLs of actual requests seen lately (handed over or waiting), and the latest one's start: its preflight need not wait. */
  const seenActuals = new Map<string, { at: number; started: number | undefined }>();
  let seenPrunedSize = 0;
  /**
   * Requests handed over, by identity: when, and the exact copies (`harEntryKey`, status and time included) or
   * `null` once one was handed over unfinished. A finished copy that differs from every copy handed over is another
   * request made in the same millisecond to the same URL, and goes through; any other copy is dropped.
   */
  const delivered = new Map<string, { at: number; copies: Set<string> | null }>();
  let deliveredPrunedSize = 0;
  let timer: unknown;
  let lookupInFlight = false;
  let stopped = false;

  function remember(id: string, entry: unknown, now: number, finished = true): void {
    const known = delivered.get(id);
    if (!finished) delivered.set(id, { at: now, copies: null });
    else if (known?.copies) known.copies.add(harEntryKey(entry));
    else if (!known) delivered.set(id, { at: now, copies: new Set([harEntryKey(entry)]) });
    if (delivered.size < 2 * deliveredPrunedSize + 1000) return;
    for (const [key, record] of delivered) if (now - record.at > DELIVERED_MEMORY_MS) delivered.delete(key);
    deliveredPrunedSize = delivered.size;
  }

  /** A copy of a request already handed over (or of one handed over unfinished): dropped, so no row changes. */
  function alreadyDelivered(id: string, entry: unknown, finished: boolean): boolean {
    const known = delivered.get(id);
    if (known === undefined) return false;
    return !finished || known.copies === null || known.copies.has(harEntryKey(entry));
  }

  function sawActual(relation: string, entry: unknown, now: number): void {
    const started = startOf(entry);
    const known = seenActuals.get(relation);
    if (known === undefined || started === undefined || known.started === undefined || started > known.started) {
      seenActuals.set(relation, { at: now, started });
    }
    if (seenActuals.size < 2 * seenPrunedSize + 1000) return;
    for (const [key, seen] of seenActuals) if (now - seen.at > DELIVERED_MEMORY_MS) seenActuals.delete(key);
    seenPrunedSize = seenActuals.size;
  }

  /** Whether the actual request of this preflight was seen already (it starts just before its preflight). */
  function actualSeenFor(preflight: unknown, relation: string): boolean {
    const seen = seenActuals.get(relation);
    if (seen === undefined) return false;
    const started = startOf(preflight);
    if (started === undefined || seen.started === undefined) return true;
    return seen.started <= started + 1 && started - seen.started <= ACTUAL_BEFORE_PREFLIGHT_MS;
  }

  /** The preflights that waited alone for the actual request at `relation`: handed over, or held with it. */
  function releaseLonely(relation: string, out: unknown[] | 'hold', now: number): void {
    for (const [id, l] of lonely) {
      if (l.relation !== relation) continue;
      lonely.delete(id);
      if (out === 'hold') held.push(l);
      else {
        remember(id, l.entry, now);
        out.push(l.entry);
      }
    }
  }

  function waitingList(): WaitingEntry[] {
    const list: WaitingEntry[] = [];
    for (const p of pending.values()) list.push({ id: p.id, ...requestOf(p.entry), reason: `waiting for DevTools: ${p.missing}`, since: p.firstSeen });
    for (const h of held) {
      list.push({ id: h.id, ...requestOf(h.entry), reason: 'waiting for DevTools to finish a request it goes with', since: h.since });
    }
    for (const l of lonely.values()) {
      list.push({ id: l.id, ...requestOf(l.entry), reason: 'waiting for DevTools to hand over its actual request', since: l.since });
    }
    return list;
  }

  const relationWaits = (relation: string): boolean => {
    for (const p of pending.values()) if (p.relation === relation) return true;
    return false;
  };

  /** Hands `p` over (complete, or marked) and, when nothing else waits for its URL, the entries held with it. */
  function resolve(p: Pending, entry: unknown, out: unknown[], how: 'completed' | 'gave-up', via?: EntryRoute): void {
    const now = clock.now();
    pending.delete(p.id);
    remember(p.id, entry, now, how === 'completed');
    const waitedMs = now - p.firstSeen;
    const result = how === 'gave-up' && p.ifNeverCompleted === 'as-recorded' ? 'as-recorded' : how;
    const ready = result === 'gave-up' ? { ...(entry as Rec), [UNFINISHED_ENTRY_FIELD]: describeUndelivered(p.missing, waitedMs, p.looks) } : entry;
    const outcome: UnfinishedOutcome = { ...requestOf(entry), missing: p.missing, result, waitedMs, looks: p.looks };
    if (via !== undefined) outcome.via = via;
    options.settled?.(outcome);
    // Another entry for the same URL still waits (its actual request, its preflight): this one waits with it.
    if (relationWaits(p.relation)) {
      held.push({ id: p.id, entry: ready, relation: p.relation, since: p.firstSeen });
      return;
    }
    out.push(ready);
    for (let i = 0; i < held.length; ) {
      const h = held[i]!;
      if (h.relation !== p.relation) {
        i++;
        continue;
      }
      held.splice(i, 1);
      remember(h.id, h.entry, now);
      out.push(h.entry);
    }
  }

  function take(entry: unknown, via: EntryRoute, out: unknown[]): boolean {
    const id = harRequestIdentity(entry);
    const state = completeness(entry);
    if (alreadyDelivered(id, entry, state.complete)) return false;
    const now = clock.now();
    const known = pending.get(id);
    const relation = relationOf(entry);
    const preflight = isChromiumPreflightEntry(entry);
    if (!preflight) sawActual(relation, entry, now);
    if (!state.complete) {
      if (known !== undefined) {
        known.entry = entry;
        return false;
      }
      if (held.some((h) => h.id === id) || lonely.has(id)) return false;
      pending.set(id, {
        id,
        entry,
        missing: state.missing,
        ifNeverCompleted: state.ifNeverCompleted,
        firstSeen: now,
        deadline: now + (state.ifNeverCompleted === 'as-recorded' ? judgeableWaitMs : waitMs),
        looks: 0,
        relation,
      });
      if (!preflight) releaseLonely(relation, 'hold', now);
      return true;
    }
    if (known !== undefined) {
      resolve(known, entry, out, 'completed', via);
      return true;
    }
    if (held.some((h) => h.id === id) || lonely.has(id)) return false;
    if (relationWaits(relation)) {
      held.push({ id, entry, relation, since: now });
      return true;
    }
    if (preflight && !actualSeenFor(entry, relation)) {
      lonely.set(id, { id, entry, relation, since: now });
      return true;
    }
    let changed = false;
    if (!preflight && [...lonely.values()].some((l) => l.relation === relation)) {
      releaseLonely(relation, out, now);
      changed = true;
    }
    remember(id, entry, now);
    out.push(entry);
    return changed;
  }

  function flush(out: unknown[], waitingChanged: boolean): void {
    if (out.length > 0) options.deliver(out);
    if (waitingChanged) options.waitingChanged?.(waitingList());
    schedule();
  }

  function schedule(): void {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
    if (stopped || pending.size + lonely.size === 0) return;
    let next = Infinity;
    for (const l of lonely.values()) next = Math.min(next, l.since + judgeableWaitMs);
    for (const p of pending.values()) {
      next = Math.min(next, p.deadline);
      // While getHAR() has not answered, only the deadlines count (an answer reschedules).
      if (!lookupInFlight && p.looks < lookAt.length) next = Math.min(next, p.firstSeen + lookAt[p.looks]!);
    }
    timer = clock.setTimer(onTimer, Math.max(0, next - clock.now()));
  }

  function onTimer(): void {
    timer = undefined;
    if (stopped) return;
    const now = clock.now();
    const out: unknown[] = [];
    let changed = false;
    let due = false;
    for (const [id, l] of [...lonely]) {
      if (now < l.since + judgeableWaitMs) continue;
      // Its actual request never came (DevTools lists none for it): the preflight goes through alone.
      lonely.delete(id);
      remember(id, l.entry, now);
      out.push(l.entry);
      changed = true;
    }
    for (const p of [...pending.values()]) {
      if (now >= p.deadline) {
        resolve(p, p.entry, out, 'gave-up');
        changed = true;
      } else if (!lookupInFlight && p.looks < lookAt.length && now >= p.firstSeen + lookAt[p.looks]!) {
        due = true;
      }
    }
    if (due) {
      for (const p of pending.values()) if (p.looks < lookAt.length && now >= p.firstSeen + lookAt[p.looks]!) p.looks++;
      lookupInFlight = true;
      options.lookUp(onLookUp);
    }
    flush(out, changed);
  }

  function onLookUp(entries: readonly unknown[]): void {
    lookupInFlight = false;
    if (stopped) return;
    const out: unknown[] = [];
    let changed = false;
    for (const entry of Array.isArray(entries) ? entries : []) {
      // Only entries something waits for: the others arrive (or arrived) through onRequestFinished.
      if (!pending.has(harRequestIdentity(entry))) continue;
      changed = take(entry, 'getHAR', out) || changed;
    }
    flush(out, changed);
  }

  /**
   * Offers too large for one task (the getHAR() snapshot of a page that recorded thousands of requests), and what was
   * offered while one is under way, in order: taken `OFFER_SLICE_ENTRIES` at a time (starting at
   * `FIRST_OFFER_SLICE_ENTRIES`, doubling per slice), one slice per task, so the first entries reach the panel at once
   * and the page stays responsive.
   */
  const queue: QueuedOffer[] = [];
  let sliceTimer: unknown;

  /**
   * Takes the next slice of the queue. Unfinished entries first, as for a whole offer: a finished entry that goes with
   * one (getHAR() lists the actual request before its preflight) then waits with it instead of being judged alone and
   * changing later. Within a sliced offer, "first" looks one slice ahead, which covers what goes together: DevTools
   * records a request's entries milliseconds apart. An offer of one slice or less is taken exactly as a whole.
   */
  function takeSlice(size = OFFER_SLICE_ENTRIES): void {
    sliceTimer = undefined;
    if (stopped) return;
    const out: unknown[] = [];
    let changed = false;
    let budget = size;
    while (budget > 0 && queue.length > 0) {
      const offer = queue[0]!;
      const { entries, via } = offer;
      const end = Math.min(entries.length, offer.next + budget);
      budget -= end - offer.next;
      const ahead = Math.min(entries.length, end + OFFER_SLICE_ENTRIES);
      for (; offer.checked < ahead; offer.checked++) {
        const entry = entries[offer.checked];
        if (completeness(entry).complete) continue;
        offer.takenAhead.add(entry);
        changed = take(entry, via, out) || changed;
      }
      for (; offer.next < end; offer.next++) {
        const entry = entries[offer.next];
        if (!offer.takenAhead.has(entry)) changed = take(entry, via, out) || changed;
      }
      if (offer.next >= entries.length) queue.shift();
    }
    // Slices grow to full size, so the panel's first frames, which run its code for the first time, come soon.
    const nextSize = Math.min(OFFER_SLICE_ENTRIES, size * 2);
    if (queue.length > 0) sliceTimer = clock.setTimer(() => takeSlice(nextSize), 0);
    flush(out, changed);
  }

  return {
    offer(entries, via) {
      if (stopped || entries.length === 0) return;
      queue.push({ entries, via, next: 0, checked: 0, takenAhead: new Set() });
      // Under way already: this offer waits its turn (a slice is due). Else the first slice is taken now: all of a
      // small offer (a live one), the start of a large one.
      if (sliceTimer === undefined) takeSlice(entries.length <= OFFER_SLICE_ENTRIES ? OFFER_SLICE_ENTRIES : FIRST_OFFER_SLICE_ENTRIES);
    },
    discardWaiting() {
      const had = pending.size + held.length + lonely.size > 0;
      pending.clear();
      held.length = 0;
      lonely.clear();
      // What is still queued was offered before the navigation: it belongs to the page left behind.
      queue.length = 0;
      if (sliceTimer !== undefined) clock.clearTimer(sliceTimer);
      sliceTimer = undefined;
      flush([], had);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
      if (sliceTimer !== undefined) clock.clearTimer(sliceTimer);
      sliceTimer = undefined;
      queue.length = 0;
    },
  };
}

/** Entries the gate takes per task from a large offer (about 20 µs each in DevTools: ~5 ms a slice). */
export const OFFER_SLICE_ENTRIES = 256;
/**
 * The first slice, taken in the task that made the offer, is smaller: the panel's first rows wait for it, and it runs
 * the gate's code for the first time.
 */
export const FIRST_OFFER_SLICE_ENTRIES = 32;

interface QueuedOffer {
  entries: readonly unknown[];
  via: EntryRoute;
  /** The next entry to take in order. */
  next: number;
  /** Entries before this one were checked for being unfinished (those were taken ahead of their turn). */
  checked: number;
  takenAhead: Set<unknown>;
}
