import { describe, expect, it } from 'vitest';
import { createDevtoolsSource, type DevtoolsNetworkLike, type EventLike } from '../../src/panel/source.js';

function event<F extends (...args: never[]) => void>() {
  const listeners = new Set<F>();
  const api: EventLike<F> = { addListener: (l) => void listeners.add(l), removeListener: (l) => void listeners.delete(l) };
  return { api, fire: (...args: Parameters<F>) => listeners.forEach((l) => l(...args)), count: () => listeners.size };
}

const entry = (n: number, url = `http://api.test/r${n}`) => ({
  startedDateTime: `2026-11-23T10:00:00.${String(n).padStart(3, '0')}Z`,
  time: 10 + n,
  request: { method: 'GET', url },
  response: { status: 200 },
});

/** A fake chrome.devtools.network whose getHAR answers when the test says so. */
function fakeNetwork() {
  const finished = event<(e: unknown) => void>();
  const navigated = event<(url: string) => void>();
  let answer: ((har: { entries: unknown[] }) => void) | undefined;
  const network: DevtoolsNetworkLike = {
    getHAR: (cb) => void (answer = cb as typeof answer),
    onRequestFinished: finished.api,
    onNavigated: navigated.api,
  };
  return { network, finished, navigated, answerHar: (entries: unknown[]) => answer!({ entries }) };
}

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

  it('drops a live entry that getHAR() already delivered, but only once', () => {
    const net = fakeNetwork();
    const got: unknown[] = [];
    createDevtoolsSource(net.network, { theme: 'light' }).start({ entries: (e) => got.push(...e) });
    net.answerHar([entry(1)]);
    net.finished.fire(entry(1)); // the same request, reported again by onRequestFinished
    net.finished.fire(entry(1)); // a different request with identical fields is still delivered
    expect(got).toHaveLength(2);
  });

  it('reports navigations, and stops listening when stopped', () => {
    const net = fakeNetwork();
    const urls: string[] = [];
    const stop = createDevtoolsSource(net.network, { theme: 'dark' }).start({ entries: () => {}, navigated: (u) => urls.push(u) });
    net.navigated.fire('http://page.test/next');
    expect(urls).toEqual(['http://page.test/next']);
    stop();
    expect(net.finished.count()).toBe(0);
    expect(net.navigated.count()).toBe(0);
  });
});
