import { describe, expect, it } from 'vitest';
import {
  countHeaderLines,
  getNormalizedHeader,
  isSameOrigin,
  isValidAllowOriginUrl,
  parseAllowList,
  parseMaxAgeChromium,
  parseMaxAgeFirefox,
  readPreflightCache,
  serializeOrigin,
} from '../../src/engine/index.js';

describe('reading headers as Chromium does', () => {
  it('matches names case-insensitively and trims SP/HT around each value', () => {
    expect(getNormalizedHeader([['access-control-allow-origin', ' \thttp://a.test \t']], 'Access-Control-Allow-Origin')).toBe('http://a.test');
  });
  it('joins several lines of one name with ", "', () => {
    expect(getNormalizedHeader([['ACAO', 'a'], ['X', 'y'], ['acao', 'b']], 'acao')).toBe('a, b');
  });
  it('absent is undefined, an empty value is ""', () => {
    expect(getNormalizedHeader([], 'x')).toBeUndefined();
    expect(getNormalizedHeader([['x', '']], 'x')).toBe('');
  });
  it('counts raw lines (what Firefox uses for several Allow-Origin lines)', () => {
    expect(countHeaderLines([['ACAO', 'a'], ['acao', 'a']], 'Acao')).toBe(2);
  });
});

describe('origins', () => {
  it('serialize as scheme://host[:port] with the default port dropped', () => {
    expect(serializeOrigin('https://Example.COM:443/path?q')).toBe('https://example.com');
    expect(serializeOrigin('http://a.test:8080/')).toBe('http://a.test:8080');
  });
  it('serialize opaque origins as null and non-URLs as undefined', () => {
    expect(serializeOrigin('data:text/plain,hi')).toBe('null');
    expect(serializeOrigin('not a url')).toBeUndefined();
  });
  it('are same-origin only when scheme, host and port all match', () => {
    expect(isSameOrigin('http://a.test/x', 'http://a.test:80/y')).toBe(true);
    expect(isSameOrigin('http://a.test', 'https://a.test')).toBe(false);
    expect(isSameOrigin('http://localhost', 'http://127.0.0.1')).toBe(false);
    expect(isSameOrigin('null', 'null')).toBe(false);
  });
  it('an Allow-Origin value is "valid" when it parses as a URL, even with a wildcard host', () => {
    expect(isValidAllowOriginUrl('https://*.x.com')).toBe(true);
    expect(isValidAllowOriginUrl('*.x.com')).toBe(false);
    expect(isValidAllowOriginUrl('example.com')).toBe(false);
    expect(isValidAllowOriginUrl('')).toBe(false);
  });
});

describe('Allow-Methods / Allow-Headers lists', () => {
  it('split on commas, trim, and skip empty items', () => {
    expect(parseAllowList('GET,, POST ,')).toEqual({ ok: true, items: ['GET', 'POST'] });
    expect(parseAllowList(',')).toEqual({ ok: true, items: [] });
    expect(parseAllowList(undefined)).toEqual({ ok: true, items: [] });
  });
  it('reject the whole header when an item is not a token', () => {
    expect(parseAllowList('GET POST')).toEqual({ ok: false, invalidItem: 'GET POST' });
    expect(parseAllowList('GET;POST')).toEqual({ ok: false, invalidItem: 'GET;POST' });
    expect(parseAllowList('"GET"')).toEqual({ ok: false, invalidItem: '"GET"' });
  });
  it('accept `*` as a token', () => {
    expect(parseAllowList('*')).toEqual({ ok: true, items: ['*'] });
  });
});

describe('Access-Control-Max-Age', () => {
  it('Chromium: 5 s by default, negative is 0, capped at 7200 s, anything unparsable is 5 s', () => {
    expect(parseMaxAgeChromium(undefined)).toBe(5);
    expect(parseMaxAgeChromium('600')).toBe(600);
    expect(parseMaxAgeChromium('-1')).toBe(0);
    expect(parseMaxAgeChromium('86400')).toBe(7200);
    expect(parseMaxAgeChromium('7200')).toBe(7200);
    expect(parseMaxAgeChromium('600.5')).toBe(5);
    expect(parseMaxAgeChromium('10s')).toBe(5);
    expect(parseMaxAgeChromium('600, 600')).toBe(5);
    expect(parseMaxAgeChromium('99999999999999999999')).toBe(5);
  });
  it('Firefox: digits only (else not cached), capped at 86400 s', () => {
    expect(parseMaxAgeFirefox(undefined)).toBe(5);
    expect(parseMaxAgeFirefox('600')).toBe(600);
    expect(parseMaxAgeFirefox('100000')).toBe(86400);
    expect(parseMaxAgeFirefox('-1')).toBe(0);
    expect(parseMaxAgeFirefox('600.5')).toBe(0);
  });
});

describe('a preflight that is needed but not in the capture', () => {
  it('was most likely served from the cache when the actual request went out', () => {
    const r = readPreflightCache({ presence: 'none-seen', actualRequestSent: true, rules: 'chromium' });
    expect(r.likelyCached).toBe(true);
    expect(r.message).toContain('7200 s');
  });
  it('names the cache lifetime from an earlier preflight’s Max-Age', () => {
    expect(readPreflightCache({ presence: 'none-seen', actualRequestSent: true, rules: 'chromium', earlierMaxAge: '86400' }).maxAgeSeconds).toBe(7200);
  });
  it('is never claimed as cached when the capture cannot record preflights (Playwright)', () => {
    const r = readPreflightCache({ presence: 'not-captured', actualRequestSent: true, rules: 'chromium' });
    expect(r.likelyCached).toBe(false);
    expect(r.message).toMatch(/does not record preflight/);
  });
});

describe('the preflight cache with an earlier preflight in the capture', () => {
  it('an earlier Max-Age of 600 s means the answer may be reused for 600 s', async () => {
    const { evaluateExchange } = await import('../../src/explain/evaluateExchange.js');
    const { buildExchange, ACAO_PAGE } = await import('./build.js');
    const ex = buildExchange({ method: 'PUT', response: { headers: ACAO_PAGE } });
    ex.hops[0]!.earlierPreflightMaxAge = '600';
    const cache = evaluateExchange(ex).preflight.cache;
    expect(cache).toMatchObject({ likelyCached: true, maxAgeSeconds: 600 });
    expect(cache?.message).toContain('600 s');
  });
  it('an earlier preflight without Max-Age is kept 5 s', () => {
    expect(readPreflightCache({ presence: 'none-seen', actualRequestSent: true, rules: 'chromium', earlierSeen: true }).maxAgeSeconds).toBe(5);
  });
  it('Max-Age 0 (or negative in Chromium) cannot have served it: the capture missed a preflight', () => {
    const r = readPreflightCache({ presence: 'none-seen', actualRequestSent: true, rules: 'chromium', earlierMaxAge: '-5' });
    expect(r.likelyCached).toBe(false);
    expect(r.maxAgeSeconds).toBe(0);
  });
});
