/**
 * The contract between capture and everything downstream: a store of exchanges that HAR entries are added to, one at a
 * time (live DevTools) or all at once (a saved HAR). Implemented in src/store/exchangeStore.ts; the panel and the CLI
 * both use it, so they show the same exchanges with the same verdicts.
 */
import type { BrowserRules } from '../model/exchange.js';
import type { ExchangeReport } from '../explain/report.js';

export interface StoreChange {
  /** Ids of exchanges created by this call, in start order. */
  added: string[];
  /** Ids of existing exchanges whose report changed (a preflight paired late, a redirect hop folded in). */
  updated: string[];
  /**
   * Ids no longer in the store: dropped because the store is over its cap (oldest first), or folded into the exchange of
   * their redirect's earlier hop, which arrived after them (that exchange is then in `added` or `updated`).
   */
  dropped: string[];
  /** Entries that could not be read, with a one-line reason. */
  rejected: { index: number; reason: string }[];
}

export interface ExchangeStoreOptions {
  /** `auto` decides per entry from its markers (Chromium's `_resourceType`, Firefox's `_securityState`, ...). */
  rules?: BrowserRules | 'auto';
  /** Keep at most this many exchanges; the oldest are dropped first. Default 10,000. */
  maxExchanges?: number;
  /** The inspected page's URL when known (live DevTools): used as the initiator when a request records none. */
  pageUrl?: string;
}

export interface ExchangeStore {
  /** Adds raw HAR entries (objects as `chrome.devtools.network` or a HAR file gives them); never throws on bad input. */
  addEntries(entries: readonly unknown[]): StoreChange;
  get(id: string): ExchangeReport | undefined;
  /** Every exchange, in the order the page started them. */
  list(): readonly ExchangeReport[];
  readonly size: number;
  /** How many exchanges were dropped by the cap since the last clear. */
  readonly droppedCount: number;
  /** The cap now in force (`ExchangeStoreOptions.maxExchanges`). */
  readonly maxExchanges: number;
  /** Changes the cap; a lower one drops the oldest exchanges at once (listed in `dropped`). */
  setMaxExchanges(maxExchanges: number): StoreChange;
  clear(): void;
  /** The raw entries behind the current exchanges, for "export as HAR". */
  entries(): readonly unknown[];
}

/** What `createExchangeStore` returns: the contract, and what a reader of a HAR larger than memory needs. */
export interface ReleasingExchangeStore extends ExchangeStore {
  /** Bytes of the entries held, as `ExchangeStoreDeps.entryBytes` measures them (0 without it). */
  readonly retainedBytes: number;
  /**
   * For a reader of a HAR larger than memory: hands over the reports of the oldest exchanges, in start order, and forgets
   * them (entries, indexes, repeat filter) until at most `keep.exchanges` exchanges and `keep.bytes` bytes of entries
   * remain. A released exchange is final: an entry that arrives later and would have paired with it (a late preflight,
   * a redirect hop, a second echoed origin) starts an exchange of its own.
   */
  releaseOldest(keep: { exchanges: number; bytes: number }, take: (report: ExchangeReport) => void): void;
}
