/**
 * CORS Lens in a real Firefox ESR: the Firefox build installed as a temporary add-on, DevTools open on the CORS tab,
 * the whole lab run, and then, request by request:
 *   - the engine's verdict on the HAR Firefox's DevTools exported vs the reason Firefox itself printed to the console;
 *   - the CORS panel's rows vs the same console (captured live, while the page ran).
 * No verdict is written down here: Firefox is the oracle. Skips, saying why, when Firefox is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX_ADDON_ID, buildFirefoxExtension } from '../../scripts/build-firefox.js';
import { explainHar, type Report } from '../../src/lib/index.js';
import { startLab, type Lab } from '../lab/server.js';
import {
  evaluateInExtensionPanel,
  firefoxUnavailableReason,
  launchFirefox,
  selectExtensionPanel,
  type FirefoxPanelTab,
  type LaunchedFirefox,
} from '../support/firefox.js';
import { compareWithFirefox, consoleTextDifferences, HAR_QUIET_MS, runLabInFirefox, startProbes, summarize, type FirefoxLabRun } from './lab-in-firefox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** The Chrome build the Firefox build is made from (`npm test` builds dist/extension first). */
const chromeBuild = process.env.CORS_LENS_EXTENSION_DIR ?? join(root, 'dist/extension');
const unavailable = firefoxUnavailableReason();
if (unavailable) console.warn(`[firefox] skipping the Firefox ESR tests: ${unavailable}`);

/** What the panel shows for one URL: its rows' data attributes (the panel's DOM contract, see ExchangeList.tsx). */
interface PanelRowData {
  url: string;
  method: string;
  verdict: string;
}

/**
 * Filters the panel by each URL in turn (its list is virtualised) and reads the rows that match; then clears the
 * filter and reads the status bar's request count.
 */
const READ_ROWS_FOR = String.raw`async (win) => {
  const doc = win.document;
  const sleep = (ms) => new Promise((resolve) => win.setTimeout(resolve, ms));
  const search = doc.querySelector('[data-testid="search"]');
  if (!search) throw new Error('no search box in the panel');
  const read = (url) => [...doc.querySelectorAll('.exchange-row')]
    .filter((r) => r.dataset.url === url)
    .map((r) => ({ url: r.dataset.url, method: r.dataset.method, verdict: r.dataset.verdict }));
  const out = {};
  for (const [url, expected] of URLS) {
    search.value = url;
    search.dispatchEvent(new win.Event('input', { bubbles: true }));
    let rows = [];
    for (let i = 0; i < 40; i++) {
      await sleep(25);
      rows = read(url);
      if (rows.length >= expected) break;
    }
    await sleep(25);
    out[url] = read(url);
  }
  search.value = '';
  search.dispatchEvent(new win.Event('input', { bubbles: true }));
  await sleep(100);
  return { rows: out, count: doc.querySelector('[data-testid="row-count"]')?.textContent ?? '' };
}`;

describe.skipIf(unavailable !== undefined)('CORS Lens in Firefox ESR', () => {
  let tmp: string;
  let lab: Lab;
  let firefox: LaunchedFirefox;
  let tab: FirefoxPanelTab;
  let run: FirefoxLabRun;
  let report: Report;
  let probes: Awaited<ReturnType<typeof startProbes>> | undefined;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'cors-lens-firefox-test-'));
    const extensionDir = join(tmp, 'firefox');
    buildFirefoxExtension(chromeBuild, extensionDir);
    lab = await startLab();
    firefox = await launchFirefox({ extensionDir, exportHar: { quietMs: HAR_QUIET_MS }, systemAccess: true });
    // The CORS tab is shown before the page runs, so the panel captures live, as a user watching it would.
    tab = await selectExtensionPanel(firefox, 'CORS');
    // Beyond the lab: a preflight Firefox may cache, the same request failing once cached, a refused connection.
    probes = await startProbes(lab.pageOrigin);
    run = await runLabInFirefox(firefox, lab, probes.probes);
    report = explainHar(run.har);
  }, 240_000);

  afterAll(async () => {
    await firefox?.close();
    await lab?.stop();
    await probes?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs as a temporary add-on whose devtools page adds the CORS tab', () => {
    expect(firefox.extensionId).toBe(FIREFOX_ADDON_ID);
    expect(tab.label).toBe('CORS');
    expect(tab.pageUrl).toMatch(/^moz-extension:\/\/[^/]+\/extension\/panel\.html$/);
  });

  it('recognises the HAR Firefox exported and applies Firefox rules', () => {
    expect(report.source).toBe('firefox-har-export');
    expect(report.rules).toBe('firefox');
    expect(Object.keys(run.reasons.scenarios)).toHaveLength(lab.scenarios.length + (probes?.probes.length ?? 0));
  });

  it("names the reason Firefox printed for every request, and never a wrong one (the engine's `unknown` is counted)", () => {
    const rows = compareWithFirefox(report, run.reasons, run.har);
    const { wrong, unknown, agree, text } = summarize(rows);
    console.log(`[firefox] ${run.reasons.firefoxVersion}: engine vs Firefox's console\n${text}`);
    expect(rows.some((r) => r.firefox.outcome === 'blocked')).toBe(true);
    expect(wrong, text).toBe(0);
    expect(agree + unknown).toBe(rows.length);
  });

  it("prints Firefox's own console line for each reason it names", () => {
    const differences = consoleTextDifferences(compareWithFirefox(report, run.reasons, run.har));
    expect(differences, differences.join('\n')).toEqual([]);
  });

  it('shows requests in the live CORS panel once each, never contradicting Firefox, blocked ones included', async () => {
    const expected = Object.values(run.reasons.scenarios).map((s) => [s.url, s.pageSaw.length] as const);
    const script = READ_ROWS_FOR.replace('URLS', JSON.stringify(expected));
    const panelProblems = (panel: { rows: Record<string, PanelRowData[]> }): { problems: string[]; notes: string[] } => {
      const problems: string[] = [];
      const notes: string[] = [];
      for (const [id, s] of Object.entries(run.reasons.scenarios)) {
        const rows = (panel.rows[s.url] ?? []).filter((r) => r.method !== 'OPTIONS');
        const refused = s.firefox.outcome !== 'loaded';
        // Blocked actual requests reach the panel only through getHAR() in Firefox: they must be there.
        // Firefox's devtools.network drops a request now and then (measured: any kind, more often under load), so a
        // missing row is reported, not failed; what the panel does show must be right.
        if (rows.length === 0) notes.push(`${id}: not delivered to the panel by Firefox's devtools.network`);
        if (rows.length > s.pageSaw.length) problems.push(`${id}: ${rows.length} rows for ${s.pageSaw.length} requests`);
        rows.forEach((r, i) => {
          // Console lines name a URL: of a request sent several times, those the page saw load were not refused.
          const refusedThis = s.pageSaw.length > 1 ? !s.pageSaw[i]?.startsWith('loaded') : refused;
          // Without the blocked actual request (only getHAR() has it) the panel cannot tell a credentialed one apart.
          if (r.verdict === 'unknown') notes.push(`${id}: panel cannot tell`);
          else if ((r.verdict === 'blocked' || r.verdict === 'network-error') !== refusedThis) problems.push(`${id}: panel says ${r.verdict}, Firefox ${refusedThis ? s.firefox.outcome : 'loaded'}`);
        });
        const stray = (panel.rows[s.url] ?? []).filter((r) => r.method === 'OPTIONS');
        if (stray.length > 0) problems.push(`${id}: ${stray.length} unpaired OPTIONS rows`);
      }
      return { problems, notes };
    };
    // The panel hands over requests that got no response a moment after the page goes quiet: read until it settles.
    let result = { problems: ['not read'], notes: [] as string[] };
    const settled = () => result.problems.length === 0 && !result.notes.some((n) => n.includes('not delivered'));
    for (let attempt = 0; attempt < 5 && !settled(); attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
      result = panelProblems(await evaluateInExtensionPanel<{ rows: Record<string, PanelRowData[]> }>(firefox, 'CORS', script));
    }
    if (result.notes.length > 0) console.log(`[firefox] live panel, acceptable gaps:\n  ${result.notes.join('\n  ')}`);
    if (result.problems.length > 0) console.log(`[firefox] live panel, problems:\n  ${result.problems.join('\n  ')}`);
    expect(result.problems, result.problems.join('\n')).toEqual([]);
    // Requests whose actual request Firefox stopped after the preflight reach the panel only through getHAR():
    // at least one of them must be there, judged, or the shell's reconciliation is not working.
    const preflightStopped = Object.entries(run.reasons.scenarios).filter(([, s]) => s.firefox.lines.length > 1 && s.firefox.outcome === 'blocked');
    expect(preflightStopped.length).toBeGreaterThan(3);
    expect(preflightStopped.some(([id]) => !result.notes.some((n) => n.startsWith(`${id}:`)))).toBe(true);
  }, 90_000);
});
