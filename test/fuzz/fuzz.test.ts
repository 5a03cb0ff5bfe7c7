/**
 * The short fuzz run of `npm test`: a few thousand arbitrary exchanges, HAR documents and entry batches through the
 * engine, `explainHar` and the exchange store. The long run is `npm run fuzz` (scripts/fuzz.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyExchange, harDocument, harEntries } from './arbitraries.js';
import { engineProperty, explainHarProperty, loadEngine, storeBatchingProperty, unsupportedFailure } from './properties.js';
import type { CorsFailure } from '../../src/model/exchange.js';

const evaluate = await loadEngine();
if (evaluate === undefined) console.warn('[fuzz] src/explain/evaluateExchange.ts is absent: engine properties skipped.');
/** Fixed by default so `npm test` is reproducible; `FUZZ_SEED=n npm test` explores, `npm run fuzz` goes long. */
const seed = Number(process.env.FUZZ_SEED ?? 20261123);

/** The store's own wiring (engine + warnings + WarningContext) is what runs: no dependency is replaced. */
const deps = {};

describe('fuzz (short run)', () => {
  it.skipIf(evaluate === undefined)('the engine: no throw, deterministic, honest about incomplete data, untouched by warnings', () => {
    fc.assert(fc.property(anyExchange, engineProperty(evaluate!)), { numRuns: 2000, seed });
  });

  it('explainHar on arbitrary HAR documents: a report or a clear HarFormatError, deterministic, totals add up', () => {
    fc.assert(fc.property(harDocument, explainHarProperty(undefined, deps)), { numRuns: 500, seed });
  });

  it('the exchange store: the same verdicts whether arbitrary entries (with or without start times, in any order) come one by one or all at once', () => {
    fc.assert(fc.property(harEntries, storeBatchingProperty(deps)), { numRuns: 500, seed });
  });

  it('the incompleteness rule flags a response check on a hop without a response (so the property can fail)', () => {
    const failure = { checkId: 'allowOriginPresent', phase: 'response', hop: 0 } as CorsFailure;
    const noResponse = {
      id: '1',
      kind: 'fetch',
      hops: [{ request: { method: 'GET', url: 'https://a.test/', headers: [] }, outcome: { kind: 'failed', errorText: 'net::ERR_FAILED' }, preflightPresence: 'not-captured' }],
      rules: 'chromium',
      source: 'playwright-har',
    } as const;
    expect(unsupportedFailure(structuredClone(noResponse) as never, failure)).toMatch(/no captured response/);
    const withResponse = structuredClone(noResponse) as any;
    withResponse.hops[0].response = { status: 200, headers: [] };
    expect(unsupportedFailure(withResponse, failure)).toBeUndefined();
  });
});
