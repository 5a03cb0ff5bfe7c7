/** Reads a saved HAR file's text as JSON, or a one-line reason it cannot; checking that it is a HAR is readHarLog's job. */
export type JsonFileResult = { ok: true; data: unknown } | { ok: false; error: string };

export function parseJsonFile(text: string): JsonFileResult {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
