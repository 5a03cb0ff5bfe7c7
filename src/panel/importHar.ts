/** Reads a saved HAR file's text as JSON, or a one-line reason it cannot; checking that it is a HAR is readHarLog's job. */
export type JsonFileResult = { ok: true; data: unknown } | { ok: false; error: string };

export function parseJsonFile(text: string): JsonFileResult {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (e) {
    // V8 throws a RangeError when the text is too large or too deeply nested for its parser: not a syntax error.
    if (e instanceof RangeError) return { ok: false, error: `too large or too deeply nested to read as JSON (${e.message})` };
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
