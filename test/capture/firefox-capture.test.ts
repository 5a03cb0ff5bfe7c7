/**
 * Pairing over the lab's real Firefox ESR 153 export (test/fixtures/firefox/lab.har): Firefox marks nothing, so every
 * preflight must be found by method, Access-Control-Request-Method, URL and time. Pairing only; verdicts are the
 * engine's tests.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { readHarLog } from '../../src/lib/explainHar.js';
import { recordingEngine } from './helpers.js';

const har = JSON.parse(readFileSync(new URL('../fixtures/firefox/lab.har', import.meta.url), 'utf8'));
const { entries, context } = readHarLog(har);
const engine = recordingEngine();
const store = createExchangeStore({}, { evaluate: engine.evaluate, harContext: context });
const change = store.addEntries(entries);
const exchanges = engine.all();
const path = (url: string) => url.replace(/\?.*/, '').replace(/^.*\/s\//, '');

describe('real Firefox capture (lab.har)', () => {
  it('reads every entry as a Firefox export under Firefox rules', () => {
    expect(change.rejected).toEqual([]);
    expect(new Set(exchanges.map((e) => `${e.source} ${e.rules}`))).toEqual(new Set(['firefox-har-export firefox']));
  });

  it('pairs every OPTIONS preflight with an actual request, and leaves none on its own', () => {
    const preflightEntries = (entries as { request: { method: string } }[]).filter((e) => e.request.method === 'OPTIONS');
    const paired = exchanges.flatMap((e) => e.hops.filter((h) => h.preflightPresence === 'captured'));
    expect(preflightEntries.length).toBeGreaterThan(10);
    expect(paired).toHaveLength(preflightEntries.length);
    expect(exchanges.filter((e) => e.hops[0]!.request.method === 'OPTIONS' || e.hops[0]!.request.headers.length === 0 && e.hops[0]!.request.url.startsWith('http'))).toEqual([]);
    for (const exchange of exchanges) {
      const hop = exchange.hops[0]!;
      if (hop.preflight === undefined) continue;
      expect(hop.preflight.request.url).toBe(hop.request.url);
      const requested = hop.preflight.request.headers.find(([name]) => name.toLowerCase() === 'access-control-request-method')?.[1];
      expect(requested).toBe(hop.request.method);
    }
  });

  it('keeps the two requests of the preflight-cache scenario apart, each with the preflight Firefox sent again', () => {
    const repeated = exchanges.filter((e) => path(e.hops[0]!.request.url) === 'preflight-cache-hit');
    expect(repeated).toHaveLength(2);
    expect(repeated.map((e) => e.hops[0]!.preflightPresence)).toEqual(['captured', 'captured']);
  });

  it('gives a request blocked by its preflight that preflight (status-0 actual, full headers)', () => {
    const blocked = exchanges.find((e) => path(e.hops[0]!.request.url) === 'fail-preflight-status-404')!;
    expect(blocked.hops[0]!.response).toBeUndefined();
    expect(blocked.hops[0]!.request.provisionalHeaders).toBeUndefined();
    expect(blocked.hops[0]!.preflight?.response?.status).toBe(404);
  });

  it('folds a followed redirect into the exchange the page asked for', () => {
    const chain = exchanges.find((e) => path(e.hops[0]!.request.url) === 'pass-redirect-to-null-allowed')!;
    expect(chain.hops.map((h) => new URL(h.request.url).host)).toEqual([new URL(chain.hops[0]!.request.url).host, expect.stringMatching(/^localhost:/)]);
    expect(chain.initiatorOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
