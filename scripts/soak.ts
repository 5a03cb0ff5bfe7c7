/**
 * `npm run soak [-- --runs N] [--firefox] [--firefox-every K] [--rows-only]`: the whole lab in real Chromium with
 * DevTools open, N runs in a row (default 50), one Chromium at a time. Each run compares the CORS panel with Chromium
 * (CDP) in three phases (test/support/soak.ts) and prints the disagreements and the entries DevTools handed over
 * unfinished; the totals come at the end. Exit code 1 when any run disagreed.
 *
 * `--firefox` also runs the Firefox ESR live test (test/firefox/firefox-vs-console.test.ts) every K runs (default 10)
 * and prints what it reports. Needs `npm run build` first (dist/extension; the Firefox build for --firefox).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../test/lab/server.js';
import { soakRun, type SoakRun } from '../test/support/soak.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const runs = Number(option('--runs') ?? 50);
const firefox = argv.includes('--firefox');
const firefoxEvery = Math.max(1, Number(option('--firefox-every') ?? 10));
const details = !argv.includes('--rows-only');
const extensionDir = process.env.CORS_LENS_EXTENSION_DIR ?? join(root, 'dist/extension');

if (!Number.isInteger(runs) || runs < 1) {
  console.error('soak: --runs takes a whole number ≥ 1');
  process.exit(2);
}
if (!existsSync(join(extensionDir, 'manifest.json'))) {
  console.error(`soak: ${extensionDir} is not built: run \`npm run build:extension\` first.`);
  process.exit(2);
}

interface Totals {
  runs: number;
  runsWithDisagreement: number;
  requests: number;
  disagreements: number;
  missingRows: number;
  consoleLines: number;
  consoleDisagreements: number;
  listProblems: number;
  unfinished: number;
  unfinishedCompleted: number;
  unfinishedGaveUp: number;
  unfinishedAsRecorded: number;
  runsWithUnfinished: number;
  failedRuns: number;
  firefoxRuns: number;
  firefoxFailed: number;
}

const totals: Totals = {
  runs: 0,
  runsWithDisagreement: 0,
  requests: 0,
  disagreements: 0,
  missingRows: 0,
  consoleLines: 0,
  consoleDisagreements: 0,
  listProblems: 0,
  unfinished: 0,
  unfinishedCompleted: 0,
  unfinishedGaveUp: 0,
  unfinishedAsRecorded: 0,
  runsWithUnfinished: 0,
  failedRuns: 0,
  firefoxRuns: 0,
  firefoxFailed: 0,
};

function account(run: SoakRun, index: number): string[] {
  const lines: string[] = [];
  let disagreed = false;
  let unfinished = 0;
  for (const phase of run.phases) {
    const c = phase.comparison;
    totals.requests += c.requests;
    totals.disagreements += c.disagreements.length;
    totals.missingRows += c.missingRows;
    totals.consoleLines += c.consoleLines;
    totals.consoleDisagreements += c.consoleDisagreements.length;
    totals.listProblems += phase.listProblems.length;
    totals.unfinished += phase.unfinished.filter((u) => !u.includes(': never completed: judged from')).length;
    totals.unfinishedCompleted += phase.unfinished.filter((l) => l.includes(': completed from ')).length;
    totals.unfinishedGaveUp += phase.unfinished.filter((l) => l.includes(': never completed: cannot tell')).length;
    totals.unfinishedAsRecorded += phase.unfinished.filter((l) => l.includes(': never completed: judged from')).length;
    unfinished += phase.unfinished.filter((u) => !u.includes(': never completed: judged from')).length;
    const bad = c.disagreements.length + c.consoleDisagreements.length + phase.listProblems.length;
    if (bad > 0) disagreed = true;
    lines.push(
      `  ${phase.name}: ${c.requests} requests, ${c.disagreements.length} disagree, ${c.missingRows} missing rows, ` +
        `${c.consoleDisagreements.length}/${c.consoleLines} console lines differ, ` +
        `${phase.unfinished.filter((u) => !u.includes(': never completed: judged from')).length} came unfinished ` +
        `(+${phase.unfinished.filter((u) => u.includes(': never completed: judged from')).length} asked about again, judged as recorded)`,
    );
    for (const d of c.disagreements) lines.push(`    ${d}`);
    for (const d of c.consoleDisagreements) lines.push(`    console DIFF ${d}`);
    for (const p of phase.listProblems) lines.push(`    list: ${p}`);
    // Requests stopped before sending (status 0, net::ERR_FAILED) are asked about again and end "as recorded": counted only.
    for (const u of phase.unfinished) if (!u.includes(': never completed: judged from')) lines.push(`    unfinished: ${u}`);
  }
  if (disagreed) totals.runsWithDisagreement++;
  if (unfinished > 0) totals.runsWithUnfinished++;
  lines.unshift(`run ${index}: ${disagreed ? 'DISAGREES' : 'agrees'} (${(run.ms / 1000).toFixed(1)} s)`);
  return lines;
}

function runFirefox(index: number): string {
  const started = Date.now();
  const result = spawnSync('npx', ['vitest', 'run', 'test/firefox/firefox-vs-console.test.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // eslint-disable-next-line no-control-regex
  const out = `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  const tests = /Tests\s+(.*)/.exec(out)?.[1]?.trim() ?? '(no summary)';
  const skipped = /skipping the Firefox ESR tests: (.*)/.exec(out)?.[1];
  totals.firefoxRuns++;
  if (result.status !== 0) totals.firefoxFailed++;
  const diffs = out.split('\n').filter((l) => /^\s*(DIFF|FAIL|×)/.test(l)).slice(0, 20);
  return [
    `firefox after run ${index}: ${result.status === 0 ? 'passed' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s): ${skipped ? `skipped: ${skipped}` : tests}`,
    ...diffs.map((l) => `    ${l.trim()}`),
  ].join('\n');
}

const lab = await startLab();
const report: string[] = [];
const say = (text: string) => {
  console.log(text);
  report.push(text);
};
say(`soak: ${runs} runs of the whole lab (${lab.scenarios.length} scenarios × 3 phases), Chromium with DevTools open${firefox ? `, Firefox every ${firefoxEvery} runs` : ''}`);
let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
  console.log('soak: stopping after this run (Ctrl-C again to abort)');
});
try {
  for (let i = 1; i <= runs && !stopping; i++) {
    try {
      const run = await soakRun(lab, extensionDir, { details });
      totals.runs++;
      say(account(run, i).join('\n'));
    } catch (error) {
      totals.runs++;
      totals.failedRuns++;
      say(`run ${i}: FAILED to complete: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    if (firefox && i % firefoxEvery === 0) say(runFirefox(i));
  }
} finally {
  await lab.stop();
}

const t = totals;
say(
  [
    '',
    `soak totals: ${t.runs} runs, ${t.runsWithDisagreement} with a disagreement, ${t.failedRuns} that could not complete`,
    `  requests compared: ${t.requests}; disagreeing rows: ${t.disagreements}; missing rows: ${t.missingRows}`,
    `  console lines compared: ${t.consoleLines}; differing: ${t.consoleDisagreements}; list problems: ${t.listProblems}`,
    `  entries DevTools handed over unfinished: ${t.unfinished} in ${t.runsWithUnfinished} runs; completed later: ${t.unfinishedCompleted}; never completed ("cannot tell"): ${t.unfinishedGaveUp}`,
    `  requests stopped before sending (status 0, net::ERR_FAILED), asked about again and judged as recorded: ${t.unfinishedAsRecorded}`,
    ...(firefox ? [`  firefox live test: ${t.firefoxRuns} runs, ${t.firefoxFailed} failed`] : []),
  ].join('\n'),
);
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'soak.txt'), report.join('\n') + '\n');
process.exit(t.runsWithDisagreement + t.failedRuns + t.firefoxFailed > 0 ? 1 : 0);
