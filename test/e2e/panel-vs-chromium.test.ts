/**
 * The CORS panel against Chromium itself. One headless Chromium with the built extension (dist/extension) and DevTools
 * open; the lab runs every scenario; CDP records what Chromium reported for each request
 * (`Network.loadingFailed.corsErrorStatus`); then, for every scenario, the panel's rows and detail must say the same.
 * No verdict is written down here: the browser in the same run is the reference.
 *
 * The same browser then runs the scenarios beside textbook CORS (test/lab/beside-scenarios.ts: Local Network Access,
 * CORP/COEP, ORB, CSP, mixed content, blocking, dead connections, redirects), each on the page it needs, and the
 * panel must give Chromium's verdict, its CorsError or none, its console line or none, and name the family
 * (test/support/browser-decision.ts reads those off Chromium's report). Chromium is started with the lab's switches
 * (`lab.chromiumArgs`) and the test blocker extension; the classic scenarios are not affected by either.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { besideCorsScenarios } from '../lab/beside-scenarios.js';
import { scenarios as classicScenarios, type LabOrigins } from '../lab/scenarios.js';
import { startLab, type Lab } from '../lab/server.js';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { acceptedVerdicts, browserDecision, browserFamily } from '../support/browser-decision.js';
import { RawTargetSession, isDevToolsWindow, listTargets, waitForTarget, type TargetInfo } from '../support/cdp.js';
import type { BrowserVerdict, CorsOracle } from '../support/cors-oracle.js';
import type { VerdictsFile } from '../support/har-fixtures.js';
import { agrees, describeBrowser, describeRow } from '../support/panel-vs-browser.js';
import {
  connect,
  labExtensionDirs,
  openLab,
  prepareBrowserForLab,
  recordVerdicts,
  runAllScenarios,
  runScenariosOnTheirPages,
  waitForExtensionPage,
  type ConnectedChromium,
  type PageScenarioResult,
} from '../support/lab-run.js';
import { PanelDriver, screenshotDevTools, setDevToolsTheme, undockDevTools, type PanelDetail } from '../support/panel-driver.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const extensionDir = join(root, 'dist/extension');
const artifacts = join(root, 'test-results');

let lab: Lab;
let launched: LaunchedChromium | undefined;
let c: ConnectedChromium;
let oracle: CorsOracle;
let results: PageScenarioResult[];
let devtools: RawTargetSession;
let panel: PanelDriver;

beforeAll(async () => {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error('dist/extension is not built: run `npm run build:extension` (npm test builds it before vitest).');
  }
  lab = await startLab({ scenarios: [...classicScenarios, ...besideCorsScenarios] });
  launched = await launchChromiumWithExtension({
    headless: true,
    extensionDirs: labExtensionDirs(lab, [extensionDir]),
    extraArgs: lab.chromiumArgs,
  });
  c = await connect(launched);
  oracle = await recordVerdicts(c);
  await prepareBrowserForLab(c, lab);
  // DevTools (opened with the blank first tab) must have loaded the extension before the lab makes requests.
  await waitForExtensionPage(c, '/devtools.html');
  const devtoolsTarget = await waitForTarget(c.browserSession, isDevToolsWindow, 'the DevTools window');
  devtools = await RawTargetSession.attach(c.browserSession, devtoolsTarget.targetId);
  await openLab(c.page, lab);
  // The classic scenarios first (the beside-CORS ones run in their own describe, after these tests).
  results = await runAllScenarios(c.page, oracle, classicScenarios.map((s) => s.id));
  panel = await PanelDriver.open(c.browserSession, devtools);
}, 120_000);

afterAll(async () => {
  await c?.browser.close().catch(() => undefined);
  await launched?.close();
  await lab?.stop();
});

describe('CORS panel vs Chromium, every lab scenario', () => {
  // Each test starts from the whole list: no search text, the "All" filter.
  beforeEach(async () => {
    await panel.click('[data-filter="all"]');
    await panel.setSearch('');
  });

  it('shows, for every request, the verdict, CorsError and failedParameter Chromium reported', async () => {
    const table: string[] = [];
    let mismatches = 0;
    for (const r of results) {
      const browser = oracle.verdictsFor(r.token);
      const rows = (await panel.rowsFor(r.token, browser.length)).filter((row) => row.url.includes(r.token));
      if (browser.length === 0 && rows.length === 0 && r.outcomes.every((o) => !o.startsWith('loaded'))) {
        // Chromium refused it before any request (a fetch whose mode forbids the origin): DevTools has nothing, nor the panel.
        table.push(`ok   ${r.id.padEnd(44)} chromium: refused before any request (no network entry)                   panel: no row`);
        continue;
      }
      const n = Math.max(browser.length, rows.length, 1);
      for (let i = 0; i < n; i++) {
        const v = browser[i];
        const row = rows[i];
        const detail: PanelDetail | null = row ? await panel.select(row.exchangeId) : null;
        // The checklist shows a failed check exactly when the browser blocked the request.
        const failedChecks = detail?.checks.filter((check) => check.status === 'fail').map((check) => check.id) ?? [];
        const checklistOk = !!detail && detail.checks.length > 0 && (v?.outcome === 'blocked') === failedChecks.length > 0;
        const ok = agrees(v, row) && agrees(v, detail) && checklistOk && (!row || row.method === v?.method);
        if (!ok) mismatches++;
        table.push(
          `${ok ? 'ok  ' : 'DIFF'} ${`${r.id}${n > 1 ? `#${i + 1}` : ''}`.padEnd(44)} chromium: ${describeBrowser(v).padEnd(60)} ` +
            `panel row: ${describeRow(row).padEnd(60)} detail: ${detail ? describeRow(detail) : '(none)'}` +
            ` · failed checks: ${failedChecks.join(', ') || 'none'}${detail && detail.checks.length === 0 ? ' (empty checklist)' : ''}`,
        );
      }
    }
    let report = `${mismatches} of ${table.length} requests disagree\n${table.join('\n')}`;
    if (mismatches > 0) {
      // What the panel holds at all, to tell a missing row from a wrong one.
      await panel.setSearch('');
      report += `\npanel status: ${await panel.text('[data-testid="row-count"]')}`;
    }
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'panel-vs-chromium.txt'), report + '\n');
    expect(results.length).toBe(classicScenarios.length);
    expect(mismatches, report).toBe(0);
  }, 120_000);

  it('shows, for every blocked request, the console line Chromium itself printed', async () => {
    const lines: string[] = [];
    let mismatches = 0;
    for (const r of results) {
      const browser = oracle.verdictsFor(r.token).filter((v) => v.outcome === 'blocked');
      if (browser.length === 0) continue;
      const rows = (await panel.rowsFor(r.token, browser.length)).filter((row) => row.url.includes(r.token));
      for (let i = 0; i < browser.length; i++) {
        const chromiumLine = browser[i]!.consoleMessages[0] ?? '(none recorded)';
        const row = rows[i];
        const shown = row ? ((await panel.select(row.exchangeId))?.consoleMessage ?? '').trim() : '(no row)';
        const ok = browser[i]!.consoleMessages.length > 0 && shown === chromiumLine;
        if (!ok) mismatches++;
        lines.push(`${ok ? 'ok  ' : 'DIFF'} ${r.id}\n     chromium: ${chromiumLine}\n     panel:    ${shown}`);
      }
    }
    const report = `${mismatches} of ${lines.length} console lines differ\n${lines.join('\n')}`;
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'console-messages-vs-chromium.txt'), report + '\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(mismatches, report).toBe(0);
  }, 120_000);

  it('the lab\'s switches for the scenarios beside CORS leave every classic verdict as captured without them', () => {
    // lab-<date>.verdicts.json was recorded with the house flags only; this run has the address-space overrides, the
    // host-resolver rules and the blocker extension. Chromium's verdict for each classic scenario must not move.
    const stored = readdirSync(join(root, 'test/fixtures/chromium')).filter((f) => /^lab-\d{4}-\d{2}-\d{2}\.verdicts\.json$/.test(f)).sort().at(-1);
    expect(stored).toBeDefined();
    const file = JSON.parse(readFileSync(join(root, 'test/fixtures/chromium', stored!), 'utf8')) as VerdictsFile;
    // Ports differ between runs: origins in a failedParameter are compared as {page}, {api}, {other}.
    const placeholders = (origins: LabOrigins, value: string) =>
      value.replaceAll(origins.page, '{page}').replaceAll(origins.api, '{api}').replaceAll(origins.other, '{other}');
    const shape = (vs: BrowserVerdict[], origins: LabOrigins) =>
      vs.map((v) => `${v.outcome} ${v.corsError ?? ''} [${placeholders(origins, v.failedParameter ?? '')}]`).join(' · ');
    const moved: string[] = [];
    let compared = 0;
    for (const r of results) {
      const before = file.scenarios[r.id];
      if (!before) continue; // a scenario added after that capture
      compared++;
      const was = shape(file.verdicts[before.url] ?? [], file.origins);
      const now = shape(oracle.verdictsFor(r.token), lab.origins);
      if (was !== now) moved.push(`${r.id}: captured ${was || '(no request)'}, now ${now || '(no request)'}`);
    }
    expect(compared).toBeGreaterThanOrEqual(40);
    expect(moved, moved.join('\n')).toEqual([]);
  });

  it('filters: "Blocked" lists exactly the lab requests Chromium blocked, "All" lists them all', async () => {
    await panel.setSearch('/s/');
    await panel.click('[data-filter="all"]');
    await panel.settle(200);
    const all = await panel.rowsFor('/s/', 1);
    const labVerdicts = oracle.verdicts().filter((v) => results.some((r) => v.url.includes(r.token)));
    // The list is virtualized, so the status bar's count is what covers every row.
    const count = await panel.text('[data-testid="row-count"]');
    expect(count).toContain(String(labVerdicts.length));
    expect(all.length).toBeGreaterThan(0);

    await panel.click('[data-filter="blocked"]');
    await panel.settle(200);
    const blockedCount = labVerdicts.filter((v) => v.outcome === 'blocked').length;
    expect(await panel.text('[data-testid="row-count"]')).toContain(String(blockedCount));
    const shown = await panel.rows();
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) expect(row.verdict).toBe('blocked');
    await panel.click('[data-filter="all"]');
  });

  it('keyboard: Down moves the selection to the next row, Up back, Enter keeps the detail open on it', async () => {
    const token = results.find((r) => r.id === 'preflight-cache-hit')!.token;
    const rows = await panel.rowsFor(token, 2);
    expect(rows.length).toBe(2);
    await panel.select(rows[0]!.exchangeId);
    await panel.key('ArrowDown');
    let now = await panel.rows();
    expect(now.find((r) => r.selected === 'true')?.exchangeId).toBe(rows[1]!.exchangeId);
    await panel.key('ArrowUp');
    now = await panel.rows();
    expect(now.find((r) => r.selected === 'true')?.exchangeId).toBe(rows[0]!.exchangeId);
    await panel.key('Enter');
    expect(await panel.detail()).not.toBeNull();
  });

  it('copy: choosing a server and clicking copy shows "Copied"', async () => {
    const token = results.find((r) => r.id === 'fail-allow-origin-missing')!.token;
    const [row] = await panel.rowsFor(token, 1);
    expect(row).toBeDefined();
    const detail = await panel.select(row!.exchangeId);
    expect(detail?.fixTabs.length ?? 0).toBeGreaterThan(0);
    expect(await panel.click('[data-testid="copy-snippet"]')).toBe(true);
    let status = '';
    for (let i = 0; i < 20 && !/copied/i.test(status); i++) {
      await panel.settle(100);
      status = (await panel.text('[data-testid="copy-status"]')) ?? '';
    }
    expect(status).toMatch(/Copied/);
  });

  it('theme: light in a light DevTools, dark in a dark one (screenshots in test-results/)', async () => {
    mkdirSync(artifacts, { recursive: true });
    await panel.setSearch('');
    const token = results.find((r) => r.id === 'fail-header-not-allowed')!.token;
    const [row] = await panel.rowsFor(token, 1);
    if (row) await panel.select(row.exchangeId);
    await panel.setSearch('');
    expect(await panel.theme()).toBe('light');
    await undockDevTools(devtools);
    writeFileSync(join(artifacts, 'cors-panel-light.png'), await screenshotDevTools(devtools));

    // DevTools hands its theme to extension pages when they load, so switch DevTools to dark and open a new tab:
    // its DevTools window (and CORS panel) start dark.
    await setDevToolsTheme(devtools, 'dark');
    const knownPanels = [panel.session.targetId];
    const knownWindows = [devtools.targetId];
    const isExtensionDevtoolsPage = (t: TargetInfo) => t.url.startsWith('chrome-extension://') && t.url.endsWith('/devtools.html');
    const knownDevtoolsPages = (await listTargets(c.browserSession)).filter(isExtensionDevtoolsPage).map((t) => t.targetId);
    const page2 = await c.context.newPage();
    const dt2Target = await waitForTarget(c.browserSession, (t) => isDevToolsWindow(t) && !knownWindows.includes(t.targetId), 'a second DevTools window');
    // As for the first tab: the lab's requests only after DevTools (and the extension in it) is ready there.
    await waitForTarget(c.browserSession, (t) => isExtensionDevtoolsPage(t) && !knownDevtoolsPages.includes(t.targetId), 'the second devtools page');
    const dt2 = await RawTargetSession.attach(c.browserSession, dt2Target.targetId);
    await openLab(page2, lab);
    for (const id of ['fail-header-not-allowed', 'fail-wildcard-with-credentials', 'pass-preflighted-put']) {
      await page2.evaluate((sid) => (window as unknown as { lab: { runScenario(id: string): Promise<unknown> } }).lab.runScenario(sid), id);
    }
    const darkPanel = await PanelDriver.open(c.browserSession, dt2, knownPanels);
    const darkRows = (await darkPanel.rowsFor('fail-header-not-allowed', 1)).filter((r) => r.url.includes('fail-header-not-allowed'));
    if (darkRows[0]) await darkPanel.select(darkRows[0].exchangeId);
    await darkPanel.setSearch('');
    await undockDevTools(dt2);
    writeFileSync(join(artifacts, 'cors-panel-dark.png'), await screenshotDevTools(dt2));
    expect(await darkPanel.theme()).toBe('dark');
    expect(darkRows.length).toBe(1);
    await setDevToolsTheme(devtools, 'default');
  }, 120_000);

  it('live: after Clear, requests made while the panel is open appear with the verdict Chromium reported', async () => {
    expect(await panel.click('[data-testid="clear"]')).toBe(true);
    await panel.settle(200);
    expect(await panel.text('[data-testid="row-count"]')).toMatch(/^0 /);
    const live: PageScenarioResult[] = [];
    for (const id of ['fail-header-not-allowed', 'pass-preflighted-put', 'fail-redirect-origin-becomes-null', 'preflight-cache-hit']) {
      live.push(
        await c.page.evaluate((sid) => (window as unknown as { lab: { runScenario(id: string): Promise<PageScenarioResult> } }).lab.runScenario(sid), id),
      );
    }
    const table: string[] = [];
    let mismatches = 0;
    for (const r of live) {
      await oracle.settled(r.token);
      const browser = oracle.verdictsFor(r.token);
      const rows = (await panel.rowsFor(r.token, browser.length)).filter((row) => row.url.includes(r.token));
      for (let i = 0; i < Math.max(browser.length, rows.length, 1); i++) {
        const ok = agrees(browser[i], rows[i]);
        if (!ok) mismatches++;
        table.push(`${ok ? 'ok  ' : 'DIFF'} ${r.id.padEnd(40)} chromium: ${describeBrowser(browser[i]).padEnd(60)} panel row: ${describeRow(rows[i])}`);
      }
    }
    expect(mismatches, table.join('\n')).toBe(0);
  }, 120_000);
});

describe('CORS panel vs Chromium, the scenarios beside textbook CORS', () => {
  const table: string[] = [];
  const consoleTable: string[] = [];
  let mismatches = 0;
  let consoleMismatches = 0;
  let besideResults: PageScenarioResult[] = [];
  const refusedBeforeAnyRequest: string[] = [];

  /** Compares the panel with Chromium for one page's scenarios, before the next navigation resets the panel's list. */
  async function comparePage(pageResults: PageScenarioResult[]): Promise<void> {
    await panel.click('[data-filter="all"]');
    for (const r of pageResults) {
      const browser = oracle.verdictsFor(r.token);
      const rows = (await panel.rowsFor(r.token, browser.length)).filter((row) => row.url.includes(r.token));
      if (browser.length === 0 && rows.length === 0) {
        // Chromium refused it before any request (a fetch the page's CSP refuses): DevTools has nothing, nor the panel.
        refusedBeforeAnyRequest.push(r.id);
        table.push(`ok   ${r.id.padEnd(34)} chromium: refused before any request (no network entry)   panel: no row`);
        continue;
      }
      for (let i = 0; i < Math.max(browser.length, rows.length, 1); i++) {
        const v = browser[i];
        const row = rows[i];
        const detail: PanelDetail | null = row ? await panel.select(row.exchangeId) : null;
        const diffs: string[] = [];
        if (!v) diffs.push('a row for a request Chromium did not make');
        else if (!row || !detail) diffs.push('no row');
        else {
          const accepted = acceptedVerdicts(v, besideCorsScenarios.find((s) => s.id === r.id)?.request.mode === 'no-cors');
          const family = browserFamily(v) ?? '';
          // The live panel holds one page's requests at a time. Local Network Access to a host *name* that nothing on
          // this page resolved (lan.example) leaves no address in the capture: "cannot tell", with no family and no
          // CorsError, is the honest reading there (the HAR of every page, test/engine/besideCorsCaptures, has it); so is
          // "blocked" with the cause left open, which the engine says when the request failed before anything was sent.
          const unresolvedName = family === 'local-network-access' && !/^(\[.*\]|[\d.]+|localhost)$/.test(new URL(v.url).hostname);
          for (const [where, shown] of [['row', row], ['detail', detail]] as const) {
            if (unresolvedName && (shown.verdict === 'unknown' || shown.verdict === 'blocked') && shown.blocker === '' && shown.corsError === '') continue;
            if (!accepted.includes(shown.verdict)) diffs.push(`${where} verdict ${shown.verdict}, Chromium ${accepted.join(' or ')}`);
            // data-cors-error is the failed CORS check's; Local Network Access may name its CorsError on the blocker.
            const lna = v.corsError !== null && family === 'local-network-access';
            if (lna ? shown.corsError !== '' && shown.corsError !== v.corsError : shown.corsError !== (v.corsError ?? '')) {
              diffs.push(`${where} CorsError "${shown.corsError}", Chromium "${v.corsError ?? ''}"`);
            }
            if (shown.blocker !== family) diffs.push(`${where} names ${shown.blocker || 'no family'}, Chromium's report points at ${family || 'none'}`);
          }
          if (row.method !== v.method) diffs.push(`method ${row.method}, Chromium ${v.method}`);
          const line = detail.consoleMessage.trim();
          const chromeLine = v.consoleMessages[0];
          // A Local Network Access CorsError the panel leaves open (a HAR cannot tell a denied permission from a wrong
          // targetAddressSpace) comes with no line: none could be Chrome's exact one.
          const leftOpen = family === 'local-network-access' && detail.corsError === '' && line === '';
          const lineOk =
            chromeLine !== undefined ? line === chromeLine || leftOpen : line === '' || (v.consoleLines ?? []).includes(line);
          if (!lineOk) consoleMismatches++;
          consoleTable.push(
            `${lineOk ? 'ok  ' : 'DIFF'} ${r.id}\n     chromium: ${chromeLine ?? `(no CORS line; printed: ${(v.consoleLines ?? []).join(' | ') || 'nothing'})`}\n     panel:    ${line || '(none)'}`,
          );
        }
        if (diffs.length > 0) mismatches++;
        table.push(
          `${diffs.length ? 'DIFF' : 'ok  '} ${`${r.id}${browser.length > 1 ? `#${i + 1}` : ''}`.padEnd(34)} chromium: ${
            v ? `${browserDecision(v)} ${v.corsError ?? v.errorText ?? ''} ${v.blockedReason ?? ''} -> ${browserFamily(v) ?? 'no family'}` : '(no request)'
          }   panel: ${row ? `${row.verdict} ${row.corsError} {${row.blocker}}` : '(no row)'}${diffs.length ? `\n       ${diffs.join('\n       ')}` : ''}`,
        );
      }
    }
  }

  beforeAll(async () => {
    await panel.setSearch('');
    // Each page of scenarios is a top-level navigation, which empties the panel's list (Preserve log off): compare
    // each page's requests before moving on.
    besideResults = await runScenariosOnTheirPages(c.page, lab, oracle, besideCorsScenarios, (_variant, pageResults) => comparePage(pageResults));
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'panel-vs-chromium-beside-cors.txt'), `${mismatches} of ${table.length} requests disagree\n${table.join('\n')}\n`);
    writeFileSync(
      join(artifacts, 'console-messages-vs-chromium-beside-cors.txt'),
      `${consoleMismatches} of ${consoleTable.length} console lines differ\n${consoleTable.join('\n')}\n`,
    );
  }, 180_000);

  it('shows, for every request, the verdict Chromium decided, its CorsError or none, and the family that stopped it', () => {
    expect(besideResults.length).toBe(besideCorsScenarios.length);
    // A request refused before it existed is only accepted as such when the page saw it fail.
    for (const id of refusedBeforeAnyRequest) {
      expect(besideResults.find((r) => r.id === id)?.outcomes.every((o) => !o.startsWith('loaded')), id).toBe(true);
    }
    expect(table.length).toBeGreaterThanOrEqual(besideCorsScenarios.length);
    expect(mismatches, `${mismatches} of ${table.length} requests disagree\n${table.join('\n')}`).toBe(0);
  });

  it('shows Chromium\'s own console line where Chromium printed a CORS line, and never one Chromium did not print', () => {
    expect(consoleTable.length).toBeGreaterThan(0);
    expect(consoleMismatches, `${consoleMismatches} of ${consoleTable.length} console lines differ\n${consoleTable.join('\n')}`).toBe(0);
  });

  it('the lab reached every page it needs (public, granted, insecure, COEP, CSP, https) and Chromium stopped requests for each family', () => {
    const pages = new Set(besideCorsScenarios.map((s) => s.page ?? 'lab'));
    expect([...pages].sort()).toEqual(['coep', 'csp', 'https', 'lab', 'public', 'public-granted', 'public-insecure']);
    const families = new Set(
      besideResults.flatMap((r) => oracle.verdictsFor(r.token).map((v) => browserFamily(v))).filter((f): f is string => f !== null),
    );
    for (const f of ['local-network-access', 'corp', 'coep', 'orb', 'csp', 'mixed-content', 'extension', 'devtools', 'redirect', 'network', 'aborted']) {
      expect(families.has(f), `no request Chromium stopped for ${f}`).toBe(true);
    }
  });
});
