/**
 * Real Chromium 156 entries from a finished lab capture (test/fixtures/chromium/lab-2026-11-23.har) and the early,
 * unfinished copies DevTools sometimes hands over first (status 0, no response headers, no error: beside-cors.md §6).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Entry = Record<string, unknown> & {
  startedDateTime: string;
  request: { method: string; url: string };
  response: Record<string, unknown> & { status: number; headers: unknown[] };
};

let cached: Entry[] | undefined;

export function labEntries(): Entry[] {
  if (cached) return structuredClone(cached);
  // Saved as DevTools' getHAR() returns it: the log object itself.
  const har = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/chromium/lab-2026-11-23.har'), 'utf8')) as {
    entries?: Entry[];
    log?: { entries: Entry[] };
  };
  cached = har.log?.entries ?? har.entries ?? [];
  return structuredClone(cached);
}

/** The lab entries of one scenario (its URL holds `/s/<id>?`), in capture order. */
export function scenarioEntries(id: string): Entry[] {
  return labEntries().filter((e) => e.request.url.includes(`/s/${id}?`) || e.request.url.includes(`/s/${id}/`));
}

export const isPreflight = (e: Entry): boolean => e._resourceType === 'preflight';

/** The same request as DevTools hands it over before its response is known. */
export function unfinishedCopy(entry: Entry, error: string | null = null): Entry {
  return {
    ...structuredClone(entry),
    time: 0,
    response: {
      status: 0,
      statusText: '',
      httpVersion: '',
      headers: [],
      headersSize: -1,
      bodySize: -1,
      redirectURL: '',
      content: { size: 0, mimeType: 'x-unknown' },
      _error: error,
    },
  };
}
