/** The Allow-Origin / Allow-Credentials checks on the actual response (cors-checks.md A0-A11, §3.2, §3.3). */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { EngineResult } from '../../src/model/exchange.js';
import { ACAO_PAGE, buildExchange, PAGE, type ExchangeSpec } from './build.js';

function judge(headers: Record<string, string> | [string, string][], extra: ExchangeSpec = {}): EngineResult {
  return evaluateExchange(buildExchange({ credentials: 'same-origin', response: { headers }, outcome: 'unrecorded', ...extra }));
}
const named = (r: EngineResult) => [r.verdict, r.failure?.chromeCorsError, r.failure?.failedParameter];

describe('Access-Control-Allow-Origin on the response', () => {
  it('the exact origin is allowed', () => {
    expect(judge(ACAO_PAGE).verdict).toBe('allowed');
  });
  it('`*` is allowed for a request without credentials', () => {
    expect(judge({ 'Access-Control-Allow-Origin': '*' }).verdict).toBe('allowed');
  });
  it('a credentialed request is blocked by `*` in Allow-Origin', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }, { credentials: 'include' }))).toEqual([
      'blocked', 'WildcardOriginNotAllowed', '']);
  });
  it('a missing header blocks the request', () => {
    expect(named(judge({}))).toEqual(['blocked', 'MissingAllowOriginHeader', '']);
  });
  it('an empty value is present but invalid', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': '' }))).toEqual(['blocked', 'InvalidAllowOriginValue', '']);
  });
  it('two origins in one line are "multiple values" in Chromium', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': `${PAGE}, http://b.test` }))).toEqual(['blocked', 'MultipleAllowOriginValues', `${PAGE}, http://b.test`]);
    expect(named(judge({ 'Access-Control-Allow-Origin': `${PAGE} http://b.test` }))[1]).toBe('MultipleAllowOriginValues');
  });
  it('two identical lines join into "a, a", which is multiple values', () => {
    expect(named(judge([['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Origin', PAGE]]))).toEqual([
      'blocked', 'MultipleAllowOriginValues', `${PAGE}, ${PAGE}`]);
  });
  it('the literal `null` does not match a real origin', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': 'null' }))).toEqual(['blocked', 'AllowOriginMismatch', 'null']);
  });
  it('a value without a scheme is invalid; `*.x.com` too', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': 'app.test' }))).toEqual(['blocked', 'InvalidAllowOriginValue', 'app.test']);
    expect(named(judge({ 'Access-Control-Allow-Origin': '*.app.test' }))).toEqual(['blocked', 'InvalidAllowOriginValue', '*.app.test']);
  });
  it('`https://*.x.com` parses as a URL, so it is a mismatch, not invalid', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': 'http://*.app.test' }))).toEqual(['blocked', 'AllowOriginMismatch', 'http://*.app.test']);
  });
  it('compares as a string: trailing slash, case and an explicit default port all mismatch', () => {
    expect(named(judge({ 'Access-Control-Allow-Origin': `${PAGE}/` }))).toEqual(['blocked', 'AllowOriginMismatch', `${PAGE}/`]);
    expect(named(judge({ 'Access-Control-Allow-Origin': 'http://APP.test' }))).toEqual(['blocked', 'AllowOriginMismatch', 'http://APP.test']);
    expect(named(judge({ 'Access-Control-Allow-Origin': 'http://app.test:80' }))).toEqual(['blocked', 'AllowOriginMismatch', 'http://app.test:80']);
  });
  it('surrounding whitespace is trimmed, so it matches', () => {
    expect(judge({ 'Access-Control-Allow-Origin': `  ${PAGE}\t` }).verdict).toBe('allowed');
  });
  it('a 4xx/5xx with correct CORS headers passes CORS (the status is the page’s business)', () => {
    expect(judge(ACAO_PAGE, { response: { status: 500, headers: ACAO_PAGE } }).verdict).toBe('allowed');
  });
  it('a 4xx/5xx without CORS headers is blocked, and the status is named as the real problem', () => {
    const r = judge({}, { response: { status: 502, headers: {} } });
    expect(named(r)).toEqual(['blocked', 'MissingAllowOriginHeader', '']);
    expect(r.notReallyCors?.kind).toBe('error-status');
    expect(r.notReallyCors?.message).toContain('502');
  });
});

describe('Access-Control-Allow-Credentials', () => {
  const cred = { credentials: 'include' as const };
  it('a credentialed request needs exactly `true`', () => {
    expect(judge({ ...ACAO_PAGE, 'Access-Control-Allow-Credentials': 'true' }, cred).verdict).toBe('allowed');
  });
  it('`True` is not `true`', () => {
    expect(named(judge({ ...ACAO_PAGE, 'Access-Control-Allow-Credentials': 'True' }, cred))).toEqual(['blocked', 'InvalidAllowCredentials', 'True']);
  });
  it('absent reports an empty failedParameter', () => {
    expect(named(judge(ACAO_PAGE, cred))).toEqual(['blocked', 'InvalidAllowCredentials', '']);
  });
  it('is not consulted without credentials', () => {
    expect(judge({ ...ACAO_PAGE, 'Access-Control-Allow-Credentials': 'nope' }).verdict).toBe('allowed');
  });
  it('`*` with credentials fails on the wildcard before Allow-Credentials is read', () => {
    const r = judge({ 'Access-Control-Allow-Origin': '*' }, cred);
    expect(r.failure?.checkId).toBe('allowOriginNotWildcardWithCredentials');
    expect(r.checks.find((c) => c.id === 'allowCredentialsTrue')?.status).toBe('not-reached');
  });
});

describe('Firefox rules', () => {
  const ff = { rules: 'firefox' as const };
  it('counts raw Allow-Origin lines: two lines are CORSMultipleAllowOriginNotAllowed even when identical', () => {
    const r = judge([['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Origin', PAGE]], ff);
    expect(r.failure?.firefoxReason?.id).toBe('CORSMultipleAllowOriginNotAllowed');
    expect(r.failure?.chromeCorsError).toBe('MultipleAllowOriginValues');
  });
  it('a single line `a, b` is simply not matching in Firefox, multiple values in Chromium', () => {
    const r = judge({ 'Access-Control-Allow-Origin': `${PAGE}, http://b.test` }, ff);
    expect(r.failure?.firefoxReason?.id).toBe('CORSAllowOriginNotMatchingOrigin');
    expect(r.failure?.firefoxReason?.text).toBe(`CORS header ‘Access-Control-Allow-Origin’ does not match ‘${PAGE}, http://b.test’`);
    expect(r.failure?.chromeCorsError).toBe('MultipleAllowOriginValues');
  });
  it('checks a missing header before anything else and reports the status', () => {
    const r = judge({}, { ...ff, response: { status: 404, headers: {} } });
    expect(r.failure?.firefoxReason?.consoleMessage).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://api.test/data. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.',
    );
  });
  it('runs the checks in its own order (lines counted first)', () => {
    const r = judge([], ff);
    expect(r.checks.filter((c) => c.phase === 'response').map((c) => c.id)).toEqual([
      'responseReceived', 'allowOriginSingleValue', 'allowOriginPresent', 'allowOriginNotWildcardWithCredentials', 'allowOriginMatches', 'allowCredentialsTrue',
    ]);
  });
});

describe('when CORS does not apply', () => {
  it('a same-origin request is not a CORS request, whatever its headers', () => {
    expect(evaluateExchange(buildExchange({ url: `${PAGE}/api`, method: 'DELETE', response: { headers: {} } })).verdict).toBe('not-cors');
  });
  it('a navigation is not a CORS request', () => {
    expect(evaluateExchange(buildExchange({ kind: 'document', response: { headers: {} } })).verdict).toBe('not-cors');
  });
  it('a no-cors request is not a CORS request', () => {
    expect(evaluateExchange(buildExchange({ mode: 'no-cors', response: { headers: {} } })).verdict).toBe('not-cors');
  });
  it('mode same-origin to another origin is DisallowedByMode', () => {
    const r = evaluateExchange(buildExchange({ mode: 'same-origin', response: null }));
    expect(named(r)).toEqual(['blocked', 'DisallowedByMode', '']);
  });
  it('a file: URL from a page cannot be fetched with CORS (CorsDisabledScheme)', () => {
    const r = evaluateExchange(buildExchange({ url: 'file:///etc/hosts', response: null, credentials: 'omit' }));
    expect(named(r)).toEqual(['blocked', 'CorsDisabledScheme', '']);
    expect(r.failure?.consoleMessage).toContain('Cross origin requests are only supported for protocol schemes: http, data, isolated-app, chrome-extension, chrome, https, chrome-untrusted.');
  });
});

describe('URLs that never involve CORS', () => {
  it('a data: URL is not a CORS request', () => {
    expect(evaluateExchange(buildExchange({ url: 'data:,', response: { headers: {} } })).verdict).toBe('not-cors');
  });
});
