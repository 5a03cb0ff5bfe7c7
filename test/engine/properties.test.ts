/** Properties that must hold for any input: no throw, first failure wins, determinism, honest unknowns. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { CapturedExchange, EngineResult } from '../../src/model/exchange.js';

const NAMES = [
  'Access-Control-Allow-Origin', 'access-control-allow-credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers',
  'Access-Control-Max-Age', 'Location', 'Origin', 'Content-Type', 'Authorization', 'X-Token', 'Cookie', 'Range', 'Accept',
  'Access-Control-Request-Method', 'Access-Control-Request-Headers',
];
const VALUES = ['*', 'null', '', 'true', 'True', 'http://app.test', 'http://app.test/', 'http://api.test', 'a, b', 'GET POST', 'PUT', 'patch', 'x-token', 'bytes=0-1', 'text/plain', 'application/json'];
const URLS = ['http://api.test/x', 'http://app.test/y', 'https://api.test:8443/z?q=1', 'http://u:p@api.test/', 'file:///etc/passwd', 'data:text/plain,hi', 'about:blank'];

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ minLength: 1000, maxLength: 3000 }));
const headerName = fc.oneof(fc.constantFrom(...NAMES), text);
const headerValue = fc.oneof(fc.constantFrom(...VALUES), text);
const headers = fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 });
const url = fc.oneof(fc.constantFrom(...URLS), fc.webUrl(), text);
const status = fc.oneof(fc.constantFrom(0, -1, 200, 204, 301, 302, 304, 307, 401, 403, 404, 500), fc.integer(), fc.double());
const outcome = fc.oneof(
  fc.constant({ kind: 'completed' }),
  fc.record({ kind: fc.constant('failed'), errorText: fc.constantFrom('net::ERR_FAILED', 'net::ERR_CONNECTION_REFUSED', '', 'x') }),
  fc.constant({ kind: 'unrecorded' }),
);
const response = fc.option(fc.record({ status, headers, redirectURL: fc.option(url, { nil: undefined }) }, { requiredKeys: ['status', 'headers'] }), { nil: undefined });
const hop = fc.record(
  {
    request: fc.record({ method: fc.oneof(fc.constantFrom('GET', 'PUT', 'patch', 'POST', 'TRACE', 'OPTIONS'), text), url, headers, provisionalHeaders: fc.boolean() }),
    response,
    outcome,
    preflight: fc.option(
      fc.record({ request: fc.record({ method: fc.constant('OPTIONS'), url, headers }), response, errorText: fc.option(fc.constantFrom('net::ERR_INVALID_REDIRECT', 'x'), { nil: undefined }) }, { requiredKeys: ['request'] }),
      { nil: undefined },
    ),
    preflightPresence: fc.constantFrom('captured', 'none-seen', 'not-captured'),
  },
  { requiredKeys: ['request', 'outcome', 'preflightPresence'] },
);
const exchange = fc.record(
  {
    id: fc.string(),
    initiatorOrigin: fc.oneof(fc.constantFrom('http://app.test', 'null', 'http://api.test', 'http://app.test/'), text),
    kind: fc.constantFrom('fetch', 'xhr', 'script', 'font', 'image', 'stylesheet', 'media', 'document', 'other', 'bogus'),
    mode: fc.constantFrom('cors', 'no-cors', 'same-origin', 'navigate', 'bogus'),
    credentials: fc.constantFrom('include', 'same-origin', 'omit', 'bogus'),
    hops: fc.array(hop, { minLength: 0, maxLength: 4 }),
    rules: fc.constantFrom('chromium', 'firefox', 'bogus'),
    source: fc.constantFrom('chromium-devtools', 'playwright-har', 'firefox-har-export', 'synthetic'),
  },
  { requiredKeys: ['hops'] },
) as unknown as fc.Arbitrary<CapturedExchange>;

function firstFailureHolds(r: EngineResult): void {
  const i = r.checks.findIndex((c) => c.status === 'fail');
  if (i >= 0) {
    expect(r.checks.slice(i + 1).every((c) => c.status === 'not-reached')).toBe(true);
    expect(r.checks.slice(0, i).some((c) => c.status === 'not-reached')).toBe(false);
  }
  if (r.failure) {
    expect(i).toBeGreaterThanOrEqual(0);
    const first = r.checks[i]!;
    expect([r.failure.checkId, r.failure.phase, r.failure.hop]).toEqual([first.id, first.phase, first.hop]);
  }
  if (r.verdict === 'unknown') expect(r.missing.length).toBeGreaterThan(0);
  // A block with no CORS failure is explained by what stopped it beside CORS (LNA, CORP, ...), or says what is missing.
  if (r.verdict === 'blocked' && !r.failure) expect(r.missing.length > 0 || r.blocker !== undefined).toBe(true);
}

describe('the engine on arbitrary input', () => {
  it('never throws, and the failure is always the first failing check with everything after it not reached', () => {
    fc.assert(
      fc.property(exchange, (ex) => {
        const r = evaluateExchange(ex);
        expect(['allowed', 'blocked', 'not-cors', 'network-error', 'unknown']).toContain(r.verdict);
        firstFailureHolds(r);
      }),
      { numRuns: 400 },
    );
  });
  it('never throws on anything at all', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(() => evaluateExchange(x as CapturedExchange)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
  it('is deterministic', () => {
    fc.assert(
      fc.property(exchange, (ex) => {
        expect(evaluateExchange(ex)).toEqual(evaluateExchange(structuredClone(ex)));
      }),
      { numRuns: 150 },
    );
  });
  it('never calls a request blocked when every hop completed', () => {
    fc.assert(
      // Every hop made completed by construction (filtering arbitrary exchanges for it threw most of them away).
      fc.property(
        exchange.filter((ex) => Array.isArray(ex.hops) && ex.hops.length > 0 && ex.hops.every((h) => typeof h === 'object' && h !== null)).map((ex) => ({
          ...ex,
          hops: ex.hops.map((h) => ({ ...h, outcome: { kind: 'completed' as const } })),
        })),
        (ex) => {
          expect(evaluateExchange(ex).verdict).not.toBe('blocked');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('origin serialization shortcut', () => {
  it('always agrees with the URL parser', async () => {
    const { serializeOrigin } = await import('../../src/engine/index.js');
    const host = fc.oneof(fc.domain(), fc.constantFrom('localhost', 'a-b.test', 'x.123', '127.0.0.1', 'xn--nxasmq6b.test', 'EXAMPLE.com', 'a..b', '-a.test'));
    const u = fc.tuple(fc.constantFrom('http', 'https', 'HTTP'), host, fc.option(fc.oneof(fc.integer({ min: 0, max: 70000 }).map(String), fc.constantFrom('080', '00443', '')), { nil: undefined }), fc.constantFrom('', '/', '/p?q#f', '?x', '#y', '@evil.test/'))
      .map(([s, h, p, rest]) => `${s}://${h}${p === undefined ? '' : `:${p}`}${rest}`);
    fc.assert(
      fc.property(fc.oneof(u, fc.webUrl()), (url) => {
        let expected: string | undefined;
        try {
          expected = new URL(url).origin;
        } catch {
          expected = undefined;
        }
        expect(serializeOrigin(url)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
