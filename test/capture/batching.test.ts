/**
 * The same entries fed one by one or all at once (same order) give the same exchanges. Regressions found by
 * `npm run fuzz -- --target store` (arbitrary entries: some without a start time, some out of start order).
 */
import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { recordingEngine } from './helpers.js';

const base = Date.parse('2026-11-23T12:00:00.000Z');
const at = (ms: number) => new Date(base + ms).toISOString();

function redirectHop(url: string, status: number, location: string, startMs: number | undefined) {
  return {
    _resourceType: 'fetch',
    ...(startMs === undefined ? {} : { startedDateTime: at(startMs) }),
    time: 20,
    request: { method: 'GET', url, headers: [{ name: 'Origin', value: 'http://app.test' }] },
    response: {
      status,
      headers: [
        { name: 'Location', value: location },
        { name: 'Access-Control-Allow-Origin', value: 'http://app.test' },
      ],
      redirectURL: location,
    },
  };
}

function finalHop(url: string, startMs: number | undefined) {
  return {
    _resourceType: 'fetch',
    ...(startMs === undefined ? {} : { startedDateTime: at(startMs) }),
    time: 20,
    request: { method: 'GET', url, headers: [{ name: 'Origin', value: 'http://app.test' }] },
    response: { status: 200, headers: [{ name: 'Access-Control-Allow-Origin', value: 'http://app.test' }] },
  };
}

/** Each exchange as its hop URLs, fed all at once and one entry per call. */
function bothWays(entries: unknown[]) {
  const shape = (engine: ReturnType<typeof recordingEngine>, ids: readonly string[]) =>
    ids.map((id) => engine.exchange(id).hops.map((h) => h.request.url));
  const batchEngine = recordingEngine();
  const batch = createExchangeStore({}, { evaluate: batchEngine.evaluate });
  batch.addEntries(structuredClone(entries));
  const liveEngine = recordingEngine();
  const live = createExchangeStore({}, { evaluate: liveEngine.evaluate });
  for (const entry of structuredClone(entries)) live.addEntries([entry]);
  return {
    batch: shape(batchEngine, batch.list().map((r) => r.id)),
    live: shape(liveEngine, live.list().map((r) => r.id)),
  };
}

describe('redirect hops, whatever order and timing they come in', () => {
  const A = 'https://api.example.com/old';
  const B = 'https://api.example.com/new';

  it('a 302 without a start time, then its next hop: one exchange of two hops, both ways', () => {
    const { batch, live } = bothWays([redirectHop(A, 302, B, undefined), finalHop(B, 30)]);
    expect(batch).toEqual([[A, B]]);
    expect(live).toEqual([[A, B]]);
  });

  it('the second hop of a redirect before its 301: one exchange of two hops, both ways', () => {
    const { batch, live } = bothWays([finalHop(B, 30), redirectHop(A, 301, B, 0)]);
    expect(batch).toEqual([[A, B]]);
    expect(live).toEqual([[A, B]]);
  });

  it('a three-hop chain delivered last hop first, then first, then middle: one exchange', () => {
    const C = 'https://api.example.com/final';
    const { batch, live } = bothWays([finalHop(C, 60), redirectHop(A, 301, B, 0), redirectHop(B, 302, C, 30)]);
    expect(batch).toEqual([[A, B, C]]);
    expect(live).toEqual([[A, B, C]]);
  });

  it('reports the exchange folded into its earlier hop as no longer in the store', () => {
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    const first = store.addEntries([finalHop(B, 30)]);
    const second = store.addEntries([redirectHop(A, 301, B, 0)]);
    expect(store.size).toBe(1);
    expect(second.dropped).toEqual(first.added);
    expect(store.get(first.added[0]!)).toBeUndefined();
    expect(store.droppedCount).toBe(0);
    expect(store.list().map((r) => r.redirects.length)).toEqual([1]);
  });
});

describe('preflights, whatever timing the entries carry', () => {
  const url = 'https://api.example.com/items';
  const get = (startMs: number | undefined, error?: string) => ({
    ...(startMs === undefined ? {} : { startedDateTime: at(startMs) }),
    request: { method: 'GET', url, headers: [] },
    response: { status: 0, headers: [], ...(error === undefined ? {} : { _error: error }) },
  });
  const preflight = {
    request: { method: 'OPTIONS', url, headers: [] },
    response: { status: 0, headers: [] },
    _initiator: { type: 'preflight', url, requestId: '1.1' },
  };

  it('a preflight without a start time pairs with the same request fed all at once or one by one', () => {
    // Found by the fuzzer (seed 1): the batch sorted the timed request first, so the preflight went to it.
    const entries = [get(undefined), preflight, get(0, 'net::ERR_INVALID_REDIRECT')];
    const paired = (feed: (store: ReturnType<typeof createExchangeStore>) => void) => {
      const engine = recordingEngine();
      const store = createExchangeStore({}, { evaluate: engine.evaluate });
      feed(store);
      return store.list().map((r) => {
        const hop = engine.exchange(r.id).hops[0]!;
        return `${hop.outcome.kind === 'failed' ? hop.outcome.errorText : hop.outcome.kind} ${hop.preflightPresence}`;
      });
    };
    const batch = paired((store) => store.addEntries(structuredClone(entries)));
    const live = paired((store) => {
      for (const entry of structuredClone(entries)) store.addEntries([entry]);
    });
    expect(batch.sort()).toEqual(live.sort());
    expect(live.sort()).toEqual([' captured', 'net::ERR_INVALID_REDIRECT none-seen']);
  });
});
