import { describe, expect, it } from 'vitest';
import { warmUpJudging } from '../../src/panel/warmUp.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import type { ExchangeStore } from '../../src/store/storeTypes.js';

describe('the panel warm-up (judging code run once before getHAR() answers)', () => {
  it('runs the paths a real page takes first: not CORS, allowed, and blocked at its preflight', () => {
    const reports = warmUpJudging((options) => createExchangeStore(options));
    expect(reports.map((r) => [r.method, new URL(r.url).pathname, r.verdict, r.preflight !== null])).toEqual([
      ['GET', '/', 'not-cors', false],
      ['GET', '/app.js', 'not-cors', false],
      ['GET', '/items', 'allowed', false],
      ['PUT', '/items/1', 'blocked', true],
    ]);
    // The blocked one is worded as the browser words it (the words' code is part of what is warmed).
    expect(reports[3]!.failure?.consoleMessage).toMatch(/has been blocked by CORS policy: Method PUT is not allowed/);
  });

  it('uses a store of its own, and a store that fails costs nothing', () => {
    const made: ExchangeStore[] = [];
    warmUpJudging((options) => {
      const store = createExchangeStore(options);
      made.push(store);
      return store;
    });
    expect(made).toHaveLength(1);
    expect(made[0]!.maxExchanges).toBe(16);
    // Firefox's panel takes entries without the unfinished-entry gate: the warm-up runs that source instead (were it to
    // throw, nothing would be judged).
    expect(warmUpJudging((options) => createExchangeStore(options), { holdUnfinished: false }).map((r) => r.verdict)).toEqual([
      'not-cors',
      'not-cors',
      'allowed',
      'blocked',
    ]);
    expect(
      warmUpJudging(() => {
        throw new Error('no store');
      }),
    ).toEqual([]);
  });
});
