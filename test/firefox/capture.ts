/**
 * `npm run lab:capture:firefox`: runs scenarios in Firefox ESR (CORS Lens installed, DevTools open) and saves, per
 * capture, DevTools' own HAR export (no bodies) and Firefox's console verdict for each scenario in the same run:
 *   test/fixtures/firefox/lab.har (+ lab.reasons.json)                the lab, plus the probes the lab cannot set up
 *                                                                      (a cacheable preflight, a refused connection)
 *   test/fixtures/firefox/beyond-lab.har (+ beyond-lab.reasons.json)  scenariosBeyondLab and requests that get no
 *                                                                      response (reset, closed, aborted, no such host),
 *                                                                      and loads the lab page does not make (stylesheet,
 *                                                                      EventSource, sendBeacon, XHR upload, keepalive)
 *   test/fixtures/firefox/lab-cache-disabled.har (+ .reasons.json)    the lab with DevTools' "Disable Cache" on, as
 *                                                                      many developers work (Firefox then adds Pragma
 *                                                                      and Cache-Control to every request)
 * The fixture test compares the engine with them offline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/server.js';
import { buildFirefoxExtension } from '../../scripts/build-firefox.js';
import { FirefoxNotFoundError, launchFirefox } from '../support/firefox.js';
import { HAR_QUIET_MS, runLabInFirefox, startNetworkFailureProbes, startProbes, startRequestKindProbes, type ExtraProbe } from './lab-in-firefox.js';
import { scenariosBeyondLab } from './scenarios-beyond-lab.js';
import type { LabScenario } from '../lab/scenarios.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'test/fixtures/firefox');

interface Capture {
  name: string;
  scenarios?: readonly LabScenario[];
  prefs?: Record<string, boolean>;
  startProbes(pageOrigin: string): Promise<{ probes: ExtraProbe[]; stop(): Promise<void> }>;
}

const CAPTURES: readonly Capture[] = [
  { name: 'lab', startProbes },
  {
    name: 'beyond-lab',
    scenarios: scenariosBeyondLab,
    startProbes: async (pageOrigin) => {
      const sets = [await startNetworkFailureProbes(), await startRequestKindProbes(pageOrigin)];
      return { probes: sets.flatMap((s) => s.probes), stop: async () => void (await Promise.all(sets.map((s) => s.stop()))) };
    },
  },
  { name: 'lab-cache-disabled', prefs: { 'devtools.cache.disabled': true }, startProbes: async () => ({ probes: [], stop: async () => {} }) },
];

async function capture({ name, scenarios, prefs, startProbes: probesFor }: Capture): Promise<void> {
  const lab = await startLab(scenarios ? { scenarios } : {});
  let firefox;
  try {
    firefox = await launchFirefox({ extensionDir: join(root, 'dist/firefox'), exportHar: { quietMs: HAR_QUIET_MS }, ...(prefs ? { prefs } : {}) });
  } catch (e) {
    await lab.stop();
    if (e instanceof FirefoxNotFoundError) {
      console.error(`lab:capture:firefox: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const probes = await probesFor(lab.pageOrigin);
  try {
    const run = await runLabInFirefox(firefox, lab, probes.probes);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `${name}.har`), JSON.stringify(run.har, null, 1) + '\n');
    writeFileSync(join(outDir, `${name}.reasons.json`), JSON.stringify(run.reasons, null, 1) + '\n');
    const refused = Object.values(run.reasons.scenarios).filter((s) => s.firefox.outcome !== 'loaded').length;
    console.log(
      `lab:capture:firefox: ${firefox.version}, ${Object.keys(run.reasons.scenarios).length} scenarios (${refused} refused by Firefox) → test/fixtures/firefox/${name}.har`,
    );
  } finally {
    await firefox.close();
    await lab.stop();
    await probes.stop();
  }
}

// `npm run lab:capture:firefox -- beyond-lab` re-records that capture only.
const wanted = process.argv.slice(2);
buildFirefoxExtension(join(root, 'dist/extension'), join(root, 'dist/firefox'));
for (const c of CAPTURES) if (wanted.length === 0 || wanted.includes(c.name)) await capture(c);
