/**
 * Two builds of the library, side by side in one process: `explainHar` of this checkout's `dist/lib` against another
 * checkout's (a worktree at an older commit, built with `npm run build:lib`), alternating on the engine bench's input,
 * with the CPU time of each call. On a machine whose load changes by the minute this says whether a change made the
 * engine faster when the absolute figures cannot.
 *
 *   git worktree add /tmp/base <commit> && (cd /tmp/base && ln -s "$PWD/node_modules" . && npx tsc -p tsconfig.lib.json)
 *   npm run build:lib && node --expose-gc --import tsx bench/compareBuilds.ts /tmp/base [--runs 10] [--blocked]
 *
 * Figures are the minimum and median CPU time over the measured runs (the first two are warm-up).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BLOCKED_INPUT, ENGINE_INPUT, ROOT, harInput } from './inputs.js';
import { collectGarbage, median } from './stats.js';

type ExplainHar = (har: unknown) => unknown;

async function loadExplainHar(checkout: string): Promise<ExplainHar> {
  const module = (await import(pathToFileURL(join(resolve(checkout), 'dist/lib/index.js')).href)) as { explainHar: ExplainHar };
  return module.explainHar;
}

function cpuMs(run: () => unknown): number {
  collectGarbage();
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const other = process.argv[2];
if (other === undefined) {
  console.error('usage: node --expose-gc --import tsx bench/compareBuilds.ts <other checkout with dist/lib> [--runs N]');
  process.exit(2);
}
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 10;
const builds: [string, ExplainHar][] = [
  ['this checkout', await loadExplainHar(ROOT)],
  [other, await loadExplainHar(other)],
];
// `--blocked`: the blocked-heavy input of the engine bench (about half the exchanges blocked) instead of the typical one.
const input = process.argv.includes('--blocked') ? harInput('engine-blocked', BLOCKED_INPUT) : harInput('engine', ENGINE_INPUT);
const text = readFileSync(input.path, 'utf8');
const times = new Map<string, number[]>([['JSON.parse', []], ...builds.map(([name]) => [name, []] as [string, number[]])]);
for (let i = 0; i < runs + 2; i++) {
  let har: unknown;
  const parse = cpuMs(() => (har = JSON.parse(text)));
  // Alternate which build goes first, so neither always runs right after the parse.
  const order = i % 2 === 0 ? builds : [...builds].reverse();
  const each = order.map(([name, explain]) => [name, cpuMs(() => explain(har))] as const);
  if (i < 2) continue;
  times.get('JSON.parse')!.push(parse);
  for (const [name, ms] of each) times.get(name)!.push(ms);
}
const parseMin = Math.min(...times.get('JSON.parse')!);
for (const [name, values] of times) {
  const min = Math.min(...values);
  const ratio = name === 'JSON.parse' ? '' : `  ${(min / parseMin).toFixed(2)}x parse (minimum)`;
  console.log(`${name.padEnd(28)} CPU min ${min.toFixed(0).padStart(5)} ms, median ${median(values).toFixed(0).padStart(5)} ms${ratio}`);
}
