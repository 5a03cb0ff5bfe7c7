import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { count } from '../../src/cli/renderText.js';

describe('count (the CLI prints counts grouped by thousands)', () => {
  it('groups as en-US does, for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.boolean(), (n, negative) => {
        const value = negative && n !== 0 ? -n : n;
        expect(count(value)).toBe(value.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads as people read it at the edges of each group', () => {
    expect([0, 7, 999, 1000, 21888, 999999, 1000000, 123456789].map(count)).toEqual([
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
