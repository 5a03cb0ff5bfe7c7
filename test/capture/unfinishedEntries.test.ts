import { describe, expect, it } from 'vitest';
import {
  createUnfinishedEntryGate,
  JUDGEABLE_WAIT_MS,
  LOOK_AGAIN_AT_MS,
  FIRST_OFFER_SLICE_ENTRIES,
  OFFER_SLICE_ENTRIES,
  UNFINISHED_WAIT_MS,
  type UnfinishedOutcome,
  type WaitingEntry,
} from '../../src/capture/unfinishedEntries.js';
import { UNFINISHED_ENTRY_FIELD } from '../../src/capture/entryCompleteness.js';
import { fakeClock } from '../support/fake-clock.js';
import { isPreflight, scenarioEntries, unfinishedCopy } from '../support/live-entries.js';

/** A gate on a fake clock whose getHAR() answers with whatever the test put in `har` (or never, when `silent`). */
function harness(options: { silent?: boolean } = {}) {
  const clock = fakeClock();
  const delivered: unknown[][] = [];
  const waiting: (readonly WaitingEntry[])[] = [];
  const outcomes: UnfinishedOutcome[] = [];
  let har: unknown[] = [];
  let lookUps = 0;
  const gate = createUnfinishedEntryGate({
    lookUp(answer) {
      lookUps++;
      if (!options.silent) answer(har);
    },
    deliver: (entries) => delivered.push([...entries]),
    waitingChanged: (list) => waiting.push(list),
    settled: (outcome) => outcomes.push(outcome),
    clock,
  });
  return {
    gate,
    clock,
    outcomes,
    setHar: (entries: unknown[]) => (har = entries),
    get lookUps() {
      return lookUps;
    },
    /** Every entry handed over so far, in order. */
    all: () => delivered.flat(),
    lastWaiting: () => waiting[waiting.length - 1] ?? [],
  };
}

const url = (e: unknown) => (e as { request: { url: string } }).request.url;
const status = (e: unknown) => (e as { response: { status: number } }).response.status;

describe('the gate between DevTools and the store', () => {
  it('hands finished entries over at once, in order, and each request once', () => {
    const h = harness();
    const a = scenarioEntries('pass-simple-get')[0]!;
    const b = scenarioEntries('fail-allow-origin-missing')[0]!;
    h.gate.offer([a, b], 'getHAR');
    h.gate.offer([structuredClone(a)], 'onRequestFinished'); // the same request from the other route
    expect(h.all().map(url)).toEqual([url(a), url(b)]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('holds an unfinished entry, asks getHAR() again after a short wait, and hands over the complete copy', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    h.gate.offer([unfinishedCopy(complete)], 'onRequestFinished');
    expect(h.all()).toEqual([]);
    expect(h.lastWaiting().map((w) => w.url)).toEqual([url(complete)]);
    expect(h.lastWaiting()[0]!.reason).toMatch(/^waiting for DevTools: the response/);

    h.setHar([complete]);
    h.clock.advance(LOOK_AGAIN_AT_MS[0]!);
    expect(h.lookUps).toBe(1);
    expect(h.all()).toEqual([complete]);
    expect(h.lastWaiting()).toEqual([]);
    expect(h.outcomes).toEqual([expect.objectContaining({ result: 'completed', via: 'getHAR', looks: 1 })]);
    h.clock.advance(UNFINISHED_WAIT_MS * 2);
    expect(h.all()).toHaveLength(1);
  });

  it('looks again on a doubling backoff while getHAR() still has it unfinished', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    h.setHar([unfinishedCopy(complete)]);
    h.gate.offer([unfinishedCopy(complete)], 'onRequestFinished');
    h.clock.advance(LOOK_AGAIN_AT_MS[2]!);
    expect(h.lookUps).toBe(3);
    h.setHar([complete]);
    h.clock.advance(LOOK_AGAIN_AT_MS[3]! - LOOK_AGAIN_AT_MS[2]!);
    expect(h.lookUps).toBe(4);
    expect(h.all().map(status)).toEqual([200]);
  });

  it('takes the complete copy from a later onRequestFinished event too', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    h.gate.offer([unfinishedCopy(complete)], 'onRequestFinished');
    h.gate.offer([complete], 'onRequestFinished');
    expect(h.all()).toEqual([complete]);
    expect(h.outcomes[0]).toMatchObject({ result: 'completed', via: 'onRequestFinished', looks: 0 });
  });

  it('holds the actual request with its unfinished preflight, and hands both over once the preflight is complete', () => {
    const h = harness();
    const [first, second] = scenarioEntries('fail-preflight-behind-auth');
    const preflight = [first!, second!].find(isPreflight)!;
    const actual = [first!, second!].find((e) => !isPreflight(e))!;
    h.gate.offer([unfinishedCopy(preflight)], 'onRequestFinished');
    h.gate.offer([actual], 'onRequestFinished');
    expect(h.all()).toEqual([]);
    expect(h.lastWaiting().map((w) => w.method).sort()).toEqual(['GET', 'OPTIONS']);
    h.gate.offer([preflight], 'onRequestFinished');
    // The actual (status 0, net::ERR_FAILED: stopped before sending, or not filled in yet) is asked about briefly too.
    expect(h.all()).toEqual([]);
    h.clock.advance(JUDGEABLE_WAIT_MS);
    expect(h.all()).toHaveLength(2);
    expect(h.all()).toEqual(expect.arrayContaining([preflight, actual]));
    expect(h.outcomes.map((o) => o.result)).toEqual(['completed', 'as-recorded']);
  });

  it('gives up after UNFINISHED_WAIT_MS: hands the entry over marked with what DevTools never delivered', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    const early = unfinishedCopy(complete);
    h.setHar([early]);
    h.gate.offer([early], 'onRequestFinished');
    h.clock.advance(UNFINISHED_WAIT_MS - 1);
    expect(h.all()).toEqual([]);
    h.clock.advance(1);
    const [marked] = h.all() as Record<string, unknown>[];
    expect(marked![UNFINISHED_ENTRY_FIELD]).toMatch(/^the response: .*getHAR\(\) still lacked it after 4 s \(5 looks\)/);
    expect(h.lookUps).toBe(LOOK_AGAIN_AT_MS.length);
    expect(h.outcomes).toEqual([expect.objectContaining({ result: 'gave-up', waitedMs: UNFINISHED_WAIT_MS })]);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('once handed over, a request never changes: a later copy (complete or not) is dropped', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    h.gate.offer([unfinishedCopy(complete)], 'onRequestFinished');
    h.clock.advance(UNFINISHED_WAIT_MS);
    h.gate.offer([complete], 'onRequestFinished');
    h.gate.offer([complete], 'getHAR');
    expect(h.all()).toHaveLength(1);

    const other = scenarioEntries('fail-allow-origin-missing')[0]!;
    h.gate.offer([unfinishedCopy(other)], 'onRequestFinished');
    h.gate.offer([other], 'onRequestFinished');
    h.gate.offer([unfinishedCopy(other)], 'onRequestFinished');
    expect(h.all().slice(1)).toEqual([other]);
  });

  it('a getHAR() that never answers: the wait still ends on time, with one look in flight and no busy loop', () => {
    const h = harness({ silent: true });
    h.gate.offer([unfinishedCopy(scenarioEntries('pass-simple-get')[0]!)], 'onRequestFinished');
    h.clock.advance(UNFINISHED_WAIT_MS);
    expect(h.lookUps).toBe(1);
    expect(h.clock.fired).toBeLessThanOrEqual(2);
    expect(h.all()).toHaveLength(1);
  });

  it('discardWaiting forgets what waits (a navigation cleared the list): nothing of it is handed over later', () => {
    const h = harness();
    const complete = scenarioEntries('pass-simple-get')[0]!;
    h.gate.offer([unfinishedCopy(complete)], 'onRequestFinished');
    h.gate.discardWaiting();
    expect(h.lastWaiting()).toEqual([]);
    h.setHar([complete]);
    h.clock.advance(UNFINISHED_WAIT_MS);
    expect(h.all()).toEqual([]);
    expect(h.lookUps).toBe(0);
  });
});

describe('a batch (the getHAR() backfill) listing the actual request before its unfinished preflight', () => {
  it('holds the actual with the preflight, so the exchange is judged once, from both complete entries', () => {
    const h = harness();
    const entries = scenarioEntries('fail-preflight-behind-auth');
    expect(isPreflight(entries[0]!)).toBe(false); // getHAR() order: the actual first
    h.gate.offer(entries.map((e) => (isPreflight(e) ? unfinishedCopy(e) : e)), 'getHAR');
    expect(h.all()).toEqual([]);
    h.setHar(entries);
    h.clock.advance(LOOK_AGAIN_AT_MS[0]!);
    expect(h.all()).toEqual([]);
    h.clock.advance(JUDGEABLE_WAIT_MS);
    expect(h.all().map((e) => (e as { request: { method: string } }).request.method).sort()).toEqual(['GET', 'OPTIONS']);
  });
});

describe('two requests to one URL started in the same millisecond', () => {
  it('are two requests: the second, finished with another time, goes through; an exact copy does not', () => {
    const h = harness();
    const first = scenarioEntries('pass-simple-get')[0]!;
    const twin = { ...structuredClone(first), time: (first.time as number) + 3.25 };
    h.gate.offer([first], 'onRequestFinished');
    h.gate.offer([twin], 'onRequestFinished');
    h.gate.offer([structuredClone(twin)], 'getHAR');
    expect(h.all()).toEqual([first, twin]);
  });
});

describe('a preflight and its actual request', () => {
  const shifted = (entry: Record<string, unknown>, ms: number) => ({
    ...structuredClone(entry),
    startedDateTime: new Date(Date.parse(entry.startedDateTime as string) + ms).toISOString(),
  });

  it('a preflight waits for its actual request (live order), at most JUDGEABLE_WAIT_MS, even when the URL was requested before', () => {
    const h = harness();
    const entries = scenarioEntries('pass-preflighted-put');
    const preflight = entries.find(isPreflight)!;
    const actual = entries.find((e) => !isPreflight(e))!;
    h.gate.offer([preflight], 'onRequestFinished');
    expect(h.all()).toEqual([]);
    expect(h.lastWaiting()[0]!.reason).toBe('waiting for DevTools to hand over its actual request');
    h.gate.offer([actual], 'onRequestFinished');
    expect(h.all()).toEqual([preflight, actual]);

    // The same URL a second later: its preflight waits for its own actual request, not the earlier one's.
    const again = [shifted(preflight, 1000), shifted(actual, 1000)];
    h.gate.offer([again[0]!], 'onRequestFinished');
    expect(h.all()).toHaveLength(2);
    h.clock.advance(JUDGEABLE_WAIT_MS);
    expect(h.all()).toEqual([preflight, actual, again[0]]); // alone in the end: DevTools never handed its request over
  });

  it('in getHAR() order (the actual first) the preflight goes through at once with it', () => {
    const h = harness();
    const entries = scenarioEntries('pass-preflighted-put');
    h.gate.offer(entries, 'getHAR');
    expect(h.all()).toHaveLength(2);
  });
});

describe('a snapshot of thousands of entries (the CORS tab opened late)', () => {
  /** `count` distinct finished requests, one millisecond apart, as getHAR() lists them. */
  function snapshot(count: number) {
    const template = scenarioEntries('pass-simple-get')[0]!;
    const start = Date.parse(template.startedDateTime);
    return Array.from({ length: count }, (_, i) => {
      const entry = structuredClone(template);
      entry.request.url = `${template.request.url}&n=${i}`;
      entry.startedDateTime = new Date(start + i).toISOString();
      return entry;
    });
  }

  it('hands a first small slice over at once and the rest one slice per task, in order, each once', () => {
    const h = harness();
    const entries = snapshot(5 * OFFER_SLICE_ENTRIES + 7);
    h.gate.offer(entries, 'getHAR');
    // The first entries are there before the offer has been taken whole: the panel shows rows at once.
    expect(h.all()).toEqual(entries.slice(0, FIRST_OFFER_SLICE_ENTRIES));
    h.clock.advance(0);
    // One task per further slice (the fake clock runs each as it comes due), slices doubling up to full size.
    let tasks = 0;
    for (let taken = FIRST_OFFER_SLICE_ENTRIES, size = FIRST_OFFER_SLICE_ENTRIES; taken < entries.length; tasks++) {
      size = Math.min(OFFER_SLICE_ENTRIES, size * 2);
      taken += size;
    }
    expect(tasks).toBe(7); // 32, then 64, 128, 256, 256, 256, 256 and the last 39
    expect(h.clock.fired).toBe(tasks);
    expect(h.all()).toEqual(entries);
  });

  it('takes what finishes meanwhile after the snapshot, and a copy of a snapshot entry not again', () => {
    const h = harness();
    const entries = snapshot(3 * OFFER_SLICE_ENTRIES);
    const fresh = snapshot(3 * OFFER_SLICE_ENTRIES + 1).at(-1)!;
    h.gate.offer(entries, 'getHAR');
    h.gate.offer([structuredClone(entries.at(-1)!), fresh], 'onRequestFinished');
    expect(h.all()).toHaveLength(FIRST_OFFER_SLICE_ENTRIES);
    h.clock.advance(0);
    expect(h.all()).toEqual([...entries, fresh]);
  });

  it('drops the rest of the snapshot on a navigation that clears the list, and stops with the gate', () => {
    const h = harness();
    h.gate.offer(snapshot(4 * OFFER_SLICE_ENTRIES), 'getHAR');
    h.gate.discardWaiting();
    h.clock.advance(1000);
    expect(h.all()).toHaveLength(FIRST_OFFER_SLICE_ENTRIES);

    const stopped = harness();
    stopped.gate.offer(snapshot(4 * OFFER_SLICE_ENTRIES), 'getHAR');
    stopped.gate.stop();
    stopped.clock.advance(1000);
    expect(stopped.all()).toHaveLength(FIRST_OFFER_SLICE_ENTRIES);
    expect(stopped.clock.pendingTimers).toBe(0);
  });

  it('holds an actual request at the end of one slice with its unfinished preflight at the start of the next', () => {
    const h = harness();
    // The actual request last in the second slice, its preflight first in the third.
    const sliceEnd = FIRST_OFFER_SLICE_ENTRIES + OFFER_SLICE_ENTRIES;
    const filler = snapshot(sliceEnd - 1);
    const pair = scenarioEntries('pass-preflighted-put');
    expect(isPreflight(pair[0]!)).toBe(false); // getHAR() order: the actual first (finished: 200)
    const [actual, preflight] = [pair[0]!, unfinishedCopy(pair[1]!)];
    const entries = [...filler, actual, preflight, ...snapshot(sliceEnd + 10).slice(sliceEnd)];
    expect(entries.indexOf(actual)).toBe(sliceEnd - 1);
    h.gate.offer(entries, 'getHAR');
    h.clock.advance(0);
    // Judged alone, the actual request would make a row that changes when its preflight completes: it waits with it.
    expect(h.all()).not.toContain(actual);
    expect(h.lastWaiting().map((w) => w.method).sort()).toEqual(['OPTIONS', 'PUT']);
  });
});
