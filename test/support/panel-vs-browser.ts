/**
 * The CORS panel against Chromium in the same run: for each lab scenario, the panel's rows and detail must say what
 * Chromium reported over CDP (verdict, CorsError, failedParameter, the console line it printed). Shared by the e2e
 * suite and `npm run soak`. No verdict is written down: the browser is the reference.
 */
import type { BrowserVerdict, CorsOracle } from './cors-oracle.js';
import type { PageScenarioResult } from './lab-run.js';
import type { PanelDetail, PanelDriver, PanelRow } from './panel-driver.js';

export function describeBrowser(v: BrowserVerdict | undefined): string {
  if (!v) return '(no request)';
  if (v.outcome === 'blocked') return `blocked ${v.corsError} [${v.failedParameter}]`;
  if (v.outcome === 'failed') return `failed ${v.errorText}`;
  return v.outcome;
}

export function describeRow(r: Pick<PanelRow, 'verdict' | 'corsError' | 'failedParameter'> | undefined | null): string {
  if (!r) return '(no row)';
  return r.verdict === 'blocked' ? `blocked ${r.corsError} [${r.failedParameter}]` : r.verdict;
}

/** What the panel must show for what Chromium did: the same verdict, CorsError name and failedParameter. */
export function agrees(
  v: BrowserVerdict | undefined,
  shown: { verdict: string; corsError: string; failedParameter: string } | undefined | null,
): boolean {
  if (!v || !shown) return false;
  switch (v.outcome) {
    case 'blocked':
      return shown.verdict === 'blocked' && shown.corsError === v.corsError && shown.failedParameter === (v.failedParameter ?? '');
    case 'loaded':
      return shown.verdict === 'allowed' && shown.corsError === '';
    case 'failed':
      return shown.verdict === 'network-error';
    default:
      return false;
  }
}

export interface PanelComparison {
  /** Requests compared (Chromium's requests, or the panel's rows where it shows more). */
  requests: number;
  /** One line per request: `ok` or `DIFF`, Chromium's verdict and the panel's. */
  table: string[];
  /** The `DIFF` lines only. */
  disagreements: string[];
  /** Requests the panel lists no row for, and rows Chromium has no request for. */
  missingRows: number;
  /** Blocked requests whose console line was compared, and the lines that differ. */
  consoleLines: number;
  consoleDisagreements: string[];
}

/**
 * Compares every scenario of `results`. `details`: also opens each row's detail (verdict, checklist, console line),
 * as a user would; without it, the rows alone.
 */
export async function comparePanelWithBrowser(
  panel: PanelDriver,
  oracle: CorsOracle,
  results: readonly PageScenarioResult[],
  options: { details?: boolean; timeoutMs?: number } = {},
): Promise<PanelComparison> {
  const details = options.details ?? true;
  const out: PanelComparison = { requests: 0, table: [], disagreements: [], missingRows: 0, consoleLines: 0, consoleDisagreements: [] };
  for (const r of results) {
    const browser = oracle.verdictsFor(r.token);
    const rows = (await panel.rowsFor(r.token, browser.length, options.timeoutMs)).filter((row) => row.url.includes(r.token));
    if (browser.length === 0 && rows.length === 0 && r.outcomes.every((o) => !o.startsWith('loaded'))) {
      // Chromium refused it before any request (a fetch whose mode forbids the origin): DevTools has nothing, nor the panel.
      out.table.push(`ok   ${r.id.padEnd(44)} chromium: refused before any request (no network entry)   panel: no row`);
      continue;
    }
    const n = Math.max(browser.length, rows.length, 1);
    for (let i = 0; i < n; i++) {
      out.requests++;
      const v = browser[i];
      const row = rows[i];
      if (!row || !v) out.missingRows++;
      const detail: PanelDetail | null = details && row?.exchangeId ? await panel.select(row.exchangeId) : null;
      // The checklist shows a failed check exactly when the browser blocked the request.
      const failedChecks = detail?.checks.filter((check) => check.status === 'fail').map((check) => check.id) ?? [];
      const checklistOk = !details || (!!detail && detail.checks.length > 0 && (v?.outcome === 'blocked') === failedChecks.length > 0);
      const ok = agrees(v, row) && (!details || agrees(v, detail)) && checklistOk && (!row || row.method === v?.method);
      const line =
        `${ok ? 'ok  ' : 'DIFF'} ${`${r.id}${n > 1 ? `#${i + 1}` : ''}`.padEnd(44)} chromium: ${describeBrowser(v).padEnd(60)} ` +
        `panel row: ${describeRow(row).padEnd(60)}` +
        (details
          ? ` detail: ${detail ? describeRow(detail) : '(none)'} · failed checks: ${failedChecks.join(', ') || 'none'}` +
            `${detail && detail.checks.length === 0 ? ' (empty checklist)' : ''}`
          : '');
      out.table.push(line);
      if (!ok) out.disagreements.push(`${line}\n     token: ${r.token}${detail?.missing ? `\n     ${detail.missing}` : ''}`);
      if (details && v?.outcome === 'blocked') {
        out.consoleLines++;
        const chromiumLine = v.consoleMessages[0] ?? '(none recorded)';
        const shown = (detail?.consoleMessage ?? '(no row)').trim();
        if (v.consoleMessages.length === 0 || shown !== chromiumLine) {
          out.consoleDisagreements.push(`${r.id}\n     chromium: ${chromiumLine}\n     panel:    ${shown}`);
        }
      }
    }
  }
  return out;
}
