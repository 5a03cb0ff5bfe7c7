/**
 * CLI benchmark: `cors-lens explain <~100 MB HAR> > /dev/null` as a real process (dist/cli, built by npm run bench),
 * the command as a person or a CI job runs it (the verdict of every exchange, printed as text), and the same with
 * `--json` (the whole report: every exchange's headers and checklist, as large as the input), against a `node -e`
 * process that only reads and JSON.parses the same file. All three are timed from spawn to exit, alternated, medians;
 * each reports its peak RSS on exit (bench/maxRss.mjs). Budget: CLI ≤ 1.5 × the parse process, shown for both outputs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCKED_CLI_INPUT, CLI_INPUT, BENCH_DIR, INPUT_DIR, ROOT, harInput, largeHarInput } from './inputs.js';
import { collectGarbage, mb, median, ms, type BenchRow } from './stats.js';

export const CLI_BUDGET_RATIO = 1.5;
/** The blocked-heavy input: every other exchange is worded in full, within 2× of its floor (issue 19). */
export const BLOCKED_CLI_BUDGET_RATIO = 2.0;
/**
 * The peak resident memory `explain` stays under whatever the HAR's size (docs/cli.md): its live heap is the store's
 * window (16 MB of entry text, at most 10,000 exchanges) and 4 M characters of held output, about 45 MB measured, and
 * V8 lets the heap grow to a few times that before it collects.
 */
export const LARGE_RSS_BOUND_BYTES = 400 * 1024 * 1024;
/** A HAR of any size is explained in time that grows linearly: its time per MB within 1.5× of the 96 MB input's. */
export const LARGE_LINEARITY_BUDGET = 1.5;

interface ProcessRun {
  ms: number;
  /** CPU time of the process (user + system, all threads). */
  cpuMs: number;
  maxRss: number;
  code: number | null;
  stderr: string;
}

/** The floor: read the file the fastest way measured (what the CLI does, src/cli/readHar.ts) and parse it. */
const PARSE_ONLY = `const text = require('node:fs').readFileSync(process.argv[1]).toString('utf8'); JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);`;

function runProcess(args: string[], rssFile: string): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', join(BENCH_DIR, 'maxRss.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, CORS_LENS_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
      stdio: ['ignore', devNull, 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.once('error', (error) => {
      closeSync(devNull);
      reject(error);
    });
    child.once('close', (code) => {
      const elapsed = performance.now() - start;
      closeSync(devNull);
      let usage = { maxRss: NaN, cpuMs: NaN };
      try {
        usage = JSON.parse(readFileSync(rssFile, 'utf8')) as typeof usage;
      } catch {
        /* the process died before its exit hook */
      }
      resolve({ ms: elapsed, ...usage, code, stderr });
    });
  });
}

export async function benchCli(options: { runs?: number; log?: (line: string) => void } = {}): Promise<{
  rows: BenchRow[];
  notes: string[];
  parseMs: number;
  cliMs: number;
  ratio: number;
  cpuRatio: number;
  parseMaxRss: number;
  cliMaxRss: number;
  jsonMs: number;
  jsonRatio: number;
  jsonCpuRatio: number;
  jsonMaxRss: number;
  bytes: number;
}> {
  const runs = options.runs ?? 3;
  const log = options.log ?? (() => {});
  const cliPath = join(ROOT, 'dist/cli/cors-lens.js');
  if (!existsSync(cliPath)) throw new Error(`no ${cliPath}: run npm run build first`);
  const input = harInput('cli', CLI_INPUT);
  log(`cli: ${input.path} (${mb(input.bytes)}, ${CLI_INPUT.entries} entries); 1 warm-up + ${runs} measured runs of each`);
  const work = mkdtempSync(join(tmpdir(), 'cors-lens-bench-cli-'));
  const parse: ProcessRun[] = [];
  const cli: ProcessRun[] = [];
  const json: ProcessRun[] = [];
  const blockedParse: ProcessRun[] = [];
  const blocked: ProcessRun[] = [];
  const blockedInput = harInput('cli-blocked', BLOCKED_CLI_INPUT);
  log(`cli: blocked-heavy ${blockedInput.path} (${mb(blockedInput.bytes)}, ${BLOCKED_CLI_INPUT.entries} entries)`);
  const notes: string[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      collectGarbage();
      const parsed = await runProcess(['-e', PARSE_ONLY, input.path], join(work, `parse-${i}`));
      if (parsed.code !== 0) throw new Error(`the parse-only process failed (exit ${parsed.code}): ${parsed.stderr.split('\n')[0]}`);
      const explained = await runProcess([cliPath, 'explain', input.path, '--no-fail'], join(work, `cli-${i}`));
      if (explained.code !== 0) throw new Error(`cors-lens explain failed (exit ${explained.code}): ${explained.stderr.split('\n')[0]}`);
      const asJson = await runProcess([cliPath, 'explain', input.path, '--json', '--no-fail'], join(work, `json-${i}`));
      if (asJson.code !== 0) throw new Error(`cors-lens explain --json failed (exit ${asJson.code}): ${asJson.stderr.split('\n')[0]}`);
      const blockedParsed = await runProcess(['-e', PARSE_ONLY, blockedInput.path], join(work, `blocked-parse-${i}`));
      const blockedExplained = await runProcess([cliPath, 'explain', blockedInput.path, '--no-fail'], join(work, `blocked-${i}`));
      if (blockedExplained.code !== 0) throw new Error(`cors-lens explain (blocked-heavy) failed (exit ${blockedExplained.code}): ${blockedExplained.stderr.split('\n')[0]}`);
      if (i === 0) continue; // warm-up: file cache, CPU frequency
      blockedParse.push(blockedParsed);
      blocked.push(blockedExplained);
      parse.push(parsed);
      cli.push(explained);
      json.push(asJson);
      log(
        `  run ${i}: read+parse ${ms(parsed.ms)} (CPU ${ms(parsed.cpuMs)}, peak ${mb(parsed.maxRss)}), ` +
          `cors-lens explain ${ms(explained.ms)} (CPU ${ms(explained.cpuMs)}, peak ${mb(explained.maxRss)}), ` +
          `--json ${ms(asJson.ms)} (CPU ${ms(asJson.cpuMs)}, peak ${mb(asJson.maxRss)})`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const parseMs = median(parse.map((r) => r.ms));
  const cliMs = median(cli.map((r) => r.ms));
  const parseMaxRss = Math.max(...parse.map((r) => r.maxRss));
  const cliMaxRss = Math.max(...cli.map((r) => r.maxRss));
  const ratio = cliMs / parseMs;
  const parseCpu = median(parse.map((r) => r.cpuMs));
  const cpuRatio = median(cli.map((r) => r.cpuMs)) / parseCpu;
  const jsonMs = median(json.map((r) => r.ms));
  const jsonMaxRss = Math.max(...json.map((r) => r.maxRss));
  const jsonRatio = jsonMs / parseMs;
  const jsonCpuRatio = median(json.map((r) => r.cpuMs)) / parseCpu;
  const blockedRatio = median(blocked.map((r) => r.ms)) / median(blockedParse.map((r) => r.ms));
  return {
    rows: [
      { bench: 'cli', measure: `input (${CLI_INPUT.entries} entries, heavy headers)`, value: mb(input.bytes) },
      { bench: 'cli', measure: 'node -e read + JSON.parse (median)', value: ms(parseMs) },
      { bench: 'cli', measure: 'cors-lens explain (median)', value: ms(cliMs) },
      { bench: 'cli', measure: 'cors-lens explain --json (median)', value: ms(jsonMs) },
      { bench: 'cli', measure: 'peak RSS: read + JSON.parse', value: mb(parseMaxRss) },
      { bench: 'cli', measure: 'peak RSS: cors-lens explain', value: mb(cliMaxRss) },
      { bench: 'cli', measure: 'peak RSS: cors-lens explain --json', value: mb(jsonMaxRss) },
      { bench: 'cli', measure: 'CPU time ratio, explain / --json', value: `${cpuRatio.toFixed(2)}x / ${jsonCpuRatio.toFixed(2)}x` },
      { bench: 'cli', measure: 'cors-lens explain / read + parse', value: `${ratio.toFixed(2)}x`, budget: `≤ ${CLI_BUDGET_RATIO}x`, ok: ratio <= CLI_BUDGET_RATIO },
      { bench: 'cli', measure: 'cors-lens explain --json / read + parse', value: `${jsonRatio.toFixed(2)}x`, budget: `≤ ${CLI_BUDGET_RATIO}x`, ok: jsonRatio <= CLI_BUDGET_RATIO },
      { bench: 'cli', measure: `blocked-heavy input (${BLOCKED_CLI_INPUT.entries} entries)`, value: mb(blockedInput.bytes) },
      { bench: 'cli', measure: 'blocked-heavy: read + parse / explain (medians)', value: `${ms(median(blockedParse.map((r) => r.ms)))} / ${ms(median(blocked.map((r) => r.ms)))}` },
      { bench: 'cli', measure: 'blocked-heavy: peak RSS of explain', value: mb(Math.max(...blocked.map((r) => r.maxRss))) },
      { bench: 'cli', measure: 'blocked-heavy: explain / read + parse', value: `${blockedRatio.toFixed(2)}x`, budget: `≤ ${BLOCKED_CLI_BUDGET_RATIO}x`, ok: blockedRatio <= BLOCKED_CLI_BUDGET_RATIO },
    ],
    notes,
    parseMs,
    cliMs,
    ratio,
    cpuRatio,
    parseMaxRss,
    cliMaxRss,
    jsonMs,
    jsonRatio,
    jsonCpuRatio,
    jsonMaxRss,
    bytes: input.bytes,
  };
}

/**
 * A HAR larger than the longest string V8 holds (default 1 GB: `CORS_LENS_BENCH_LARGE_MB`), written entry by entry:
 * `cors-lens explain` twice on it and once on the 96 MB input, each as its own process. Figures: time per MB of each
 * (their ratio is the linearity budget), peak RSS against the bound docs/cli.md states (`LARGE_RSS_BOUND_BYTES`, with
 * Node's default heap settings, whatever the file's size), and the same run under `--max-old-space-size=100`, which
 * completes only if the live heap stays under 100 MB.
 */
export async function benchLarge(options: { log?: (line: string) => void } = {}): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const log = options.log ?? (() => {});
  const cliPath = join(ROOT, 'dist/cli/cors-lens.js');
  if (!existsSync(cliPath)) throw new Error(`no ${cliPath}: run npm run build first`);
  const megabytes = Number(process.env.CORS_LENS_BENCH_LARGE_MB ?? 1024);
  const small = harInput('cli', CLI_INPUT);
  const large = largeHarInput(megabytes);
  log(`large: ${large.path} (${mb(large.bytes)}, ${large.entries} entries) against ${small.path} (${mb(small.bytes)}) in ${INPUT_DIR}`);
  const work = mkdtempSync(join(tmpdir(), 'cors-lens-bench-large-'));
  try {
    const smallRun = await runProcess([cliPath, 'explain', small.path, '--no-fail'], join(work, 'small'));
    // Twice: the peak depends on when V8 collects (without the CLI's cap, 8 runs of 11 went past the bound, 3 did not).
    const largeRuns: ProcessRun[] = [];
    for (let run = 0; run < 2; run++) {
      const largeRun = await runProcess([cliPath, 'explain', large.path, '--no-fail'], join(work, `large-${run}`));
      if (largeRun.code !== 0) throw new Error(`cors-lens explain on ${mb(large.bytes)} failed (exit ${largeRun.code}): ${largeRun.stderr.split('\n')[0]}`);
      log(`  large, run ${run + 1}: ${ms(largeRun.ms)} (CPU ${ms(largeRun.cpuMs)}, peak ${mb(largeRun.maxRss)})`);
      largeRuns.push(largeRun);
    }
    log(`  96 MB: ${ms(smallRun.ms)} (CPU ${ms(smallRun.cpuMs)})`);
    // The faster run for time, the larger peak for memory.
    const largeRun = largeRuns[0]!.cpuMs <= largeRuns[1]!.cpuMs ? largeRuns[0]! : largeRuns[1]!;
    const largestRss = Math.max(...largeRuns.map((run) => run.maxRss));
    const capped = await runProcess(['--max-old-space-size=100', cliPath, 'explain', large.path, '--no-fail'], join(work, 'capped'));
    log(`  large with a 100 MB heap: exit ${capped.code}, ${ms(capped.ms)}, peak ${mb(capped.maxRss)}`);
    const perMb = (run: ProcessRun, bytes: number) => run.cpuMs / (bytes / 1024 / 1024);
    const linearity = perMb(largeRun, large.bytes) / perMb(smallRun, small.bytes);
    return {
      rows: [
        { bench: 'large', measure: `input (${large.entries} entries, heavy headers)`, value: mb(large.bytes) },
        { bench: 'large', measure: 'cors-lens explain: wall / CPU', value: `${ms(largeRun.ms)} / ${ms(largeRun.cpuMs)}` },
        { bench: 'large', measure: 'peak RSS, 96 MB input', value: mb(smallRun.maxRss) },
        {
          bench: 'large',
          measure: 'peak RSS (default heap settings), the larger of two runs',
          value: `${mb(largestRss)} (${largeRuns.map((run) => mb(run.maxRss)).join(', ')})`,
          budget: `≤ ${mb(LARGE_RSS_BOUND_BYTES)}`,
          ok: largestRss <= LARGE_RSS_BOUND_BYTES,
        },
        { bench: 'large', measure: 'completes with --max-old-space-size=100 (peak RSS)', value: capped.code === 0 ? `yes (${mb(capped.maxRss)})` : `no (exit ${capped.code})`, budget: 'yes', ok: capped.code === 0 },
        { bench: 'large', measure: 'CPU per MB, large / 96 MB input', value: `${linearity.toFixed(2)}x`, budget: `≤ ${LARGE_LINEARITY_BUDGET}x`, ok: linearity <= LARGE_LINEARITY_BUDGET },
      ],
      notes: [],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
