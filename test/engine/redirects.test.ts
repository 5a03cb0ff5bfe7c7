/** Redirects of the actual request (cors-checks.md R1, R3, R4, R6, R7). */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { EngineResult } from '../../src/model/exchange.js';
import { ACAO_PAGE, API, buildExchange, PAGE, type HopSpec } from './build.js';

const THIRD = 'http://third.test/final';
const named = (r: EngineResult) => [r.verdict, r.failure?.chromeCorsError, r.failure?.failedParameter];
const redirectTo = (location: string, headers: Record<string, string> = ACAO_PAGE): HopSpec['response'] => ({
  status: 302,
  headers: { ...headers, Location: location },
  redirectURL: location,
});

describe('a redirect of a cross-origin request', () => {
  it('the 3xx itself must carry Allow-Origin (checked before following it)', () => {
    const r = evaluateExchange(buildExchange({ credentials: 'omit', response: redirectTo(THIRD, {}), outcome: 'failed' }));
    expect(named(r)).toEqual(['blocked', 'MissingAllowOriginHeader', '']);
    expect(r.failure?.phase).toBe('redirect');
    expect(r.failure?.consoleMessage).toBe(
      `Access to fetch at '${API}' from origin '${PAGE}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
  });
  it('a cross-origin hop taints the origin: the next server must allow `null`', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', response: redirectTo(THIRD), next: [{ url: THIRD, response: { headers: ACAO_PAGE }, outcome: 'failed' }] }),
    );
    expect(named(r)).toEqual(['blocked', 'AllowOriginMismatch', PAGE]);
    expect(r.checks.find((c) => c.id === 'allowOriginMatches' && c.hop === 1)?.expected).toBe('null');
    expect(r.failure?.consoleMessage).toBe(
      `Access to fetch at '${THIRD}' (redirected from '${API}') from origin '${PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '${PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
    );
  });
  it('after the taint, `*` or `null` on the final hop passes', () => {
    for (const acao of ['*', 'null']) {
      const r = evaluateExchange(
        buildExchange({ credentials: 'omit', response: redirectTo(THIRD), next: [{ url: THIRD, response: { headers: { 'Access-Control-Allow-Origin': acao } } }] }),
      );
      expect(r.verdict, acao).toBe('allowed');
    }
  });
  it('a redirect within the same server does not taint', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', response: redirectTo(`${API}/v2`), next: [{ url: `${API}/v2`, response: { headers: ACAO_PAGE } }] }),
    );
    expect(r.verdict).toBe('allowed');
  });
  it('a Location with user:password@ is refused (RedirectContainsCredentials, no failedParameter)', () => {
    const r = evaluateExchange(buildExchange({ credentials: 'omit', response: redirectTo('http://u:p@third.test/x'), outcome: 'failed' }));
    expect(named(r)).toEqual(['blocked', 'RedirectContainsCredentials', '']);
    expect(r.failure?.consoleMessage).toContain("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.");
  });
  it('a same-origin request redirected to another origin becomes a CORS request from that hop', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', url: `${PAGE}/go`, response: redirectTo(THIRD, {}), next: [{ url: THIRD, response: { headers: {} }, outcome: 'failed' }] }),
    );
    expect(named(r)).toEqual(['blocked', 'MissingAllowOriginHeader', '']);
    expect(r.failure?.hop).toBe(1);
    expect(r.notReallyCors?.kind).toBe('unexpected-redirect');
  });
  it('a redirected request that still needs a preflight gets a new one at the new URL', () => {
    const r = evaluateExchange(
      buildExchange({
        credentials: 'omit',
        method: 'PUT',
        preflight: { headers: { ...ACAO_PAGE, 'Access-Control-Allow-Methods': 'PUT' } },
        response: { status: 307, headers: { ...ACAO_PAGE, Location: THIRD }, redirectURL: THIRD },
        next: [{ url: THIRD, method: 'PUT', provisional: true, response: null, preflight: { status: 204, headers: { 'Access-Control-Allow-Origin': 'null' } } }],
      }),
    );
    expect(named(r)).toEqual(['blocked', 'MethodDisallowedByPreflightResponse', 'PUT']);
    expect(r.failure?.hop).toBe(1);
  });
  it('more than 20 redirects is a network error', () => {
    const hops: HopSpec[] = Array.from({ length: 21 }, (_, i) => ({ url: `${API}?n=${i + 1}`, response: redirectTo(`${API}?n=${i + 2}`) }));
    hops[20]!.outcome = { kind: 'failed', errorText: 'net::ERR_TOO_MANY_REDIRECTS' };
    const r = evaluateExchange(buildExchange({ credentials: 'omit', response: redirectTo(`${API}?n=1`), next: hops }));
    expect(r.verdict).toBe('network-error');
    expect(r.checks.find((c) => c.status === 'fail')?.id).toBe('redirectCountWithinLimit');
  });
});
