/**
 * Firefox's live capture gap (firefox-capture.md): onRequestFinished never fires for an actual request its preflight
 * stopped, and may fire for a refused redirect hop before the redirect itself. The shell's reconciliation with
 * getHAR() must hand every such entry to the panel once, after the entries it belongs with, and nothing twice.
 * Driven with a fake `devtools.network` and a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { endedWithoutResponse, reconcileWithHar } from '../../src/capture/firefoxReconciliation.js';
import { createDevtoolsSource, type DevtoolsNetworkLike } from '../../src/panel/source.js';

type Entry = { startedDateTime: string; time: number; timings: Record<string, number>; request: { method: string; url: string }; response: { status: number; headers: { name: string; value: string }[] } };

function entry(method: string, url: string, status: number, at: string, inFlight = false): Entry {
  const finished = status > 0 || inFlight;
  return {
    startedDateTime: `2026-11-23T10:00:${at}+00:00`,
    time: finished ? 12 : 0,
    timings: finished ? { blocked: -1, dns: 0, connect: 0, send: 0, wait: 12, receive: 0 } : {},
    request: { method, url },
    response: { status, headers: finished ? [{ name: 'Content-Type', value: 'application/json' }] : [] },
  };
}

/** A fake clock and a fake Firefox `devtools.network`: tests say what the HAR holds and which events fire. */
function fakeFirefox() {
  let now = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextId = 1;
  const har: Entry[] = [];
  const finished = new Set<(e: unknown) => void>();
  const navigated = new Set<(url: string) => void>();
  let getHarCalls = 0;
  const network: DevtoolsNetworkLike = {
    getHAR(callback) {
      getHarCalls++;
      const snapshot = JSON.parse(JSON.stringify(har)) as Entry[];
      queueMicrotask(() => callback({ entries: snapshot }));
    },
    onRequestFinished: { addListener: (l) => finished.add(l), removeListener: (l) => finished.delete(l) },
    onNavigated: { addListener: (l) => navigated.add(l), removeListener: (l) => navigated.delete(l) },
  };
  const clock = {
    setTimer: (run: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    now: () => now,
  };
  const flush = () => new Promise<void>((r) => setTimeout(r, 0));
  return {
    network,
    clock,
    har,
    /** Firefox records the request (getHAR has it); `fire` also delivers it through onRequestFinished. */
    record(e: Entry, fire = true) {
      har.push(e);
      if (fire) for (const l of finished) l(JSON.parse(JSON.stringify(e)));
    },
    /** The inspected page navigated to `url` (Firefox may tell the panel after the new page's first requests). */
    navigate(url: string) {
      for (const l of navigated) l(url);
    },
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        await flush();
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = until;
      await flush();
    },
    get getHarCalls() {
      return getHarCalls;
    },
  };
}

/** What the panel holds: like the panel (preserve log off), it starts a new list when the page navigates. */
function collect(network: DevtoolsNetworkLike) {
  const got: Entry[] = [];
  // As extension/panel.ts wires it in Firefox: the reconciliation waits, the Chromium hold for unfinished entries is off.
  const source = createDevtoolsSource(network, { theme: 'light', holdUnfinished: false });
  const stop = source.start({ entries: (entries) => got.push(...(entries as Entry[])), navigated: () => void got.splice(0) });
  return { got, stop, names: () => got.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`) };
}

describe('Firefox live capture reconciled with getHAR()', () => {
  it('hands over the actual request its preflight stopped (status 0, only in getHAR), after its preflight, once', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('PUT', 'http://api.test/x', 0, '01.000'), false); // onRequestFinished never fires for it
    ff.record(entry('OPTIONS', 'http://api.test/x', 204, '01.004'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['OPTIONS http://api.test/x 204', 'PUT http://api.test/x 0']);
    await ff.advance(10_000);
    expect(panel.got).toHaveLength(2);
  });

  it('holds a refused redirect hop that onRequestFinished delivers before the redirect that led to it', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://user:pass@other.test/hop1', 0, '02.020'));
    await ff.advance(20);
    ff.record(entry('GET', 'http://api.test/r', 302, '02.000'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/r 302', 'GET http://user:pass@other.test/hop1 0']);
  });

  it('never hands over a request still in flight, which getHAR() also lists with status 0', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://api.test/slow', 0, '03.000', true), false); // timings filling in
    ff.record(entry('GET', 'http://api.test/other', 200, '03.001'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/other 200']);
  });

  it('never hands over a request that waited for its preflight and then went out', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    const waiting = entry('PUT', 'http://api.test/slow-preflight', 0, '03.500');
    ff.record(waiting, false); // listed while its preflight is out
    ff.record(entry('GET', 'http://api.test/other', 200, '03.400'));
    await ff.advance(1500); // a look or two find it waiting
    ff.har.splice(ff.har.indexOf(waiting), 1);
    ff.record(entry('OPTIONS', 'http://api.test/slow-preflight', 204, '03.501'));
    ff.record({ ...entry('PUT', 'http://api.test/slow-preflight', 200, '03.500') });
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/other 200', 'OPTIONS http://api.test/slow-preflight 204', 'PUT http://api.test/slow-preflight 200']);
  });

  it('leaves a request in flight when the panel opens for onRequestFinished to deliver, finished', async () => {
    const ff = fakeFirefox();
    const inFlight = entry('GET', 'http://api.test/slow', 0, '10.000', true);
    ff.record(inFlight, false);
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.har.pop();
    ff.record(entry('GET', 'http://api.test/slow', 200, '10.000'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/slow 200']);
  });

  it('delivers what the panel read from getHAR() when it opened only once', async () => {
    const ff = fakeFirefox();
    ff.record(entry('PUT', 'http://api.test/early', 0, '04.000'), false);
    ff.record(entry('OPTIONS', 'http://api.test/early', 500, '04.002'), false);
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://api.test/later', 200, '05.000'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['PUT http://api.test/early 0', 'OPTIONS http://api.test/early 500', 'GET http://api.test/later 200']);
  });

  it('looks at getHAR() a few times after requests finish, not while the page is idle', async () => {
    const ff = fakeFirefox();
    collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    const afterOpen = ff.getHarCalls;
    ff.record(entry('GET', 'http://api.test/a', 200, '06.000'));
    await ff.advance(5000);
    const afterBurst = ff.getHarCalls - afterOpen;
    expect(afterBurst).toBeGreaterThan(0);
    expect(afterBurst).toBeLessThanOrEqual(3);
    await ff.advance(60_000);
    expect(ff.getHarCalls - afterOpen).toBe(afterBurst);
  });

  it('stops looking once the panel stops listening', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://api.test/a', 200, '07.000'));
    panel.stop();
    const calls = ff.getHarCalls;
    await ff.advance(10_000);
    expect(ff.getHarCalls).toBe(calls);
  });

  it('hands over a finished request onRequestFinished never reported, from getHAR(), once', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://api.test/reported', 200, '11.000'));
    ff.record(entry('GET', 'http://api.test/dropped', 200, '11.010'), false); // Firefox dropped the event
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/reported 200', 'GET http://api.test/dropped 200']);
    // Should the event come after all, the panel has the request already.
    ff.record(entry('GET', 'http://api.test/dropped', 200, '11.010'));
    await ff.advance(10_000);
    expect(panel.got).toHaveLength(2);
  });

  it('waits for getHAR() to settle a request reported with status 0 whose status came late, and hands over the finished one', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    const finished = entry('GET', 'http://api.test/late-status', 200, '12.000');
    // onRequestFinished fires with no status and no response headers; the HAR gets the real ones a moment later.
    ff.record({ ...finished, time: 0, timings: {}, response: { status: 0, headers: [] } });
    ff.har.pop();
    await ff.advance(300);
    ff.record(finished, false);
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/late-status 200']);
    await ff.advance(10_000);
    expect(panel.got).toHaveLength(1);
  });

  it('keeps looking while a request reported with status 0 is still in flight in getHAR(), with nothing else going on', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record({ ...entry('GET', 'http://api.test/slow-body', 0, '14.000'), time: 0 });
    ff.har.pop();
    ff.record(entry('GET', 'http://api.test/slow-body', 0, '14.000', true), false); // headers in, body still coming
    await ff.advance(8000);
    expect(panel.got).toHaveLength(0);
    ff.har.pop();
    ff.record(entry('GET', 'http://api.test/slow-body', 200, '14.000'), false); // finished; no event comes for it
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/slow-body 200']);
  });

  it('hands over a status-0 entry onRequestFinished reported that getHAR() never lists, as reported', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://api.test/r', 302, '13.000'));
    ff.record(entry('GET', 'http://user:pass@other.test/hop1', 0, '13.020'));
    ff.har.pop(); // Firefox did not record the refused hop in its HAR
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://api.test/r 302', 'GET http://user:pass@other.test/hop1 0']);
  });

  it("hands the new page's requests over again when Firefox reports the navigation after them, and not the old page's", async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://page.test/old', 200, '20.000'));
    await ff.advance(5000);
    ff.record(entry('GET', 'http://page.test/', 200, '30.000')); // the new document
    ff.record(entry('GET', 'http://api.test/first', 200, '30.100'));
    ff.navigate('http://page.test/'); // late: the panel starts its new list after the new page's first requests
    ff.record(entry('GET', 'http://api.test/second', 200, '30.200'));
    await ff.advance(5000);
    expect(panel.names().sort()).toEqual(['GET http://api.test/first 200', 'GET http://api.test/second 200', 'GET http://page.test/ 200']);
    await ff.advance(10_000);
    expect(panel.got).toHaveLength(3);
  });

  it('gives the new list the new page\'s requests even when getHAR() no longer lists them after a late navigation event', async () => {
    const ff = fakeFirefox();
    const panel = collect(reconcileWithHar(ff.network, ff.clock));
    await ff.advance(10);
    ff.record(entry('GET', 'http://page.test/old', 200, '20.000'));
    await ff.advance(5000);
    ff.record(entry('GET', 'http://page.test/', 200, '30.000'));
    ff.record(entry('GET', 'http://api.test/first', 200, '30.100'));
    ff.har.splice(0); // Firefox clears its list on the navigation, after the new page's first requests
    ff.navigate('http://page.test/');
    ff.record(entry('GET', 'http://api.test/second', 200, '30.200'));
    await ff.advance(5000);
    expect(panel.names()).toEqual(['GET http://page.test/ 200', 'GET http://api.test/first 200', 'GET http://api.test/second 200']);
  });

  it('tells an entry that ended without a response from one in flight', () => {
    expect(endedWithoutResponse(entry('PUT', 'http://api.test/x', 0, '08.000'))).toBe(true);
    expect(endedWithoutResponse(entry('PUT', 'http://api.test/x', 0, '08.000', true))).toBe(false);
    expect(endedWithoutResponse(entry('PUT', 'http://api.test/x', 204, '08.000'))).toBe(false);
    expect(endedWithoutResponse({})).toBe(false);
    // A refused connection: Firefox records how long it tried, and no response.
    expect(endedWithoutResponse({ ...entry('GET', 'http://127.0.0.1:9/x', 0, '08.000'), time: 1, timings: { blocked: 1, wait: 0 } })).toBe(true);
  });
});
