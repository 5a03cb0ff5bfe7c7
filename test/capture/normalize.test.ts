import { describe, expect, it } from 'vitest';
import { normalizeEntry, type NormalizedEntry } from '../../src/capture/normalize.js';
import { combinedHeaderValue } from '../../src/capture/harHeaders.js';
import { loadHandFixture } from './helpers.js';

function ok(raw: unknown, context = {}): NormalizedEntry {
  const result = normalizeEntry(raw, 0, context);
  if (!result.ok) throw new Error(result.reason);
  return result.entry;
}

function reason(raw: unknown): string {
  const result = normalizeEntry(raw, 0);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

const minimal = (patch: Record<string, unknown> = {}) => ({
  startedDateTime: '2026-11-20T10:00:00.000Z',
  time: 5,
  request: { method: 'GET', url: 'http://api.test/x', headers: [] },
  response: { status: 200, statusText: 'OK', headers: [] },
  ...patch,
});

describe('normalizeEntry: Chromium DevTools entries', () => {
  const entries = loadHandFixture('chromium-preflight-failures.har').log.entries;

  it('reads a preflight marked by _resourceType, with the actual URL, requested method and headers', () => {
    const entry = ok(entries[0], { creatorName: 'WebInspector' });
    expect(entry.source).toBe('chromium-har-export');
    expect(entry.rules).toBe('chromium');
    expect(entry.preflight).toEqual({
      actualUrl: 'http://127.0.0.1:8002/s4?n=mwtazmzg',
      requestedMethod: 'PUT',
      requestedHeaders: ['content-type'],
      marked: true,
      actualRequestId: '6403.9',
    });
    expect(entry.status).toBe(404);
    expect(entry.errorText).toBeUndefined();
  });

  it('marks the status-0 actual request stopped by its preflight as provisional headers, failed with net::ERR_FAILED', () => {
    const entry = ok(entries[1]);
    expect(entry.source).toBe('chromium-devtools');
    expect(entry.status).toBe(0);
    expect(entry.provisionalHeaders).toBe(true);
    expect(entry.errorText).toBe('net::ERR_FAILED');
    expect(entry.kind).toBe('fetch');
    expect(entry.mode).toBeUndefined();
    expect(entry.requestBodyMimeType).toBe('application/json');
    expect(entry.preflight).toBeUndefined();
    // All of a blocked request's time is booked to `blocked`; -1 means "not recorded" and is left out.
    expect(entry.time).toBe(33.4);
    expect(entry.timings).toEqual({ blocked: 33.4, send: 0, wait: 0, receive: 0 });
  });

  it('keeps the real status and headers of a response that failed the CORS check', () => {
    const entry = ok(loadHandFixture('chromium-response-check.har').log.entries[1]);
    expect(entry.status).toBe(200);
    expect(entry.errorText).toBe('net::ERR_FAILED');
    expect(entry.provisionalHeaders).toBe(false);
    expect(entry.mode).toBe('cors');
    expect(combinedHeaderValue(entry.responseHeaders, 'X-Scenario')).toBe('/s1');
  });

  it('resolves a relative redirectURL against the request URL', () => {
    const entry = ok(loadHandFixture('chromium-preflight-redirect.har').log.entries[1]);
    expect(entry.redirectURL).toBe('http://127.0.0.1:8002/s9t?from=s9c-preflight');
    expect(entry.errorText).toBe('net::ERR_INVALID_REDIRECT');
  });

  it('maps resource types to request kinds and proves the mode only where the capture does', () => {
    const image = ok(minimal({ _resourceType: 'image', request: { method: 'GET', url: 'http://cdn.test/a.png', headers: [] } }));
    expect(image.kind).toBe('image');
    expect(image.mode).toBe('no-cors');
    const corsImage = ok(
      minimal({
        _resourceType: 'image',
        request: { method: 'GET', url: 'http://cdn.test/a.png', headers: [{ name: 'Origin', value: 'http://a.test' }] },
      }),
    );
    expect(corsImage.mode).toBeUndefined();
    const font = ok(minimal({ _resourceType: 'font' }));
    expect(font.kind).toBe('font');
    expect(font.mode).toBeUndefined();
    expect(ok(minimal({ _resourceType: 'Document' })).mode).toBe('navigate');
    expect(ok(minimal({ _resourceType: 'xhr' })).kind).toBe('xhr');
    expect(ok(minimal({ _resourceType: 'websocket' })).kind).toBe('other');
  });
});

describe('normalizeEntry: other sources', () => {
  it('detects Playwright and reads _failureText as the error', () => {
    const har = loadHandFixture('playwright.har');
    const entry = ok(har.log.entries[1], { creatorName: 'Playwright' });
    expect(entry.source).toBe('playwright-har');
    expect(entry.status).toBe(-1);
    expect(entry.errorText).toBe('net::ERR_FAILED');
    expect(entry.provisionalHeaders).toBe(true);
    // Without the creator, its private fields still give it away.
    expect(ok(har.log.entries[0]).source).toBe('playwright-har');
  });

  it('detects Firefox, takes its rules, and recognises an unmarked OPTIONS with Access-Control-Request-Method', () => {
    const entries = loadHandFixture('firefox.har').log.entries;
    const blocked = ok(entries[0]);
    expect(blocked.source).toBe('firefox-har-export');
    expect(blocked.rules).toBe('firefox');
    expect(blocked.provisionalHeaders).toBe(false);
    const preflight = ok(entries[1]);
    expect(preflight.preflight).toMatchObject({ actualUrl: blocked.url, requestedMethod: 'PUT', marked: false });
    expect(preflight.kind).toBe('fetch');
    expect(ok(entries[2], { rules: 'chromium' }).rules).toBe('chromium');
  });

  it('reads Sec-Fetch-Dest and Sec-Fetch-Mode where there is no _resourceType', () => {
    const entry = ok(
      minimal({
        request: {
          method: 'GET',
          url: 'http://cdn.test/f.woff2',
          headers: [
            { name: 'Sec-Fetch-Dest', value: 'font' },
            { name: 'Sec-Fetch-Mode', value: 'cors' },
          ],
        },
      }),
    );
    expect(entry.source).toBe('unknown-har');
    expect(entry.kind).toBe('font');
    expect(entry.mode).toBe('cors');
  });

  it('treats HTTP/2 pseudo-headers as a real request, not provisional', () => {
    const entry = ok(
      minimal({
        request: { method: 'GET', url: 'https://a.test/', headers: [{ name: ':authority', value: 'a.test' }] },
        response: { status: 0, headers: [] },
      }),
    );
    expect(entry.provisionalHeaders).toBe(false);
  });
});

describe('normalizeEntry: header lines', () => {
  it('keeps duplicate lines apart and combines them the way Chromium reads them', () => {
    const entry = ok(
      minimal({
        response: {
          status: 200,
          headers: [
            { name: 'Access-Control-Allow-Origin', value: ' http://a.test ' },
            { name: 'access-control-allow-origin', value: '\thttp://b.test' },
          ],
        },
      }),
    );
    expect(entry.responseHeaders).toHaveLength(2);
    expect(combinedHeaderValue(entry.responseHeaders, 'ACCESS-CONTROL-ALLOW-ORIGIN')).toBe('http://a.test, http://b.test');
    expect(combinedHeaderValue(entry.responseHeaders, 'vary')).toBeNull();
  });

  it('turns numeric header values into strings', () => {
    const entry = ok(minimal({ response: { status: 200, headers: [{ name: 'Access-Control-Max-Age', value: 600 }] } }));
    expect(entry.responseHeaders).toEqual([['Access-Control-Max-Age', '600']]);
  });
});

describe('normalizeEntry: malformed entries give one-line reasons', () => {
  it.each([
    [null, 'is not an object'],
    [{ response: {} }, 'has no request object'],
    [{ request: { url: 'http://a.test/' } }, 'request.method is not a non-empty string'],
    [{ request: { method: 'GET', url: 42 } }, 'request.url is not a non-empty string'],
    [{ request: { method: 'GET', url: 'not a url' } }, 'request.url is not a valid URL: not a url'],
    [{ request: { method: 'GET', url: 'http://a.test/', headers: {} } }, 'request.headers is not an array'],
    [
      { request: { method: 'GET', url: 'http://a.test/', headers: [{ name: 'X-A', value: { nested: true } }] } },
      'request.headers[0].value (X-A) is not a string',
    ],
    [{ request: { method: 'GET', url: 'http://a.test/' }, response: { status: 'two hundred' } }, 'response.status is not a number'],
  ])('%j → %s', (raw, expected) => {
    expect(reason(raw)).toBe(expected);
  });

  it('accepts an entry without a response as one that received none', () => {
    const entry = ok({ request: { method: 'GET', url: 'http://a.test/' } });
    expect(entry.status).toBe(0);
    expect(entry.startedDateTime).toBeUndefined();
    expect(entry.isRepeatOf(entry)).toBe(false);
  });
});
