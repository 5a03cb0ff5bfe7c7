/**
 * A short soak (the long one is `npm run soak`): the whole lab in two fresh headless Chromiums with DevTools open,
 * three phases each (getHAR backfill; live after a navigation without Preserve log; live after a reload with it),
 * and the CORS panel must agree with Chromium on every request, show Chromium's console line for every blocked one,
 * and keep or drop the earlier page's rows as Preserve log says. Entries DevTools handed over unfinished are printed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/server.js';
import { soakRun } from '../support/soak.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const extensionDir = process.env.CORS_LENS_EXTENSION_DIR ?? join(root, 'dist/extension');
const RUNS = 2;

let lab: Lab;

beforeAll(async () => {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error('dist/extension is not built: run `npm run build:extension` (npm test builds it before vitest).');
  }
  lab = await startLab();
});

afterAll(async () => {
  await lab?.stop();
});

describe('the CORS panel vs Chromium, run after run', () => {
  for (let run = 1; run <= RUNS; run++) {
    it(`run ${run}: every request judged as Chromium did, in every phase`, async () => {
      const result = await soakRun(lab, extensionDir);
      const problems: string[] = [];
      for (const phase of result.phases) {
        const c = phase.comparison;
        problems.push(...c.disagreements, ...c.consoleDisagreements.map((d) => `console ${d}`), ...phase.listProblems);
        // Requests their preflight stopped are asked about again and end "as recorded": not worth a line.
        const unfinished = phase.unfinished.filter((line) => !line.includes(': never completed: judged from'));
        if (unfinished.length > 0) console.log(`[soak] ${phase.name}: came unfinished:\n  ${unfinished.join('\n  ')}`);
      }
      expect(result.phases.map((p) => p.name)).toHaveLength(3);
      for (const phase of result.phases) {
        expect(phase.comparison.requests).toBeGreaterThanOrEqual(lab.scenarios.length);
        expect(phase.comparison.consoleLines).toBeGreaterThan(0);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    }, 240_000);
  }
});
