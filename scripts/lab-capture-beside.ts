/**
 * `npm run lab:capture:beside [-- --out <dir>] [--date <YYYY-MM-DD>]`: runs the lab's scenarios beside textbook CORS
 * (test/lab/beside-scenarios.ts) in headless Chromium, each on the page it needs, and saves under
 * test/fixtures/chromium/:
 *   beside-cors-<date>.har             DevTools' own HAR (chrome.devtools.network.getHAR, "Preserve log" on, so every
 *                                      page's requests are in it), bodies and call stacks stripped
 *   beside-cors-<date>.verdicts.json   what Chromium reported for each request over CDP in the same run: errorText,
 *                                      corsErrorStatus, blockedReason and the console lines, keyed by URL
 * Chromium gets the lab's switches (address-space overrides, host-resolver rules), the test blocker extension, the
 * Local Network Access grant and DevTools' request blocking, as `npm start` does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { besideCorsScenarios } from '../test/lab/beside-scenarios.js';
import { startLab } from '../test/lab/server.js';
import { launchChromiumWithExtension } from '../test/support/browser.js';
import { RawTargetSession, isDevToolsWindow, waitForTarget } from '../test/support/cdp.js';
import { stripHar, verdictsFile } from '../test/support/har-fixtures.js';
import {
  connect,
  labExtensionDirs,
  prepareBrowserForLab,
  recordVerdicts,
  runScenariosOnTheirPages,
  waitForExtensionPage,
} from '../test/support/lab-run.js';
import { setDevToolsPreserveLog } from '../test/support/panel-driver.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const outDir = option('--out') ?? join(root, 'test/fixtures/chromium');
const date = option('--date') ?? new Date().toISOString().slice(0, 10);
const captureExtension = join(root, 'test/support/har-capture-extension');

mkdirSync(outDir, { recursive: true });
const lab = await startLab({ scenarios: besideCorsScenarios });
const launched = await launchChromiumWithExtension({
  headless: true,
  extensionDirs: labExtensionDirs(lab, [captureExtension]),
  extraArgs: lab.chromiumArgs,
});
try {
  const c = await connect(launched);
  const oracle = await recordVerdicts(c);
  const capturePage = await waitForExtensionPage(c, '/har-capture.html');
  const devtoolsTarget = await waitForTarget(c.browserSession, isDevToolsWindow, 'the DevTools window');
  const devtools = await RawTargetSession.attach(c.browserSession, devtoolsTarget.targetId);
  // The scenarios run on several pages: DevTools must keep the requests of each page across navigations.
  await setDevToolsPreserveLog(devtools, true);
  await prepareBrowserForLab(c, lab);
  const results = await runScenariosOnTheirPages(c.page, lab, oracle, lab.scenarios);
  const session = await RawTargetSession.attach(c.browserSession, capturePage.targetId);
  const har = stripHar(await session.evaluate<unknown>('labGetHar()')) as { entries?: { request: { url: string } }[] };
  const verdicts = oracle.verdicts().filter((v) => results.some((r) => v.url.includes(r.token)));
  const missing = results.filter((r) => !(har.entries ?? []).some((e) => e.request.url.includes(r.token)));
  writeFileSync(join(outDir, `beside-cors-${date}.har`), JSON.stringify(har) + '\n');
  const file = verdictsFile(verdicts, results, lab.origins, {
    source:
      'Chromium CDP on the page target during the same run: Network.loadingFailed (errorText, corsErrorStatus, blockedReason), Audits.issueAdded and Log.entryAdded console lines',
    chromiumArgs: lab.chromiumArgs,
  });
  // A request refused before it was made (a fetch CSP refuses) has no verdict; what Chromium printed is kept here.
  for (const r of results) {
    const entry = file.scenarios[r.id];
    if (entry && oracle.verdictsFor(r.token).length === 0) entry.consoleLines = oracle.consoleLinesMentioning(r.token);
  }
  writeFileSync(join(outDir, `beside-cors-${date}.verdicts.json`), JSON.stringify(file, null, 1) + '\n');
  console.log(`lab:capture:beside: DevTools HAR with ${har.entries?.length ?? 0} entries, ${verdicts.length} requests from ${results.length} scenarios`);
  if (missing.length > 0) console.log(`lab:capture:beside: no HAR entry for ${missing.map((r) => r.id).join(', ')}`);
  for (const r of results) {
    for (const v of oracle.verdictsFor(r.token)) {
      console.log(
        `${r.id.padEnd(34)} ${v.outcome.padEnd(7)} ${String(v.errorText ?? '').padEnd(40)} ${v.corsError ?? ''} ${v.blockedReason ?? ''} [${(v.issues ?? []).join('; ')}] | page saw: ${r.outcomes.join(' · ')}`,
      );
    }
    if (oracle.verdictsFor(r.token).length === 0) console.log(`${r.id.padEnd(34)} (no request) | page saw: ${r.outcomes.join(' · ')}`);
  }
  await c.browser.close().catch(() => undefined);
} finally {
  await launched.close();
  await lab.stop();
}
