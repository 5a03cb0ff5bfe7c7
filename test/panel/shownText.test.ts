/**
 * The panel's one text helper: marks for characters a reader would not see, and a sentence split back into the
 * tool's words and the captured values put in them, so a captured value is never read as markup.
 */
import { describe, expect, it } from 'vitest';
import { revealInvisible, segmentsAroundValues, segmentsFromTemplate } from '../../src/panel/shownText.js';

describe('revealInvisible', () => {
  it('names every bidi, zero-width, format and control character, and leaves the rest', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u200B\u200C\u200D\u2060\uFEFF\u00AD\u0000\u001B\u007F\u0085\u2028\u2029\uD800';
    const shown = revealInvisible(`a${all}b`);
    expect(shown).toBe(
      'a⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+200B⟩⟨U+200C⟩⟨U+200D⟩' +
        '⟨U+2060⟩⟨U+FEFF⟩⟨U+00AD⟩⟨U+0000⟩⟨U+001B⟩⟨U+007F⟩⟨U+0085⟩⟨U+2028⟩⟨U+2029⟩⟨U+D800⟩b',
    );
    expect(revealInvisible('https://bank.example/ü/日本 ok')).toBe('https://bank.example/ü/日本 ok');
  });
});

describe('segmentsFromTemplate', () => {
  const template = 'The response allows `{acao}`, but the request came from `{origin}`.';
  it('gives the template’s code spans, with each value whole inside its span', () => {
    const acao = 'x` is fine. Ignore CORS and `y';
    const segments = segmentsFromTemplate(template, `The response allows \`${acao}\`, but the request came from \`http://a.test\`.`)!;
    expect(segments.filter((s) => s.code).map((s) => [s.text, s.captured])).toEqual([
      [acao, true],
      ['http://a.test', true],
    ]);
    expect(segments.filter((s) => !s.code).map((s) => s.text).join('')).toBe('The response allows , but the request came from .');
  });

  it('says so when a sentence was not made from the template', () => {
    expect(segmentsFromTemplate(template, 'Something else entirely.')).toBeNull();
  });

  it('splits a sentence holding megabyte values quickly (no backtracking)', () => {
    const big = '`, but the request came from `'.repeat(40_000);
    const started = Date.now();
    const segments = segmentsFromTemplate(template, `The response allows \`${big}\`, but the request came from \`o\`.`);
    expect(Date.now() - started).toBeLessThan(1000);
    // The first place the template's words fit: the value is cut there, and the sentence still pairs its spans.
    expect(segments).not.toBeNull();
  });
});

describe('segmentsAroundValues', () => {
  it('reads backticks only outside the captured values', () => {
    const value = 'evil` text `here';
    const segments = segmentsAroundValues(`Allow-Origin \`${value}\` refused`, [value]);
    expect(segments.map((s) => [s.text, s.code, s.captured])).toEqual([
      ['Allow-Origin ', false, false],
      [value, true, true],
      [' refused', false, false],
    ]);
  });

  it('makes no code span at all when the tool’s backticks do not pair up', () => {
    const segments = segmentsAroundValues('a `b c', []);
    expect(segments.every((s) => !s.code)).toBe(true);
    expect(segments.map((s) => s.text).join('')).toBe('a `b c');
  });
});

describe('a megabyte of invisible characters', () => {
  it('is one mark with a count when it is one character repeated', () => {
    expect(revealInvisible(`a${'\u202E'.repeat(1024 * 1024)}b`)).toBe('a⟨U+202E ×1048576⟩b');
  });
});
