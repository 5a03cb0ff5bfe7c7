/**
 * `npm run lab:capture [-- --out <dir>] [--date <YYYY-MM-DD>]`: runs every lab scenario in headless Chromium and saves, under test/fixtures/chromium/:
 *   lab-<date>.har                DevTools' own HAR (chrome.devtools.network.getHAR), bodies stripped
 *   lab-<date>.verdicts.json      what Chromium reported for each request over CDP, keyed by URL
 *   lab-playwright.har            the same lab recorded by Playwright's recordHar (what CI users hand the CLI)
 *   lab-playwright.verdicts.json  Chromium's verdicts for that run
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../test/lab/server.js';
import { findChromium, launchChromiumWithExtension, BASE_CHROMIUM_FLAGS } from '../test/support/browser.js';
import { RawTargetSession } from '../test/support/cdp.js';
import { connect, openLab, recordVerdicts, runAllScenarios, waitForExtensionPage } from '../test/support/lab-run.js';
import { stripHar, verdictsFile } from '../test/support/har-fixtures.js';
import { chromium } from 'playwright';
import { CorsOracle } from '../test/support/cors-oracle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
/** `--out <dir>` writes elsewhere (default test/fixtures/chromium); `--date <YYYY-MM-DD>` names the DevTools capture. */
const outDir = option('--out') ?? join(root, 'test/fixtures/chromium');
const captureExtension = join(root, 'test/support/har-capture-extension');

async function captureDevToolsHar(date: string): Promise<void> {
  const lab = await startLab();
  const launched = await launchChromiumWithExtension({ headless: true, extensionDirs: [captureExtension] });
  try {
    const c = await connect(launched);
    const oracle = await recordVerdicts(c);
    const capturePage = await waitForExtensionPage(c, '/har-capture.html');
    await openLab(c.page, lab);
    const results = await runAllScenarios(c.page, oracle);
    const session = await RawTargetSession.attach(c.browserSession, capturePage.targetId);
    const har = await session.evaluate<unknown>('labGetHar()');
    const verdicts = oracle.verdicts().filter((v) => results.some((r) => v.url.includes(r.token)));
    writeFileSync(join(outDir, `lab-${date}.har`), JSON.stringify(stripHar(har)) + '\n');
    writeFileSync(join(outDir, `lab-${date}.verdicts.json`), JSON.stringify(verdictsFile(verdicts, results, lab.origins), null, 1) + '\n');
    console.log(`lab:capture: DevTools HAR with ${verdicts.length} requests from ${results.length} scenarios`);
    await c.browser.close().catch(() => undefined);
  } finally {
    await launched.close();
    await lab.stop();
  }
}

async function capturePlaywrightHar(): Promise<void> {
  const lab = await startLab();
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...BASE_CHROMIUM_FLAGS], headless: true });
  const harPath = join(outDir, 'lab-playwright.har');
  try {
    const context = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
    const page = await context.newPage();
    const oracle = new CorsOracle();
    await oracle.attach(await context.newCDPSession(page));
    await openLab(page, lab);
    const results = await runAllScenarios(page, oracle);
    await context.close();
    const verdicts = oracle.verdicts().filter((v) => results.some((r) => v.url.includes(r.token)));
    writeFileSync(join(outDir, 'lab-playwright.verdicts.json'), JSON.stringify(verdictsFile(verdicts, results, lab.origins), null, 1) + '\n');
    // Re-read and normalise the recorded HAR the same way (stable origins, no bodies).
    const { readFileSync } = await import('node:fs');
    const har: unknown = JSON.parse(readFileSync(harPath, 'utf8'));
    writeFileSync(harPath, JSON.stringify(stripHar(har)) + '\n');
    console.log(`lab:capture: Playwright HAR with ${verdicts.length} requests`);
  } finally {
    await browser.close();
    await lab.stop();
  }
}

mkdirSync(outDir, { recursive: true });
const date = option('--date') ?? new Date().toISOString().slice(0, 10);
await captureDevToolsHar(date);
await capturePlaywrightHar();
