/** Local Network Access on DevTools-shaped HAR entries: the family named, Chrome's CorsError and console line, no CORS snippet. */
import { describe, expect, it } from 'vitest';
import { fixAvailability } from '../../../src/fixes/index.js';
import { documentEntry, entry, exchangeFor, explain } from './har.js';

const PUBLIC_PAGE = 'https://app.example.com/dashboard';
const LOCAL_API = 'http://localhost:3000/api/items';

describe('Local Network Access', () => {
  it('a public https page calling http://localhost: the permission, in the first line, and no CORS header to add', () => {
    const report = explain(entry({ url: LOCAL_API, page: PUBLIC_PAGE, error: 'net::ERR_FAILED' }));
    const e = exchangeFor(report, LOCAL_API);
    expect(e.verdict).toBe('blocked');
    expect(e.failure).toBeNull();
    expect(e.summary).toMatch(/Local Network Access permission/);
    expect(e.blocker).toMatchObject({
      family: 'local-network-access',
      kind: 'permission-denied',
      badge: 'LNA',
      fixSide: 'page',
      values: { targetSpace: 'loopback', targetSpaceFrom: 'url-literal', pageSpace: 'public', pageSpaceFrom: 'assumed' },
    });
    // The permission and a wrong targetAddressSpace leave the same entry: both names, neither claimed, no console line.
    expect(e.blocker?.chromeCorsError).toBeUndefined();
    expect(e.blocker?.values.possibleCorsErrors).toBe('LocalNetworkAccessPermissionDenied,InvalidLocalNetworkAccess');
    expect(e.blocker?.consoleMessage).toBeNull();
    expect(e.missing.join(' ')).toMatch(/targetAddressSpace/);
    expect(e.blocker?.fixHint).toMatch(/targetAddressSpace/);
    expect(e.blocker?.fixHint).toMatch(/LocalNetworkAccessAllowedForUrls/);
    expect(e.blocker?.fixHint).toMatch(/allow="local-network; loopback-network"/);
    // The page's address was assumed, and the report says so.
    expect(e.missing.join(' ')).toMatch(/assumed public/);
    expect(e.assumptions).toEqual([]);
    // No server snippet: nothing on the server can fix it.
    expect(fixAvailability(e).ok).toBe(false);
  });

  it('reads the page’s address from its document entry and the target’s from its IP literal', () => {
    const page = 'https://intranet-tools.example/';
    const url = 'http://192.168.1.20/status';
    const report = explain(documentEntry(page, { serverIPAddress: '203.0.113.7' }), entry({ url, page, error: 'net::ERR_FAILED' }));
    expect(exchangeFor(report, url).blocker).toMatchObject({
      kind: 'permission-denied',
      values: { targetSpace: 'local', targetSpaceFrom: 'url-literal', pageSpace: 'public', pageSpaceFrom: 'server-ip' },
    });
    expect(exchangeFor(report, url).summary).toMatch(/may not reach the local address space/);
  });

  it('a page served through a local proxy (its document from 127.0.0.1) still crossed into loopback: said, not hidden', () => {
    const page = 'https://public.example/';
    const url = 'http://127.0.0.1:9000/api';
    const e = exchangeFor(explain(documentEntry(page, { serverIPAddress: '127.0.0.1' }), entry({ url, page, error: 'net::ERR_FAILED' })), url);
    expect(e.blocker).toMatchObject({ family: 'local-network-access', values: { pageSpace: 'public', pageSpaceFrom: 'inferred', pageServerIPAddress: '127.0.0.1' } });
    expect(e.missing.join(' ')).toMatch(/local proxy/);
  });

  it('a host name another entry of the capture resolved to a LAN address', () => {
    const url = 'http://nas.home.example/api/status';
    const report = explain(
      entry({ url: 'http://nas.home.example/logo.png', page: PUBLIC_PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Content-Type': 'image/png' }, serverIPAddress: '192.168.1.5' }),
      entry({ url, page: PUBLIC_PAGE, error: 'net::ERR_FAILED' }),
    );
    expect(exchangeFor(report, url).blocker).toMatchObject({ family: 'local-network-access', values: { targetSpace: 'local', targetSpaceFrom: 'other-entry' } });
  });

  it('an insecure page: InsecureLocalNetwork, with Chrome’s words for it', () => {
    const page = 'http://shop.example.net/';
    const report = explain(entry({ url: LOCAL_API, page, error: 'net::ERR_FAILED' }));
    const e = exchangeFor(report, LOCAL_API);
    expect(e.blocker).toMatchObject({ kind: 'insecure-page', chromeCorsError: 'InsecureLocalNetwork' });
    expect(e.blocker?.consoleMessage).toBe(
      "Access to fetch at 'http://localhost:3000/api/items' from origin 'http://shop.example.net' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `loopback`.",
    );
  });

  it('a preflighted request whose OPTIONS Chromium refused for LNA', () => {
    const preflight = entry({
      url: LOCAL_API,
      method: 'OPTIONS',
      resourceType: 'preflight',
      page: PUBLIC_PAGE,
      request: 'sent',
      requestHeaders: { 'Access-Control-Request-Method': 'PUT' },
      error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
      initiator: { type: 'preflight', url: LOCAL_API, requestId: '1.2' },
    });
    const actual = entry({ url: LOCAL_API, method: 'PUT', page: PUBLIC_PAGE, requestHeaders: { 'Content-Type': 'application/json' }, error: 'net::ERR_FAILED' });
    const e = exchangeFor(explain(actual, preflight), LOCAL_API);
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'local-network-access', netError: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', chromeCorsError: 'LocalNetworkAccessPermissionDenied' });
    expect(e.blocker?.consoleMessage).toBe(
      "Access to fetch at 'http://localhost:3000/api/items' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
    );
    expect(e.failure).toBeNull();
  });

  it('a no-cors image from a public page to loopback: refused the same way ("Access to image")', () => {
    const url = 'http://127.0.0.1:9000/logo.png';
    const e = exchangeFor(explain(entry({ url, page: PUBLIC_PAGE, resourceType: 'image', error: 'net::ERR_FAILED' })), url);
    expect(e.verdict).toBe('blocked');
    expect(e.blocker?.family).toBe('local-network-access');
    expect(e.blocker?.values.targetSpace).toBe('loopback');
  });

  it('loopback to loopback is no LNA: the same trace is left undecided, never called LNA', () => {
    const url = 'http://127.0.0.1:9000/api';
    const e = exchangeFor(explain(entry({ url, page: 'http://127.0.0.1:8000/', error: 'net::ERR_FAILED' })), url);
    expect(e.blocker ?? null).toBeNull();
    expect(e.failure?.chromeCorsError ?? '').not.toMatch(/LocalNetwork/);
  });

  it('a host name the capture has no address for is not called LNA: blocked, the cause left open and said', () => {
    const url = 'http://printer.lan/status';
    const e = exchangeFor(explain(entry({ url, page: PUBLIC_PAGE, error: 'net::ERR_FAILED' })), url);
    expect(e.blocker ?? null).toBeNull();
    expect(e.verdict).toBe('blocked');
    expect(e.failure).toBeNull();
    expect(e.assumptions).toEqual([]);
    expect(e.missing.join(' ')).toMatch(/Local Network Access does that when printer\.lan is a local or loopback address/);
  });

  it('with the permission granted the request went out, and CORS applies as usual', () => {
    const url = 'http://localhost:3000/api/ok';
    const report = explain(entry({ url, page: PUBLIC_PAGE, request: 'sent', status: 200, responseHeaders: { 'Content-Type': 'application/json' }, error: 'net::ERR_FAILED' }));
    const e = exchangeFor(report, url);
    expect(e.blocker ?? null).toBeNull();
    expect(e.failure?.chromeCorsError).toBe('MissingAllowOriginHeader');
  });
});
