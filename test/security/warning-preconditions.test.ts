/**
 * The exchange store skips the warning rules on an exchange whose verdict is not `allowed` and whose responses carry no
 * `Access-Control-*` line (src/store/exchangeStore.ts `mayHaveWarnings`), so that most of a capture never has its headers
 * read twice. These properties are what makes that skip safe: on such exchanges the rules find nothing and the
 * cross-exchange index learns nothing, and the normalizer counts those lines the way the rules recognize them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import type { CapturedExchange, EngineResult, Verdict } from '../../src/model/exchange.js';
import { createWarningContext, findWarnings, observeExchange } from '../../src/explain/warnings.js';
import { isCorsHeaderName } from '../../src/capture/normalize.js';
import { anyExchange } from '../fuzz/arbitraries.js';

function responsesHaveCorsLines(exchange: CapturedExchange): boolean {
  return exchange.hops.some((hop) =>
    [hop.response?.headers ?? [], hop.preflight?.response?.headers ?? []].some((lines) =>
      lines.some(([name]) => name.trim().toLowerCase().startsWith('access-control-')),
    ),
  );
}

/** An exchange with every `Access-Control-*` response line removed (so the property has many cases to run on). */
function withoutCorsLines(exchange: CapturedExchange): CapturedExchange {
  const strip = <T extends { headers: readonly (readonly [string, string])[] }>(r: T): T => ({
    ...r,
    headers: r.headers.filter(([name]) => !name.trim().toLowerCase().startsWith('access-control-')),
  });
  return {
    ...exchange,
    hops: exchange.hops.map((hop) => ({
      ...hop,
      ...(hop.response ? { response: strip(hop.response) } : {}),
      ...(hop.preflight?.response ? { preflight: { ...hop.preflight, response: strip(hop.preflight.response) } } : {}),
    })),
  };
}

const notAllowed: Verdict[] = ['blocked', 'not-cors', 'network-error', 'unknown'];

describe('when no warning rule can apply', () => {
  it('an exchange that is not allowed and has no Access-Control-* response line gets no warning and teaches the index nothing', () => {
    let checked = 0;
    fc.assert(
      fc.property(anyExchange, fc.constantFrom(...notAllowed), fc.boolean(), (raw, verdict, strip) => {
        const exchange = strip ? withoutCorsLines(raw) : raw;
        if (responsesHaveCorsLines(exchange)) return;
        const engine = evaluateExchange(exchange);
        const results: EngineResult[] = [engine, { ...engine, verdict }].filter((r) => r.verdict !== 'allowed');
        for (const result of results) {
          checked++;
          const context = createWarningContext();
          // A context that already knows the resource: the index could only change for an exchange that echoes.
          observeExchange(context, exchange);
          expect(findWarnings(exchange, result, context)).toEqual([]);
          expect(observeExchange(context, exchange)).toEqual([]);
          expect(context.echoedOriginsByResource.size).toBe(0);
        }
      }),
      { numRuns: 3000, seed: 20261123 },
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it('the normalizer spots Access-Control-* lines exactly as the warning rules do', () => {
    const names = fc.oneof(
      fc.constantFrom('Access-Control-Allow-Origin', ' access-control-allow-origin', '\tACCESS-CONTROL-X', 'Age', 'Allow', 'access-control', 'Vary', '\u00a0Access-Control-Max-Age', 'Access-Control-\u212a'),
      fc.string({ unit: 'grapheme', maxLength: 24 }),
      fc.string({ maxLength: 24 }),
    );
    fc.assert(
      fc.property(names, (name) => {
        expect(isCorsHeaderName(name)).toBe(name.trim().toLowerCase().startsWith('access-control-'));
      }),
      { numRuns: 5000, seed: 20261123 },
    );
  });
});
