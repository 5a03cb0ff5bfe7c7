/**
 * The offline path on real data: HAR files captured from the lab in Chromium (npm run lab:capture), explained by
 * `explainHar` and by the `cors-lens` command, compared with what Chromium itself reported over CDP for the same
 * requests in the same run (test/fixtures/chromium/*.verdicts.json). No verdict is written down here.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { explainHar, type ExchangeReport, type Report } from '../../src/lib/index.js';
import type { BrowserVerdict } from '../support/cors-oracle.js';
import type { VerdictsFile } from '../support/har-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/chromium');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as T;

/** The newest DevTools capture (lab-<date>.har). */
const devtoolsCapture = readdirSync(fixtures)
  .filter((f) => /^lab-\d{4}-\d{2}-\d{2}\.har$/.test(f))
  .sort()
  .at(-1)!;

interface Row {
  scenario: string;
  browser: BrowserVerdict | undefined;
  exchange: ExchangeReport | undefined;
}

/** Lines up every request of every scenario with the report's exchange for it (same URL asked for, in start order). */
function lineUp(report: Report, verdicts: VerdictsFile): Row[] {
  const rows: Row[] = [];
  for (const [scenario, { url }] of Object.entries(verdicts.scenarios)) {
    const browser = verdicts.verdicts[url] ?? [];
    const exchanges = report.exchanges.filter((e) => e.url === url);
    for (let i = 0; i < Math.max(browser.length, exchanges.length, 1); i++) {
      rows.push({ scenario: `${scenario}${browser.length > 1 ? `#${i + 1}` : ''}`, browser: browser[i], exchange: exchanges[i] });
    }
  }
  return rows;
}

function said(e: ExchangeReport | undefined): string {
  if (!e) return '(no exchange)';
  return e.failure ? `${e.verdict} ${e.failure.chromeCorsError} [${e.failure.failedParameter}]` : e.verdict;
}
function saw(v: BrowserVerdict | undefined): string {
  if (!v) return '(no request)';
  return v.outcome === 'blocked' ? `blocked ${v.corsError} [${v.failedParameter}]` : v.outcome === 'failed' ? `failed ${v.errorText}` : v.outcome;
}

/** A full HAR records the server's answer, so the report must name exactly what Chromium named. */
function agreesWithFullCapture(v: BrowserVerdict | undefined, e: ExchangeReport | undefined): boolean {
  if (!v || !e) return false;
  if (v.outcome === 'blocked') {
    return e.verdict === 'blocked' && e.failure?.chromeCorsError === v.corsError && e.failure?.failedParameter === (v.failedParameter ?? '');
  }
  if (v.outcome === 'loaded') return e.verdict === 'allowed' && e.failure === null;
  if (v.outcome === 'failed') return e.verdict === 'network-error';
  return false;
}

/**
 * Playwright's HAR drops the response of a blocked request (devtools-capture.md §G): the report must say "blocked"
 * without naming a cause it cannot know.
 */
function agreesWithPlaywrightCapture(v: BrowserVerdict | undefined, e: ExchangeReport | undefined): boolean {
  if (!v || !e) return false;
  if (v.outcome === 'blocked') return e.verdict === 'blocked' && e.failure === null;
  if (v.outcome === 'loaded') return e.verdict === 'allowed' && e.failure === null;
  return e.verdict === 'network-error' || e.verdict === 'unknown';
}

function check(rows: Row[], agree: (v: BrowserVerdict | undefined, e: ExchangeReport | undefined) => boolean) {
  const lines = rows.map((r) => {
    const ok = agree(r.browser, r.exchange);
    return { ok, line: `${ok ? 'ok  ' : 'DIFF'} ${r.scenario.padEnd(44)} chromium: ${saw(r.browser).padEnd(62)} report: ${said(r.exchange)}` };
  });
  const bad = lines.filter((l) => !l.ok).length;
  return { bad, table: `${bad} of ${lines.length} requests disagree with Chromium\n${lines.map((l) => l.line).join('\n')}` };
}

describe(`DevTools HAR from the lab (${devtoolsCapture})`, () => {
  const har: unknown = readJson(devtoolsCapture);
  const verdicts = readJson<VerdictsFile>(devtoolsCapture.replace(/\.har$/, '.verdicts.json'));

  it('covers at least 25 scenarios, blocked and allowed ones', () => {
    const outcomes = Object.values(verdicts.verdicts).flat().map((v) => v.outcome);
    expect(Object.keys(verdicts.scenarios).length).toBeGreaterThanOrEqual(25);
    expect(outcomes).toContain('blocked');
    expect(outcomes).toContain('loaded');
  });

  it('explainHar gives every request the verdict, CorsError and failedParameter Chromium reported', () => {
    const { bad, table } = check(lineUp(explainHar(har), verdicts), agreesWithFullCapture);
    expect(bad, table).toBe(0);
  });

  it('explainHar gives every blocked request the console line Chromium printed for it', () => {
    const rows = lineUp(explainHar(har), verdicts).filter((r) => r.browser?.outcome === 'blocked');
    const lines = rows.map((r) => {
      const chromium = r.browser?.consoleMessages?.[0];
      const ours = r.exchange?.failure?.consoleMessage;
      const ok = chromium !== undefined && ours === chromium;
      return { ok, line: `${ok ? 'ok  ' : 'DIFF'} ${r.scenario}\n     chromium: ${chromium ?? '(none recorded)'}\n     report:   ${ours ?? '(none)'}` };
    });
    const bad = lines.filter((l) => !l.ok).length;
    expect(rows.length).toBeGreaterThan(0);
    expect(bad, `${bad} of ${lines.length} console lines differ\n${lines.map((l) => l.line).join('\n')}`).toBe(0);
  });

  it('`cors-lens explain --json` says the same for the saved file', async () => {
    const cli = join(root, 'src/cli/cors-lens.ts');
    const tsx = join(root, 'node_modules/.bin/tsx');
    const { stdout } = await promisify(execFile)(tsx, [cli, 'explain', join(fixtures, devtoolsCapture), '--json', '--no-fail'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as Report;
    const { bad, table } = check(lineUp(report, verdicts), agreesWithFullCapture);
    expect(bad, table).toBe(0);
  }, 60_000);
});

describe('Playwright recordHar of the same lab (lab-playwright.har)', () => {
  const har: unknown = readJson('lab-playwright.har');
  const verdicts = readJson<VerdictsFile>('lab-playwright.verdicts.json');

  it('reports each request Chromium blocked as blocked with its cause not recorded, never a guessed cause', () => {
    const { bad, table } = check(lineUp(explainHar(har), verdicts), agreesWithPlaywrightCapture);
    expect(bad, table).toBe(0);
  });
});
