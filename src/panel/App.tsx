/**
 * The CORS panel: a toolbar, the exchange list and the selected exchange's detail. It takes everything browser-bound
 * as a parameter (where entries come from, how exchanges are stored, the fix generators, storage), so the same app
 * runs in DevTools, on a plain page and in component tests.
 *
 * Why one file over 400 lines: the panel's state (source, store, selection, filters, settings, import and export) and
 * the toolbar that drives it; the list and the detail are their own components.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { ExchangeReport } from '../explain/report.js';
import type { ExchangeStore, ExchangeStoreOptions, StoreChange } from '../store/storeTypes.js';
import type { FixSnippet, ServerId } from '../fixes/model.js';
import type { CaptureSource } from '../model/exchange.js';
import { COLUMNS, ExchangeList } from './ExchangeList.js';
import { ExchangeDetail, type PanelBrowser } from './ExchangeDetail.js';
import { commonInitiator, visibleReports } from './rowModel.js';
import {
  COLUMN_IDS,
  loadSettings,
  MAX_EXCHANGES_CHOICES,
  saveSettings,
  type ColumnId,
  type DetailSection,
  type ListFilter,
  type PanelSettings,
  type SettingsStorage,
} from './settings.js';
import { Shown } from './shownText.js';
import { createStaticSource, type HarEntrySource, type UnfinishedOutcome, type WaitingEntry } from './source.js';
import { assembleReport } from '../explain/assembleReport.js';
import { formatCount } from '../explain/counts.js';
import { harExport, reportJsonExport, type ExportResult } from './exportReport.js';
import { markdownExport } from './exportMarkdown.js';
import { parseJsonFile } from './importHar.js';
import { readHarLog } from '../lib/explainHar.js';

export interface PanelDeps {
  source: HarEntrySource;
  createStore(options: ExchangeStoreOptions): ExchangeStore;
  suggestFixes?(report: ExchangeReport): FixSnippet[];
  storage?: SettingsStorage;
  /**
   * Runs `flush` once before the next paint; batches entries that finish in the same frame. A hand-over too large for
   * one frame (the getHAR() snapshot of a long capture, an imported HAR) is taken in over several, `INTAKE_BUDGET_MS`
   * of judging each.
   */
  schedule?(flush: () => void): void;
  /** Saves a file for the user. */
  download?(fileName: string, mimeType: string, text: string): void;
  /**
   * Turns a parsed HAR file into a source of its entries; throws with a one-line message when it is not a HAR.
   * Default: `log.entries` (read by readHarLog) into the panel's own store.
   */
  openHar?(har: unknown, fileName: string): HarEntrySource;
  /** The browser the panel runs in (its console wording comes first); default: told by the user agent. */
  panelBrowser?: PanelBrowser;
}

/**
 * The largest file the panel opens: its text must fit in one JavaScript string (about 512 MB in Chromium and
 * Firefox), with room to spare for parsing.
 */
export const MAX_IMPORT_BYTES = 400 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

const FILTERS: { id: ListFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'blocked', label: 'Blocked' },
  { id: 'preflighted', label: 'Preflighted' },
  { id: 'warnings', label: 'Warnings' },
  { id: 'beside-cors', label: 'Beside CORS' },
];

const FILTER_TITLES: Partial<Record<ListFilter, string>> = {
  'beside-cors': 'Stopped by something beside the CORS checks: LNA, CORP, ORB, CSP, mixed content, an extension, the network…',
};

/**
 * The time a frame spends judging a backfill (a hand-over too large for one frame); what is left of a 60 Hz frame goes
 * to the list's render, paint and input. The entries beyond it wait for the next frame, in order.
 */
export const INTAKE_BUDGET_MS = 8;
/** What one entry is taken to cost before any was timed: the first frame of a backfill takes 4 (its code runs for the first time). */
const FIRST_GUESS_MS_PER_ENTRY = 2;

function defaultSchedule(flush: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
}

export function defaultDownload(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function droppedNotice(dropped: number, cap: number): string {
  const what = dropped === 1 ? '1 older exchange was' : `${formatCount(dropped)} older exchanges were`;
  const raise = cap < Math.max(...MAX_EXCHANGES_CHOICES) ? 'Raise “Keep” in the toolbar to hold more, or export' : 'Export';
  return `${what} dropped: the list keeps the latest ${formatCount(cap)}. ${raise} the HAR regularly to keep everything.`;
}

/** How many outcomes of entries that came unfinished the status bar keeps (its tooltip lists them). */
const UNFINISHED_LOG_SIZE = 200;

function describeOutcome(o: UnfinishedOutcome): string {
  const how =
    o.result === 'completed'
      ? `completed from ${o.via ?? 'DevTools'}`
      : `never completed: ${o.result === 'gave-up' ? 'cannot tell' : 'judged from the failure it records'}`;
  return `${o.method} ${o.url}: ${how} after ${Math.round(o.waitedMs)} ms (${o.missing})`;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

export function App(deps: PanelDeps) {
  const { createStore, suggestFixes, storage } = deps;
  const schedule = deps.schedule ?? defaultSchedule;
  const download = deps.download ?? defaultDownload;

  const [settings, setSettings] = useState<PanelSettings>(() => loadSettings(storage));
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const updateSettings = useCallback(
    (patch: Partial<PanelSettings>) => {
      setSettings((old) => {
        const next = { ...old, ...patch };
        saveSettings(storage, next);
        return next;
      });
    },
    [storage],
  );

  const [source, setSource] = useState<HarEntrySource>(deps.source);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const storeRef = useRef<ExchangeStore | null>(null);
  const [dropped, setDropped] = useState(0);
  const [rejected, setRejected] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [waiting, setWaiting] = useState<readonly WaitingEntry[]>([]);
  const [unfinished, setUnfinished] = useState<readonly UnfinishedOutcome[]>([]);
  const [selectedId, setSelected] = useState<string | null>(null);
  const [detailOpen, setDetailOpen] = useState(true);
  /** Selecting a row (click, keys) shows its detail; ✕ and Escape hide it until the next selection. */
  const setSelectedId = useCallback((id: string | null) => {
    setSelected(id);
    setDetailOpen(id !== null);
  }, []);
  const copyFixRef = useRef<(() => void) | null>(null);
  /** Forgets the entries handed over and not yet taken in (Clear: they finished before it). */
  const dropQueuedRef = useRef<() => void>(() => {});
  const panelBrowser: PanelBrowser =
    deps.panelBrowser ?? (typeof navigator !== 'undefined' && /\bFirefox\//.test(navigator.userAgent) ? 'firefox' : 'chrome');
  const listRef = useRef<HTMLDivElement | null>(null);
  const detailRef = useRef<HTMLElement | null>(null);
  const fileRef = useRef<HTMLInputElement | null>(null);

  // One store per source; entries finished in the same frame go in as one batch, a backfill a budget's worth per frame.
  useEffect(() => {
    /** Entries handed over and not yet in the store, in the order they came. */
    let queued: unknown[] = [];
    /**
     * A hand-over too large for one frame (the getHAR() snapshot, an imported HAR) is being taken in: until the queue is
     * empty, each frame takes a budget's worth, and live entries wait behind it. Otherwise a frame takes all that came.
     */
    let backfilling = false;
    let scheduled = false;
    let live = true;
    /** Measured on each batch; it falls by half at most per batch (a few cheap entries say little of the next). */
    let msPerEntry = FIRST_GUESS_MS_PER_ENTRY;
    const fitInAFrame = (): number => Math.max(1, Math.floor(INTAKE_BUDGET_MS / msPerEntry));
    dropQueuedRef.current = () => void (queued = []);
    const makeStore = (options: { pageUrl?: string } = {}): ExchangeStore =>
      (source.createStore ?? createStore)({ rules: 'auto', maxExchanges: settingsRef.current.maxExchanges, ...options });
    let store = makeStore();
    storeRef.current = store;
    setDropped(0);
    setRejected(0);
    setWaiting([]);
    setUnfinished([]);
    bump(0);
    void source.pageUrl?.().then((pageUrl) => {
      if (live && pageUrl && store.size === 0 && queued.length === 0) {
        store = makeStore({ pageUrl });
        storeRef.current = store;
      }
    });
    const flush = (): void => {
      scheduled = false;
      if (!live) return;
      const fits = backfilling ? fitInAFrame() : queued.length;
      // Usually all of it (a live frame's few entries): the array itself, not a copy.
      const batch = fits >= queued.length ? queued : queued.splice(0, fits);
      if (batch === queued) {
        queued = [];
        backfilling = false;
      }
      if (batch.length === 0) return;
      const started = performance.now();
      takeIn(batch);
      msPerEntry = Math.max((performance.now() - started) / batch.length, msPerEntry / 2);
      // The rest in the next frame, after this one's paint and input.
      if (queued.length > 0 && !scheduled) {
        scheduled = true;
        schedule(flush);
      }
    };
    const takeIn = (batch: unknown[]): void => {
      let change: StoreChange;
      try {
        change = store.addEntries(batch);
      } catch (error) {
        // The store promises not to throw; if it does, say so and keep the panel alive.
        setMessage(`Could not read ${batch.length} requests: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (change.rejected.length > 0) setRejected((n) => n + change.rejected.length);
      setDropped(store.droppedCount);
      if (change.added.length + change.updated.length + change.dropped.length > 0) bump(0);
    };
    const stop = source.start({
      entries(entries) {
        if (entries.length === 0) return;
        if (entries.length > fitInAFrame()) backfilling = true;
        // A loop, not `push(...entries)`: an imported HAR hands over all its entries at once, and an argument list of
        // more than about 125,000 overflows the stack.
        for (const entry of entries) queued.push(entry);
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
      },
      waiting(list) {
        if (live) setWaiting(list);
      },
      unfinished(outcome) {
        if (live) setUnfinished((log) => [...log.slice(-(UNFINISHED_LOG_SIZE - 1)), outcome]);
      },
      navigated(url) {
        if (settingsRef.current.preserveLog) return 'keep-waiting';
        queued = [];
        store = makeStore({ pageUrl: url });
        storeRef.current = store;
        setSelectedId(null);
        setDropped(0);
        setRejected(0);
        bump(0);
        // What still waits for DevTools belongs to the page left behind.
        return 'drop-waiting';
      },
    });
    return () => {
      live = false;
      stop();
    };
  }, [source, createStore]);

  // The Columns menu closes on a click elsewhere, as a menu does.
  const columnsMenuRef = useRef<HTMLDetailsElement | null>(null);
  useEffect(() => {
    const doc = columnsMenuRef.current?.ownerDocument;
    if (!doc) return;
    const onDown = (event: Event): void => {
      const menu = columnsMenuRef.current;
      if (menu?.open && !menu.contains(event.target as Node)) menu.open = false;
    };
    doc.addEventListener('mousedown', onDown);
    return () => doc.removeEventListener('mousedown', onDown);
  }, []);

  const store = storeRef.current;
  const all = useMemo(() => store?.list() ?? [], [store, version]);
  const shown = useMemo(
    () => visibleReports(all, settings.filter, query, settings.showPageOwn),
    [all, settings.filter, query, settings.showPageOwn],
  );
  const shownWaiting = useMemo(() => {
    if (settings.filter !== 'all') return [];
    const q = query.trim().toLowerCase();
    return q ? waiting.filter((w) => w.url.toLowerCase().includes(q) || w.method.toLowerCase().includes(q)) : waiting;
  }, [waiting, settings.filter, query]);
  const pageOrigin = useMemo(() => commonInitiator(all), [all]);
  const selected = selectedId !== null && detailOpen ? (store?.get(selectedId) ?? null) : null;
  if (!selected) copyFixRef.current = null;
  const fixes = useMemo(() => (selected && suggestFixes ? safeFixes(suggestFixes, selected) : []), [selected, suggestFixes]);

  const openDetail = (): void => {
    setDetailOpen(true);
    queueMicrotask(() => detailRef.current?.focus());
  };
  const closeDetail = (): void => {
    setDetailOpen(false);
    listRef.current?.focus();
  };
  const foldSection = (id: DetailSection, folded: boolean): void => {
    const rest = settingsRef.current.foldedSections.filter((s) => s !== id);
    updateSettings({ foldedSections: folded ? [...rest, id] : rest });
  };
  const toggleColumn = (id: ColumnId, shown: boolean): void => {
    const rest = settingsRef.current.hiddenColumns.filter((c) => c !== id);
    updateSettings({ hiddenColumns: shown ? rest : [...rest, id] });
  };
  /** The panel's keys: Escape closes the detail; C copies the fix of the selected row (outside text fields). */
  const onAppKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && selected) {
      // Escape closes the detail from anywhere in the panel (the list, the detail, a button in it).
      event.preventDefault();
      closeDetail();
      return;
    }
    if (event.key !== 'c' && event.key !== 'C') return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (copyFixRef.current) {
      event.preventDefault();
      copyFixRef.current();
    } else if (selectedId !== null && !selected) {
      // The detail was closed: open it on the selected row and copy its fix there (the detail says "Copied").
      event.preventDefault();
      copyWhenOpenRef.current = true;
      setDetailOpen(true);
    }
  };
  const copyWhenOpenRef = useRef(false);
  useEffect(() => {
    if (!copyWhenOpenRef.current || !selected) return;
    copyWhenOpenRef.current = false;
    copyFixRef.current?.();
  });

  const clear = (): void => {
    dropQueuedRef.current();
    store?.clear();
    setSelectedId(null);
    setDropped(0);
    setRejected(0);
    setMessage(null);
    bump(0);
  };

  /** Applies a new cap to the list now (a lower one drops the oldest at once) and to every store made after. */
  const changeMaxExchanges = (maxExchanges: number): void => {
    updateSettings({ maxExchanges });
    settingsRef.current = { ...settingsRef.current, maxExchanges };
    if (!store) return;
    const change = store.setMaxExchanges(maxExchanges);
    setDropped(store.droppedCount);
    if (change.dropped.length > 0) {
      if (selectedId !== null && change.dropped.includes(selectedId)) setSelectedId(null);
      bump(0);
    }
  };

  const importFile = async (file: File): Promise<void> => {
    let next: HarEntrySource;
    try {
      if (file.size > MAX_IMPORT_BYTES) {
        throw new Error(
          `too large to open in the panel (${megabytes(file.size)}; the panel reads up to ${megabytes(MAX_IMPORT_BYTES)}). Export fewer requests, or split the capture`,
        );
      }
      let text: string;
      try {
        text = await file.text();
      } catch (error) {
        throw new Error(`the file could not be read (${error instanceof Error ? error.message : String(error)})`);
      }
      const parsed = parseJsonFile(text);
      if (!parsed.ok) throw new Error(parsed.error);
      next = deps.openHar
        ? deps.openHar(parsed.data, file.name)
        : createStaticSource(file.name, readHarLog(parsed.data).entries, deps.source.theme);
    } catch (error) {
      setMessage(`Could not open ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    setMessage(null);
    setSelectedId(null);
    setSource(next);
  };

  const exportSource: CaptureSource = source.live ? 'chromium-devtools' : (source.captureSource ?? 'unknown-har');
  /** Saves an export, or shows why it could not be made (too large, nested too deeply): never only a console error. */
  const save = (fileName: string, mimeType: string, result: ExportResult): void => {
    if (!result.ok) {
      setMessage(result.error);
      return;
    }
    setMessage(null);
    download(fileName, mimeType, result.text);
  };
  const exportHar = (): void => save(`cors-lens-${stamp()}.har`, 'application/json', harExport(store?.entries() ?? []));
  const exportJson = (): void =>
    save(`cors-lens-report-${stamp()}.json`, 'application/json', reportJsonExport(assembleReport(all, { source: exportSource })));
  const exportMarkdown = (): void =>
    save(`cors-lens-report-${stamp()}.md`, 'text/markdown', markdownExport(assembleReport(all, { source: exportSource })));

  const blockedCount = useMemo(() => all.reduce((n, r) => n + (r.verdict === 'blocked' ? 1 : 0), 0), [all]);

  return (
    <div class={`app${selected ? ' has-detail' : ''}`} onKeyDown={onAppKeyDown}>
      <div class="toolbar" role="toolbar" aria-label="CORS panel">
        <button type="button" class="icon-button" data-testid="clear" title="Clear" aria-label="Clear" onClick={clear}>
          ⊘
        </button>
        <label class="check-label" title="Keep the list when the page navigates">
          <input
            type="checkbox"
            data-testid="preserve-log"
            checked={settings.preserveLog}
            onChange={(e) => updateSettings({ preserveLog: (e.currentTarget as HTMLInputElement).checked })}
          />
          Preserve log
        </label>
        <label class="check-label" title="The most requests the list keeps; the oldest are dropped first">
          Keep
          <select
            data-testid="max-exchanges"
            value={String(settings.maxExchanges)}
            onChange={(e) => changeMaxExchanges(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {MAX_EXCHANGES_CHOICES.map((cap) => (
              <option key={cap} value={String(cap)}>
                {formatCount(cap)}
              </option>
            ))}
          </select>
        </label>
        <span class="divider" />
        <input
          type="search"
          class="search"
          placeholder="Filter by URL, method, origin"
          aria-label="Filter by URL, method or origin"
          data-testid="search"
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
        <div class="filters" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button
              type="button"
              key={f.id}
              class={`filter${settings.filter === f.id ? ' active' : ''}`}
              aria-pressed={settings.filter === f.id ? 'true' : 'false'}
              data-filter={f.id}
              title={FILTER_TITLES[f.id]}
              onClick={() => updateSettings({ filter: f.id })}
            >
              {f.label}
            </button>
          ))}
        </div>
        <label class="check-label" title="Show the page’s own navigations and same-origin requests, which CORS does not judge">
          <input
            type="checkbox"
            data-testid="show-page-own"
            checked={settings.showPageOwn}
            onChange={(e) => updateSettings({ showPageOwn: (e.currentTarget as HTMLInputElement).checked })}
          />
          Same-origin
        </label>
        <details class="columns-menu" data-testid="columns-menu" ref={columnsMenuRef}>
          <summary title="Show or hide columns">Columns</summary>
          <div class="menu" role="group" aria-label="Columns">
            {COLUMN_IDS.filter((id) => id !== 'target').map((id) => (
              <label key={id} class="check-label">
                <input
                  type="checkbox"
                  data-column-toggle={id}
                  checked={!settings.hiddenColumns.includes(id)}
                  onChange={(e) => toggleColumn(id, (e.currentTarget as HTMLInputElement).checked)}
                />
                {COLUMNS.find((c) => c.id === id)!.label}
              </label>
            ))}
            {Object.keys(settings.columnWidths).length > 0 ? (
              <button type="button" onClick={() => updateSettings({ columnWidths: {} })}>
                Reset widths
              </button>
            ) : null}
          </div>
        </details>
        <span class="spacer" />
        {!source.live ? (
          <button type="button" class="source-chip" title="Back to live capture" onClick={() => setSource(deps.source)}>
            <Shown text={source.label} /> ✕
          </button>
        ) : null}
        <label class="button-like" title="Open a saved HAR file and explain it">
          Import HAR…
          <input
            ref={fileRef}
            type="file"
            accept=".har,.json,application/json"
            class="visually-hidden"
            data-testid="import-har"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              if (file) void importFile(file).finally(() => (input.value = ''));
            }}
          />
        </label>
        <span class="divider" />
        <span class="dim">Export</span>
        <button type="button" data-testid="export-har" title="Save these requests as a HAR file" onClick={exportHar}>
          HAR
        </button>
        <button type="button" data-testid="export-json" title="Save the report as JSON" onClick={exportJson}>
          JSON
        </button>
        <button type="button" data-testid="export-markdown" title="Save the report as Markdown" onClick={exportMarkdown}>
          MD
        </button>
      </div>
      {message ? (
        <div class="notice notice-error" role="alert" data-testid="message">
          <Shown text={message} />
        </div>
      ) : null}
      {dropped > 0 ? (
        <div class="notice" data-testid="dropped-notice">
          {droppedNotice(dropped, store?.maxExchanges ?? settings.maxExchanges)}
        </div>
      ) : null}
      <div class="main">
        <ExchangeList
          reports={shown}
          waiting={shownWaiting}
          selectedId={selectedId}
          pageOrigin={pageOrigin}
          hiddenColumns={settings.hiddenColumns}
          columnWidths={settings.columnWidths}
          onColumnWidth={(id, width) => updateSettings({ columnWidths: { ...settingsRef.current.columnWidths, [id]: width } })}
          onSelect={setSelectedId}
          onOpen={openDetail}
          listRef={listRef}
          emptyText={
            all.length > 0
              ? 'No request matches (the page’s own requests show with “Same-origin”).'
              : 'No requests yet. Requests the page makes from now on appear here; reload the page to see the ones it makes while loading.'
          }
        />
        {selected ? (
          <ExchangeDetail
            key={selected.id}
            report={selected}
            fixes={fixes}
            fixServer={settings.fixServer}
            onFixServer={(server: ServerId) => updateSettings({ fixServer: server })}
            onClose={closeDetail}
            detailRef={detailRef}
            panelBrowser={panelBrowser}
            foldedSections={settings.foldedSections}
            onFold={foldSection}
            copyFixRef={copyFixRef}
          />
        ) : null}
      </div>
      <div class="statusbar">
        <span data-testid="row-count">
          {shown.length === all.length ? `${all.length} requests` : `${shown.length} / ${all.length} requests`}
        </span>
        <span>{blockedCount} blocked</span>
        {rejected > 0 ? <span>{rejected} entries could not be read</span> : null}
        {waiting.length > 0 ? (
          <span data-testid="waiting-count" title="DevTools handed these requests over unfinished; the panel judges them once their complete entries arrive">
            {waiting.length} waiting for DevTools
          </span>
        ) : null}
        {unfinished.length > 0 ? (
          <span
            // Requests stopped before sending are asked about again too, and end "as recorded": counted, not shown.
            hidden={unfinished.every((o) => o.result === 'as-recorded')}
            data-testid="unfinished-log"
            data-completed={String(unfinished.filter((o) => o.result === 'completed').length)}
            data-gave-up={String(unfinished.filter((o) => o.result === 'gave-up').length)}
            data-as-recorded={String(unfinished.filter((o) => o.result === 'as-recorded').length)}
            title={unfinished.map(describeOutcome).join('\n')}
          >
            {unfinished.filter((o) => o.result !== 'as-recorded').length} came unfinished
          </span>
        ) : null}
        <span class="spacer" />
        <span class="dim">{source.live ? 'live' : <Shown text={source.label} />}</span>
      </div>
    </div>
  );
}

function safeFixes(suggest: (r: ExchangeReport) => FixSnippet[], report: ExchangeReport): FixSnippet[] {
  try {
    return suggest(report);
  } catch {
    return [];
  }
}
