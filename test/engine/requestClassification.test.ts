import { describe, expect, it } from 'vitest';
import {
  corsUnsafeRequestHeaderNames,
  decidePreflight,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  normalizeMethod,
} from '../../src/engine/index.js';

describe('method normalization and classification', () => {
  it('upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT', () => {
    expect(['delete', 'get', 'head', 'options', 'post', 'put'].map(normalizeMethod)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  });
  it('leaves `patch` lower-case (and any other method as written)', () => {
    expect(normalizeMethod('patch')).toBe('patch');
    expect(normalizeMethod('Patch')).toBe('Patch');
    expect(normalizeMethod('purge')).toBe('purge');
  });
  it('treats CONNECT, TRACE and TRACK as forbidden in any case', () => {
    expect(['CONNECT', 'trace', 'Track'].every(isForbiddenMethod)).toBe(true);
    expect(isForbiddenMethod('PATCH')).toBe(false);
  });
  it('safelists GET, HEAD and POST only', () => {
    expect(['GET', 'head', 'post'].every(isCorsSafelistedMethod)).toBe(true);
    expect(['PUT', 'DELETE', 'PATCH', 'OPTIONS'].some(isCorsSafelistedMethod)).toBe(false);
  });
});

describe('CORS-safelisted request headers', () => {
  it('a value of exactly 128 bytes is safelisted, 129 bytes is not', () => {
    expect(isCorsSafelistedRequestHeader('Accept', 'a'.repeat(128))).toBe(true);
    expect(isCorsSafelistedRequestHeader('Accept', 'a'.repeat(129))).toBe(false);
  });
  it('counts bytes, not characters (é is two bytes in UTF-8)', () => {
    expect(isCorsSafelistedRequestHeader('Accept', 'é'.repeat(64))).toBe(true);
    expect(isCorsSafelistedRequestHeader('Accept', 'é'.repeat(65))).toBe(false);
  });
  it('rejects every CORS-unsafe byte in Accept', () => {
    const unsafe = [...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => c !== 0x09), 0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f];
    for (const c of unsafe) expect(isCorsSafelistedRequestHeader('Accept', `text/html${String.fromCharCode(c)}`), `byte 0x${c.toString(16)}`).toBe(false);
    expect(isCorsSafelistedRequestHeader('Accept', 'text/html,\t*/*;q=0.8')).toBe(true);
  });
  it('allows only 0-9 A-Z a-z space * , - . ; = in Accept-Language and Content-Language', () => {
    expect(isCorsSafelistedRequestHeader('Accept-Language', 'en-US,en;q=0.9')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Language', 'de-DE, *')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Accept-Language', 'en_US')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Content-Language', 'en/US')).toBe(false);
  });
  it('Content-Type: three essences, parameters allowed, parsed as a MIME type', () => {
    expect(isCorsSafelistedRequestHeader('Content-Type', 'text/plain')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'text/plain;charset=UTF-8')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'TEXT/PLAIN; charset=utf-8')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'application/x-www-form-urlencoded')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'multipart/form-data; boundary=abc')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Content-Type', 'application/json')).toBe(false);
  });
  it('Content-Type with a quoted boundary is not safelisted (the quote is an unsafe byte)', () => {
    expect(isCorsSafelistedRequestHeader('Content-Type', 'multipart/form-data; boundary="x"')).toBe(false);
  });
  it('two Content-Type values joined into one do not parse, so they need a preflight', () => {
    expect(corsUnsafeRequestHeaderNames([['Content-Type', 'text/plain'], ['Content-Type', 'text/plain']])).toEqual(['content-type']);
  });
  it('Range: one `bytes=N-` or `bytes=N-M` range with N <= M', () => {
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=0-')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=0-499')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=500-499')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=-500')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes=0-1,5-6')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Range', 'bytes= 0-1')).toBe(false);
  });
  it('Chromium safelists a few client hints that the standard and Firefox preflight', () => {
    expect(isCorsSafelistedRequestHeader('DPR', '2.0', 'chromium')).toBe(true);
    expect(isCorsSafelistedRequestHeader('Save-Data', 'on', 'chromium')).toBe(true);
    expect(isCorsSafelistedRequestHeader('DPR', '2.0', 'firefox')).toBe(false);
  });
  it('any other header is not safelisted', () => {
    expect(isCorsSafelistedRequestHeader('X-Requested-With', 'XMLHttpRequest')).toBe(false);
    expect(isCorsSafelistedRequestHeader('Authorization', 'Bearer x')).toBe(false);
  });
});

describe('forbidden request headers never count', () => {
  it('ignores the forbidden names, Proxy-* and Sec-*', () => {
    for (const name of ['Host', 'Origin', 'Referer', 'Cookie', 'Connection', 'Accept-Encoding', 'Content-Length', 'Proxy-Authorization', 'Sec-Fetch-Mode', 'sec-ch-ua']) {
      expect(isForbiddenRequestHeader(name, 'x'), name).toBe(true);
    }
  });
  it('User-Agent is forbidden in Chromium but needs a preflight in Firefox', () => {
    expect(isForbiddenRequestHeader('User-Agent', 'x', 'chromium')).toBe(true);
    expect(isForbiddenRequestHeader('User-Agent', 'x', 'firefox')).toBe(false);
    expect(corsUnsafeRequestHeaderNames([['User-Agent', 'bot']], 'firefox')).toEqual(['user-agent']);
    expect(corsUnsafeRequestHeaderNames([['User-Agent', 'bot']], 'chromium')).toEqual([]);
  });
  it('X-HTTP-Method-Override is forbidden only when it names a forbidden method', () => {
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'GET, TRACE')).toBe(true);
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'PUT')).toBe(false);
  });
});

describe('the CORS-unsafe request-header names', () => {
  it('are lower-cased, de-duplicated and sorted', () => {
    expect(corsUnsafeRequestHeaderNames([['X-Zeta', '1'], ['Authorization', 'a'], ['x-zeta', '2'], ['Accept', '*/*']])).toEqual(['authorization', 'x-zeta']);
  });
  it('include every safelisted name once the safelisted values exceed 1024 bytes in total', () => {
    const under = [['Accept', 'a'.repeat(128)], ['Accept-Language', 'b'.repeat(128)], ['Content-Language', 'c'.repeat(128)]] as const;
    expect(corsUnsafeRequestHeaderNames(under)).toEqual([]);
    const many: [string, string][] = Array.from({ length: 9 }, (_, i) => [`Accept`, 'a'.repeat(120 + i)]);
    // nine Accept lines join into one value over 128 bytes → unsafe by length alone
    expect(corsUnsafeRequestHeaderNames(many)).toEqual(['accept']);
    const big: [string, string][] = [
      ['Accept', 'a'.repeat(128)],
      ['Accept-Language', 'b'.repeat(128)],
      ['Content-Language', 'c'.repeat(128)],
      ['Content-Type', `text/plain;a=${'d'.repeat(115)}`],
      ['DPR', '1'.repeat(128)],
      ['Width', '2'.repeat(128)],
      ['Viewport-Width', '3'.repeat(128)],
      ['Device-Memory', '4'.repeat(128)],
      ['Downlink', '5'.repeat(1)],
    ];
    expect(corsUnsafeRequestHeaderNames(big, 'chromium')).toEqual(
      ['accept', 'accept-language', 'content-language', 'content-type', 'device-memory', 'downlink', 'dpr', 'viewport-width', 'width'],
    );
    expect(corsUnsafeRequestHeaderNames(big.slice(0, 8), 'chromium')).toEqual([]);
  });
  it('ignore HTTP/2 pseudo-headers in a capture', () => {
    expect(corsUnsafeRequestHeaderNames([[':authority', 'api.test'], [':method', 'GET']])).toEqual([]);
  });
});

describe('whether a preflight is required', () => {
  it('a simple GET needs none', () => {
    expect(decidePreflight({ method: 'GET', headers: [['Accept', '*/*']] })).toMatchObject({ required: false });
  });
  it('a non-safelisted method needs one, and `patch` is asked for as written', () => {
    expect(decidePreflight({ method: 'patch', headers: [] })).toMatchObject({ required: true, method: 'patch' });
  });
  it('a JSON body needs one for content-type', () => {
    expect(decidePreflight({ method: 'POST', headers: [['Content-Type', 'application/json']] })).toMatchObject({
      required: true,
      unsafeHeaders: ['content-type'],
    });
  });
  it('a captured preflight is the browser’s own decision: its ACRM/ACRH win over recomputing', () => {
    const d = decidePreflight({
      method: 'GET',
      headers: [['Cache-Control', 'no-cache']],
      preflightRequestHeaders: [['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'x-a,x-b']],
    });
    expect(d).toMatchObject({ required: true, method: 'GET', unsafeHeaders: ['x-a', 'x-b'] });
  });
});

describe('headers a capture shows but the page did not set', () => {
  it('Firefox’s own User-Agent and Priority on a simple GET do not make it preflighted', () => {
    const firefoxGet: [string, string][] = [['Host', 'api.test'], ['User-Agent', 'Mozilla/5.0 (X11; rv:153.0) Gecko/20100101 Firefox/153.0'], ['Accept', '*/*'], ['Priority', 'u=4']];
    expect(decidePreflight({ method: 'GET', headers: firefoxGet, rules: 'firefox', fromCapture: true }).required).toBe(false);
    expect(decidePreflight({ method: 'GET', headers: firefoxGet, rules: 'firefox' }).required).toBe(true);
  });
});
