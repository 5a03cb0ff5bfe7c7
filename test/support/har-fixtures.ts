/**
 * HAR fixtures from real lab runs: shrinking a captured HAR (bodies and call stacks out, everything the CORS checks
 * read kept as captured) and the browser-verdict file saved beside it.
 */
import type { LabOrigins } from '../lab/scenarios.js';
import type { BrowserVerdict } from './cors-oracle.js';
import type { PageScenarioResult } from './lab-run.js';

type Json = Record<string, any>;

/** Drops response bodies and initiator call stacks; keeps headers, statuses, `_error`, `_initiator` type/url/requestId. */
export function stripHar(har: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(har)) as Json;
  // A saved HAR has { log: { entries } }; getHAR() gives the log itself.
  const entries: Json[] = copy?.log?.entries ?? copy?.entries ?? [];
  for (const e of entries) {
    const content = e.response?.content;
    if (content && typeof content === 'object') {
      delete content.text;
      delete content.encoding;
    }
    if (e._initiator && typeof e._initiator === 'object') delete e._initiator.stack;
  }
  return copy;
}

export interface VerdictsFile {
  /** How these were recorded. */
  source: string;
  origins: LabOrigins;
  /**
   * Scenario id → the unique token in its URLs (and the page variant it ran on, when not the lab page; and, for a
   * request refused before it was made, the console lines that name it).
   */
  scenarios: Record<string, { token: string; url: string; pageSaw: string[]; page?: string; consoleLines?: string[] }>;
  /** Chromium switches the run used beyond the house flags (address-space overrides, host-resolver rules), if any. */
  chromiumArgs?: string[];
  /** URL the page asked for → Chromium's verdict for each request to it, in start order. */
  verdicts: Record<string, BrowserVerdict[]>;
}

export function verdictsFile(
  verdicts: BrowserVerdict[],
  results: (PageScenarioResult & { page?: string })[],
  origins: LabOrigins,
  extra: { source?: string; chromiumArgs?: readonly string[] } = {},
): VerdictsFile {
  const byUrl: Record<string, BrowserVerdict[]> = {};
  for (const v of verdicts) (byUrl[v.url] ??= []).push(v);
  return {
    source: extra.source ?? 'Chromium CDP Network.loadingFailed.corsErrorStatus, recorded on the page target during the same run',
    origins,
    ...(extra.chromiumArgs ? { chromiumArgs: [...extra.chromiumArgs] } : {}),
    scenarios: Object.fromEntries(
      results.map((r) => [r.id, { token: r.token, url: r.url, pageSaw: r.outcomes, ...(r.page && r.page !== 'lab' ? { page: r.page } : {}) }]),
    ),
    verdicts: byUrl,
  };
}
