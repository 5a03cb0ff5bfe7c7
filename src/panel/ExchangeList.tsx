/** The exchange list: one dense row per exchange, virtualized, driven by the keyboard as a listbox. */
import { Component } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ExchangeReport } from '../explain/report.js';
import { badgeFor, preflightState, shortUrl, type PreflightState } from './rowModel.js';
import { useVirtualRows } from './useVirtualRows.js';
import type { WaitingEntry } from '../capture/unfinishedEntries.js';

export const ROW_HEIGHT = 20;

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
  onSelect(id: string): void;
}

function renderRow({ report, index, top, selected, onSelect }: RowProps) {
  const badge = badgeFor(report);
  const preflight = preflightState(report);
  const origins = `${report.initiatorOrigin ?? '?'} → ${report.targetOrigin ?? '?'}`;
  const pf = report.preflight;
  const preflightText = preflight === 'paired' && pf ? `⇄ ${pf.errorText ? 'error' : pf.status}` : PREFLIGHT_TEXT[preflight];
  const preflightFailed = report.failure?.phase === 'preflight';
  const preflightTitle =
    preflight === 'paired' && pf
      ? `Preflight OPTIONS answered ${pf.errorText ?? pf.status}${preflightFailed ? ': this is where the request failed' : ''}`
      : (report.preflightAbsentReason ?? report.preflightCache?.message ?? '');
  return (
    <div
      id={`exchange-${index}`}
      role="option"
      class={`exchange-row verdict-${badge.kind}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-selected={selected ? 'true' : 'false'}
      data-exchange-id={report.id}
      data-url={report.url}
      data-method={report.method}
      data-verdict={report.verdict}
      data-cors-error={report.failure?.chromeCorsError ?? ''}
      data-failed-parameter={report.failure?.failedParameter ?? ''}
      data-has-warning={report.warnings.length > 0 ? 'true' : 'false'}
      data-preflight={preflight}
      onMouseDown={() => onSelect(report.id)}
    >
      <span class="cell verdict">
        <span class={`badge badge-${badge.kind}`}>{badge.text}</span>
      </span>
      <span class="cell method">{report.method}</span>
      <span class="cell url" title={report.url}>
        {shortUrl(report.url)}
      </span>
      <span class="cell reason" title={badge.reason}>
        {badge.reason}
      </span>
      <span class="cell origins" title={origins}>
        {origins}
      </span>
      <span class="cell status">{report.status > 0 ? report.status : '—'}</span>
      <span
        class={`cell preflight preflight-${preflight}${preflightFailed ? ' preflight-failed' : ''}`}
        title={preflightTitle}
      >
        {preflightText}
      </span>
    </div>
  );
}

/**
 * A request DevTools handed over unfinished, held until its complete entry arrives: no verdict yet, only what it waits
 * for. Not selectable (there is no report to show), and not an `.exchange-row`: whatever reads the rows' verdicts
 * (a test, a script) sees the request only once it is judged.
 */
function WaitingRow({ entry, index, top }: { entry: WaitingEntry; index: number; top: number }) {
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
      <span class="cell verdict">
        <span class="badge badge-pending">pending</span>
      </span>
      <span class="cell method">{entry.method}</span>
      <span class="cell url" title={entry.url}>
        {shortUrl(entry.url)}
      </span>
      <span class="cell reason" title={entry.reason}>
        {entry.reason}
      </span>
      <span class="cell origins" />
      <span class="cell status">—</span>
      <span class="cell preflight" />
    </div>
  );
}

/** A row re-renders only when its report object, position or selection changed. */
export class ExchangeRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return p.report !== next.report || p.index !== next.index || p.top !== next.top || p.selected !== next.selected;
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
  onSelect(id: string): void;
  onOpen(): void;
  listRef: { current: HTMLDivElement | null };
}

export function ExchangeList({ reports, waiting = [], selectedId, onSelect, onOpen, listRef }: ListProps) {
  const virtualizer = useVirtualRows(reports.length + waiting.length, listRef, ROW_HEIGHT);
  const selectedIndex = selectedId === null ? -1 : reports.findIndex((r) => r.id === selectedId);
  const lastScrolled = useRef(-1);

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
  const page = Math.max(1, Math.floor((listRef.current?.clientHeight || 600) / ROW_HEIGHT) - 1);

  const onKeyDown = (event: KeyboardEvent): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selectedIndex < 0 ? 0 : selectedIndex + 1),
      ArrowUp: () => move(selectedIndex < 0 ? 0 : selectedIndex - 1),
      PageDown: () => move(selectedIndex + page),
      PageUp: () => move(selectedIndex - page),
      Home: () => move(0),
      End: () => move(reports.length - 1),
      Enter: () => {
        if (selectedIndex < 0) move(0);
        onOpen();
      },
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  return (
    <div class="list-pane">
      <div class="list-head" aria-hidden="true">
        <span class="cell verdict">Verdict</span>
        <span class="cell method">Method</span>
        <span class="cell url">URL</span>
        <span class="cell reason">Reason</span>
        <span class="cell origins">Initiator → target</span>
        <span class="cell status">Status</span>
        <span class="cell preflight">Preflight</span>
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
              return entry ? <WaitingRow key={`waiting-${entry.id}`} entry={entry} index={item.index} top={item.start} /> : null;
            }
            return (
              <ExchangeRow
                key={report.id}
                report={report}
                index={item.index}
                top={item.start}
                selected={report.id === selectedId}
                onSelect={onSelect}
              />
            );
          })}
        </div>
        {reports.length + waiting.length === 0 ? <div class="empty">No requests yet. Requests the page makes from now on appear here; reload the page to see the ones it makes while loading.</div> : null}
      </div>
    </div>
  );
}
