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
  /** The inspected page navigated to `url` (a top-level navigation). */
  navigated?(url: string): void;
}

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
import { harEntryKey, type DevtoolsNetworkLike, type EventLike } from '../capture/devtoolsNetwork.js';

/**
 * Live DevTools capture. Listens to `onRequestFinished` first and then asks `getHAR()` for everything before, so
 * nothing falls between the two; entries that arrive in both are delivered once.
 */
export function createDevtoolsSource(
  network: DevtoolsNetworkLike,
  options: {
    theme: PanelTheme;
    pageUrl?: () => Promise<string | undefined>;
    onThemeChange?: (callback: (theme: PanelTheme) => void) => void;
  },
): HarEntrySource {
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
