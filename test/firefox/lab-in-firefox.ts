/**
 * Running the CORS lab in Firefox ESR and lining its own verdicts up with the engine's. Shared by the real-browser
 * test, the fixture test and `npm run lab:capture:firefox` (which saves test/fixtures/firefox/lab.har + lab.reasons.json).
 */
import type { ExchangeReport, Report } from '../../src/lib/index.js';
import type { Lab } from '../lab/server.js';
import type { LabOrigins } from '../lab/scenarios.js';
import {
  firefoxVerdictFor,
  parseFirefoxCorsError,
  waitForExportedHar,
  type FirefoxLoggedReason,
  type FirefoxVerdict,
  type LaunchedFirefox,
} from '../support/firefox.js';

/** What the page reported for one scenario (see test/lab/page/lab-page.js). */
export interface PageScenarioResult {
  id: string;
  token: string;
  url: string;
  outcomes: string[];
}

/** The file saved beside the Firefox HAR: what Firefox itself said about each scenario's requests. */
export interface FirefoxReasonsFile {
  source: string;
  firefoxVersion: string;
  origins: LabOrigins;
  scenarios: Record<string, { token: string; url: string; pageSaw: string[]; firefox: FirefoxVerdict }>;
  /** Console errors that were no CORS line (fonts that fail to decode, …), for the record. */
  otherConsoleErrors: string[];
}

export interface FirefoxLabRun {
  har: unknown;
  reasons: FirefoxReasonsFile;
}

/** How long the network must be quiet before DevTools writes its HAR (long enough to span the lab's gaps). */
export const HAR_QUIET_MS = 2500;

/** Opens the lab, runs every scenario, and collects Firefox's console verdicts and its exported HAR. */
export async function runLabInFirefox(firefox: LaunchedFirefox, lab: Lab): Promise<FirefoxLabRun> {
  if (!firefox.harDir) throw new Error('launch Firefox with exportHar to run the lab');
  const { page } = firefox;
  await page.goto(lab.pageUrl);
  await page.waitForFunction(() => document.documentElement.dataset.labReady === 'true');
  const results = (await page.evaluate(() =>
    (window as unknown as { lab: { runAll(): Promise<unknown> } }).lab.runAll(),
  )) as PageScenarioResult[];
  const { har } = await waitForExportedHar(firefox.harDir, results.map((r) => r.token));
  // Console errors are delivered asynchronously; by the time the HAR is written the network has been quiet for
  // HAR_QUIET_MS, so every line for these requests has arrived.
  const parsed: FirefoxLoggedReason[] = [];
  const otherConsoleErrors: string[] = [];
  for (const e of firefox.consoleErrors) {
    const line = parseFirefoxCorsError(e.text);
    if (line) parsed.push(line);
    else otherConsoleErrors.push(e.text);
  }
  const scenarios: FirefoxReasonsFile['scenarios'] = {};
  for (const r of results) {
    const lines = parsed.filter((l) => l.url.includes(r.token));
    scenarios[r.id] = { token: r.token, url: r.url, pageSaw: r.outcomes, firefox: firefoxVerdictFor(lines) };
  }
  return {
    har,
    reasons: {
      source: 'Firefox console errors (WebDriver BiDi log.entryAdded) for the lab run exported in lab.har',
      firefoxVersion: firefox.version,
      origins: lab.origins,
      scenarios,
      otherConsoleErrors,
    },
  };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Comparing the engine with Firefox

/**
 * `agree`: the engine names Firefox's reason (or allows what Firefox allowed).
 * `unknown`: the engine declined to name a reason (verdict `unknown`, or blocked without a cause): acceptable.
 * `wrong`: a confident verdict that contradicts Firefox.
 */
export type Agreement = 'agree' | 'unknown' | 'wrong';

export interface ComparisonRow {
  scenario: string;
  firefox: FirefoxVerdict;
  exchange: ExchangeReport | undefined;
  agreement: Agreement;
  line: string;
}

function firefoxSaid(v: FirefoxVerdict): string {
  if (v.outcome === 'loaded') return 'loaded';
  return `${v.outcome} ${v.reason?.id ?? ''}`;
}

function engineSaid(e: ExchangeReport | undefined): string {
  if (!e) return '(no exchange)';
  const reason = e.failure?.firefoxReason?.id ?? (e.failure ? `(no Firefox reason; ${e.failure.chromeCorsError})` : '');
  return `${e.verdict}${reason ? ` ${reason}` : ''} [rules ${e.rules}]`;
}

export function agreementOf(firefox: FirefoxVerdict, e: ExchangeReport | undefined): Agreement {
  if (!e) return 'wrong';
  if (e.verdict === 'unknown') return 'unknown';
  const named = e.failure?.firefoxReason?.id;
  switch (firefox.outcome) {
    case 'loaded':
      return e.verdict === 'allowed' || e.verdict === 'not-cors' ? 'agree' : 'wrong';
    case 'blocked':
      if (e.verdict !== 'blocked') return 'wrong';
      if (!e.failure) return 'unknown';
      return named === firefox.reason?.id ? 'agree' : 'wrong';
    case 'network-failure':
      if (e.verdict === 'network-error') return 'agree';
      if (e.verdict === 'blocked') return !e.failure ? 'unknown' : named === 'CORSDidNotSucceed' ? 'agree' : 'wrong';
      return 'wrong';
  }
}

/** Every scenario request lined up with the report's exchange for it (same URL asked for, in start order). */
export function compareWithFirefox(report: Report, reasons: FirefoxReasonsFile): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const [scenario, saved] of Object.entries(reasons.scenarios)) {
    // Re-read Firefox's own lines, so a saved fixture is judged by the current reading of them.
    const s = { ...saved, firefox: firefoxVerdictFor(saved.firefox.lines.map((l) => parseFirefoxCorsError(l.text) ?? l)) };
    // The lab page never sends OPTIONS itself: an OPTIONS exchange there is a preflight the store did not pair.
    const exchanges = report.exchanges.filter((e) => e.url === s.url && e.method !== 'OPTIONS');
    const count = Math.max(exchanges.length, s.pageSaw.length, 1);
    for (let i = 0; i < count; i++) {
      const exchange = exchanges[i];
      const agreement = agreementOf(s.firefox, exchange);
      const name = `${scenario}${count > 1 ? `#${i + 1}` : ''}`;
      const mark = agreement === 'agree' ? 'ok  ' : agreement === 'unknown' ? '??  ' : 'DIFF';
      rows.push({
        scenario: name,
        firefox: s.firefox,
        exchange,
        agreement,
        line: `${mark} ${name.padEnd(44)} firefox: ${firefoxSaid(s.firefox).padEnd(46)} report: ${engineSaid(exchange)}`,
      });
    }
  }
  return rows;
}

export function summarize(rows: readonly ComparisonRow[]): { agree: number; unknown: number; wrong: number; text: string } {
  const count = (a: Agreement) => rows.filter((r) => r.agreement === a).length;
  const agree = count('agree');
  const unknown = count('unknown');
  const wrong = count('wrong');
  return {
    agree,
    unknown,
    wrong,
    text: `${rows.map((r) => r.line).join('\n')}\n${agree} agree, ${unknown} unknown (engine declined), ${wrong} wrong of ${rows.length}`,
  };
}
