/**
 * One soak run: a fresh headless Chromium with the built extension and DevTools open, the whole lab three times, the
 * CORS panel compared with Chromium (CDP) after each, and the panel's own account of the entries DevTools handed over
 * unfinished. Used by `npm run soak` (scripts/soak.ts) and, for two runs, by test/e2e/panel-soak.test.ts.
 *
 * The three phases cover how the panel meets its entries:
 *   1. backfill: the lab runs before the CORS tab is first shown, so the panel reads everything from getHAR();
 *   2. live, after a navigation without Preserve log: the lab page is reloaded with the panel open (the earlier rows
 *      must go) and every entry arrives through onRequestFinished;
 *   3. live, after a reload with Preserve log on: the rows of phase 2 must stay, once each, next to the new ones.
 */
import type { Lab } from '../lab/server.js';
import { launchChromiumWithExtension } from './browser.js';
import { RawTargetSession, isDevToolsWindow, waitForTarget } from './cdp.js';
import { connect, openLab, recordVerdicts, runAllScenarios, waitForExtensionPage, type PageScenarioResult } from './lab-run.js';
import { comparePanelWithBrowser, type PanelComparison } from './panel-vs-browser.js';
import { PanelDriver } from './panel-driver.js';

export interface SoakPhase {
  name: string;
  comparison: PanelComparison;
  /** Entries DevTools handed over unfinished during this phase, and how each ended (the panel's status bar log). */
  unfinished: string[];
  /** Problems with the list as a whole (rows of a page that should be gone, or gone that should stay). */
  listProblems: string[];
}

export interface SoakRun {
  phases: SoakPhase[];
  ms: number;
}

const pageNonce = (results: readonly PageScenarioResult[]): string => {
  // Tokens are `<scenario>~<page nonce (6)><counter>`: one nonce per load of the lab page.
  const token = results[0]?.token ?? '';
  return token.slice(token.indexOf('~') + 1, token.indexOf('~') + 7);
};

export async function soakRun(lab: Lab, extensionDir: string, options: { details?: boolean; timeoutMs?: number } = {}): Promise<SoakRun> {
  const started = Date.now();
  const compare = { details: options.details ?? true, timeoutMs: options.timeoutMs ?? 10_000 };
  const launched = await launchChromiumWithExtension({ headless: true, extensionDirs: [extensionDir] });
  const phases: SoakPhase[] = [];
  try {
    const c = await connect(launched);
    try {
      const oracle = await recordVerdicts(c);
      // DevTools (opened with the blank first tab) must have loaded the extension before the lab makes requests.
      await waitForExtensionPage(c, '/devtools.html');
      const devtoolsTarget = await waitForTarget(c.browserSession, isDevToolsWindow, 'the DevTools window');
      const devtools = await RawTargetSession.attach(c.browserSession, devtoolsTarget.targetId);
      let logged = 0;
      const phase = async (name: string, panel: PanelDriver, results: PageScenarioResult[], listProblems: string[] = []) => {
        const comparison = await comparePanelWithBrowser(panel, oracle, results, compare);
        const log = await panel.unfinished();
        phases.push({ name, comparison, unfinished: log.lines.slice(logged), listProblems });
        logged = log.lines.length;
      };
      const rowsOfPage = async (panel: PanelDriver, results: PageScenarioResult[], expected: number) => {
        const nonce = `~${pageNonce(results)}`;
        const rows = (await panel.rowsFor(nonce, expected, expected === 0 ? 300 : compare.timeoutMs)).filter((r) => r.url.includes(nonce));
        await panel.setSearch('');
        return rows;
      };
      const requestsOf = (results: PageScenarioResult[]) => results.reduce((n, r) => n + oracle.verdictsFor(r.token).length, 0);

      await openLab(c.page, lab);
      const first = await runAllScenarios(c.page, oracle);
      const panel = await PanelDriver.open(c.browserSession, devtools);
      await phase('panel opened after the requests (getHAR backfill)', panel, first);

      await openLab(c.page, lab);
      const second = await runAllScenarios(c.page, oracle);
      const problems2: string[] = [];
      const leftover = await rowsOfPage(panel, first, 0);
      if (leftover.length > 0) problems2.push(`${leftover.length} rows of the page before the navigation are still listed`);
      await phase('live, after a navigation without Preserve log', panel, second, problems2);

      await panel.click('[data-testid="preserve-log"]');
      await openLab(c.page, lab);
      const third = await runAllScenarios(c.page, oracle);
      const problems3: string[] = [];
      const kept = await rowsOfPage(panel, second, requestsOf(second));
      if (kept.length !== requestsOf(second)) {
        problems3.push(`Preserve log: ${kept.length} rows of the page before the reload, Chromium made ${requestsOf(second)} requests there`);
      }
      await phase('live, after a reload with Preserve log', panel, third, problems3);
    } finally {
      await c.browser.close().catch(() => undefined);
    }
  } finally {
    await launched.close();
  }
  return { phases, ms: Date.now() - started };
}
