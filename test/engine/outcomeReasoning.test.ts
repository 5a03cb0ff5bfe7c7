/** Reasoning from what the browser did when the capture lacks the credentials mode, the mode or the preflight. */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import { ACAO_PAGE, buildExchange } from './build.js';

describe('credentials mode not recorded', () => {
  it('`*` and a blocked request: credentials must have been included, and the assumption is stated', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: { 'Access-Control-Allow-Origin': '*' } }, outcome: 'failed' }));
    expect(r.verdict).toBe('blocked');
    expect(r.failure?.chromeCorsError).toBe('WildcardOriginNotAllowed');
    expect(r.assumptions).toContainEqual(expect.objectContaining({ about: 'credentials', value: 'include' }));
  });
  it('`*` and a completed request: no credentials', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: { 'Access-Control-Allow-Origin': '*' } } }));
    expect(r.verdict).toBe('allowed');
  });
  it('exact origin, no Allow-Credentials, blocked: credentials were included and Allow-Credentials is the cause', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: ACAO_PAGE }, outcome: 'failed' }));
    expect([r.verdict, r.failure?.chromeCorsError, r.failure?.failedParameter]).toEqual(['blocked', 'InvalidAllowCredentials', '']);
  });
  it('a Cookie header sent cross-origin proves credentials', () => {
    const r = evaluateExchange(buildExchange({ headers: { Cookie: 'a=b' }, response: { headers: { 'Access-Control-Allow-Origin': '*' } }, outcome: 'unrecorded' }));
    expect(r.failure?.chromeCorsError).toBe('WildcardOriginNotAllowed');
    expect(r.assumptions.find((a) => a.about === 'credentials')?.because).toMatch(/Cookie/);
  });
  it('when several causes fit, the others are listed as alternatives, never picked silently', () => {
    const r = evaluateExchange(
      buildExchange({ method: 'PUT', provisional: true, response: null, preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': '*' } } }),
    );
    expect(r.verdict).toBe('blocked');
    expect(r.failure?.chromeCorsError).toBe('MethodDisallowedByPreflightResponse');
    expect(r.alternatives?.map((a) => a.chromeCorsError)).toContain('PreflightWildcardOriginNotAllowed');
    expect(r.assumptions.find((a) => a.about === 'credentials')?.value).toBe('not included');
  });
});

describe('checks and outcome disagree', () => {
  it('every check passes but the browser failed it: not a CORS failure we can see, never a made-up check', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: { 'Access-Control-Allow-Origin': '*' } }, outcome: { kind: 'failed', errorText: 'net::ERR_FAILED' }, credentials: 'omit' }));
    expect(r.verdict).toBe('unknown');
    expect(r.failure).toBeUndefined();
    expect(r.missing.join(' ')).toMatch(/every check/);
  });
  it('a specific network error with passing checks is a network error', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: ACAO_PAGE }, outcome: { kind: 'failed', errorText: 'net::ERR_CONNECTION_RESET' }, credentials: 'omit' }));
    expect(r.verdict).toBe('network-error');
    expect(r.blocker).toMatchObject({ family: 'network', kind: 'connection-reset', netError: 'net::ERR_CONNECTION_RESET' });
    expect(r.failure).toBeUndefined();
  });
  it('a request an extension blocked is blocked by that extension, not by a CORS check', () => {
    const r = evaluateExchange(buildExchange({ response: null, outcome: { kind: 'failed', errorText: 'net::ERR_BLOCKED_BY_CLIENT' } }));
    expect(r.verdict).toBe('blocked');
    expect(r.blocker).toMatchObject({ family: 'extension', netError: 'net::ERR_BLOCKED_BY_CLIENT' });
    expect(r.failure).toBeUndefined();
    expect(r.assumptions).toEqual([]);
  });
  it('failing checks on a completed fetch: most likely no-cors, said as an assumption', () => {
    const r = evaluateExchange(buildExchange({ response: { headers: {} }, outcome: 'completed' }));
    expect(r.verdict).toBe('not-cors');
    expect(r.assumptions).toContainEqual(expect.objectContaining({ about: 'mode', value: 'no-cors' }));
  });
  it('failing checks on a completed XHR: the capture is inconsistent, verdict unknown', () => {
    const r = evaluateExchange(buildExchange({ kind: 'xhr', response: { headers: {} }, outcome: 'completed' }));
    expect(r.verdict).toBe('unknown');
    expect(r.missing.length).toBeGreaterThan(0);
  });
});

describe('what the capture lacks', () => {
  it('no response and no error detail: unknown, with what is missing', () => {
    const r = evaluateExchange(buildExchange({ credentials: 'omit', response: null, outcome: 'failed' }));
    expect(r.verdict).toBe('unknown');
    expect(r.missing.length).toBeGreaterThan(0);
  });
  it('an unknown initiator origin cannot be compared with a specific Allow-Origin', () => {
    const r = evaluateExchange(buildExchange({ origin: undefined, credentials: 'omit', response: { headers: { 'Access-Control-Allow-Origin': 'http://x.test' } }, outcome: 'failed' }));
    expect(r.verdict).toBe('unknown');
    expect(r.checks.find((c) => c.id === 'allowOriginMatches')?.status).toBe('unknown');
  });
  it('the initiator origin is read from the Origin header when the capture names none', () => {
    const r = evaluateExchange(buildExchange({ origin: undefined, credentials: 'omit', headers: { Origin: 'http://app.test' }, response: { headers: { 'Access-Control-Allow-Origin': 'http://x.test' } }, outcome: 'failed' }));
    expect(r.failure?.chromeCorsError).toBe('AllowOriginMismatch');
    expect(r.assumptions).toContainEqual(expect.objectContaining({ about: 'initiator-origin', value: 'http://app.test' }));
  });
  it('…or from the preflight when the actual request only has provisional headers', () => {
    const r = evaluateExchange(
      buildExchange({ origin: undefined, credentials: 'omit', method: 'PUT', provisional: true, response: null, preflight: { status: 500, headers: {}, requestHeaders: { 'Access-Control-Request-Method': 'PUT', Origin: 'http://app.test' } } }),
    );
    expect(r.failure?.consoleMessage).toContain("from origin 'http://app.test'");
  });
  it('a preflighted request with no preflight in the capture: likely served from the cache', () => {
    const r = evaluateExchange(buildExchange({ method: 'PUT', response: { headers: ACAO_PAGE } }));
    expect(r.verdict).toBe('allowed');
    expect(r.preflight.cache?.likelyCached).toBe(true);
    expect(r.checks.find((c) => c.id === 'preflightReceived')?.note).toMatch(/cache/);
  });
  it('a Playwright capture never claims a cache hit', () => {
    const r = evaluateExchange(buildExchange({ method: 'PUT', source: 'playwright-har', presence: 'not-captured', response: { headers: ACAO_PAGE } }));
    expect(r.preflight.cache?.likelyCached).toBe(false);
    expect(r.preflight.cache?.message).toMatch(/does not record preflight/);
  });
  it('a Playwright capture of a blocked request: blocked, cause not recorded', () => {
    const r = evaluateExchange(buildExchange({ method: 'PUT', source: 'playwright-har', presence: 'not-captured', response: { status: -1, headers: {} }, outcome: 'failed' }));
    expect(r.verdict).toBe('blocked');
    expect(r.failure).toBeUndefined();
    expect(r.missing[0]).toMatch(/Playwright/);
  });
  it('bad input gives unknown with the reason, never a crash', () => {
    expect(evaluateExchange(null as never).verdict).toBe('unknown');
    expect(evaluateExchange({ hops: 'x' } as never).missing[0]).toMatch(/no hops/);
    expect(evaluateExchange({ hops: [{ request: { url: 'nope' } }] } as never).missing[0]).toMatch(/URL/);
    const weird = evaluateExchange({ id: 1, kind: 7, rules: 'x', hops: [{ request: { url: 'http://a.test', headers: [[1, 2], null, ['X', 5]] }, response: { status: 'x', headers: 'y' } }] } as never);
    expect(['allowed', 'blocked', 'unknown', 'not-cors', 'network-error']).toContain(weird.verdict);
  });
});
