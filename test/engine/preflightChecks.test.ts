/** The preflight checks in Chromium's order (cors-checks.md P1-P16, §3.1). */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { EngineResult } from '../../src/model/exchange.js';
import { ACAO_PAGE, buildExchange, type ExchangeSpec } from './build.js';

/** A PUT blocked by its preflight (Chromium: provisional headers, no response) with this preflight answer. */
function preflight(headers: Record<string, string>, spec: ExchangeSpec = {}, status = 204): EngineResult {
  return evaluateExchange(
    buildExchange({ method: 'PUT', credentials: 'same-origin', provisional: true, response: null, preflight: { status, headers }, ...spec }),
  );
}
const named = (r: EngineResult) => [r.verdict, r.failure?.chromeCorsError, r.failure?.failedParameter];
const ok = { ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'PUT' };

describe('preflight response', () => {
  it('a preflight that passes every check lets the actual request through', () => {
    const r = evaluateExchange(buildExchange({ method: 'PUT', credentials: 'omit', response: { headers: ACAO_PAGE }, preflight: { headers: ok } }));
    expect(r.verdict).toBe('allowed');
    expect(r.checks.filter((c) => c.phase === 'preflight').every((c) => c.status === 'pass')).toBe(true);
  });
  it('a preflight with no answer is a network error, not a CORS error', () => {
    const r = preflight({}, { preflight: { noResponse: true, errorText: 'net::ERR_CONNECTION_REFUSED' } });
    expect(r.verdict).toBe('network-error');
    expect(r.failure).toBeUndefined();
    expect(r.blocker).toMatchObject({ family: 'network', kind: 'connection-refused', values: { failedRequest: 'preflight' } });
  });
  it('a redirected preflight is refused before any header is read', () => {
    const r = preflight({}, { preflight: { status: 302, headers: { Location: 'https://api.test/data' }, errorText: 'net::ERR_INVALID_REDIRECT' } });
    expect(named(r)).toEqual(['blocked', 'PreflightDisallowedRedirect', '']);
    expect(r.checks.find((c) => c.id === 'allowOriginPresent')?.status).toBe('not-reached');
    expect(r.notReallyCors?.kind).toBe('unexpected-redirect');
  });
  it('the Allow-Origin checks run on the preflight with the Preflight* names', () => {
    expect(named(preflight({ 'Access-Control-Allow-Methods': 'PUT' }))).toEqual(['blocked', 'PreflightMissingAllowOriginHeader', '']);
    expect(named(preflight({ 'Access-Control-Allow-Origin': 'http://example.com' }))).toEqual(['blocked', 'PreflightAllowOriginMismatch', 'http://example.com']);
    expect(named(preflight({ 'Access-Control-Allow-Origin': 'a, b' }))).toEqual(['blocked', 'PreflightMultipleAllowOriginValues', 'a, b']);
    expect(named(preflight({ 'Access-Control-Allow-Origin': 'example' }))).toEqual(['blocked', 'PreflightInvalidAllowOriginValue', 'example']);
  });
  it('a credentialed preflight is refused by `*` and needs Allow-Credentials: true', () => {
    expect(named(preflight({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' }, { credentials: 'include' }))).toEqual([
      'blocked', 'PreflightWildcardOriginNotAllowed', '']);
    expect(named(preflight(ok, { credentials: 'include' }))).toEqual(['blocked', 'PreflightInvalidAllowCredentials', '']);
  });
  it('the status is judged only after the origin checks: a 401 without Allow-Origin is a missing-header error', () => {
    const r = preflight({}, {}, 401);
    expect(named(r)).toEqual(['blocked', 'PreflightMissingAllowOriginHeader', '']);
    expect(r.notReallyCors?.kind).toBe('preflight-eaten-by-auth');
  });
  it('a 404 with correct CORS headers fails on its status', () => {
    expect(named(preflight(ok, {}, 404))).toEqual(['blocked', 'PreflightInvalidStatus', '']);
  });
  it('any 2xx is an ok status; 199 and 300 are not', () => {
    expect(preflight(ok, { response: { headers: ACAO_PAGE }, provisional: false }, 299).verdict).toBe('allowed');
    expect(named(preflight(ok, {}, 300))[1]).toBe('PreflightInvalidStatus');
  });
});

describe('Allow-Methods', () => {
  it('`GET POST` (no comma) cannot be parsed', () => {
    expect(named(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'GET PUT' }))).toEqual(['blocked', 'InvalidAllowMethodsPreflightResponse', '']);
  });
  it('`GET;POST` and quoted items cannot be parsed', () => {
    expect(named(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'GET;PUT' }))[1]).toBe('InvalidAllowMethodsPreflightResponse');
    expect(named(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': '"PUT"' }))[1]).toBe('InvalidAllowMethodsPreflightResponse');
  });
  it('empty items are skipped', () => {
    expect(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': ',PUT,,' }, { response: { headers: ACAO_PAGE }, provisional: false }).verdict).toBe('allowed');
  });
  it('is parsed before Allow-Headers, and both before the method check', () => {
    const r = preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'GET POST', 'Access-Control-Allow-Headers': 'a b' });
    expect(r.failure?.checkId).toBe('allowMethodsParses');
  });
  it('a method not listed is refused, named as sent', () => {
    expect(named(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'GET, POST' }, { method: 'DELETE' }))).toEqual([
      'blocked', 'MethodDisallowedByPreflightResponse', 'DELETE']);
  });
  it('methods compare case-sensitively: `patch` is not allowed by `PATCH`', () => {
    const r = preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'PATCH' }, { method: 'patch' });
    expect(named(r)).toEqual(['blocked', 'MethodDisallowedByPreflightResponse', 'patch']);
    expect(r.checks.find((c) => c.id === 'preflightAllowsMethod')?.note).toMatch(/case-sensitively/);
  });
  it('`*` allows any method without credentials, and is a literal name with them', () => {
    expect(preflight({ ...ACAO_PAGE, 'Access-Control-Allow-Methods': '*' }, { response: { headers: ACAO_PAGE }, provisional: false }).verdict).toBe('allowed');
    const cred = { ...ACAO_PAGE, 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Credentials': 'true' };
    expect(named(preflight(cred, { credentials: 'include' }))).toEqual(['blocked', 'MethodDisallowedByPreflightResponse', 'PUT']);
  });
});

describe('Allow-Headers', () => {
  const post = (allowHeaders: string | undefined, headers: Record<string, string> | [string, string][], spec: ExchangeSpec = {}) =>
    preflight({ ...ACAO_PAGE, ...(allowHeaders === undefined ? {} : { 'Access-Control-Allow-Headers': allowHeaders }) }, { method: 'POST', headers, ...spec });
  it('a header not listed is refused, named in lower case', () => {
    expect(named(post('content-type', { 'X-Token': 'abc' }))).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 'x-token']);
  });
  it('names compare case-insensitively', () => {
    expect(post('X-TOKEN', { 'x-token': 'abc' }, { response: { headers: ACAO_PAGE }, provisional: false }).verdict).toBe('allowed');
  });
  it('a JSON Content-Type must be listed', () => {
    expect(named(post(undefined, { 'Content-Type': 'application/json' }))).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 'content-type']);
  });
  it('cannot be parsed when an item is not a token', () => {
    expect(named(post('x-token; y', { 'X-Token': 'a' }))).toEqual(['blocked', 'InvalidAllowHeadersPreflightResponse', '']);
  });
  it('`*` allows any header without credentials, and is literal with them', () => {
    expect(post('*', { 'X-Token': 'a' }, { response: { headers: ACAO_PAGE }, provisional: false }).verdict).toBe('allowed');
    const r = preflight(
      { ...ACAO_PAGE, 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Credentials': 'true' },
      { method: 'POST', headers: { 'X-Token': 'a' }, credentials: 'include' },
    );
    expect(named(r)).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 'x-token']);
  });
  it('Chromium 156 lets `*` cover Authorization without credentials (measured; the Fetch Standard says it should not)', () => {
    const r = post('*', { Authorization: 'Bearer x' }, { response: { headers: ACAO_PAGE }, provisional: false });
    expect(r.verdict).toBe('allowed');
    expect(r.checks.find((c) => c.id === 'preflightAllowsAuthorization')?.note).toMatch(/Chromium 156/);
  });
  it('with credentials, `*` does not cover Authorization', () => {
    const r = preflight(
      { ...ACAO_PAGE, 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Credentials': 'true' },
      { method: 'GET', headers: { Authorization: 'Bearer x' }, credentials: 'include' },
    );
    expect(named(r)).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 'authorization']);
  });
  it('with several headers missing, one is reported and the others are listed as alternatives', () => {
    const r = post('content-type', [['X-Zeta', '1'], ['X-Alpha', '2']]);
    expect(named(r)).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 'x-zeta']);
    expect(r.alternatives?.map((a) => a.failedParameter)).toContain('x-alpha');
  });
  it('forbidden headers never need listing', () => {
    expect(post('', { Cookie: 'a=b', 'Sec-Fetch-Mode': 'cors', 'User-Agent': 'x' }, { response: { headers: ACAO_PAGE }, provisional: false, preflight: { headers: ACAO_PAGE } }).verdict).toBe('allowed');
  });
});

describe('after the first failure', () => {
  it('every later check is not-reached', () => {
    const r = preflight({}, {}, 500);
    const i = r.checks.findIndex((c) => c.status === 'fail');
    expect(r.checks.slice(i + 1).every((c) => c.status === 'not-reached')).toBe(true);
    expect(r.checks.slice(i + 1).map((c) => c.id)).toContain('preflightOkStatus');
  });
});
