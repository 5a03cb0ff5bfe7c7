/**
 * `explainHar()`: a parsed HAR in, the report out. The CLI and the panel's "import HAR" both call this, so they agree.
 */
import type { BrowserRules, CaptureSource } from '../model/exchange.js';
import { assembleReport } from '../explain/assembleReport.js';
import type { Report } from '../explain/report.js';
import { createExchangeStore, type ExchangeStoreDeps } from '../store/exchangeStore.js';
import { detectSource, rulesForSource, type HarContext } from '../capture/normalize.js';

/** The input is not a HAR at all (as opposed to a HAR with some unreadable entries, which are skipped). */
export class HarFormatError extends Error {
  override readonly name = 'HarFormatError';
}

export interface ExplainHarOptions {
  /** Whose rules to apply; `auto` (default) follows the capture's source. */
  rules?: BrowserRules | 'auto';
  /** The page's URL, used as the initiator when an entry records none. */
  pageUrl?: string;
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads `log.creator` and `log.pages` of a HAR file, or of a bare log as `getHAR()` returns it; throws `HarFormatError`
 * when there is no entries array.
 */
export function readHarLog(har: unknown): { entries: unknown[]; context: HarContext } {
  if (!isRecord(har)) throw new HarFormatError(`not a HAR: the top level is ${describe(har)}, not an object with "log"`);
  // `chrome.devtools.network.getHAR()` gives the log itself, without the `{ log }` wrapper a saved file has.
  const log = har.log === undefined && Array.isArray(har.entries) ? har : har.log;
  if (!isRecord(log)) throw new HarFormatError('not a HAR: no "log" object at the top level');
  if (!Array.isArray(log.entries)) throw new HarFormatError('not a HAR: "log.entries" is not an array');
  const context: HarContext = {};
  if (isRecord(log.creator) && typeof log.creator.name === 'string') context.creatorName = log.creator.name;
  if (Array.isArray(log.pages)) {
    const pageUrls = new Map<string, string>();
    for (const page of log.pages) {
      if (!isRecord(page) || typeof page.id !== 'string' || typeof page.title !== 'string') continue;
      // Chromium and Firefox put the page URL in `title`; anything else (a document title) is no URL.
      if (/^https?:\/\//i.test(page.title)) pageUrls.set(page.id, page.title);
    }
    context.pageUrls = pageUrls;
  }
  return { entries: log.entries, context };
}

/** Explains every exchange in a parsed HAR. Unreadable entries go to `skippedEntries`; never throws for them. */
export function explainHar(har: unknown, options: ExplainHarOptions = {}, deps: ExchangeStoreDeps = {}): Report {
  const { entries, context } = readHarLog(har);
  const rules = options.rules ?? 'auto';
  const storeOptions: { rules: BrowserRules | 'auto'; maxExchanges: number; pageUrl?: string } = {
    rules,
    maxExchanges: Number.MAX_SAFE_INTEGER,
  };
  if (options.pageUrl !== undefined) storeOptions.pageUrl = options.pageUrl;
  const store = createExchangeStore(storeOptions, { ...deps, harContext: { ...context, ...deps.harContext } });
  const change = store.addEntries(entries);
  const exchanges = [...store.list()];

  const firstEntry = entries.find(isRecord);
  const source: CaptureSource =
    firstEntry === undefined
      ? context.creatorName?.toLowerCase() === 'firefox'
        ? 'firefox-har-export'
        : 'unknown-har'
      : detectSource(firstEntry, context.creatorName);
  return assembleReport(exchanges, { source, rules: rulesForSource(source, rules), skippedEntries: change.rejected, entries: entries.length });
}
