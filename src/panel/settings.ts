/** Panel settings kept in the panel page's localStorage (no `storage` permission needed). */
import type { ServerId } from '../fixes/model.js';
import { DEFAULT_MAX_EXCHANGES } from '../store/exchangeStore.js';

export type ListFilter = 'all' | 'blocked' | 'preflighted' | 'warnings' | 'beside-cors';

/** The list's columns, in their order. */
export const COLUMN_IDS = ['verdict', 'method', 'target', 'reason', 'initiator', 'status', 'preflight'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** The detail's sections that fold, open unless the user folded them. */
export type DetailSection = 'exchange' | 'checks' | 'why' | 'reproduce';

export interface PanelSettings {
  preserveLog: boolean;
  filter: ListFilter;
  fixServer: ServerId | null;
  /** The most exchanges the list keeps (the store's cap); one of `MAX_EXCHANGES_CHOICES`. */
  maxExchanges: number;
  /** Show the page's navigations and same-origin requests (out of the default view). */
  showPageOwn: boolean;
  hiddenColumns: ColumnId[];
  /** Widths the user dragged, in px. */
  columnWidths: Partial<Record<ColumnId, number>>;
  /** Detail sections the user folded. */
  foldedSections: DetailSection[];
}

/** The caps the panel offers; the store's default among them. */
export const MAX_EXCHANGES_CHOICES: readonly number[] = [1_000, 5_000, DEFAULT_MAX_EXCHANGES, 50_000];

export const DEFAULT_SETTINGS: PanelSettings = {
  preserveLog: false,
  filter: 'all',
  fixServer: null,
  maxExchanges: DEFAULT_MAX_EXCHANGES,
  showPageOwn: false,
  hiddenColumns: [],
  columnWidths: {},
  foldedSections: [],
};

const SECTIONS: readonly DetailSection[] = ['exchange', 'checks', 'why', 'reproduce'];

function columnWidths(raw: unknown): Partial<Record<ColumnId, number>> {
  const out: Partial<Record<ColumnId, number>> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const id of COLUMN_IDS) {
    const w = (raw as Record<string, unknown>)[id];
    if (typeof w === 'number' && Number.isFinite(w) && w >= 24 && w <= 2000) out[id] = Math.round(w);
  }
  return out;
}

const KEY = 'cors-lens.settings.v1';
const FILTERS: readonly ListFilter[] = ['all', 'blocked', 'preflighted', 'warnings', 'beside-cors'];

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
      showPageOwn: parsed.showPageOwn === true,
      hiddenColumns: Array.isArray(parsed.hiddenColumns)
        ? COLUMN_IDS.filter((id) => id !== 'target' && (parsed.hiddenColumns as unknown[]).includes(id))
        : [],
      columnWidths: columnWidths(parsed.columnWidths),
      foldedSections: Array.isArray(parsed.foldedSections)
        ? SECTIONS.filter((id) => (parsed.foldedSections as unknown[]).includes(id))
        : [],
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
