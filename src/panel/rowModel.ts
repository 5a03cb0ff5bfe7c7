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
  // A low-severity note (e.g. a custom response header not exposed) stays an "allowed" badge with the note as its
  // reason: when most responses carry such a header, a yellow badge on every row would hide the risky ones.
  const risky = report.warnings.find((w) => w.severity !== 'low');
  const kind: BadgeKind = report.verdict === 'allowed' && risky ? 'warning' : report.verdict;
  const reason =
    report.failure?.headline ??
    (report.verdict === 'allowed' ? (risky ?? report.warnings[0])?.headline : undefined) ??
    report.notReallyCors?.message ??
    (report.verdict === 'unknown' || report.verdict === 'network-error' ? report.summary : '') ??
    '';
  return { kind, text: BADGE_TEXT[kind], reason };
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
  }
}

/** Case-insensitive substring search over URL (as asked and as reached), method and both origins. */
export function matchesSearch(report: ExchangeReport, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [report.url, report.finalUrl, report.method, report.initiatorOrigin ?? '', report.targetOrigin ?? ''].some(
    (field) => field.toLowerCase().includes(q),
  );
}

export function visibleReports(
  reports: readonly ExchangeReport[],
  filter: ListFilter,
  query: string,
): readonly ExchangeReport[] {
  // Nothing to filter (the usual case while capturing): no copy of a list that may be 10,000 long.
  if (filter === 'all' && query.trim() === '') return reports;
  return reports.filter((r) => matchesFilter(r, filter) && matchesSearch(r, query));
}

/** A URL shortened for a dense row: path + query when the target origin is shown beside it. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}` || url;
  } catch {
    return url;
  }
}
