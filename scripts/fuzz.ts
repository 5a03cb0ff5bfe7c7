/**
 * The long fuzz run: `npm run fuzz [-- --runs 1000000] [--seed 42] [--target all|engine,har,store,store-timed,hostile-cli] [--chunk 20000]`.
 * `store` feeds fully arbitrary entries (what `npm test` uses); `store-timed` only entries with a valid start time, in start order.
 * `hostile-cli` first runs the whole hostile corpus (test/security/corpus.ts, long scale: 100,000 headers, 150,000
 * entries, nesting 1,000,000 deep) through the real `cors-lens explain` command, text and --json, then runs the CLI in
 * process on random hostile HARs (test/security/hostileCli.ts): no hang, no stack trace, exit codes as documented, no
 * control or invisible character from the input on stdout/stderr, strict JSON. `--skip-corpus` leaves out the fixed corpus.
 *
 * Runs the properties of test/fuzz/properties.ts (the same ones `npm test` runs a few thousand times) over arbitrary
 * exchanges, HAR documents and entry batches. Work is split into chunks, chunk i using seed `seed + i`, so a failure
 * prints the chunk's seed, the fast-check replay path and a command that reproduces it alone.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { anyExchange, harDocument, harEntries, timedHarEntries } from '../test/fuzz/arbitraries.js';
import { engineProperty, explainHarProperty, loadEngine, storeBatchingProperty } from '../test/fuzz/properties.js';
import { hostileCorpus } from '../test/security/corpus.js';
import { hostileCliProperty, hostileHar, makeFolder, problemsWith, runProcess, writeCase } from '../test/security/hostileCli.js';

type Target = 'engine' | 'har' | 'store' | 'store-timed' | 'hostile-cli';
const TARGETS: readonly Target[] = ['engine', 'har', 'store', 'store-timed', 'hostile-cli'];

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    target: { type: 'string', default: 'all' },
    chunk: { type: 'string', default: '20000' },
    path: { type: 'string' },
    'skip-corpus': { type: 'boolean', default: false },
  },
});

const totalRuns = Number(values.runs);
const chunkSize = Math.max(1, Number(values.chunk));
const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed);
if (!Number.isSafeInteger(totalRuns) || totalRuns < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N] [--target all|engine,har,store,store-timed,hostile-cli] [--chunk N] [--path P]');
  process.exit(2);
}

const evaluate = await loadEngine();
/** The store's own wiring (engine + warnings + WarningContext) is what runs. */
const deps = {};

const hostileFolder = makeFolder();
process.on('exit', hostileFolder.remove);

const properties: Record<Target, () => fc.IPropertyWithHooks<never> | fc.IProperty<never> | fc.IAsyncProperty<never>> = {
  engine: () => fc.property(anyExchange, engineProperty(evaluate!)) as never,
  har: () => fc.property(harDocument, explainHarProperty(undefined, deps)) as never,
  store: () => fc.property(harEntries, storeBatchingProperty(deps)) as never,
  'store-timed': () => fc.property(timedHarEntries, storeBatchingProperty(deps)) as never,
  'hostile-cli': () => fc.asyncProperty(hostileHar, hostileCliProperty(hostileFolder.folder)) as never,
};

let targets: Target[];
if (values.target === 'all') targets = evaluate === undefined ? ['har', 'store', 'hostile-cli'] : ['engine', 'har', 'store', 'hostile-cli'];
else {
  targets = values.target.split(',').map((t) => t.trim()) as Target[];
  const unknown = targets.filter((t) => !TARGETS.includes(t));
  if (unknown.length > 0 || targets.length === 0) {
    console.error(`unknown --target ${unknown.join(',')}; use all or a comma list of ${TARGETS.join(', ')}`);
    process.exit(2);
  }
}
if (targets.includes('engine') && evaluate === undefined) {
  console.error('src/explain/evaluateExchange.ts is absent: the engine target cannot run yet.');
  process.exit(2);
}

if (targets.includes('hostile-cli') && values.path === undefined && !values['skip-corpus']) {
  // The fixed corpus once, at every scale, through the real command (its own process, real pipes).
  const cases = hostileCorpus();
  console.log(`hostile corpus: ${cases.length} cases through cors-lens explain, text and --json`);
  let failed = 0;
  for (const kase of cases) {
    const path = writeCase(kase, hostileFolder.folder);
    for (const json of [false, true]) {
      const run = await runProcess(['explain', path, ...(json ? ['--json'] : [])], hostileFolder.folder, kase.boundMs);
      const problems = problemsWith(kase, json, run, hostileFolder.folder);
      for (const problem of problems) console.log(`  PROBLEM ${problem}`);
      failed += problems.length;
      console.log(`  ${problems.length === 0 ? 'ok' : 'FAILED'}: ${kase.name} (${json ? '--json' : 'text'}, exit ${run.code}, ${(run.ms / 1000).toFixed(1)} s)`);
    }
  }
  if (failed > 0) process.exit(1);
}

console.log(`fuzz: ${totalRuns.toLocaleString('en')} cases over ${targets.join(', ')}, seed ${seed}, chunks of ${chunkSize}`);
const started = performance.now();
let done = 0;
const perTarget = Object.fromEntries(targets.map((t) => [t, 0])) as Record<Target, number>;

for (let chunk = 0; done < totalRuns; chunk += 1) {
  const target = targets[chunk % targets.length]!;
  const numRuns = Math.min(chunkSize, totalRuns - done);
  const chunkSeed = seed + chunk;
  const parameters: fc.Parameters<never> = { seed: chunkSeed, numRuns };
  if (values.path !== undefined) parameters.path = values.path;
  const details = await fc.check(properties[target]() as fc.IAsyncProperty<never>, parameters);
  done += details.numRuns;
  perTarget[target] += details.numRuns;
  if (details.failed) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`\nCOUNTEREXAMPLE in target "${target}" after ${done.toLocaleString('en')} cases (${seconds} s)`);
    console.log(`reproduce: npm run fuzz -- --target ${target} --seed ${chunkSeed} --runs ${numRuns} --path "${details.counterexamplePath}"`);
    const shown = JSON.stringify(details.counterexample, null, 1) ?? String(details.counterexample);
    console.log(`input (${details.numShrinks} shrinks):\n${shown.length > 20_000 ? `${shown.slice(0, 20_000)}…` : shown}`);
    const error = details.errorInstance;
    console.log(`failure: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(
    `\r${done.toLocaleString('en')} / ${totalRuns.toLocaleString('en')} cases, ${elapsed.toFixed(0)} s, ` +
      `${Math.round(done / Math.max(elapsed, 0.001)).toLocaleString('en')} cases/s   `,
  );
}

const seconds = (performance.now() - started) / 1000;
console.log(
  `\nno counterexample: ${done.toLocaleString('en')} cases in ${seconds.toFixed(1)} s ` +
    `(${targets.map((t) => `${t} ${perTarget[t].toLocaleString('en')}`).join(', ')}), seed ${seed}`,
);
