// @vitest-environment happy-dom
/**
 * The panel over live DevTools capture when DevTools hands an entry over unfinished: the row says "pending" (no
 * verdict) until the complete entry arrives, then shows the browser's verdict; if it never arrives, "cannot tell".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, waitFor } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { createDevtoolsSource, type DevtoolsNetworkLike } from '../../src/panel/source.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { UNFINISHED_WAIT_MS } from '../../src/capture/unfinishedEntries.js';
import { fakeClock } from '../support/fake-clock.js';
import { isPreflight, scenarioEntries, unfinishedCopy } from '../support/live-entries.js';

afterEach(cleanup);

function setUp(options: { completeLater: boolean }) {
  const clock = fakeClock();
  const finished = new Set<(e: unknown) => void>();
  let log: unknown[] = [];
  let firstCall = true;
  const network: DevtoolsNetworkLike = {
    getHAR(callback) {
      if (firstCall) {
        firstCall = false;
        callback({ entries: [] });
      } else if (options.completeLater) callback({ entries: log });
    },
    onRequestFinished: { addListener: (l) => void finished.add(l), removeListener: (l) => void finished.delete(l) },
    onNavigated: { addListener: () => {}, removeListener: () => {} },
  };
  const source = createDevtoolsSource(network, { theme: 'light', clock });
  render(<App source={source} createStore={(o) => createExchangeStore(o)} schedule={(f) => f()} />);
  // In the live stream DevTools hands the preflight over before its actual request.
  const complete = scenarioEntries('fail-preflight-behind-auth').sort((a, b) => Number(isPreflight(b)) - Number(isPreflight(a)));
  act(() => {
    for (const e of complete) finished.forEach((l) => l(isPreflight(e) ? unfinishedCopy(e) : e));
  });
  log = complete;
  return { clock };
}

/** Judged rows and pending ones, in list order. */
const rows = () => [...document.querySelectorAll<HTMLElement>('.exchange-row, .waiting-row')];
const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

describe('live capture with an entry DevTools handed over unfinished', () => {
  it('lists it as pending, waiting for DevTools, then shows the verdict of the complete entry', async () => {
    const { clock } = setUp({ completeLater: true });
    expect(rows().map((r) => r.dataset.verdict)).toEqual(['pending', 'pending']);
    expect(rows()[0]!.querySelector('.badge')!.textContent).toBe('pending');
    expect(rows()[0]!.querySelector('.reason')!.textContent).toMatch(/^waiting for DevTools: the preflight's answer/);
    expect(text('waiting-count')).toBe('2 waiting for DevTools');
    expect(text('row-count')).toBe('0 requests');

    act(() => clock.advance(UNFINISHED_WAIT_MS));
    await waitFor(() => expect(rows().map((r) => r.dataset.verdict)).toEqual(['blocked']));
    expect(rows()[0]!.dataset.corsError).toMatch(/^Preflight/);
    expect(text('waiting-count')).toBeNull();
    const log = document.querySelector<HTMLElement>('[data-testid="unfinished-log"]')!;
    // The preflight came without its answer; the actual request, stopped by it, came as status 0 with net::ERR_FAILED,
    // which a CORS failure not filled in yet also shows: asked about again, then judged as recorded.
    expect([log.textContent, log.dataset.completed, log.dataset.asRecorded, log.dataset.gaveUp]).toEqual(['1 came unfinished', '1', '1', '0']);
    expect(log.title).toMatch(/^OPTIONS http.*: completed from getHAR after \d+ ms/m);
    expect(log.title).toMatch(/^GET http.*: never completed: judged from the failure it records/m);
  });

  it('says "cannot tell" when DevTools never completes it', async () => {
    const { clock } = setUp({ completeLater: false });
    act(() => clock.advance(UNFINISHED_WAIT_MS));
    await waitFor(() => expect(rows().map((r) => r.dataset.verdict)).toEqual(['unknown']));
    expect(rows()[0]!.querySelector('.badge')!.textContent).toBe('cannot tell');
    expect(rows()[0]!.dataset.corsError).toBe('');
    const log = document.querySelector<HTMLElement>('[data-testid="unfinished-log"]')!;
    expect([log.dataset.gaveUp, log.dataset.asRecorded]).toEqual(['1', '1']);
  });
});
