/**
 * `npm run bench`: builds first (the npm script does), then runs the benchmarks and prints one table to compare between
 * commits. Not part of `npm test`: timings belong here, never in tests.
 *
 *   npm run bench                      all six (engine, cli, large, panel, bundle, hostile)
 *   npm run bench -- --only engine,bundle
 *   npm run bench -- --runs 3          fewer measured runs (engine, CLI)
 *   npm run bench -- --json out.json   also write the figures as JSON
 *   npm run bench -- --quiet           the table only
 *
 * Inputs are generated (seeded) into $CORS_LENS_BENCH_DIR or <tmp>/cors-lens-bench and reused.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchBundle } from './bundle.js';
import { benchCli, benchLarge } from './cli.js';
import { benchEngine } from './engine.js';
import { benchHostile } from './hostile.js';
import { ROOT } from './inputs.js';
import { benchPanel } from './panel.js';
import { printTable, type BenchRow } from './stats.js';

const ALL = ['engine', 'cli', 'large', 'panel', 'bundle', 'hostile'] as const;
type BenchName = (typeof ALL)[number];

/** The commit measured, marked `+changes` when the working tree differs from it. */
function currentCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'an unknown commit';
  }
}

function argValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const only = argValue(argv, '--only')?.split(',').map((s) => s.trim()) ?? [...ALL];
  const unknownNames = only.filter((n) => !(ALL as readonly string[]).includes(n));
  if (unknownNames.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknownNames.join(', ')}; choose from ${ALL.join(', ')}\n`);
    return 2;
  }
  const runsText = argValue(argv, '--runs');
  const runs = runsText === undefined ? undefined : Math.max(1, Number(runsText));
  const quiet = argv.includes('--quiet');
  const log = quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') log('note: run with node --expose-gc for steadier figures (npm run bench does)');

  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const figures: Record<string, unknown> = {};
  for (const name of ALL) {
    if (!only.includes(name)) continue;
    const started = performance.now();
    try {
      const result =
        name === 'engine'
          ? benchEngine({ ...(runs === undefined ? {} : { runs }), log })
          : name === 'cli'
            ? await benchCli({ ...(runs === undefined ? {} : { runs }), log })
            : name === 'large'
              ? await benchLarge({ log })
            : name === 'panel'
              ? await benchPanel({ log })
              : name === 'hostile'
                ? benchHostile({ ...(runs === undefined ? {} : { runs }), log })
                : benchBundle();
      rows.push(...result.rows);
      notes.push(...result.notes.map((n) => `${name}: ${n}`));
      figures[name] = { ...result, rows: undefined };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      rows.push({ bench: name, measure: 'failed to run', value: message, ok: false });
      if (!quiet && error instanceof Error && error.stack) log(error.stack);
    }
    log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), node ${process.version}`;
  const commit = currentCommit();
  process.stdout.write(`\nCORS Lens benchmarks at ${commit}: ${machine}, load average ${loadavg()[0]!.toFixed(1)}\n\n`);
  printTable(rows, (text) => process.stdout.write(text));
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  const jsonPath = argValue(argv, '--json');
  if (jsonPath !== undefined) writeFileSync(jsonPath, `${JSON.stringify({ commit, machine, date: new Date().toISOString(), figures }, null, 2)}\n`);
  // Over budget is a finding, shown in the table; only a benchmark that could not run fails the command.
  return rows.some((r) => r.measure === 'failed to run') ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);

export type { BenchName };
