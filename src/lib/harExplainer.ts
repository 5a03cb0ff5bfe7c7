/**
 * `createHarExplainer()`: `explainHar` for a HAR read one entry at a time (the CLI's incremental reader), with memory
 * bounded by a window instead of by the file. Entries are paired and judged by the same store as `explainHar`; the
 * oldest exchanges leave the store, final, once more than `window.exchanges` exchanges or `window.bytes` bytes of
 * entries are held, and their reports go to `onExchange` in start order.
 *
 * Within the window the result is `explainHar`'s, byte for byte. An entry that would pair with an exchange already
 * released (a preflight or redirect hop recorded more than the window away from its request, or a HAR whose entries are
 * out of start order by more than the window) makes an exchange of its own, and the echoed-origin warning does not
 * reach an exchange already released. The defaults (10,000 exchanges, the panel's default cap, and 16 MB of entries) hold
 * thousands of entries: DevTools records the two halves of a preflighted request milliseconds apart. The bytes keep the
 * CLI's live heap near 45 MB, so its resident memory stays under 400 MB whatever the file's size, with the cap the CLI
 * puts on V8's heap growth (src/cli/cors-lens.ts, docs/cli.md).
 */
import type { BrowserRules, CaptureSource } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { createExchangeStore } from '../store/exchangeStore.js';
import type { ReleasingExchangeStore } from '../store/storeTypes.js';
import { detectSource, rulesForSource, type HarContext } from '../capture/normalize.js';
import { DEFAULT_MAX_EXCHANGES } from '../store/exchangeStore.js';
import { readHarLog } from './explainHar.js';
import { assembleReport } from '../explain/assembleReport.js';

export interface HarExplainerWindow {
  /** Exchanges held at most before the oldest are released. */
  exchanges: number;
  /** Bytes of entries (as given to `addEntry`) held at most before the oldest are released. */
  bytes: number;
}

export const DEFAULT_WINDOW: HarExplainerWindow = { exchanges: DEFAULT_MAX_EXCHANGES, bytes: 16 * 1024 * 1024 };

export interface HarExplainerOptions {
  rules?: BrowserRules | 'auto';
  window?: HarExplainerWindow;
  /** Each exchange's report once it is final, in the order the page started them. */
  onExchange: (report: ExchangeReport) => void;
}

/** What the report says besides its exchanges, known once the last entry is in. */
export interface HarExplainerSummary {
  source: CaptureSource;
  rules: BrowserRules;
  totals: Report['totals'];
  skippedEntries: Report['skippedEntries'];
  /** The report as `explainHar` would give it, with `exchanges` empty (they went to `onExchange`). */
  report: Report;
}

export interface HarExplainer {
  /**
   * `log.creator` or `log.pages` (a HAR writes them before its entries). `false` when it came too late to count: entries
   * were already being judged without it.
   */
  setLogField(name: 'creator' | 'pages', value: unknown): boolean;
  /** Entry `index` of `log.entries`; `bytes` its size as read. */
  addEntry(index: number, entry: unknown, bytes: number): void;
  /** Entry `index` could not be read at all. */
  skipEntry(index: number, reason: string): void;
  /** Explains what is still held and returns the totals. */
  finish(): HarExplainerSummary;
}

/** Entries judged together: pairing is the same whatever the batch (src/store/exchangeStore.ts `addEntries`). */
const BATCH_ENTRIES = 256;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createHarExplainer(options: HarExplainerOptions): HarExplainer {
  const rules = options.rules ?? 'auto';
  const window = options.window ?? DEFAULT_WINDOW;
  const logFields: { creator?: unknown; pages?: unknown } = {};
  let context: HarContext | undefined;
  let store: ReleasingExchangeStore | undefined;
  let firstEntry: Record<string, unknown> | undefined;
  const sizes = new WeakMap<object, number>();
  let batch: unknown[] = [];
  let batchIndexes: number[] = [];
  const skippedEntries: Report['skippedEntries'] = [];
  const counts = { exchanges: 0, warnings: 0, allowed: 0, blocked: 0, 'not-cors': 0, 'network-error': 0, unknown: 0, repeatsMerged: 0 };
  /** Entries of `log.entries`, readable or not (`totals.entries`). */
  let entryCount = 0;

  const take = (report: ExchangeReport) => {
    counts.exchanges++;
    counts[report.verdict]++;
    if (report.warnings.length > 0) counts.warnings++;
    if (report.repeatsMerged !== undefined) counts.repeatsMerged += report.repeatsMerged;
    options.onExchange(report);
  };

  function open(): ReleasingExchangeStore {
    // The same reading of `log` as explainHar's (readHarLog), from the fields seen so far.
    context = readHarLog({ log: { ...logFields, entries: [] } }).context;
    return createExchangeStore(
      { rules, maxExchanges: Number.MAX_SAFE_INTEGER },
      { harContext: context, entryBytes: (raw) => (isRecord(raw) ? (sizes.get(raw) ?? 0) : 0), oneCapture: true },
    );
  }

  function flush(): void {
    if (batch.length === 0) return;
    store ??= open();
    const change = store.addEntries(batch);
    for (const rejected of change.rejected) skippedEntries.push({ index: batchIndexes[rejected.index] ?? rejected.index, reason: rejected.reason });
    batch = [];
    batchIndexes = [];
    store.releaseOldest(window, take);
  }

  return {
    setLogField(name, value) {
      if (store !== undefined) return false;
      logFields[name] = value;
      return true;
    },
    addEntry(index, entry, bytes) {
      entryCount = Math.max(entryCount, index + 1);
      if (isRecord(entry)) {
        sizes.set(entry, bytes);
        firstEntry ??= entry;
      }
      batch.push(entry);
      batchIndexes.push(index);
      if (batch.length >= BATCH_ENTRIES) flush();
    },
    skipEntry(index, reason) {
      entryCount = Math.max(entryCount, index + 1);
      flush();
      skippedEntries.push({ index, reason });
    },
    finish() {
      flush();
      store?.releaseOldest({ exchanges: 0, bytes: 0 }, take);
      const creatorName = (context ?? readHarLog({ log: { ...logFields, entries: [] } }).context).creatorName;
      const source: CaptureSource =
        firstEntry === undefined ? (creatorName?.toLowerCase() === 'firefox' ? 'firefox-har-export' : 'unknown-har') : detectSource(firstEntry, creatorName);
      skippedEntries.sort((a, b) => a.index - b.index);
      const resolvedRules = rulesForSource(source, rules);
      // The report's shape (key order included) from the one function that makes it for explainHar, then the counts.
      const report = assembleReport([], { source, rules: resolvedRules, skippedEntries, entries: entryCount });
      const totals = report.totals as unknown as Record<string, number>;
      for (const [key, value] of Object.entries(counts)) totals[key] = value;
      return { source, rules: resolvedRules, totals: report.totals, skippedEntries, report };
    },
  };
}
