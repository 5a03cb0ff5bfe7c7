import { describe, expect, it } from 'vitest';
import {
  describeUndelivered,
  entryCompleteness,
  UNFINISHED_ENTRY_FIELD,
  undeliveredMark,
} from '../../src/capture/entryCompleteness.js';
import { labEntries, scenarioEntries, unfinishedCopy, isPreflight } from '../support/live-entries.js';

const fetchEntry = (response: Record<string, unknown>) => ({
  _resourceType: 'fetch',
  startedDateTime: '2026-11-23T10:00:00.000Z',
  request: { method: 'GET', url: 'http://api.test/r', headers: [{ name: 'Host', value: 'api.test' }] },
  response,
});

describe('is a live Chromium entry finished?', () => {
  it('every entry of a finished lab capture is complete, or judgeable as recorded (status 0, net::ERR_FAILED)', () => {
    const entries = labEntries();
    const stopped = entries.filter((e) => e.response.status === 0 && e.response._error === 'net::ERR_FAILED');
    expect(stopped.length).toBeGreaterThan(5);
    for (const entry of entries) {
      const state = entryCompleteness(entry);
      if (stopped.includes(entry)) expect(state, entry.request.url).toMatchObject({ complete: false, ifNeverCompleted: 'as-recorded' });
      else expect(state, entry.request.url).toEqual({ complete: true });
    }
  });

  it('status 0 with net::ERR_FAILED (stopped before sending, or a CORS failure not filled in yet) is asked again, judged as recorded', () => {
    const [simple] = scenarioEntries('fail-allow-origin-other');
    expect(entryCompleteness(unfinishedCopy(simple!, 'net::ERR_FAILED'))).toEqual({
      complete: false,
      missing: expect.stringMatching(/^the response: DevTools handed over status 0 with net::ERR_FAILED and no response headers/),
      ifNeverCompleted: 'as-recorded',
    });
  });

  it('an entry with status 0, no response headers and no error is unfinished, and says it lacks the response', () => {
    const [actual] = scenarioEntries('pass-simple-get');
    const state = entryCompleteness(unfinishedCopy(actual!));
    expect(state.complete).toBe(false);
    if (!state.complete) expect(state.missing).toMatch(/^the response: .*status 0, no response headers and no error/);
  });

  it('a preflight handed over without its answer is unfinished, and says the preflight’s answer is missing', () => {
    const preflight = scenarioEntries('fail-preflight-behind-auth').find(isPreflight)!;
    const state = entryCompleteness(unfinishedCopy(preflight));
    expect(state).toEqual({ complete: false, missing: expect.stringMatching(/^the preflight's answer: /), ifNeverCompleted: 'cannot-tell' });
  });

  it.each([
    'net::ERR_CONNECTION_REFUSED',
    'net::ERR_CONNECTION_RESET',
    'net::ERR_BLOCKED_BY_CLIENT',
    'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
  ])('status 0 with the failure %s recorded is complete: judged at once', (error) => {
    expect(entryCompleteness(fetchEntry({ status: 0, headers: [], _error: error }))).toEqual({ complete: true });
  });

  it('a redirected preflight handed over as status 0 with net::ERR_INVALID_REDIRECT lacks the redirect, but is judgeable as recorded', () => {
    const preflight = scenarioEntries('fail-preflight-redirected').find(isPreflight)!;
    expect(entryCompleteness(preflight)).toEqual({ complete: true }); // the finished one: 302, Location, the error
    expect(entryCompleteness(unfinishedCopy(preflight, 'net::ERR_INVALID_REDIRECT'))).toEqual({
      complete: false,
      missing: expect.stringMatching(/^the preflight's answer: .*net::ERR_INVALID_REDIRECT but without the redirect's status/),
      ifNeverCompleted: 'as-recorded',
    });
  });

  it('status 0 with an EMPTY error (CSP, mixed content, DevTools blocking look like this) is unfinished', () => {
    expect(entryCompleteness(fetchEntry({ status: 0, headers: [], _error: '' })).complete).toBe(false);
    expect(entryCompleteness(fetchEntry({ status: -1, headers: [] })).complete).toBe(false);
  });

  it('a status without a single header line is unfinished; with a recorded failure (ORB) it is complete', () => {
    const state = entryCompleteness(fetchEntry({ status: 200, headers: [] }));
    expect(state).toEqual({ complete: false, missing: expect.stringContaining('status 200 without any'), ifNeverCompleted: 'cannot-tell' });
    expect(entryCompleteness(fetchEntry({ status: 200, headers: [], _error: 'net::ERR_ABORTED' }))).toEqual({ complete: true });
  });

  it('a response with only the provisional request headers (no Host) lacks the headers as sent; judgeable as recorded', () => {
    const [image] = scenarioEntries('fail-img-no-allow-origin');
    const provisional = { ...image!, request: { ...image!.request, headers: [{ name: 'Referer', value: 'http://127.0.0.1/' }] } };
    expect(entryCompleteness(provisional)).toEqual({
      complete: false,
      missing: expect.stringMatching(/^the request headers as sent: .*only the provisional ones \(no Host\) with a 200 response/),
      ifNeverCompleted: 'as-recorded',
    });
    // HTTP/2 names the host :authority; what came from a cache or a service worker never went out.
    const h2 = { ...provisional, request: { ...provisional.request, headers: [{ name: ':authority', value: 'api.test' }] } };
    expect(entryCompleteness(h2)).toEqual({ complete: true });
    expect(entryCompleteness({ ...provisional, _fromCache: 'memory' })).toEqual({ complete: true });
    expect(entryCompleteness({ ...provisional, response: { ...provisional.response, _fetchedViaServiceWorker: true } })).toEqual({ complete: true });
    // A request that failed at once without a response keeps its provisional headers for good.
    expect(entryCompleteness(unfinishedCopy(provisional, 'net::ERR_CONNECTION_REFUSED'))).toEqual({ complete: true });
  });

  it('an entry without any response object is unfinished; what is not an entry at all is not held', () => {
    expect(entryCompleteness({ request: { method: 'GET', url: 'http://a.test/' } }).complete).toBe(false);
    expect(entryCompleteness(null)).toEqual({ complete: true });
    expect(entryCompleteness('x')).toEqual({ complete: true });
  });

  it('the mark the live source adds says what was missing, how long and how often DevTools was asked', () => {
    const text = describeUndelivered("the preflight's answer: status 0", 4000, 5);
    expect(text).toMatch(/^the preflight's answer: status 0; getHAR\(\) still lacked it after 4 s \(5 looks\)/);
    expect(text).toMatch(/Content-Security-Policy/);
    expect(undeliveredMark({ [UNFINISHED_ENTRY_FIELD]: text })).toBe(text);
    expect(undeliveredMark({ [UNFINISHED_ENTRY_FIELD]: 3 })).toBeUndefined();
  });
});
