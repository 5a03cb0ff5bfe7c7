/**
 * The engine answers exchanges CORS plainly does not apply to without the full evaluation (`notCorsWithoutPreparing`
 * in src/engine/evaluate.ts). That shortcut must never change a result: here both paths run on every exchange of every
 * captured HAR in test/fixtures and on fuzzed exchanges and HAR entries, and must agree exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExchange, evaluateExchangeWithoutShortcut } from '../../src/explain/evaluateExchange.js';
import type { CapturedExchange, EngineResult } from '../../src/model/exchange.js';
import { explainHar } from '../../src/lib/index.js';
import { anyExchange, harEntries } from '../fuzz/arbitraries.js';

/**
 * Explains a HAR with an engine that runs both paths on each exchange and compares them after (the store turns an
 * engine that throws into an "unknown" verdict, so a failed expectation inside it would go unseen).
 */
function compareOnHar(har: unknown): { exchanges: number; notCors: number } {
  const pairs: { exchange: CapturedExchange; fast: EngineResult; full: EngineResult }[] = [];
  explainHar(har, {}, {
    evaluate: (exchange: CapturedExchange) => {
      const fast = evaluateExchange(exchange);
      pairs.push({ exchange, fast, full: evaluateExchangeWithoutShortcut(exchange) });
      return fast;
    },
  });
  for (const { exchange, fast, full } of pairs) {
    expect(fast, `exchange ${exchange.id} (${exchange.hops[0]?.request.url})`).toStrictEqual(full);
  }
  return { exchanges: pairs.length, notCors: pairs.filter((p) => p.fast.verdict === 'not-cors').length };
}

const fixtureDir = new URL('../fixtures/', import.meta.url);
const fixtureHars = readdirSync(fixtureDir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.har'));

describe('the not-CORS shortcut gives the full evaluation’s result', () => {
  it.each(fixtureHars)('on every exchange of %s', (name) => {
    const har = JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8'));
    const { exchanges } = compareOnHar(har);
    expect(exchanges).toBeGreaterThan(0);
  });

  it('answers the same-origin, navigation and no-cors loads of a real Chromium capture', () => {
    const har = JSON.parse(readFileSync(new URL('chromium/lab-2026-11-23.har', fixtureDir), 'utf8'));
    expect(compareOnHar(har).notCors).toBeGreaterThan(0);
  });

  it('on fuzzed exchanges', () => {
    let shortcut = 0;
    fc.assert(
      fc.property(anyExchange, (exchange) => {
        const fast = evaluateExchange(exchange);
        expect(fast).toStrictEqual(evaluateExchangeWithoutShortcut(exchange));
        if (fast.verdict === 'not-cors') shortcut++;
      }),
      { numRuns: 3000, seed: 20261123 },
    );
    // The generator reaches not-CORS exchanges (where the shortcut may answer) often enough to mean something.
    expect(shortcut).toBeGreaterThan(100);
  });

  it('on exchanges the store makes of fuzzed HAR entries', () => {
    fc.assert(
      fc.property(harEntries, (entries) => {
        compareOnHar({ log: { entries } });
      }),
      { numRuns: 1000, seed: 20261123 },
    );
  });
});
