/** Reads a saved HAR file's text into its entries, or a one-line reason it cannot. */
export type HarFileResult = { ok: true; har: unknown; entries: unknown[] } | { ok: false; error: string };

export function parseHarFile(text: string): HarFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const log = (data as { log?: unknown } | null)?.log;
  if (typeof log !== 'object' || log === null) return { ok: false, error: 'not a HAR file (no "log" object)' };
  const entries = (log as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return { ok: false, error: 'not a HAR file ("log.entries" is not a list)' };
  return { ok: true, har: data, entries };
}
