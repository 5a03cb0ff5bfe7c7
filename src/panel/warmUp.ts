/**
 * The first rows of a backfill come from code that has never run: the engine compiles each function at its first call,
 * and reading, pairing, judging and wording the first 4 entries of a 10,000-entry getHAR() answer took about 20 ms for
 * that alone (bench/panel.ts, its CPU profile). The panel runs that code once on a made-up capture while it waits for
 * getHAR()'s answer: through a live source of its own (the unfinished-entry gate included) over a made-up DevTools
 * network that answers at once, then into a store of its own; nothing is shown and both are dropped at once.
 *
 * The made-up capture is what the engine meets first on a real page: the page's document, a same-origin script, an
 * allowed cross-origin fetch, and a preflighted one its preflight blocked.
 */
import type { ExchangeReport } from '../explain/report.js';
import type { ExchangeStore, ExchangeStoreOptions } from '../store/storeTypes.js';
import type { GateClock } from '../capture/unfinishedEntries.js';
import { createDevtoolsSource, type DevtoolsNetworkLike } from './source.js';

const PAGE = 'https://app.warm-up.invalid';
const API = 'https://api.warm-up.invalid';

type Lines = [string, string][];

function entry(
  at: number,
  resourceType: string,
  method: string,
  url: string,
  request: Lines,
  status: number,
  response: Lines,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const headers = (lines: Lines) => lines.map(([name, value]) => ({ name, value }));
  // The request headers as sent: Chromium's list has Host (the gate holds an entry without it as provisional).
  const sent: Lines = [['Host', new URL(url).host], ...request];
  return {
    _initiator: resourceType === 'document' ? { type: 'other' } : { type: 'script' },
    _resourceType: resourceType,
    request: { method, url, httpVersion: 'HTTP/1.1', headers: headers(sent), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: {
      status,
      statusText: '',
      httpVersion: status === 0 ? '' : 'HTTP/1.1',
      headers: headers(response),
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _error: status === 0 ? 'net::ERR_FAILED' : null,
    },
    serverIPAddress: status === 0 ? '' : '192.0.2.1',
    startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, at)).toISOString(),
    time: 1,
    timings: { blocked: 0, dns: -1, ssl: -1, connect: -1, send: 0, wait: 1, receive: 0 },
    pageref: 'page_1',
    ...extra,
  };
}

function madeUpCapture(): unknown[] {
  const fetchFrom = (mode: string): Lines => [
    ['Accept', '*/*'],
    ['Origin', PAGE],
    ['Sec-Fetch-Mode', mode],
    ['Sec-Fetch-Site', 'same-site'],
  ];
  return [
    entry(0, 'document', 'GET', `${PAGE}/`, [['Sec-Fetch-Mode', 'navigate'], ['Sec-Fetch-Dest', 'document']], 200, [['Content-Type', 'text/html']]),
    entry(10, 'script', 'GET', `${PAGE}/app.js`, [['Sec-Fetch-Mode', 'no-cors'], ['Sec-Fetch-Dest', 'script']], 200, [['Content-Type', 'text/javascript']]),
    entry(20, 'fetch', 'GET', `${API}/items`, fetchFrom('cors'), 200, [
      ['Access-Control-Allow-Origin', PAGE],
      ['Content-Type', 'application/json'],
      ['Vary', 'Origin'],
    ]),
    entry(
      30,
      'preflight',
      'OPTIONS',
      `${API}/items/1`,
      [
        ['Access-Control-Request-Method', 'PUT'],
        ['Access-Control-Request-Headers', 'content-type'],
        ['Origin', PAGE],
        ['Sec-Fetch-Mode', 'cors'],
      ],
      204,
      [['Access-Control-Allow-Origin', PAGE]],
      { _initiator: { type: 'preflight', url: `${API}/items/1`, requestId: 'warm-up.1' } },
    ),
    // Refused at its preflight: Chromium records the request itself with no response and net::ERR_FAILED.
    entry(31, 'fetch', 'PUT', `${API}/items/1`, [...fetchFrom('cors'), ['Content-Type', 'application/json']], 0, []),
  ];
}

/** A clock whose timers never fire: whatever the gate would wait for is dropped with it. */
const STOPPED_CLOCK: GateClock = { now: () => 0, setTimer: () => 0, clearTimer: () => undefined };

/** A DevTools network that recorded `entries`: getHAR() answers at once, no request ever finishes. */
function madeUpNetwork(entries: readonly unknown[]): DevtoolsNetworkLike {
  const never = { addListener: () => undefined, removeListener: () => undefined };
  return { getHAR: (callback) => callback({ entries }), onRequestFinished: never, onNavigated: never };
}

/**
 * Runs the made-up capture through a live source as the panel page makes it (`holdUnfinished` as there), as getHAR()'s
 * answer, and judges it in a store made for it. The panel page calls this once, as it mounts. Never
 * throws: a warm-up that fails costs nothing but the time it took. Returns the exchanges it judged.
 */
export function warmUpJudging(
  createStore: (options: ExchangeStoreOptions) => ExchangeStore,
  options: { holdUnfinished?: boolean } = {},
): readonly ExchangeReport[] {
  try {
    // The source for its code only: the refused PUT waits there for a complete copy (status 0, net::ERR_FAILED and
    // no headers is also how DevTools first hands over a CORS failure), which the stopped clock never asks for.
    const source = createDevtoolsSource(madeUpNetwork(madeUpCapture()), {
      theme: 'light',
      clock: STOPPED_CLOCK,
      ...(options.holdUnfinished === undefined ? {} : { holdUnfinished: options.holdUnfinished }),
    });
    source.start({ entries: () => undefined })();
    const store = createStore({ rules: 'auto', maxExchanges: 16 });
    store.addEntries(madeUpCapture());
    return store.list();
  } catch {
    return [];
  }
}
