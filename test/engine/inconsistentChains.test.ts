/**
 * Hop chains the browser cannot have produced, or that the engine cannot read to the end: never a confident `allowed`.
 * Found by `npm run fuzz -- --target engine` (seed 20261123): a 304 first hop, a hop without a valid URL, and a last hop
 * that failed with net::ERR_FAILED and no response was judged `allowed`.
 */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { CapturedExchange } from '../../src/model/exchange.js';
import { ACAO_PAGE, API, buildExchange } from './build.js';

const THIRD = 'http://third.test/final';

describe('an inconsistent or unreadable hop chain', () => {
  it('the fuzz counterexample: 304, a hop with no URL, a failed last hop without response → not allowed', () => {
    const exchange: CapturedExchange = {
      id: ' ',
      kind: 'fetch',
      hops: [
        {
          request: { method: 'GET', url: 'https://api.example.com/items', headers: [] },
          response: { status: 304, headers: [] },
          outcome: { kind: 'completed' },
          preflightPresence: 'captured',
        },
        { request: { method: 'GET', url: '', headers: [] }, outcome: { kind: 'completed' }, preflightPresence: 'captured' },
        {
          request: { method: '', url: 'https://api.example.com/items', headers: [] },
          outcome: { kind: 'failed', errorText: 'net::ERR_FAILED' },
          preflightPresence: 'captured',
        },
      ],
      rules: 'chromium',
      source: 'chromium-devtools',
    };
    const r = evaluateExchange(exchange);
    expect(r.verdict).toBe('unknown');
    expect(r.missing.join(' ')).toMatch(/hop 1/);
  });

  it('a 304 followed by another hop is not a redirect chain: unknown, whatever the later hop says', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', response: { status: 304, headers: {} }, next: [{ url: `${API}/v2`, response: { headers: ACAO_PAGE } }] }),
    );
    expect(r.verdict).toBe('unknown');
    expect(r.missing.join(' ')).toMatch(/304.*not a redirect/);
  });

  it('a 200 followed by another hop is not a redirect chain either', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', response: { headers: ACAO_PAGE }, next: [{ url: `${API}/v2`, response: { headers: ACAO_PAGE } }] }),
    );
    expect(r.verdict).toBe('unknown');
  });

  it('a 304 followed by a failed hop without response is never allowed', () => {
    const r = evaluateExchange(
      buildExchange({ credentials: 'omit', response: { status: 304, headers: {} }, next: [{ url: `${API}/v2`, response: null, outcome: 'failed' }] }),
    );
    expect(r.verdict).not.toBe('allowed');
    expect(r.missing.length).toBeGreaterThan(0);
  });

  it('a redirect whose next hop cannot be read (no valid URL) is not judged on the redirect alone', () => {
    const ex = buildExchange({
      credentials: 'omit',
      response: { status: 302, headers: { ...ACAO_PAGE, Location: THIRD }, redirectURL: THIRD },
      next: [{ url: THIRD, response: null, outcome: 'failed' }],
    });
    ex.hops[1]!.request.url = 'not a url';
    const r = evaluateExchange(ex);
    expect(r.verdict).toBe('unknown');
    expect(r.missing.join(' ')).toMatch(/hop 1/);
  });

  it('a lone 304 revalidation still passes (the cached headers were checked when stored)', () => {
    const r = evaluateExchange(buildExchange({ credentials: 'omit', response: { status: 304, headers: {} } }));
    expect(r.verdict).toBe('allowed');
  });

  it('a real redirect chain is unaffected', () => {
    const r = evaluateExchange(
      buildExchange({
        credentials: 'omit',
        response: { status: 302, headers: { ...ACAO_PAGE, Location: `${API}/v2` }, redirectURL: `${API}/v2` },
        next: [{ url: `${API}/v2`, response: { headers: ACAO_PAGE } }],
      }),
    );
    expect(r.verdict).toBe('allowed');
  });
});
