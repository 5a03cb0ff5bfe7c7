import { readFileSync } from 'node:fs';
import type { CapturedExchange, EngineResult } from '../../src/model/exchange.js';

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

/** A credentialed GET the server answered by copying the request's Origin into Allow-Origin. */
export function credentialedEchoEntry(origin: string, at: number) {
  return {
    _resourceType: 'fetch',
    _initiator: { type: 'script' },
    startedDateTime: new Date(Date.parse('2026-11-20T10:00:00.000Z') + at).toISOString(),
    time: 5,
    request: {
      method: 'GET',
      url: `http://api.test/account?n=${at}`,
      headers: [
        { name: 'Host', value: 'api.test' },
        { name: 'Origin', value: origin },
        { name: 'Cookie', value: 'sid=1' },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
      ],
    },
    response: {
      status: 200,
      headers: [
        { name: 'Access-Control-Allow-Origin', value: origin },
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
        { name: 'Vary', value: 'Origin' },
      ],
    },
  };
}
