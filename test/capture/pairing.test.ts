import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { combinedHeaderValue } from '../../src/capture/harHeaders.js';
import { loadHandFixture, recordingEngine } from './helpers.js';

function storeFor(entries: unknown[], options = {}) {
  const engine = recordingEngine();
  const store = createExchangeStore(options, { evaluate: engine.evaluate });
  const change = store.addEntries(entries);
  return { engine, store, change };
}

const PAGE = 'http://127.0.0.1:8001';

describe('pairing preflights with the actual requests they guarded', () => {
  it('pairs each Chromium preflight with its blocked actual request, whichever was listed first', () => {
    const { engine, store, change } = storeFor(loadHandFixture('chromium-preflight-failures.har').log.entries);
    expect(change.rejected).toEqual([]);
    expect(store.size).toBe(3);
    const exchanges = engine.all();
    expect(exchanges.map((e) => `${e.hops[0]!.request.method} ${new URL(e.hops[0]!.request.url).pathname}`)).toEqual([
      'PUT /s4',
      'POST /s5',
      'DELETE /s6',
    ]);
    for (const exchange of exchanges) {
      const hop = exchange.hops[0]!;
      expect(hop.preflightPresence).toBe('captured');
      expect(hop.preflight?.request.method).toBe('OPTIONS');
      expect(hop.request.provisionalHeaders).toBe(true);
      expect(hop.response).toBeUndefined();
      expect(hop.outcome).toEqual({ kind: 'failed', errorText: 'net::ERR_FAILED' });
      // The actual request's provisional headers have no Origin: it comes from the preflight.
      expect(exchange.initiatorOrigin).toBe(PAGE);
      expect(exchange.initiatorOriginSource).toBe('preflight');
    }
    expect(exchanges[0]!.hops[0]!.preflight?.response?.status).toBe(404);
  });

  it('pairs a preflight delivered before its actual request in a live stream, one entry per call', () => {
    const entries = loadHandFixture('chromium-preflight-failures.har').log.entries;
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    // entries[0] is the s4 preflight, entries[1] its actual request.
    const first = store.addEntries([entries[0]]);
    expect(first.added).toHaveLength(1);
    const id = first.added[0]!;
    expect(store.get(id)?.missing).toContain('the actual request: the capture holds only its preflight');
    const second = store.addEntries([entries[1]]);
    expect(second).toEqual({ added: [], updated: [id], dropped: [], rejected: [] });
    expect(store.size).toBe(1);
    const exchange = engine.exchange(id);
    expect(exchange.hops[0]!.request.method).toBe('PUT');
    expect(exchange.hops[0]!.preflight?.response?.status).toBe(404);
    expect(store.get(id)?.missing).not.toContain('the actual request: the capture holds only its preflight');
  });

  it('keeps repeated identical requests apart, each with its own preflight', () => {
    // Live order: both preflights first (7009.9 at +103 ms, 7009.10 at +108 ms), then the POSTs (+100 ms, +105 ms).
    const { engine, store } = storeFor(loadHandFixture('chromium-repeated.har').log.entries);
    expect(store.size).toBe(2);
    expect(engine.all().every((e) => e.hops[0]!.preflightPresence === 'captured')).toBe(true);
    type Raw = { startedDateTime: string; _initiator: { type: string; requestId?: string } };
    const pairs = (store.entries() as Raw[]).map((raw) => `${raw.startedDateTime.slice(20)} ${raw._initiator.requestId ?? raw._initiator.type}`);
    expect(pairs).toEqual(['100Z script', '103Z 7009.9', '105Z script', '108Z 7009.10']);
  });

  describe('requests issued in a burst, before any preflight', () => {
    const base = Date.parse('2026-11-20T10:00:00.000Z');
    const url = 'http://127.0.0.1:8002/burst';
    const actual = (at: number, time: number, tag: string) => ({
      _resourceType: 'fetch',
      _initiator: { type: 'script' },
      startedDateTime: new Date(base + at).toISOString(),
      time,
      request: { method: 'PUT', url, headers: [{ name: 'X-Tag', value: tag }] },
      response: { status: 0, headers: [], _error: 'net::ERR_FAILED' },
    });
    const preflight = (at: number, requestId: string) => ({
      _resourceType: 'preflight',
      _initiator: { type: 'preflight', url, requestId },
      startedDateTime: new Date(base + at).toISOString(),
      time: 20,
      request: {
        method: 'OPTIONS',
        url,
        headers: [
          { name: 'Origin', value: 'http://127.0.0.1:8001' },
          { name: 'Access-Control-Request-Method', value: 'PUT' },
        ],
      },
      response: { status: requestId === 'r1' ? 404 : 500, headers: [] },
    });
    const entries = [actual(0, 60, 'one'), actual(1, 60, 'two'), preflight(3, 'r1'), preflight(8, 'r2')];
    const statusByTag = (engine: ReturnType<typeof recordingEngine>) =>
      Object.fromEntries(
        engine.all().map((e) => [combinedHeaderValue(e.hops[0]!.request.headers, 'x-tag'), e.hops[0]!.preflight?.response?.status]),
      );

    it('pairs them in issue order from a saved HAR', () => {
      const { engine, store } = storeFor(entries);
      expect(store.size).toBe(2);
      expect(statusByTag(engine)).toEqual({ one: 404, two: 500 });
    });

    it('pairs them in issue order when the preflights are delivered first, one per call', () => {
      const engine = recordingEngine();
      const store = createExchangeStore({}, { evaluate: engine.evaluate });
      for (const entry of [entries[2], entries[3], entries[0], entries[1]]) store.addEntries([entry]);
      expect(store.size).toBe(2);
      expect(statusByTag(engine)).toEqual({ one: 404, two: 500 });
    });

    it('does not give a later preflight to an earlier request that hit the preflight cache', () => {
      // A request served from the preflight cache (no OPTIONS), then a new one 100 ms later with its own preflight.
      const cached = actual(0, 10, 'cached');
      const fresh = actual(100, 60, 'fresh');
      const { engine } = storeFor([cached, fresh, preflight(104, 'r1')]);
      expect(statusByTag(engine)).toEqual({ cached: undefined, fresh: 404 });
    });
  });

  it('pairs an unmarked Firefox OPTIONS listed after its blocked actual request', () => {
    const { engine, store } = storeFor(loadHandFixture('firefox.har').log.entries);
    expect(store.size).toBe(2);
    const put = engine.all().find((e) => e.hops[0]!.request.method === 'PUT')!;
    expect(put.rules).toBe('firefox');
    expect(put.source).toBe('firefox-har-export');
    expect(put.hops[0]!.preflightPresence).toBe('captured');
    expect(put.hops[0]!.preflight?.response?.status).toBe(404);
    expect(put.hops[0]!.outcome.kind).toBe('failed');
    const get = engine.all().find((e) => e.hops[0]!.request.method === 'GET')!;
    expect(get.hops[0]!.outcome).toEqual({ kind: 'unrecorded' });
    expect(get.hops[0]!.preflightPresence).toBe('none-seen');
  });

  it('says preflights are not captured in a Playwright HAR, and takes the initiator from Referer', () => {
    const { engine } = storeFor(loadHandFixture('playwright.har').log.entries);
    const put = engine.all().find((e) => e.hops[0]!.request.method === 'PUT')!;
    expect(put.source).toBe('playwright-har');
    expect(put.hops[0]!.preflightPresence).toBe('not-captured');
    expect(put.hops[0]!.response).toBeUndefined();
    expect(put.initiatorOrigin).toBe(PAGE);
    expect(put.initiatorOriginSource).toBe('referer');
  });

  it('leaves the second request of a preflight-cache hit without a preflight, and the first with one', () => {
    const { engine, store } = storeFor(loadHandFixture('chromium-preflight-cache.har').log.entries);
    expect(store.size).toBe(2);
    const [first, second] = engine.all().sort((a, b) => a.startedAt! - b.startedAt!);
    expect(first!.hops[0]!.preflightPresence).toBe('captured');
    expect(second!.hops[0]!.preflightPresence).toBe('none-seen');
  });

  it('turns a preflight whose actual request never appears into its own exchange', () => {
    const preflightOnly = loadHandFixture('chromium-preflight-failures.har').log.entries[0];
    const { engine, store } = storeFor([preflightOnly]);
    expect(store.size).toBe(1);
    const exchange = engine.all()[0]!;
    expect(exchange.hops[0]!.request).toMatchObject({ method: 'PUT', url: 'http://127.0.0.1:8002/s4?n=mwtazmzg', headers: [] });
    expect(exchange.hops[0]!.preflightPresence).toBe('captured');
    expect(exchange.hops[0]!.outcome).toEqual({ kind: 'unrecorded' });
  });
});

describe('redirect chains', () => {
  it('folds the hops of a followed redirect into one exchange keyed by the URL the page asked for', () => {
    const { engine, store } = storeFor(loadHandFixture('chromium-redirect-chain.har').log.entries);
    expect(store.size).toBe(2);
    const chain = engine.all().find((e) => e.hops[0]!.request.url.includes('/s9a'))!;
    expect(chain.hops.map((h) => h.request.url)).toEqual([
      'http://127.0.0.1:8002/s9a?n=q',
      'http://localhost:8003/s9t?from=s9a',
    ]);
    expect(combinedHeaderValue(chain.hops[1]!.request.headers, 'origin')).toBe('null');
    expect(chain.initiatorOrigin).toBe(PAGE);
    const report = store.list().find((r) => r.url.includes('/s9a'))!;
    expect(report.finalUrl).toBe('http://localhost:8003/s9t?from=s9a');
    expect(report.redirects).toEqual([
      { from: 'http://127.0.0.1:8002/s9a?n=q', to: 'http://localhost:8003/s9t?from=s9a', status: 302 },
    ]);
  });

  it('keeps a refused redirect as one hop, and does not fold a later request to its target into it', () => {
    const entries = loadHandFixture('chromium-redirect-chain.har').log.entries;
    const later = structuredClone(entries[1]) as { startedDateTime: string; request: { url: string } };
    later.request.url = 'http://localhost:8003/s9t?from=s9b';
    later.startedDateTime = '2026-11-20T10:00:00.320Z';
    const { engine, store } = storeFor([...entries, later]);
    expect(store.size).toBe(3);
    const refused = engine.all().find((e) => e.hops[0]!.request.url.includes('/s9b'))!;
    expect(refused.hops).toHaveLength(1);
  });

  it('folds hops added one call at a time and reports the exchange as updated', () => {
    const entries = loadHandFixture('chromium-redirect-chain.har').log.entries;
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    const { added } = store.addEntries([entries[0]]);
    const change = store.addEntries([entries[1]]);
    expect(change.updated).toEqual(added);
    expect(engine.exchange(added[0]!).hops).toHaveLength(2);
  });
});

describe('a preflighted request redirected to another origin', () => {
  // Chromium sends a new preflight for the second hop (with Origin: null); both preflights carry the actual request's id.
  const base = Date.parse('2026-11-20T10:00:00.000Z');
  const at = (ms: number) => new Date(base + ms).toISOString();
  const hop1 = {
    _resourceType: 'fetch',
    _initiator: { type: 'script' },
    startedDateTime: at(0),
    time: 30,
    request: { method: 'PUT', url: 'http://api.test/r', headers: [{ name: 'Host', value: 'api.test' }, { name: 'Origin', value: 'http://app.test' }] },
    response: { status: 307, headers: [{ name: 'Location', value: 'http://other.test/t' }, { name: 'Access-Control-Allow-Origin', value: 'http://app.test' }] },
  };
  const preflight = (url: string, origin: string, ms: number, status: number) => ({
    _resourceType: 'preflight',
    _initiator: { type: 'preflight', url, requestId: '99.1' },
    startedDateTime: at(ms),
    time: 10,
    request: { method: 'OPTIONS', url, headers: [{ name: 'Origin', value: origin }, { name: 'Access-Control-Request-Method', value: 'PUT' }] },
    response: { status, headers: [] },
  });
  const p1 = preflight('http://api.test/r', 'http://app.test', 3, 204);
  const p2 = preflight('http://other.test/t', 'null', 42, 403);
  const hop2 = {
    _resourceType: 'fetch',
    _initiator: { type: 'script' },
    startedDateTime: at(40),
    time: 20,
    request: { method: 'PUT', url: 'http://other.test/t', headers: [] },
    response: { status: 0, headers: [], _error: 'net::ERR_FAILED' },
  };
  const shape = (engine: ReturnType<typeof recordingEngine>) =>
    engine.all().map((e) => e.hops.map((h) => `${h.request.url} ${h.preflight?.response?.status ?? '-'}`));

  it('gives each hop its own preflight, from a saved HAR', () => {
    const { engine, store } = storeFor([hop2, p2, p1, hop1]);
    expect(store.size).toBe(1);
    expect(shape(engine)).toEqual([['http://api.test/r 204', 'http://other.test/t 403']]);
  });

  it('gives each hop its own preflight when each preflight is delivered before its hop', () => {
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    for (const entry of [p1, hop1, p2, hop2]) store.addEntries([entry]);
    expect(store.size).toBe(1);
    expect(shape(engine)).toEqual([['http://api.test/r 204', 'http://other.test/t 403']]);
  });
});

describe('the store', () => {
  it('ignores entries it has already seen (getHAR() and onRequestFinished overlap)', () => {
    const entries = loadHandFixture('chromium-preflight-failures.har').log.entries;
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    store.addEntries(entries.slice(0, 4));
    const callsBefore = engine.calls;
    const change = store.addEntries(structuredClone(entries));
    expect(store.size).toBe(3);
    expect(change.added).toHaveLength(1);
    expect(change.updated).toEqual([]);
    expect(engine.calls - callsBefore).toBe(1);
    expect(store.entries()).toHaveLength(entries.length);
    // Delivered twice is not recorded twice: no exchange counts a merged repeat.
    expect(store.list().map((e) => e.repeatsMerged)).toEqual([undefined, undefined, undefined]);
  });

  it('re-evaluates only the exchange a new entry touches, in a store of 5,000', () => {
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    const base = Date.parse('2026-11-20T10:00:00.000Z');
    const entries = Array.from({ length: 5_000 }, (_, i) => ({
      startedDateTime: new Date(base + i * 10).toISOString(),
      time: 5,
      request: { method: 'GET', url: `http://api.test/item/${i % 50}`, headers: [{ name: 'Origin', value: 'http://a.test' }] },
      response: { status: 200, headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }] },
    }));
    store.addEntries(entries);
    expect(store.size).toBe(5_000);
    expect(engine.calls).toBe(5_000);
    const change = store.addEntries([
      {
        startedDateTime: new Date(base + 5_000 * 10).toISOString(),
        time: 5,
        request: { method: 'GET', url: 'http://api.test/item/7', headers: [] },
        response: { status: 200, headers: [] },
      },
    ]);
    expect(change.added).toHaveLength(1);
    expect(change.updated).toEqual([]);
    expect(engine.calls).toBe(5_001);
  });

  it('drops the oldest exchanges past maxExchanges and counts them', () => {
    const entries = loadHandFixture('chromium-response-check.har').log.entries;
    const { store, change } = storeFor(entries, { maxExchanges: 2 });
    expect(store.size).toBe(2);
    expect(store.droppedCount).toBe(3);
    expect(change.added).toHaveLength(2);
    expect(store.list().map((r) => new URL(r.url).pathname)).toEqual(['/s8', '/s1x']);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.droppedCount).toBe(0);
    expect(store.list()).toEqual([]);
  });

  it('applies a lowered cap at once, oldest first, and a raised one to what comes next', () => {
    const entries = loadHandFixture('chromium-response-check.har').log.entries;
    const { store } = storeFor(entries);
    expect(store.size).toBe(5);
    const ids = store.list().map((r) => r.id);
    const change = store.setMaxExchanges(2);
    expect(change.dropped).toEqual(ids.slice(0, 3));
    expect(store.list().map((r) => r.id)).toEqual(ids.slice(3));
    expect(store.droppedCount).toBe(3);
    expect(store.maxExchanges).toBe(2);
    store.setMaxExchanges(100);
    store.clear();
    store.addEntries(entries);
    expect(store.size).toBe(5);
    expect(store.setMaxExchanges(Number.NaN).dropped).toEqual([]);
    expect(store.maxExchanges).toBe(10_000);
  });

  it('lists exchanges in the order the page started them and never throws on bad input', () => {
    const entries = loadHandFixture('chromium-preflight-failures.har').log.entries;
    const { store, change } = storeFor([{ nope: true }, ...[...entries].reverse(), 'text', { request: { method: 'GET' } }]);
    expect(change.rejected).toEqual([
      { index: 0, reason: 'has no request object' },
      { index: 7, reason: 'is not an object' },
      { index: 8, reason: 'request.url is not a non-empty string' },
    ]);
    expect(store.list().map((r) => r.method)).toEqual(['PUT', 'POST', 'DELETE']);
    expect(createExchangeStore().addEntries('x' as unknown as unknown[]).rejected).toHaveLength(1);
  });
});
