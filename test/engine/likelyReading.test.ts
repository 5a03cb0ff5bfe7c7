/**
 * "Allowed, unless sent with credentials": a Firefox capture records neither the credentials mode nor whether CORS let
 * the response through, so a request to an API answering `Access-Control-Allow-Origin: *` cannot be proven allowed.
 * The report keeps `unknown` and says the likely reading with its condition, and never where more than the
 * credentials mode is undecided.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHar, type ExchangeReport } from '../../src/lib/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
const byScenario = (exchanges: readonly ExchangeReport[], id: string) => exchanges.find((e) => e.url.includes(`/s/${id}?`));

describe('the likely reading of a Firefox capture', () => {
  const firefox = explainHar(fixture('firefox/lab.har'));

  it('says "allowed unless sent with credentials" for a plain GET to an Allow-Origin: * API', () => {
    const exchange = byScenario(firefox.exchanges, 'pass-simple-get');
    expect(exchange?.verdict).toBe('unknown');
    expect(exchange?.likely?.verdict).toBe('allowed');
    expect(exchange?.likely?.unless).toBe('credentials');
    expect(exchange?.likely?.otherwise.firefoxReason?.id).toBe('CORSNotSupportingCredentials');
    expect(exchange?.summary).toMatch(/^Likely allowed: unless the page sent it with credentials — then blocked \(CORSNotSupportingCredentials\)/);
  });

  it('is given only to unknown verdicts, and the blocking reading is also listed among the alternatives', () => {
    const withLikely = firefox.exchanges.filter((e) => e.likely !== undefined);
    expect(withLikely.length).toBeGreaterThan(0);
    for (const exchange of withLikely) {
      expect(exchange.verdict).toBe('unknown');
      expect(exchange.alternatives.map((a) => a.chromeCorsError)).toContain(exchange.likely!.otherwise.chromeCorsError);
    }
  });

  it('never appears on a Chromium capture, which records what the browser did', () => {
    const chromium = explainHar(fixture('chromium/lab-2026-11-23.har'));
    expect(chromium.exchanges.filter((e) => e.likely !== undefined)).toEqual([]);
  });

  it('is not given when a Cookie was sent (credentials are then known)', () => {
    const credentialed = byScenario(firefox.exchanges, 'pass-credentialed-get');
    expect(credentialed?.likely).toBeUndefined();
  });
});
