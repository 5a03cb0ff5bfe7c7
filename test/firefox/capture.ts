/**
 * `npm run lab:capture:firefox`: runs every lab scenario in Firefox ESR (CORS Lens installed, DevTools open) and saves
 * test/fixtures/firefox/lab.har (DevTools' own HAR export, no bodies) and lab.reasons.json (Firefox's console verdict
 * for each scenario in the same run), plus the probes the lab cannot set up (a cacheable preflight, a refused
 * connection; see `startProbes`). The fixture test compares the engine with them offline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/server.js';
import { buildFirefoxExtension } from '../../scripts/build-firefox.js';
import { FirefoxNotFoundError, launchFirefox } from '../support/firefox.js';
import { HAR_QUIET_MS, runLabInFirefox, startProbes } from './lab-in-firefox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'test/fixtures/firefox');

async function main(): Promise<void> {
  buildFirefoxExtension(join(root, 'dist/extension'), join(root, 'dist/firefox'));
  const lab = await startLab();
  let firefox;
  try {
    firefox = await launchFirefox({ extensionDir: join(root, 'dist/firefox'), exportHar: { quietMs: HAR_QUIET_MS } });
  } catch (e) {
    await lab.stop();
    if (e instanceof FirefoxNotFoundError) {
      console.error(`lab:capture:firefox: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const probes = await startProbes(lab.pageOrigin);
  try {
    const run = await runLabInFirefox(firefox, lab, probes.probes);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'lab.har'), JSON.stringify(run.har, null, 1) + '\n');
    writeFileSync(join(outDir, 'lab.reasons.json'), JSON.stringify(run.reasons, null, 1) + '\n');
    const blocked = Object.values(run.reasons.scenarios).filter((s) => s.firefox.outcome !== 'loaded').length;
    console.log(
      `lab:capture:firefox: ${firefox.version}, ${Object.keys(run.reasons.scenarios).length} scenarios (${blocked} refused by Firefox) → test/fixtures/firefox/`,
    );
  } finally {
    await firefox.close();
    await lab.stop();
    await probes.stop();
  }
}

await main();
