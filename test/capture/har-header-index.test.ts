/**
 * The engine, the warnings and the report read a captured entry's headers through `HeaderIndex.ofCheckedHarHeaders`,
 * in place in the HAR's `{ name, value }` objects, instead of a list of `[name, value]` pairs made for each entry. Both
 * must read the same: every name, value, count and repeated line, for short lists (a scan) and long ones (a map).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderIndex, countHeaderLines, getNormalizedHeader, type CheckedHarHeader } from '../../src/model/headers.js';
import type { HeaderLines } from '../../src/model/exchange.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { NormalizedEntry } from '../../src/capture/normalize.js';

const name = fc.constantFrom('Origin', 'origin', 'Access-Control-Allow-Origin', 'access-control-allow-origin', 'Vary', 'X-Count', '__proto__', 'Set-Cookie', 'a');
const value = fc.oneof(
  fc.string({ maxLength: 6 }).map((v) => ` ${v}\t`),
  fc.integer({ min: -5, max: 5000 }),
  fc.boolean(),
);
const harHeader = fc.record({ name, value }) as fc.Arbitrary<CheckedHarHeader>;

/** The pairs a checked HAR's lines give (src/capture/normalize.ts `toHeaderLines`). */
function asPairs(headers: readonly CheckedHarHeader[]): HeaderLines {
  return headers.map((h) => [h.name, typeof h.value === 'string' ? h.value : String(h.value)]);
}

describe('a header index read in place from a HAR', () => {
  for (const [label, maxLength, minLength] of [
    ['short lists', 40, 0],
    ['long lists', 200, 65],
  ] as const) {
    it(`answers as the index of the same lines made into pairs (${label})`, () => {
      fc.assert(
        fc.property(fc.array(harHeader, { minLength, maxLength }), (headers) => {
          const pairs = asPairs(headers);
          const inPlace = HeaderIndex.ofCheckedHarHeaders(headers);
          expect(inPlace.lineCount).toBe(pairs.length);
          for (let i = 0; i < pairs.length; i++) {
            expect(inPlace.nameAt(i)).toBe(pairs[i]![0]);
            expect(inPlace.valueAt(i)).toBe(pairs[i]![1]);
          }
          for (const wanted of ['origin', 'ACCESS-CONTROL-ALLOW-ORIGIN', 'x-count', '__proto__', 'set-cookie', 'missing']) {
            expect(inPlace.get(wanted)).toBe(getNormalizedHeader(pairs, wanted));
            expect(inPlace.count(wanted)).toBe(countHeaderLines(pairs, wanted));
            expect(inPlace.has(wanted)).toBe(countHeaderLines(pairs, wanted) > 0);
          }
          const fromPairs = new HeaderIndex(pairs);
          expect(inPlace.names).toEqual(fromPairs.names);
          expect(inPlace.namedValues).toEqual(fromPairs.namedValues);
        }),
        { numRuns: 300, seed: 9 },
      );
    });
  }
});

describe('explaining a HAR', () => {
  it('makes no [name, value] pair of a judged entry’s headers until a report’s header lines are read', () => {
    const made = { count: 0 };
    const original = Object.getOwnPropertyDescriptor(NormalizedEntry.prototype, 'requestHeaders')!;
    const originalResponse = Object.getOwnPropertyDescriptor(NormalizedEntry.prototype, 'responseHeaders')!;
    const counting = (descriptor: PropertyDescriptor): PropertyDescriptor => ({
      ...descriptor,
      get(this: NormalizedEntry) {
        made.count++;
        return descriptor.get!.call(this);
      },
    });
    Object.defineProperty(NormalizedEntry.prototype, 'requestHeaders', counting(original));
    Object.defineProperty(NormalizedEntry.prototype, 'responseHeaders', counting(originalResponse));
    try {
      const entry = (url: string, method: string, requestHeaders: [string, string][], status: number, responseHeaders: [string, string][], error?: string) => ({
        startedDateTime: '2026-12-03T10:00:00.000Z',
        time: 5,
        _resourceType: 'fetch',
        _initiator: { type: 'script' },
        request: { method, url, httpVersion: 'HTTP/1.1', headers: requestHeaders.map(([n, v]) => ({ name: n, value: v })) },
        response: { status, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: responseHeaders.map(([n, v]) => ({ name: n, value: v })), ...(error === undefined ? {} : { _error: error }) },
        timings: { send: 1, wait: 2, receive: 1 },
      });
      const har = {
        log: {
          creator: { name: 'WebInspector', version: '537.36' },
          entries: [
            entry('https://api.example/allowed', 'GET', [['Origin', 'https://app.example'], ['Accept', '*/*']], 200, [
              ['Access-Control-Allow-Origin', 'https://app.example'],
              ['Access-Control-Allow-Credentials', 'true'],
            ]),
            // Chromium keeps the response of a request its CORS check refused, with the error it failed with.
            entry('https://api.example/blocked', 'GET', [['Origin', 'https://app.example']], 200, [['Content-Type', 'application/json']], 'net::ERR_FAILED'),
          ],
        },
      };
      const report = explainHar(har);
      expect(report.exchanges.map((e) => e.verdict)).toEqual(['allowed', 'blocked']);
      expect(made.count).toBe(0);
      // Read from the report, the lines are there, as captured.
      expect(report.exchanges[0]!.responseHeaders).toEqual([
        ['Access-Control-Allow-Origin', 'https://app.example'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]);
      expect(made.count).toBe(1);
    } finally {
      Object.defineProperty(NormalizedEntry.prototype, 'requestHeaders', original);
      Object.defineProperty(NormalizedEntry.prototype, 'responseHeaders', originalResponse);
    }
  });
});
