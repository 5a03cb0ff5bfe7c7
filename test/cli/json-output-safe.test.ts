/**
 * `--json` output made safe for a terminal and strict parsers (src/cli/terminalText.ts `jsonOutputSafe`): the same JSON
 * values, no control, invisible or direction-changing character left raw, no lone surrogate. Its fast path (ASCII text
 * without DEL is left as it is, unscanned) must give what the full scan gives, on any text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonOutputSafe } from '../../src/cli/terminalText.js';

/** The same transformation without the fast path: both regular expressions over every text. */
function scanned(json: string): string {
  const invisible = /[\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/g;
  return json
    .replace(invisible, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g, (_whole, backslashes: string) => `${backslashes}\\ufffd`);
}

const awkward = fc.constantFrom('\u007f', '\u0085', '\u200b', '\u202e', '\ufeff', '\u2028', '\ud800', '\udc00', '\ud83d\ude00', 'é', '\\', '"', 'a');
const text = fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'binary' }), fc.array(awkward).map((parts) => parts.join('')));

describe('jsonOutputSafe', () => {
  it('gives what scanning every text gives, on any JSON of any string', () => {
    fc.assert(
      fc.property(text, (value) => {
        const json = JSON.stringify({ value }, null, 2);
        expect(jsonOutputSafe(json)).toBe(scanned(json));
      }),
      { numRuns: 2000, seed: 19 },
    );
  });

  it('keeps the value: parsing the safe text gives the string back, a lone surrogate as U+FFFD', () => {
    const value = 'a\u007fb\u202ec\ud800d\ud83d\ude00';
    const safe = jsonOutputSafe(JSON.stringify({ value }));
    expect(safe).not.toMatch(/[\u007f\u202e]/);
    expect((JSON.parse(safe) as { value: string }).value).toBe('a\u007fb\u202ec\ufffdd\ud83d\ude00');
  });

  it('leaves ASCII JSON as it is', () => {
    const json = JSON.stringify({ url: 'https://api.example.com/a?b=c', headers: [['x-a', 'b\\u00e9']] }, null, 2);
    expect(jsonOutputSafe(json)).toBe(json);
  });
});
