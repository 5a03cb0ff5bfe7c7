/**
 * Header names (and every other captured string) never reach an object's prototype (issue 21, item 3). A request
 * header named `__proto__` once made a blocked request "cannot tell" (`extension is not a function`), and one named
 * `constructor` counted as CORS-safelisted, so `fix` offered `allowedHeaders: []`. Each prototype key must be read
 * exactly as an ordinary unknown name such as `x-foo` is.
 */
import { describe, expect, it } from 'vitest';
import { explainHar } from '../../src/lib/explainHar.js';
import { isCorsSafelistedRequestHeader, decidePreflight } from '../../src/engine/requestClassification.js';
import { normalizeEntry } from '../../src/capture/normalize.js';
import { fixAvailability, generateFix } from '../../src/fixes/index.js';
import { HeaderIndex } from '../../src/model/headers.js';
import { API, ORIGIN, PROTOTYPE_KEYS, blockedEntry, harEntry, harLog, preflightEntry } from './corpus.js';

/** A request carrying header `name`, refused by its preflight (which allows no header), plus one without a captured preflight. */
function blockedByHeader(name: string) {
  const url = `${API}/named`;
  return harLog([
    preflightEntry(url, {
      requestHeaders: [['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', name.toLowerCase()]],
      responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]],
    }),
    blockedEntry({ url, requestHeaders: [[name, 'v']] }),
    blockedEntry({ url: `${url}-no-preflight`, requestHeaders: [[name, 'v']] }),
  ]);
}

/** The report with the header's name replaced by a placeholder, for comparing with the `x-foo` one. */
function shape(name: string) {
  const report = explainHar(blockedByHeader(name));
  const text = JSON.stringify(report.exchanges.map(({ verdict, failure, preflightRequired, missing, checks }) => ({ verdict, failure, preflightRequired, missing, checks })));
  return JSON.parse(text.split(name.toLowerCase()).join('NAME').split(name).join('NAME')) as unknown;
}

describe('a header named like an Object.prototype member', () => {
  const reference = shape('x-foo');

  for (const key of PROTOTYPE_KEYS) {
    it(`${key}: blocked by the preflight exactly as x-foo is, and the fix allows it`, () => {
      const report = explainHar(blockedByHeader(key));
      const blocked = report.exchanges[0]!;
      expect(blocked.verdict).toBe('blocked');
      expect(blocked.failure?.checkId).toBe('preflightAllowsHeaders');
      expect(blocked.failure?.failedParameter).toBe(key.toLowerCase());
      expect(report.exchanges[1]!.missing.join(' ')).not.toMatch(/could not read|not a function/);
      expect(shape(key)).toEqual(reference);

      const availability = fixAvailability(blocked);
      expect(availability.ok).toBe(true);
      if (!availability.ok) return;
      expect(availability.policy.requestHeaders).toContain(key.toLowerCase());
      expect(generateFix('express', availability.policy).snippet).toContain(JSON.stringify(key.toLowerCase()));
    });

    it(`${key}: never CORS-safelisted, so a request with it needs a preflight (Chromium and Firefox rules)`, () => {
      for (const rules of ['chromium', 'firefox'] as const) {
        expect(isCorsSafelistedRequestHeader(key, 'x', rules)).toBe(false);
        const decision = decidePreflight({ method: 'GET', headers: [[key, 'x']], rules });
        expect(decision.required).toBe(true);
        expect(decision.unsafeHeaders).toEqual([key.toLowerCase()]);
      }
    });

    it(`${key}: as a resource type or Sec-Fetch-Dest, read as an unknown kind`, () => {
      const byType = normalizeEntry(harEntry({ resourceType: key }), 0);
      const byDest = normalizeEntry(harEntry({ resourceType: undefined, requestHeaders: [['Sec-Fetch-Dest', key]], extra: { _resourceType: undefined } }), 0);
      for (const result of [byType, byDest]) {
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.entry.kind).toBe('other');
      }
    });
  }

  it('a long header list (indexed by a map) finds nothing under a prototype key it does not hold', () => {
    const lines = Array.from({ length: 200 }, (_, i) => [`x-${i}`, 'v'] as [string, string]);
    const index = new HeaderIndex(lines);
    for (const key of PROTOTYPE_KEYS) {
      expect(index.get(key)).toBeUndefined();
      expect(index.has(key)).toBe(false);
      expect(index.count(key)).toBe(0);
    }
  });
});
