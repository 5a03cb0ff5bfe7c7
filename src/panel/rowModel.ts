/**
 * What one list row shows of an ExchangeReport, and which rows a filter and search keep. Reads the report only: the
 * verdict, failure and checks come from the engine, never re-derived here.
 */
import type { ExchangeReport } from '../explain/report.js';
import type { ListFilter } from './settings.js';

/** `data-preflight`: whether the row's preflight is shown paired, was not needed, or is missing and why. */
export type PreflightState = 'paired' | 'none' | 'cached' | 'not-captured';

export function preflightState(report: ExchangeReport): PreflightState {
  if (report.preflight) return 'paired';
  if (report.preflightRequired !== true) return 'none';
  return report.preflightCache?.likelyCached ? 'cached' : 'not-captured';
}

export type BadgeKind = 'allowed' | 'blocked' | 'warning' | 'not-cors' | 'network-error' | 'unknown';

export interface Badge {
  kind: BadgeKind;
  text: string;
  /** One-line reason shown next to the badge (the failure's headline for blocked rows). */
  reason: string;
}

const BADGE_TEXT: Record<BadgeKind, string> = {
  allowed: 'allowed',
  blocked: 'blocked',
  warning: 'warning',
  'not-cors': 'not CORS',
  'network-error': 'network error',
  unknown: 'cannot tell',
};

export function badgeFor(report: ExchangeReport): Badge {
  // A low-severity note (e.g. a custom response header not exposed) stays an "allowed" badge and stays out of the
  // row: such notes hold for most responses, so they live in the detail, and the rows keep the risky ones visible.
  const risky = report.warnings.find((w) => w.severity !== 'low');
  const kind: BadgeKind = report.verdict === 'allowed' && risky ? 'warning' : report.verdict;
  const reason =
    report.blocker?.headline ??
    report.failure?.headline ??
    (report.verdict === 'allowed' ? risky?.headline : undefined) ??
    report.notReallyCors?.message ??
    (report.verdict === 'unknown' || report.verdict === 'network-error' ? report.summary : '') ??
    '';
  // A Firefox capture that does not record the credentials mode: the likely reading, not a bare "cannot tell".
  const text = report.verdict === 'unknown' && report.likely ? 'likely allowed' : BADGE_TEXT[kind];
  return { kind, text, reason };
}

/**
 * The page's own traffic, out of the default view: its navigations (document loads) and requests to its own origin,
 * which CORS does not judge.
 */
export function isPageOwnRequest(report: ExchangeReport): boolean {
  if (report.kind === 'document') return true;
  if (report.blocker || report.failure || report.verdict === 'blocked') return false;
  return (
    report.initiatorOrigin !== null &&
    report.initiatorOrigin === report.targetOrigin &&
    report.redirects.length === 0
  );
}

/** The origin most rows come from: the page's. Rows from it do not repeat it. */
export function commonInitiator(reports: readonly ExchangeReport[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const r of reports) {
    if (r.initiatorOrigin === null) continue;
    const n = (counts.get(r.initiatorOrigin) ?? 0) + 1;
    counts.set(r.initiatorOrigin, n);
    if (n > bestCount) {
      best = r.initiatorOrigin;
      bestCount = n;
    }
  }
  return best;
}

export function matchesFilter(report: ExchangeReport, filter: ListFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'blocked':
      return report.verdict === 'blocked';
    case 'preflighted':
      return report.preflight !== null || report.preflightRequired === true;
    case 'warnings':
      return report.warnings.length > 0;
    case 'beside-cors':
      return report.blocker !== undefined && report.blocker !== null;
  }
}

/** Case-insensitive substring search over URL (as asked and as reached), method, both origins and what blocked it. */
export function matchesSearch(report: ExchangeReport, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [
    report.url,
    report.finalUrl,
    report.method,
    report.initiatorOrigin ?? '',
    report.targetOrigin ?? '',
    report.blocker?.badge ?? '',
  ].some((field) => field.toLowerCase().includes(q));
}

export function visibleReports(
  reports: readonly ExchangeReport[],
  filter: ListFilter,
  query: string,
  showPageOwn = true,
): readonly ExchangeReport[] {
  // Nothing to filter (the usual case while capturing): no copy of a list that may be 10,000 long.
  if (filter === 'all' && query.trim() === '' && showPageOwn) return reports;
  return reports.filter(
    (r) => (showPageOwn || !isPageOwnRequest(r)) && matchesFilter(r, filter) && matchesSearch(r, query),
  );
}

/** The target split for a narrow row: the host (which gives way first) and the path with the query. */
export function targetParts(url: string): { host: string; path: string } {
  const m = /^https?:\/\/([^/?#]*)(.*)$/is.exec(url);
  return m ? { host: m[1]!, path: m[2]! } : { host: '', path: url };
}
