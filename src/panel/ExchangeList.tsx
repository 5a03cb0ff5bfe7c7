/**
 * The exchange list: one dense row per exchange, virtualized, driven by the keyboard as a listbox. Columns as in the
 * Network panel: the user resizes them by dragging a header edge and hides them from the Columns menu; narrow panels
 * drop the least needed ones on their own.
 */
import { Component, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeReport } from '../explain/report.js';
import { badgeFor, preflightState, targetParts, type PreflightState } from './rowModel.js';
import { useVirtualRows } from './useVirtualRows.js';
import { COLUMN_IDS, type ColumnId } from './settings.js';
import { RichText, Shown, plainText, revealInvisible } from './shownText.js';
import { capturedValues, failureTemplates } from './reportText.js';
import type { WaitingEntry } from '../capture/unfinishedEntries.js';

export const ROW_HEIGHT = 20;

export interface ColumnDef {
  id: ColumnId;
  label: string;
  /** Default track: px, or a flexible share. */
  width: number | { min: number; fr: number };
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'verdict', label: 'Verdict', width: 104 },
  { id: 'method', label: 'Method', width: 66 },
  { id: 'target', label: 'Target', width: { min: 120, fr: 3 } },
  { id: 'reason', label: 'Reason', width: { min: 100, fr: 2 } },
  { id: 'initiator', label: 'Initiator', width: 130 },
  { id: 'status', label: 'Status', width: 46 },
  { id: 'preflight', label: 'Preflight', width: 72 },
];

/** Below these list widths (px) a column leaves on its own, least needed first. */
const AUTO_HIDE: readonly [ColumnId, number][] = [
  ['preflight', 640],
  ['initiator', 560],
  ['status', 420],
  ['reason', 330],
];

export function shownColumns(hidden: readonly ColumnId[], listWidth: number): ColumnId[] {
  return COLUMN_IDS.filter(
    (id) => id === 'target' || (!hidden.includes(id) && !AUTO_HIDE.some(([c, below]) => c === id && listWidth > 0 && listWidth < below)),
  );
}

export function gridTemplate(columns: readonly ColumnId[], widths: Partial<Record<ColumnId, number>>): string {
  return columns
    .map((id) => {
      const w = widths[id];
      if (w !== undefined) return `${w}px`;
      const def = COLUMNS.find((c) => c.id === id)!.width;
      return typeof def === 'number' ? `${def}px` : `minmax(${def.min}px, ${def.fr}fr)`;
    })
    .join(' ');
}

const PREFLIGHT_TEXT: Record<PreflightState, string> = {
  paired: '⇄',
  none: '',
  cached: 'cached',
  'not-captured': 'not captured',
};

interface RowProps {
  report: ExchangeReport;
  index: number;
  top: number;
  selected: boolean;
  /** The page's origin: the initiator is shown only where it differs. */
  pageOrigin: string | null;
  columns: readonly ColumnId[];
  onSelect(id: string): void;
}

function renderRow({ report, index, top, selected, pageOrigin, columns, onSelect }: RowProps) {
  const badge = badgeFor(report);
  const preflight = preflightState(report);
  const pf = report.preflight;
  const preflightFailed = report.failure?.phase === 'preflight';
  const blocker = report.blocker ?? null;
  const cells: Record<ColumnId, () => preact.JSX.Element> = {
    verdict: () => (
      <span class="cell verdict" key="verdict">
        <span class={`badge badge-${badge.kind}`}>{badge.text}</span>
        {blocker ? (
          <span class="badge badge-blocker" data-testid="blocker-badge" title={blocker.headline}>
            {blocker.badge}
          </span>
        ) : null}
      </span>
    ),
    method: () => (
      <span class="cell method" key="method" title={revealInvisible(report.method)}>
        <Shown text={report.method} />
      </span>
    ),
    target: () => {
      const { host, path } = targetParts(report.url);
      return (
        <span class="cell target url" key="target" title={revealInvisible(report.url)}>
          <span class="target-host">
            <Shown text={host} />
          </span>
          <span class="target-path">
            <Shown text={path} />
          </span>
        </span>
      );
    },
    reason: () => {
      const templates = blocker ? [] : failureTemplates(report, 'headline');
      const captured = capturedValues(report);
      return (
        <span class="cell reason" key="reason" title={plainText(badge.reason, templates, captured)}>
          <RichText text={badge.reason} templates={templates} captured={captured} />
        </span>
      );
    },
    initiator: () => {
      const own = report.initiatorOrigin === null || report.initiatorOrigin === pageOrigin;
      return (
        <span class="cell initiator" key="initiator" title={own ? '' : revealInvisible(report.initiatorOrigin ?? '')}>
          {own ? '' : <Shown text={report.initiatorOrigin ?? ''} />}
        </span>
      );
    },
    status: () => (
      <span class="cell status" key="status">
        {report.status > 0 ? report.status : '—'}
      </span>
    ),
    preflight: () => (
      <span
        class={`cell preflight preflight-${preflight}${preflightFailed ? ' preflight-failed' : ''}`}
        key="preflight"
        title={
          preflight === 'paired' && pf
            ? `Preflight OPTIONS answered ${pf.errorText ?? pf.status}${preflightFailed ? ': this is where the request failed' : ''}`
            : (report.preflightAbsentReason ?? report.preflightCache?.message ?? '')
        }
      >
        {preflight === 'paired' && pf ? `⇄ ${pf.errorText ? 'error' : pf.status}` : PREFLIGHT_TEXT[preflight]}
      </span>
    ),
  };
  return (
    <div
      id={`exchange-${index}`}
      role="option"
      class={`exchange-row verdict-${badge.kind}${blocker ? ' has-blocker' : ''}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected ? 'true' : 'false'}
      data-exchange-id={report.id}
      data-url={report.url}
      data-method={report.method}
      data-verdict={report.verdict}
      data-cors-error={report.failure?.chromeCorsError ?? blocker?.chromeCorsError ?? ''}
      data-failed-parameter={report.failure?.failedParameter ?? ''}
      data-has-warning={report.warnings.length > 0 ? 'true' : 'false'}
      data-preflight={preflight}
      data-blocker={blocker?.family ?? ''}
      onMouseDown={() => onSelect(report.id)}
    >
      {columns.map((id) => cells[id]())}
    </div>
  );
}

/**
 * A request DevTools handed over unfinished, held until its complete entry arrives: no verdict yet, only what it waits
 * for. Not selectable (there is no report to show), and not an `.exchange-row`: whatever reads the rows' verdicts
 * (a test, a script) sees the request only once it is judged.
 */
function WaitingRow({ entry, index, top, columns }: { entry: WaitingEntry; index: number; top: number; columns: readonly ColumnId[] }) {
  const { host, path } = targetParts(entry.url);
  const cells: Record<ColumnId, () => preact.JSX.Element> = {
    verdict: () => (
      <span class="cell verdict" key="verdict">
        <span class="badge badge-pending">pending</span>
      </span>
    ),
    method: () => (
      <span class="cell method" key="method">
        <Shown text={entry.method} />
      </span>
    ),
    target: () => (
      <span class="cell target url" key="target" title={revealInvisible(entry.url)}>
        <span class="target-host">
          <Shown text={host} />
        </span>
        <span class="target-path">
          <Shown text={path} />
        </span>
      </span>
    ),
    reason: () => (
      <span class="cell reason" key="reason" title={revealInvisible(entry.reason)}>
        <Shown text={entry.reason} />
      </span>
    ),
    initiator: () => <span class="cell initiator" key="initiator" />,
    status: () => (
      <span class="cell status" key="status">
        —
      </span>
    ),
    preflight: () => <span class="cell preflight" key="preflight" />,
  };
  return (
    <div
      id={`exchange-${index}`}
      role="option"
      class="waiting-row"
      style={{ transform: `translateY(${top}px)` }}
      aria-selected="false"
      aria-disabled="true"
      data-url={entry.url}
      data-method={entry.method}
      data-verdict="pending"
    >
      {columns.map((id) => cells[id]())}
    </div>
  );
}

/** A row re-renders only when its report object, position, selection or columns changed. */
export class ExchangeRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      p.report !== next.report ||
      p.index !== next.index ||
      p.top !== next.top ||
      p.selected !== next.selected ||
      p.pageOrigin !== next.pageOrigin ||
      p.columns !== next.columns
    );
  }
  override render(props: RowProps) {
    return renderRow(props);
  }
}

interface ListProps {
  reports: readonly ExchangeReport[];
  /** Requests waiting for DevTools to finish their entries, listed after the judged ones. */
  waiting?: readonly WaitingEntry[];
  selectedId: string | null;
  pageOrigin: string | null;
  hiddenColumns: readonly ColumnId[];
  columnWidths: Partial<Record<ColumnId, number>>;
  onColumnWidth(id: ColumnId, width: number): void;
  onSelect(id: string): void;
  onOpen(): void;
  listRef: { current: HTMLDivElement | null };
  emptyText: string;
}

function sameColumns(a: readonly ColumnId[], b: readonly ColumnId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export function ExchangeList(props: ListProps) {
  const { reports, waiting = [], selectedId, pageOrigin, hiddenColumns, onSelect, onOpen, listRef } = props;
  const virtualizer = useVirtualRows(reports.length + waiting.length, listRef, ROW_HEIGHT);
  const selectedIndex = selectedId === null ? -1 : reports.findIndex((r) => r.id === selectedId);
  const lastScrolled = useRef(-1);
  const [dragWidths, setDragWidths] = useState<Partial<Record<ColumnId, number>> | null>(null);
  const widths = dragWidths ?? props.columnWidths;

  // The same array while the columns stay the same, so rows skip re-rendering.
  const listWidth = virtualizer.scrollRect?.width ?? 0;
  const columnsRef = useRef<ColumnId[]>([]);
  const next = shownColumns(hiddenColumns, listWidth);
  if (!sameColumns(columnsRef.current, next)) columnsRef.current = next;
  const columns = columnsRef.current;

  useEffect(() => {
    if (selectedIndex >= 0 && selectedIndex !== lastScrolled.current) {
      lastScrolled.current = selectedIndex;
      virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    }
  }, [selectedIndex, virtualizer]);

  const move = (to: number): void => {
    if (reports.length === 0) return;
    const index = Math.max(0, Math.min(reports.length - 1, to));
    onSelect(reports[index]!.id);
  };
  // Read when a page key is pressed, not on every render: reading the height lays the page out at once.
  const page = (): number => Math.max(1, Math.floor((listRef.current?.clientHeight || 600) / ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex < 0 ? 0 : selectedIndex + 1),
      ArrowUp: () => move(selectedIndex < 0 ? 0 : selectedIndex - 1),
      PageDown: () => move(selectedIndex + page()),
      PageUp: () => move(selectedIndex - page()),
      Home: () => move(0),
      End: () => move(reports.length - 1),
      Enter: () => {
        if (selectedIndex < 0) move(0);
        onOpen();
      },
    };
    const action = keys[event.key];
    if (!action) return; // the panel's own keys (Escape, C) are handled where the event bubbles to
    // The list scrolls itself to the selected row; the browser must not scroll anything (the document least of all).
    event.preventDefault();
    action();
  };

  const startResize = (id: ColumnId, event: PointerEvent): void => {
    event.preventDefault();
    event.stopPropagation();
    const cell = (event.currentTarget as HTMLElement).parentElement;
    const startX = event.clientX;
    const startWidth = cell?.getBoundingClientRect().width ?? 100;
    const win = cell?.ownerDocument.defaultView ?? window;
    let latest = startWidth;
    const onMove = (e: PointerEvent): void => {
      latest = Math.max(32, Math.round(startWidth + e.clientX - startX));
      setDragWidths({ ...props.columnWidths, [id]: latest });
    };
    const onUp = (): void => {
      win.removeEventListener('pointermove', onMove);
      win.removeEventListener('pointerup', onUp);
      setDragWidths(null);
      props.onColumnWidth(id, latest);
    };
    win.addEventListener('pointermove', onMove);
    win.addEventListener('pointerup', onUp);
  };

  return (
    <div class="list-pane" style={{ '--columns': gridTemplate(columns, widths) }}>
      <div class="list-head" data-testid="list-head">
        {columns.map((id) => (
          <span class={`cell ${id}`} key={id} data-column={id}>
            {COLUMNS.find((c) => c.id === id)!.label}
            <span
              class="col-resize"
              role="separator"
              aria-orientation="vertical"
              aria-label={`Resize ${id}`}
              title="Drag to resize"
              onPointerDown={(e) => startResize(id, e as PointerEvent)}
            />
          </span>
        ))}
      </div>
      <div
        ref={listRef}
        class="list"
        role="listbox"
        tabIndex={0}
        aria-label="Cross-origin exchanges"
        aria-activedescendant={selectedIndex >= 0 ? `exchange-${selectedIndex}` : undefined}
        data-testid="exchange-list"
        onKeyDown={onKeyDown}
      >
        <div class="list-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => {
            const report = reports[item.index];
            if (!report) {
              const entry = waiting[item.index - reports.length];
              return entry ? <WaitingRow key={`waiting-${entry.id}`} entry={entry} index={item.index} top={item.start} columns={columns} /> : null;
            }
            return (
              <ExchangeRow
                key={report.id}
                report={report}
                index={item.index}
                top={item.start}
                selected={report.id === selectedId}
                pageOrigin={pageOrigin}
                columns={columns}
                onSelect={onSelect}
              />
            );
          })}
        </div>
        {reports.length + waiting.length === 0 ? <div class="empty">{props.emptyText}</div> : null}
      </div>
    </div>
  );
}

/**
 * Renders rows for `reports` once where no one sees them, lays them out, and takes them away again, all in one task
 * (so nothing is ever painted). The panel does this with the warm-up's made-up reports (src/panel/warmUp.ts) while
 * getHAR() is answered: the first frame of a backfill then finds the row code compiled and the rows' fonts, grid and
 * styles already met once, instead of doing all of that for the first time inside that frame.
 */
export function warmUpRows(doc: Document, reports: readonly ExchangeReport[]): void {
  if (reports.length === 0 || doc.body === null) return;
  const host = doc.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position:fixed;left:0;top:0;width:100%;height:0;overflow:hidden;visibility:hidden;pointer-events:none';
  doc.body.appendChild(host);
  try {
    const columns = shownColumns([], doc.documentElement.clientWidth);
    render(
      <div class="list-pane" style={{ '--columns': gridTemplate(columns, {}) }}>
        <div class="list">
          <div class="list-spacer" style={{ height: `${reports.length * ROW_HEIGHT}px` }}>
            {reports.map((report, index) => (
              <ExchangeRow
                key={report.id}
                report={report}
                index={index}
                top={index * ROW_HEIGHT}
                selected={false}
                pageOrigin={null}
                columns={columns}
                onSelect={() => undefined}
              />
            ))}
          </div>
        </div>
      </div>,
      host,
    );
    // Reading a size lays the document out now, rows included.
    void host.offsetHeight;
  } finally {
    render(null, host);
    host.remove();
  }
}
