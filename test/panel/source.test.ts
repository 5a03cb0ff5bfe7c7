import { describe, expect, it } from 'vitest';
import {
  createDevtoolsSource,
  type DevtoolsNetworkLike,
  type EventLike,
  type NavigationChoice,
  type WaitingEntry,
} from '../../src/panel/source.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { JUDGEABLE_WAIT_MS, UNFINISHED_WAIT_MS } from '../../src/capture/unfinishedEntries.js';
import { fakeClock } from '../support/fake-clock.js';
import { isPreflight, scenarioEntries, unfinishedCopy } from '../support/live-entries.js';

function event<F extends (...args: never[]) => void>() {
  const listeners = new Set<F>();
  const api: EventLike<F> = { addListener: (l) => void listeners.add(l), removeListener: (l) => void listeners.delete(l) };
  return { api, fire: (...args: Parameters<F>) => listeners.forEach((l) => l(...args)), count: () => listeners.size };
}

const entry = (n: number, url = `http://api.test/r${n}`) => ({
  startedDateTime: `2026-11-23T10:00:00.${String(n).padStart(3, '0')}Z`,
  time: 10 + n,
  request: { method: 'GET', url, headers: [{ name: 'Host', value: 'api.test' }] },
  response: { status: 200, headers: [{ name: 'Content-Type', value: 'text/plain' }] },
});

/**
 * A fake chrome.devtools.network. The first getHAR() (the panel's backfill) answers when the test calls `answerHar`;
 * later ones (looks for unfinished entries) answer at once with `harNow`, like DevTools' log at that moment, unless
 * `silent` (a DevTools that never completes anything).
 */
function fakeNetwork(options: { silent?: boolean } = {}) {
  const finished = event<(e: unknown) => void>();
  const navigated = event<(url: string) => void>();
  let first: ((har: { entries: unknown[] }) => void) | undefined;
  let calls = 0;
  let log: unknown[] = [];
  const network: DevtoolsNetworkLike = {
    getHAR: (cb) => {
      calls++;
      if (calls === 1) first = cb as typeof first;
      else if (!options.silent) cb({ entries: log });
    },
    onRequestFinished: finished.api,
    onNavigated: navigated.api,
  };
  return {
    network,
    finished,
    navigated,
    answerHar: (entries: unknown[]) => first!({ entries }),
    harNow: (entries: unknown[]) => (log = entries),
    get calls() {
      return calls;
    },
  };
}

/** The panel's path without the UI: a live source on a fake clock, feeding a real store with the real engine. */
function livePanel(net: ReturnType<typeof fakeNetwork>, preserveLog = false) {
  const clock = fakeClock();
  let store = createExchangeStore();
  const waiting: (readonly WaitingEntry[])[] = [];
  const stop = createDevtoolsSource(net.network, { theme: 'light', clock }).start({
    entries: (e) => void store.addEntries(e),
    waiting: (w) => waiting.push(w),
    navigated: (): NavigationChoice => {
      if (preserveLog) return 'keep-waiting';
      store = createExchangeStore();
      return 'drop-waiting';
    },
  });
  return {
    clock,
    stop,
    rows: () => store.list(),
    waitingNow: () => waiting[waiting.length - 1] ?? [],
  };
}

/** What a store makes of the complete entries given at once: the reference a live capture must end at. */
function judged(entries: unknown[]) {
  const store = createExchangeStore();
  store.addEntries(entries);
  return store.list().map((r) => ({ url: r.url, method: r.method, verdict: r.verdict, corsError: r.failure?.chromeCorsError ?? '' }));
}
const shown = (rows: ReturnType<ReturnType<typeof livePanel>['rows']>) =>
  rows.map((r) => ({ url: r.url, method: r.method, verdict: r.verdict, corsError: r.failure?.chromeCorsError ?? '' }));

describe('the live DevTools source', () => {
  it('delivers getHAR()’s entries first, then later ones, each exactly once, none lost in between', () => {
    const net = fakeNetwork();
    const got: unknown[] = [];
    createDevtoolsSource(net.network, { theme: 'light' }).start({ entries: (e) => got.push(...e) });
    // r2 finishes while getHAR() is on its way and is also in its answer; r3 finishes after the snapshot was taken.
    net.finished.fire(entry(2));
    net.finished.fire(entry(3));
    expect(got).toEqual([]);
    net.answerHar([entry(1), entry(2)]);
    net.finished.fire(entry(4));
    expect(got.map((e) => (e as { request: { url: string } }).request.url)).toEqual([
      'http://api.test/r1',
      'http://api.test/r2',
      'http://api.test/r3',
      'http://api.test/r4',
    ]);
  });

  it('drops every later copy of a request it already delivered (duplicate delivery by DevTools)', () => {
    const net = fakeNetwork();
    const got: unknown[] = [];
    createDevtoolsSource(net.network, { theme: 'light' }).start({ entries: (e) => got.push(...e) });
    net.answerHar([entry(1)]);
    net.finished.fire(entry(1));
    net.finished.fire(structuredClone(entry(1)));
    expect(got).toHaveLength(1);
  });

  it('reports navigations, and stops listening when stopped', () => {
    const net = fakeNetwork();
    const urls: string[] = [];
    const stop = createDevtoolsSource(net.network, { theme: 'dark' }).start({
      entries: () => {},
      navigated: (u) => void urls.push(u),
    });
    net.navigated.fire('http://page.test/next');
    expect(urls).toEqual(['http://page.test/next']);
    stop();
    expect(net.finished.count()).toBe(0);
    expect(net.navigated.count()).toBe(0);
  });

  it('with holdUnfinished off (Firefox), hands entries over as they come', () => {
    const net = fakeNetwork();
    const got: unknown[] = [];
    createDevtoolsSource(net.network, { theme: 'light', holdUnfinished: false }).start({ entries: (e) => got.push(...e) });
    net.answerHar([]);
    net.finished.fire(unfinishedCopy(scenarioEntries('pass-simple-get')[0]!));
    expect(got).toHaveLength(1);
  });
});

describe('races between onRequestFinished and getHAR(): every request once, judged from its complete entry', () => {
  it('a 401 preflight handed over without its answer, complete in getHAR() a moment later: the browser’s verdict, never a guess', () => {
    const complete = scenarioEntries('fail-preflight-behind-auth');
    const preflight = complete.find(isPreflight)!;
    const actual = complete.find((e) => !isPreflight(e))!;
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    net.finished.fire(unfinishedCopy(preflight));
    net.finished.fire(actual);
    // Nothing judged while the preflight's answer is missing: both wait, listed as pending.
    expect(panel.rows()).toEqual([]);
    expect(panel.waitingNow().map((w) => w.method)).toEqual(['OPTIONS', 'GET']);
    net.harNow(complete);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    expect(shown(panel.rows())).toEqual(judged(complete));
    expect(panel.rows()[0]!.verdict).toBe('blocked');
    expect(panel.waitingNow()).toEqual([]);
  });

  it('a redirected preflight handed over as status 0 without its error: judged as the complete entry says', () => {
    const complete = scenarioEntries('fail-preflight-redirected');
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    for (const e of complete) net.finished.fire(isPreflight(e) ? unfinishedCopy(e) : e);
    net.harNow(complete);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    expect(shown(panel.rows())).toEqual(judged(complete));
    expect(panel.rows()[0]!.failure?.chromeCorsError).toBe('PreflightDisallowedRedirect');
  });

  it('a redirected preflight handed over as status 0 WITH net::ERR_INVALID_REDIRECT (seen in the soak): completed from getHAR()', () => {
    // The live stream's order: the preflight first.
    const complete = scenarioEntries('fail-preflight-redirected').sort((a, b) => Number(isPreflight(b)) - Number(isPreflight(a)));
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    for (const e of complete) net.finished.fire(isPreflight(e) ? unfinishedCopy(e, 'net::ERR_INVALID_REDIRECT') : e);
    expect(panel.rows()).toEqual([]);
    net.harNow(complete);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    expect(shown(panel.rows())).toEqual(judged(complete));
    expect(panel.rows()[0]!.failure?.chromeCorsError).toBe('PreflightDisallowedRedirect');
    expect(panel.rows()[0]!.preflight?.status).toBe(302);
  });

  it('the same, never completed: judged from the error it records, not marked "cannot tell"', () => {
    const complete = scenarioEntries('fail-preflight-redirected');
    const net = fakeNetwork({ silent: true });
    const got: unknown[] = [];
    const clock = fakeClock();
    createDevtoolsSource(net.network, { theme: 'light', clock }).start({ entries: (e) => got.push(...e) });
    net.answerHar([]);
    for (const e of complete) net.finished.fire(isPreflight(e) ? unfinishedCopy(e, 'net::ERR_INVALID_REDIRECT') : e);
    clock.advance(UNFINISHED_WAIT_MS);
    expect(got).toHaveLength(2);
    for (const e of got) expect(Object.keys(e as object)).not.toContain('_corsLensUnfinished');
  });

  it.each(['fail-img-no-allow-origin', 'fail-redirect-origin-becomes-null'])(
    '%s handed over with only its provisional request headers (seen in the soak), complete in getHAR(): judged from the complete one',
    (id) => {
      const complete = scenarioEntries(id);
      const early = complete.map((e) => ({ ...e, request: { ...e.request, headers: [{ name: 'Referer', value: 'http://127.0.0.1/' }] } }));
      const net = fakeNetwork();
      const panel = livePanel(net);
      net.answerHar([]);
      for (const e of early) net.finished.fire(e);
      expect(panel.rows()).toEqual([]);
      net.harNow(complete);
      panel.clock.advance(500);
      expect(shown(panel.rows())).toEqual(judged(complete));
      expect(panel.rows()[0]!.verdict).toBe('blocked');
    },
  );

  it.each(['fail-actual-lacks-allow-origin', 'fail-allow-origin-other'])(
    '%s whose failed response came first as status 0 with net::ERR_FAILED (seen in the soak): the complete verdict, no invented cause',
    (id) => {
      // The live stream's order: a preflight before its actual request.
      const complete = scenarioEntries(id).sort((a, b) => Number(isPreflight(b)) - Number(isPreflight(a)));
      const net = fakeNetwork();
      const panel = livePanel(net);
      net.answerHar([]);
      for (const e of complete) net.finished.fire(isPreflight(e) ? e : unfinishedCopy(e, 'net::ERR_FAILED'));
      expect(panel.rows()).toEqual([]);
      net.harNow(complete);
      panel.clock.advance(UNFINISHED_WAIT_MS);
      expect(shown(panel.rows())).toEqual(judged(complete));
      expect(panel.rows()[0]!.verdict).toBe('blocked');
    },
  );

  it('a request its preflight stopped (status 0, net::ERR_FAILED for good): one row, judged once, no placeholder first', () => {
    const complete = scenarioEntries('fail-header-not-allowed').sort((a, b) => Number(isPreflight(b)) - Number(isPreflight(a)));
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    net.harNow(complete);
    for (const e of complete) net.finished.fire(e);
    panel.clock.advance(JUDGEABLE_WAIT_MS - 1);
    expect(panel.rows()).toEqual([]);
    expect(panel.waitingNow()).toHaveLength(2);
    panel.clock.advance(1);
    expect(shown(panel.rows())).toEqual(judged(complete));
    expect(panel.rows()[0]!.failure?.chromeCorsError).toBe('HeaderDisallowedByPreflightResponse');
  });

  it('a passing preflighted request: the preflight waits for its actual request, then both go in together', () => {
    const complete = scenarioEntries('pass-preflighted-put').sort((a, b) => Number(isPreflight(b)) - Number(isPreflight(a)));
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    net.finished.fire(complete[0]!);
    expect(panel.rows()).toEqual([]);
    net.finished.fire(complete[1]!);
    expect(shown(panel.rows())).toEqual(judged(complete));
    expect(panel.rows()[0]!.verdict).toBe('allowed');
  });

  it('the same unfinished entry delivered twice, then complete: one row, the complete verdict, no later flip', () => {
    const [complete] = scenarioEntries('fail-allow-origin-missing');
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    net.finished.fire(unfinishedCopy(complete!));
    net.finished.fire(unfinishedCopy(complete!));
    net.finished.fire(complete!);
    const before = shown(panel.rows());
    expect(before).toEqual(judged([complete]));
    net.finished.fire(unfinishedCopy(complete!));
    net.harNow([unfinishedCopy(complete!)]);
    panel.clock.advance(UNFINISHED_WAIT_MS * 2);
    expect(shown(panel.rows())).toEqual(before);
  });

  it('panel opened late: a backfill holding an unfinished entry, live events racing it, all judged once and completely', () => {
    const earlier = [...scenarioEntries('pass-preflighted-put'), ...scenarioEntries('fail-header-not-allowed')];
    const later = [...scenarioEntries('fail-method-not-allowed'), ...scenarioEntries('pass-simple-get')];
    const net = fakeNetwork();
    const panel = livePanel(net);
    // While getHAR() is on its way, DevTools finishes the first later request (early, unfinished copy of its preflight).
    const laterPreflight = later.find(isPreflight)!;
    net.finished.fire(unfinishedCopy(laterPreflight));
    // The backfill: one entry still unfinished in DevTools' own log, plus the early copy of a live one.
    const headerPreflight = earlier.find((e) => isPreflight(e) && e.request.url.includes('fail-header-not-allowed'))!;
    net.answerHar(earlier.map((e) => (e === headerPreflight ? unfinishedCopy(e) : e)).concat([unfinishedCopy(laterPreflight)]));
    for (const e of later) net.finished.fire(e);
    net.finished.fire(earlier[0]!); // a duplicate of a backfilled entry
    net.harNow([...earlier, ...later]);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    const expected = judged([...earlier, ...later]);
    expect(shown(panel.rows()).sort(byUrlMethod)).toEqual(expected.sort(byUrlMethod));
    expect(panel.rows().every((r) => r.verdict !== 'unknown')).toBe(true);
  });

  it('navigation without Preserve log: what still waited belongs to the old page and never appears in the new list', () => {
    const [old] = scenarioEntries('fail-allow-origin-missing');
    const [fresh] = scenarioEntries('pass-simple-get');
    const net = fakeNetwork();
    const panel = livePanel(net);
    net.answerHar([]);
    net.finished.fire(unfinishedCopy(old!));
    net.navigated.fire('http://page.test/reloaded');
    net.finished.fire(fresh!);
    net.harNow([old!, fresh!]);
    panel.clock.advance(UNFINISHED_WAIT_MS * 2);
    expect(shown(panel.rows())).toEqual(judged([fresh]));
  });

  it('navigation with Preserve log (a reload in the middle of a burst): the waiting entry is still completed and listed once', () => {
    const burst = [...scenarioEntries('fail-allow-origin-missing'), ...scenarioEntries('pass-simple-get')];
    const after = scenarioEntries('fail-preflight-status-404');
    const net = fakeNetwork();
    const panel = livePanel(net, true);
    net.answerHar([]);
    net.finished.fire(unfinishedCopy(burst[0]!));
    net.finished.fire(burst[1]!);
    net.navigated.fire('http://page.test/reloaded');
    for (const e of after) net.finished.fire(e);
    net.harNow([...burst, ...after]);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    expect(shown(panel.rows()).sort(byUrlMethod)).toEqual(judged([...burst, ...after]).sort(byUrlMethod));
  });

  it('given ONLY the unfinished entry (getHAR() never completes it): "cannot tell" saying what DevTools never delivered, never a cause', () => {
    const complete = scenarioEntries('fail-preflight-behind-auth');
    const net = fakeNetwork({ silent: true });
    const panel = livePanel(net);
    net.answerHar([]);
    for (const e of complete) net.finished.fire(isPreflight(e) ? unfinishedCopy(e) : e);
    panel.clock.advance(UNFINISHED_WAIT_MS);
    const rows = panel.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.verdict).toBe('unknown');
    expect(rows[0]!.failure).toBeFalsy();
    expect(rows[0]!.missing.join('\n')).toMatch(/the preflight's answer: DevTools handed over the entry with status 0/);
  });

  it.each(['pass-simple-get', 'fail-allow-origin-missing', 'fail-wildcard-with-credentials', 'fail-actual-lacks-allow-origin'])(
    'given only the unfinished entry of %s: "cannot tell", never a verdict read from the empty entry',
    (id) => {
      const complete = scenarioEntries(id);
      const net = fakeNetwork({ silent: true });
      const panel = livePanel(net);
      net.answerHar([]);
      for (const e of complete) net.finished.fire(isPreflight(e) ? e : unfinishedCopy(e));
      panel.clock.advance(UNFINISHED_WAIT_MS);
      const rows = panel.rows();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.verdict).toBe('unknown');
      expect(rows[0]!.failure).toBeFalsy();
      expect(rows[0]!.missing.join('\n')).toMatch(/^the response: DevTools handed over the entry with status 0/);
    },
  );
});

function byUrlMethod(a: { url: string; method: string }, b: { url: string; method: string }): number {
  return a.url.localeCompare(b.url) || a.method.localeCompare(b.method);
}
