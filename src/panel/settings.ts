/** Panel settings kept in the panel page's localStorage (no `storage` permission needed). */
import type { ServerId } from '../fixes/model.js';
import { DEFAULT_MAX_EXCHANGES } from '../store/exchangeStore.js';

export type ListFilter = 'all' | 'blocked' | 'preflighted' | 'warnings';

export interface PanelSettings {
  preserveLog: boolean;
  filter: ListFilter;
  fixServer: ServerId | null;
  /** The most exchanges the list keeps (the store's cap); one of `MAX_EXCHANGES_CHOICES`. */
  maxExchanges: number;
}

/** The caps the panel offers; the store's default among them. */
export const MAX_EXCHANGES_CHOICES: readonly number[] = [1_000, 5_000, DEFAULT_MAX_EXCHANGES, 50_000];

export const DEFAULT_SETTINGS: PanelSettings = {
  preserveLog: false,
  filter: 'all',
  fixServer: null,
  maxExchanges: DEFAULT_MAX_EXCHANGES,
};

const KEY = 'cors-lens.settings.v1';
const FILTERS: readonly ListFilter[] = ['all', 'blocked', 'preflighted', 'warnings'];

/** The part of `Storage` the panel uses; absent or throwing storage (sandboxed pages) falls back to defaults. */
export type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function loadSettings(storage: SettingsStorage | undefined): PanelSettings {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return { ...DEFAULT_SETTINGS };
    const parsed = JSON.parse(raw) as Partial<Record<keyof PanelSettings, unknown>>;
    return {
      preserveLog: parsed.preserveLog === true,
      filter: FILTERS.includes(parsed.filter as ListFilter) ? (parsed.filter as ListFilter) : 'all',
      fixServer: typeof parsed.fixServer === 'string' ? (parsed.fixServer as ServerId) : null,
      maxExchanges: MAX_EXCHANGES_CHOICES.includes(parsed.maxExchanges as number)
        ? (parsed.maxExchanges as number)
        : DEFAULT_MAX_EXCHANGES,
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(storage: SettingsStorage | undefined, settings: PanelSettings): void {
  try {
    storage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage full or unavailable: the setting lasts for this session only.
  }
}
