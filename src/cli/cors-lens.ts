#!/usr/bin/env node
/**
 * The `cors-lens` command. `explain` reads a HAR and prints each exchange's verdict; `check` sends a page's request to
 * a live server and judges the answers the same way; `fix` writes a server config. Each command is its own module,
 * loaded only when asked for: `explain` never loads the HTTP client `check` needs, and `--version` loads neither.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { TOOL_VERSION } from '../model/toolVersion.js';
import { CliInputError, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, streamWriter, type CliIo } from './io.js';
import { terminalSafe } from './terminalText.js';

export const USAGE = `cors-lens ${TOOL_VERSION}: explains why the browser blocked a cross-origin request

Usage:
  cors-lens explain <file.har> [--json] [--only blocked|warnings|all] [--no-fail] [--rules chromium|firefox|auto]
  cors-lens check <url> --origin <page origin> [--method M] [--header 'Name: value']... [--credentials]
                 [--content-type T] [--data TEXT] [--kind K] [--send] [--expect allowed|blocked] [--json]
  cors-lens check --config cors.json      many checks, one line each, and totals (for CI)
  cors-lens fix ...              server configuration that would let a captured request pass
  cors-lens --help | --version

explain options:
  --json             print the report as JSON (schema: docs/report-schema.md)
  --only <which>     blocked: only blocked exchanges; warnings: only those with risk warnings; all (default)
  --no-fail          exit 0 even when something is blocked
  --rules <browser>  whose CORS rules to apply; auto (default) follows the browser that made the capture

check: sends the request a page on <page origin> would send (its preflight first when Chromium would send one,
redirects followed hop by hop) and prints the same report, the checklist and the fix. A method that can change data
(anything but GET, HEAD, OPTIONS) gets only its preflight unless --send is given. See cors-lens check --help.
  cors-lens check https://api.example.com/items --origin https://app.example.com --method PUT \\
    --content-type application/json --expect allowed

Examples:
  cors-lens explain capture.har --only blocked     # each blocked request: what failed, Chrome's line, the fix
  cors-lens explain capture.har --json > report.json
  cors-lens fix capture.har --request 3 --server express   # the config for request #3 (cors-lens fix --help)

Exit codes: 0 nothing blocked, 1 something blocked, 2 bad input or usage (check: with --expect, 0 when the
expectation holds and 1 when not).
`;

type FixModule = { runFixCommand: (argv: string[], io: CliIo) => Promise<number> };

async function runFix(argv: string[], io: CliIo): Promise<number> {
  // A variable specifier: the fix command is optional at build time and loaded only when used.
  const specifier = './fixCommand.js';
  let module: FixModule;
  try {
    module = (await import(specifier)) as FixModule;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
    if (code === 'ERR_MODULE_NOT_FOUND') {
      io.stderr('cors-lens: the fix command is not available yet\n');
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
  return module.runFixCommand(argv, io);
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io[command === undefined ? 'stderr' : 'stdout'](USAGE);
        return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
      case '--version':
      case '-v':
        io.stdout(`${TOOL_VERSION}\n`);
        return EXIT_OK;
      case 'explain':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(USAGE);
          return EXIT_OK;
        }
        return await (await import('./explainCommand.js')).runExplainCommand(rest, io);
      case 'check':
        return await (await import('./checkCommand.js')).runCheckCommand(rest, io);
      case 'fix':
        return await runFix(rest, io);
      default:
        throw new CliInputError(`unknown command "${command}" (see cors-lens --help)`);
    }
  } catch (error) {
    if (error instanceof CliInputError) {
      // The message may quote the input (a file name, the parser's view of its bytes): escaped for the terminal.
      io.stderr(`cors-lens: ${terminalSafe(error.message)}\n`);
      return EXIT_BAD_INPUT;
    }
    // A bug of ours: still one line, and the stack only when asked for.
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(`cors-lens: internal error: ${terminalSafe(detail.split('\n')[0] ?? '')}\n`);
    if (io.env.CORS_LENS_DEBUG) io.stderr(`${terminalSafe(error instanceof Error ? (error.stack ?? '') : '').replaceAll('\\x0a', '\n')}\n`);
    return EXIT_INTERNAL;
  }
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * How far V8 may let the heap grow past what its last full collection found alive, in percent: 100 is at most twice.
 * Its own choice goes up to four times. `explain` keeps about 45 MB alive on a HAR of any size (docs/cli.md, "Large
 * files"), but a full collection that runs while a batch of entries is in flight can count 125 MB as alive, and
 * four times that took 8 of 11 runs on 1 GB to 602–625 MB of resident memory, past the 400 MB the docs promise.
 * At twice it stayed at 213–261 MB in eleven runs, in the same time (docs/performance.md, tenth pass).
 */
const HEAP_GROWING_PERCENT = 100;

/** Bounds the heap's growth (`HEAP_GROWING_PERCENT`), unless the user set it (`node --heap-growing-percent=N`). */
function boundHeapGrowth(): void {
  // Only on node's command line: NODE_OPTIONS does not take V8 flags of this kind.
  const chosen = process.execArgv.some((arg) => arg.includes('heap-growing-percent'));
  // V8 reads this flag each time it sizes the heap after a full collection, so setting it now takes effect.
  if (!chosen) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

if (isEntryPoint()) {
  boundHeapGrowth();
  // With back-pressure, and rejecting once the reader has gone (docs/cli.md, "Exit codes").
  const stdout = streamWriter(process.stdout);
  const io: CliIo = {
    stdout,
    stdoutBytes: stdout,
    stderr: (text) => void process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    // Made only when read (for `-`): an idle standard input is never opened.
    get stdin() {
      return process.stdin;
    },
  };
  // `2>&1 | head`: a closed stderr is no reason to stop or to crash.
  process.stderr.on('error', () => undefined);
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cors-lens: internal error: ${terminalSafe((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '')}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
