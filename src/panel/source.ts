/**
 * Sources of HAR entries: where the panel's exchanges come from. Live DevTools, an imported HAR file and a test feed
 * all have this one shape, so the panel runs the same way in DevTools, as a plain page and in component tests.
 * No browser API here: the live source takes the `chrome.devtools.network`-shaped object as a parameter.
 */

import type { CaptureSource } from '../model/exchange.js';
import type { ExchangeStore, ExchangeStoreOptions } from '../store/storeTypes.js';

export type PanelTheme = 'light' | 'dark';

export interface SourceListener {
  /** Entries finished since the last call (the panel batches them per animation frame). */
  entries(entries: readonly unknown[]): void;
  /**
   * The inspected page navigated to `url` (a top-level navigation). `drop-waiting`: entries still waiting for DevTools
   * to finish them belong to the page left behind and are never handed over (the list was cleared); default: kept.
   */
  navigated?(url: string): NavigationChoice | void;
  /** The entries held back because DevTools handed them over unfinished (the panel lists them as pending). */
  waiting?(waiting: readonly WaitingEntry[]): void;
  /** How an entry that came unfinished ended: completed later, or handed over marked after the wait. */
  unfinished?(outcome: UnfinishedOutcome): void;
}

export type NavigationChoice = 'keep-waiting' | 'drop-waiting';
export type { UnfinishedOutcome, WaitingEntry } from '../capture/unfinishedEntries.js';

export interface HarEntrySource {
  /** What the toolbar says the list shows: `live` for DevTools, else a file name or feed name. */
  readonly label: string;
  /**
   * The store for this source's entries, when the source knows better than the panel's default (an imported HAR
   * passes its `log.creator` and `log.pages` along).
   */
  createStore?(options: ExchangeStoreOptions): ExchangeStore;
  readonly live: boolean;
  readonly theme: PanelTheme;
  /** For the exported report's `source` field, when the source knows it (an imported HAR). */
  readonly captureSource?: CaptureSource;
  /** Calls back when the DevTools theme changes while the panel is open. */
  onThemeChange?(callback: (theme: PanelTheme) => void): void;
  /** The inspected page's URL when known (initiator fallback for the exchange store). */
  pageUrl?(): Promise<string | undefined>;
  /**
   * Starts delivery: entries captured so far arrive first, then new ones, each exactly once.
   * Returns a function that stops delivery.
   */
  start(listener: SourceListener): () => void;
}

export { harEntryKey, type DevtoolsNetworkLike, type EventLike } from '../capture/devtoolsNetwork.js';
import { harEntryKey, type DevtoolsNetworkLike } from '../capture/devtoolsNetwork.js';
import {
  createUnfinishedEntryGate,
  type GateClock,
  type UnfinishedOutcome,
  type WaitingEntry,
} from '../capture/unfinishedEntries.js';

export interface DevtoolsSourceOptions {
  theme: PanelTheme;
  pageUrl?: () => Promise<string | undefined>;
  onThemeChange?: (callback: (theme: PanelTheme) => void) => void;
  /**
   * Hold entries DevTools hands over unfinished until `getHAR()` or a later event has them complete
   * (src/capture/unfinishedEntries.ts). Chromium: on (the default). Firefox: off, its own reconciliation
   * (firefoxReconciliation.ts) already waits, and its entries record no `_error` to tell a failure from an early copy.
   */
  holdUnfinished?: boolean;
  /** For tests: the gate's clock and wait. */
  clock?: GateClock;
  waitMs?: number;
}

function entriesOf(har: { entries?: readonly unknown[] } | undefined): readonly unknown[] {
  return Array.isArray(har?.entries) ? har.entries : [];
}

/**
 * Live DevTools capture. Listens to `onRequestFinished` first and then asks `getHAR()` for everything before, so
 * nothing falls between the two; entries that arrive in both are delivered once. With `holdUnfinished` (Chromium), an
 * entry handed over before its response is known waits for its complete copy, see `createUnfinishedEntryGate`.
 */
export function createDevtoolsSource(network: DevtoolsNetworkLike, options: DevtoolsSourceOptions): HarEntrySource {
  if (options.holdUnfinished === false) return createPlainDevtoolsSource(network, options);
  return {
    label: 'live',
    live: true,
    theme: options.theme,
    pageUrl: options.pageUrl,
    onThemeChange: options.onThemeChange,
    start(listener) {
      let stopped = false;
      let early: unknown[] | null = [];
      const gate = createUnfinishedEntryGate({
        lookUp: (answer) => network.getHAR((har) => answer(entriesOf(har))),
        deliver: (entries) => listener.entries(entries),
        waitingChanged: (waiting) => listener.waiting?.(waiting),
        settled: (outcome) => listener.unfinished?.(outcome),
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
      });
      const onFinished = (entry: unknown): void => {
        if (stopped) return;
        if (early !== null) early.push(entry);
        else gate.offer([entry], 'onRequestFinished');
      };
      const onNavigated = (url: string): void => {
        if (stopped) return;
        if (listener.navigated?.(url) === 'drop-waiting') gate.discardWaiting();
      };
      network.onRequestFinished.addListener(onFinished);
      network.onNavigated.addListener(onNavigated);
      network.getHAR((har) => {
        if (stopped || early === null) return;
        const before = early;
        early = null;
        // The snapshot first, then what finished while it was on its way; a request in both goes through once.
        gate.offer(entriesOf(har), 'getHAR');
        gate.offer(before, 'onRequestFinished');
      });
      return () => {
        stopped = true;
        gate.stop();
        network.onRequestFinished.removeListener(onFinished);
        network.onNavigated.removeListener(onNavigated);
      };
    },
  };
}

/** Every entry as DevTools hands it over (Firefox, whose reconciliation wrapper already waits for complete entries). */
function createPlainDevtoolsSource(network: DevtoolsNetworkLike, options: DevtoolsSourceOptions): HarEntrySource {
  return {
    label: 'live',
    live: true,
    theme: options.theme,
    pageUrl: options.pageUrl,
    onThemeChange: options.onThemeChange,
    start(listener) {
      let stopped = false;
      let snapshotKeys: Set<string> | null = null;
      const early: unknown[] = [];
      const onFinished = (entry: unknown): void => {
        if (stopped) return;
        if (snapshotKeys === null) {
          early.push(entry);
          return;
        }
        if (snapshotKeys.size > 0 && snapshotKeys.delete(harEntryKey(entry))) return;
        listener.entries([entry]);
      };
      const onNavigated = (url: string): void => {
        if (!stopped) listener.navigated?.(url);
      };
      network.onRequestFinished.addListener(onFinished);
      network.onNavigated.addListener(onNavigated);
      network.getHAR((har) => {
        if (stopped) return;
        const snapshot = Array.isArray(har?.entries) ? har.entries : [];
        snapshotKeys = new Set(snapshot.map(harEntryKey));
        const fresh = early.filter((entry) => !snapshotKeys!.delete(harEntryKey(entry)));
        early.length = 0;
        listener.entries([...snapshot, ...fresh]);
      });
      return () => {
        stopped = true;
        network.onRequestFinished.removeListener(onFinished);
        network.onNavigated.removeListener(onNavigated);
      };
    },
  };
}

/** A fixed list of entries: an imported HAR file, or a test. */
export function createStaticSource(
  label: string,
  entries: readonly unknown[],
  theme: PanelTheme = 'light',
  createStore?: (options: ExchangeStoreOptions) => ExchangeStore,
): HarEntrySource {
  return {
    label,
    live: false,
    theme,
    createStore,
    start(listener) {
      listener.entries(entries);
      return () => {};
    },
  };
}

/** A source a test pushes entries and navigations into. */
export interface FeedSource extends HarEntrySource {
  push(...entries: unknown[]): void;
  navigate(url: string): void;
  changeTheme(theme: PanelTheme): void;
}

export function createFeedSource(options: { theme?: PanelTheme; initial?: readonly unknown[]; label?: string } = {}): FeedSource {
  const listeners = new Set<SourceListener>();
  const themeListeners = new Set<(theme: PanelTheme) => void>();
  return {
    label: options.label ?? 'feed',
    live: true,
    theme: options.theme ?? 'light',
    onThemeChange: (callback) => void themeListeners.add(callback),
    changeTheme: (theme) => themeListeners.forEach((l) => l(theme)),
    start(listener) {
      listeners.add(listener);
      listener.entries(options.initial ?? []);
      return () => listeners.delete(listener);
    },
    push(...entries) {
      for (const l of listeners) l.entries(entries);
    },
    navigate(url) {
      for (const l of listeners) l.navigated?.(url);
    },
  };
}
