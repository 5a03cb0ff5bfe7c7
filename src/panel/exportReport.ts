/**
 * The panel's exports as text, pure: the HAR of what the panel holds, the report as JSON (the report itself comes from
 * `assembleReport`, as the CLI's does), and (./exportMarkdown.ts) as Markdown. None of them throws: a capture can hold
 * a value nested too deeply for `JSON.stringify`, or more text than one JavaScript string can hold, and the user must
 * see why nothing was saved, so each returns an `ExportResult` whose `error` the panel shows.
 */
import { TOOL_VERSION } from '../model/toolVersion.js';
import type { Report } from '../explain/report.js';

export type ExportResult = { ok: true; text: string } | { ok: false; error: string };

/** V8's longest string (2^29 - 24 UTF-16 units): no export can be longer, whatever the machine's memory. */
export const MAX_EXPORT_LENGTH = 2 ** 29 - 24;

function inMegabytes(length: number): string {
  return `${Math.round(length / 1024 / 1024)} MB`;
}

/** Runs `produce` and turns every way it can fail into one line saying what happened and what to do. */
export function exportText(what: string, produce: () => string, maxLength = MAX_EXPORT_LENGTH): ExportResult {
  const tooLarge = `${what} is too large to save as one file (the limit is about ${inMegabytes(maxLength)} of text): filter the list or lower “Keep”, then export again.`;
  let text: string;
  try {
    text = produce();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RangeError && /string length/i.test(message)) return { ok: false, error: tooLarge };
    if (error instanceof RangeError && /call stack/i.test(message)) {
      return { ok: false, error: `${what} could not be saved: a captured value is nested too deeply to write out. Clear that request or export the others.` };
    }
    return { ok: false, error: `${what} could not be saved: ${message.split('\n')[0]}` };
  }
  if (text.length > maxLength) return { ok: false, error: tooLarge };
  return { ok: true, text };
}

export function buildHar(entries: readonly unknown[]): object {
  return {
    log: {
      version: '1.2',
      creator: { name: 'CORS Lens', version: TOOL_VERSION },
      pages: [],
      entries,
    },
  };
}

/** The HAR file of the entries the panel holds. */
export function harExport(entries: readonly unknown[], maxLength = MAX_EXPORT_LENGTH): ExportResult {
  return exportText('The HAR', () => JSON.stringify(buildHar(entries), null, 2), maxLength);
}

/** The report as JSON (the schema of docs/report-schema.md, as `cors-lens explain --json` writes it). */
export function reportJsonExport(report: Report, maxLength = MAX_EXPORT_LENGTH): ExportResult {
  return exportText('The JSON report', () => JSON.stringify(report, null, 2), maxLength);
}
