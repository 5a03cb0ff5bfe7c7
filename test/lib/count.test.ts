import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount } from '../../src/explain/counts.js';

describe('formatCount (the panel and the CLI write counts grouped by thousands)', () => {
  it('groups as en-US does, for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.boolean(), (n, negative) => {
        const value = negative && n !== 0 ? -n : n;
        expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads as people read it at the edges of each group', () => {
    expect([0, 7, 999, 1000, 21888, 999999, 1000000, 123456789].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '21,888',
      '999,999',
      '1,000,000',
      '123,456,789',
    ]);
  });
});
