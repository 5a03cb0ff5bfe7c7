/** Refused redirects and dead connections: named, the right verdict, no CorsError Chromium never reported. */
import { describe, expect, it } from 'vitest';
import { fixAvailability } from '../../../src/fixes/index.js';
import { entry, exchangeFor, explain } from './har.js';

const PAGE = 'http://app.example:8080/';
const API = 'http://api.example:9090/items';

describe('redirects', () => {
  it('a preflight entry with net::ERR_INVALID_REDIRECT, status 0 and no headers: PreflightDisallowedRedirect, and a fix', () => {
    const preflight = entry({
      url: API,
      method: 'OPTIONS',
      resourceType: 'preflight',
      page: PAGE,
      request: 'sent',
      requestHeaders: { 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
      error: 'net::ERR_INVALID_REDIRECT',
      initiator: { type: 'preflight', url: API, requestId: '9.1' },
    });
    const actual = entry({ url: API, method: 'PUT', page: PAGE, requestHeaders: { 'Content-Type': 'application/json' }, error: 'net::ERR_FAILED' });
    const e = exchangeFor(explain(actual, preflight), API);
    expect(e.verdict).toBe('blocked');
    expect(e.failure?.chromeCorsError).toBe('PreflightDisallowedRedirect');
    expect(e.failure?.consoleMessage).toBe(
      "Access to fetch at 'http://api.example:9090/items' from origin 'http://app.example:8080' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
    );
    expect(e.blocker).toMatchObject({ family: 'redirect', kind: 'preflight-redirect', badge: 'Redirect' });
    expect(e.blocker?.consoleMessage).toBe(e.failure?.consoleMessage);
    const fix = fixAvailability(e);
    expect(fix.ok).toBe(true);
    if (fix.ok) expect(fix.policy).toMatchObject({ preflight: true, methods: ['PUT'], requestHeaders: ['content-type'] });
  });

  it('a redirect to data: is ERR_UNSAFE_REDIRECT: a network error, no CorsError', () => {
    const e = exchangeFor(
      explain(entry({ url: API, page: PAGE, request: 'sent', status: 302, responseHeaders: { Location: 'data:text/plain,hi', 'Access-Control-Allow-Origin': '*' }, redirectURL: 'data:text/plain,hi', error: 'net::ERR_UNSAFE_REDIRECT' })),
      API,
    );
    expect(e.verdict).toBe('network-error');
    expect(e.failure).toBeNull();
    expect(e.alternatives).toEqual([]);
    expect(e.blocker).toMatchObject({ family: 'redirect', kind: 'unsafe-redirect', values: { location: 'data:text/plain,hi' } });
  });

  it('redirect: "manual": the redirect recorded aborted is named, not a CORS failure', () => {
    const e = exchangeFor(
      explain(entry({ url: API, page: PAGE, request: 'sent', status: 302, responseHeaders: { Location: '/elsewhere' }, redirectURL: 'http://api.example:9090/elsewhere', error: 'net::ERR_ABORTED' })),
      API,
    );
    expect(e.blocker).toMatchObject({ family: 'redirect', kind: 'manual-redirect' });
    expect(e.failure).toBeNull();
  });

  it('after a cross-origin redirect the report says the browser sent Origin: null and what the final server must allow', () => {
    const hop1 = entry({ url: API, page: PAGE, request: 'sent', status: 302, responseHeaders: { Location: 'http://other.example:7070/final', 'Access-Control-Allow-Origin': '*' }, redirectURL: 'http://other.example:7070/final', serverIPAddress: '127.0.0.1' });
    const hop2 = entry({ url: 'http://other.example:7070/final', page: PAGE, request: 'sent', requestHeaders: { Origin: 'null' }, status: 200, responseHeaders: { 'Access-Control-Allow-Origin': 'http://app.example:8080' }, error: 'net::ERR_FAILED' });
    const e = exchangeFor(explain(hop1, hop2), API);
    expect(e.verdict).toBe('blocked');
    expect(e.failure?.chromeCorsError).toBe('AllowOriginMismatch');
    expect(e.originAfterRedirect).toMatch(/Origin: null/);
    expect(e.originAfterRedirect).toMatch(/http:\/\/other\.example:7070 must answer Access-Control-Allow-Origin: null/);
  });
});

describe('dead connections and the page’s abort', () => {
  it('connection refused: a network error with Chrome’s load-failure line, not a CORS line', () => {
    const e = exchangeFor(explain(entry({ url: API, page: PAGE, error: 'net::ERR_CONNECTION_REFUSED' })), API);
    expect(e.verdict).toBe('network-error');
    expect(e.blocker).toMatchObject({ family: 'network', kind: 'connection-refused', badge: 'Network', fixSide: 'network', consoleMessage: 'Failed to load resource: net::ERR_CONNECTION_REFUSED' });
  });

  it('a reset after the headers (with CORS headers) is a broken connection, never “Allow-Credentials is not true”', () => {
    const e = exchangeFor(
      explain(entry({ url: API, page: PAGE, request: 'sent', status: 200, responseHeaders: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' }, error: 'net::ERR_CONNECTION_RESET' })),
      API,
    );
    expect(e.verdict).toBe('network-error');
    expect(e.failure).toBeNull();
    expect(e.alternatives).toEqual([]);
    expect(e.assumptions).toEqual([]);
    expect(e.blocker).toMatchObject({ kind: 'connection-reset', values: { received: 'headers' } });
    expect(e.summary).toMatch(/reset after the response headers arrived/);
  });

  it('a reset after headers that fail CORS whatever the credentials: Chromium refused them first, so CORS names it', () => {
    const e = exchangeFor(
      explain(entry({ url: API, page: PAGE, request: 'sent', status: 200, responseHeaders: { 'Access-Control-Allow-Origin': 'http://elsewhere.example' }, error: 'net::ERR_CONNECTION_RESET' })),
      API,
    );
    expect(e.verdict).toBe('blocked');
    expect(e.failure?.chromeCorsError).toBe('AllowOriginMismatch');
    expect(e.blocker ?? null).toBeNull();
  });

  it('empty response', () => {
    const e = exchangeFor(explain(entry({ url: API, page: PAGE, error: 'net::ERR_EMPTY_RESPONSE' })), API);
    expect(e.blocker).toMatchObject({ family: 'network', kind: 'empty-response' });
  });

  it('the page aborted it: Aborted, no console line', () => {
    const e = exchangeFor(explain(entry({ url: API, page: PAGE, error: 'net::ERR_ABORTED' })), API);
    expect(e.verdict).toBe('network-error');
    expect(e.blocker).toMatchObject({ family: 'aborted', kind: 'page-abort', badge: 'Aborted', consoleMessage: null });
  });

  it('a refused WebSocket handshake is not CORS: no CorsError', () => {
    const url = 'ws://api.example:9090/socket';
    const e = exchangeFor(explain(entry({ url, page: PAGE, resourceType: 'websocket', request: 'sent', status: 403, responseHeaders: { 'Content-Type': 'text/plain' } })), url);
    expect(e.verdict).toBe('network-error');
    expect(e.failure).toBeNull();
    expect(e.blocker).toMatchObject({ kind: 'websocket-refused' });
  });

  it('a 502 from a gateway without CORS headers stays the real MissingAllowOriginHeader', () => {
    const e = exchangeFor(explain(entry({ url: API, page: PAGE, request: 'sent', status: 502, responseHeaders: { 'Content-Type': 'text/html' }, error: 'net::ERR_FAILED' })), API);
    expect(e.verdict).toBe('blocked');
    expect(e.failure?.chromeCorsError).toBe('MissingAllowOriginHeader');
    expect(e.blocker ?? null).toBeNull();
  });
});
