/**
 * Everything the CLI prints that may hold captured text (a URL, a header, a file name, a parser's message about the
 * file's bytes) goes through one of these, so no byte from the input can drive the terminal or change what a line
 * appears to say:
 *
 * - `terminalSafe`: one line of text. C0 controls (newline and tab included), DEL and C1 controls are written as `\xNN`;
 *   bidi controls, zero-width characters, line/paragraph separators, U+FEFF and lone surrogates as `\u{XXXX}`.
 * - `terminalBlock`: several lines we built ourselves (a config snippet, a help text): the same, but newlines stay.
 * - `jsonOutputSafe`: JSON text for `--json`. The invisible and control characters above are written as `\uXXXX`
 *   escapes (the same JSON value, nothing the terminal acts on), and a lone surrogate, which strict JSON parsers refuse
 *   even escaped, becomes `\ufffd` (U+FFFD, as a UTF-8 encoder writes it).
 */

// Kept in one place: what counts as "invisible or direction-changing" for the terminal.
const C0_C1 = '\\u0000-\\u001f\\u007f-\\u009f';
const INVISIBLE = '\\u00ad\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2028\\u2029\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff9-\\ufffb';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

const UNSAFE_LINE = new RegExp(`[${C0_C1}${INVISIBLE}]|${LONE_SURROGATE}`, 'g');
const UNSAFE_BLOCK = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${INVISIBLE}]|${LONE_SURROGATE}`, 'g');
const UNSAFE_IN_JSON = new RegExp(`[\\u007f-\\u009f${INVISIBLE}]`, 'g');
/** A `\uD800`-`\uDFFF` escape as JSON.stringify writes a lone surrogate, not preceded by an escaped backslash. */
const ESCAPED_LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/** One line of captured text, safe to print on a terminal. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_LINE, escapeOne);
}

/** Multi-line text: like `terminalSafe`, but line feeds and tabs are kept. */
export function terminalBlock(text: string): string {
  return text.replace(UNSAFE_BLOCK, escapeOne);
}

/** JSON text as `JSON.stringify` writes it, made safe for a terminal and for strict parsers (the same JSON values otherwise). */
export function jsonOutputSafe(json: string): string {
  let safe = json;
  // Most JSON is ASCII without DEL, where nothing of UNSAFE_IN_JSON can be: a native count of its UTF-8 bytes and a
  // search say so faster than a regular expression scans it (`--json` writes as much text as the HAR holds).
  if (Buffer.byteLength(safe, 'utf8') !== safe.length || safe.includes('\u007f')) {
    safe = safe.replace(UNSAFE_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (safe.includes('\\ud')) safe = safe.replace(ESCAPED_LONE_SURROGATE, (_whole, backslashes: string) => `${backslashes}\\ufffd`);
  return safe;
}

/** Whether `text` would print differently through `terminalSafe` (it holds a control or invisible character). */
export function hasUnsafeTerminalText(text: string): boolean {
  UNSAFE_LINE.lastIndex = 0;
  return UNSAFE_LINE.test(text);
}
