import { readFileSync } from 'node:fs';
import type { CapturedExchange, EngineResult } from '../../src/cors/model.js';

export function loadHandFixture(name: string): { log: { entries: unknown[] } } {
  return JSON.parse(readFileSync(new URL(`../fixtures/hand/${name}`, import.meta.url), 'utf8'));
}

/** An engine stand-in that records what the store hands it (pairing tests assert on the captured exchanges). */
export function recordingEngine() {
  const seen = new Map<string, CapturedExchange>();
  let calls = 0;
  const evaluate = (exchange: CapturedExchange): EngineResult => {
    calls++;
    seen.set(exchange.id, exchange);
    return {
      verdict: 'unknown',
      checks: [],
      preflight: { required: 'unknown', reasons: [] },
      assumptions: [],
      missing: ['stand-in engine'],
      rules: exchange.rules,
    };
  };
  return {
    evaluate,
    get calls() {
      return calls;
    },
    exchange(id: string): CapturedExchange {
      const exchange = seen.get(id);
      if (!exchange) throw new Error(`no exchange ${id}`);
      return exchange;
    },
    all(): CapturedExchange[] {
      return [...seen.values()];
    },
  };
}
