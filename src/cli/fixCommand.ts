/**
 * `cors-lens fix <file.har> --request <url or id> --server <name> [--out DIR] [--port N] [--origin EXTRA ...]`:
 * the server config that lets one captured request pass. Prints the snippet, or writes the runnable example into DIR
 * and prints the command that starts it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ExchangeReport } from '../explain/report.js';
import { explainHar } from '../lib/index.js';
import {
  DEFAULT_EXAMPLE_PORT,
  FixInputError,
  availableServers,
  fixAvailability,
  generateFix,
  isServerId,
  type FixSuggestion,
  type ServerId,
} from '../fixes/index.js';
import { readHarFile } from './readHar.js';
import { posixShellWord } from './shellWord.js';
import { hasUnsafeTerminalText, terminalBlock, terminalSafe } from './terminalText.js';

export interface FixIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Folder that relative paths are resolved against (default: the process's). */
  cwd?: string;
}

export const FIX_USAGE = `Usage: cors-lens fix <file.har> --request <url or id> --server <name> [options]

Prints the server configuration that lets the captured request pass.

  --request <url|id>   the exchange: its id (as \`cors-lens explain\` shows it) or its URL
  --server <name>      one of: ${availableServers().join(', ')}
  --out <dir>          write a complete runnable example there and print the command that starts it
  --port <n>           port the example listens on (default ${DEFAULT_EXAMPLE_PORT})
  --origin <origin>    also allow this origin (repeatable), e.g. --origin https://app.example.com
  --force              suggest a config even when the browser did not block the request
`;

class UsageError extends Error {}

interface FixArgs {
  harPath: string;
  request: string;
  server: ServerId;
  out?: string;
  port: number;
  origins: string[];
  force: boolean;
}

function parseArgs(argv: readonly string[]): FixArgs | 'help' {
  const args = argv[0] === 'fix' ? argv.slice(1) : [...argv];
  const positional: string[] = [];
  const origins: string[] = [];
  let request: string | undefined;
  let server: string | undefined;
  let out: string | undefined;
  let port = DEFAULT_EXAMPLE_PORT;
  let force = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--request':
        request = value();
        break;
      case '--server':
        server = value();
        break;
      case '--out':
        out = value();
        break;
      case '--port': {
        const raw = value();
        port = Number(raw);
        if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new UsageError(`--port must be a TCP port (1-65535), not ${JSON.stringify(raw)}`);
        break;
      }
      case '--origin':
        origins.push(value());
        break;
      case '--force':
        force = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('name the HAR file: cors-lens fix <file.har> --request <url or id> --server <name>');
  if (positional.length > 1) throw new UsageError(`one HAR file at a time (got ${positional.length})`);
  if (request === undefined) throw new UsageError('say which request: --request <url or id> (cors-lens explain lists them)');
  if (server === undefined) throw new UsageError(`say which server: --server <${availableServers().join('|')}>`);
  if (!isServerId(server) || !availableServers().includes(server)) {
    throw new UsageError(`unknown server ${JSON.stringify(server)}; one of: ${availableServers().join(', ')}`);
  }
  return { harPath: positional[0]!, request, server, ...(out !== undefined ? { out } : {}), port, origins, force };
}

/** The exchange `needle` names: its id, else its URL (exact, then without the fragment); blocked ones first. */
export function findExchange(exchanges: readonly ExchangeReport[], needle: string): ExchangeReport {
  const byId = exchanges.find((e) => e.id === needle);
  if (byId) return byId;
  let matches = exchanges.filter((e) => e.url === needle || e.finalUrl === needle);
  if (matches.length === 0) matches = exchanges.filter((e) => e.url.split('#')[0] === needle.split('#')[0]);
  if (matches.length === 0) {
    throw new UsageError(`no request with id or URL ${JSON.stringify(needle)} in the HAR (${exchanges.length} exchanges; cors-lens explain lists them)`);
  }
  const blocked = matches.filter((e) => e.verdict === 'blocked');
  const pool = blocked.length > 0 ? blocked : matches;
  if (pool.length > 1) {
    throw new UsageError(`${pool.length} requests have that URL; name one by id: ${pool.map((e) => e.id).join(', ')}`);
  }
  return pool[0]!;
}

function describeFix(fix: FixSuggestion): string {
  const lines = [
    `# ${fix.label} — ${fix.verified ? 'verified: the test suite runs this in a real server and browser' : 'not verified: no test here runs this stack'}`,
  ];
  if (fix.limitation) lines.push(`# Note: ${fix.limitation}`);
  lines.push('', fix.snippet.trimEnd(), '');
  if (fix.pitfalls.length > 0) lines.push('Pitfalls:', ...fix.pitfalls.map((p) => `  - ${p}`), '');
  return `${lines.join('\n')}\n`;
}

async function writeExample(fix: FixSuggestion, outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of fix.example.files) {
    // Paths come from the generators, never from the capture; still, nothing is written outside the folder.
    const target = resolve(outDir, file.path);
    const rel = relative(outDir, target);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new FixInputError(`refusing to write outside ${outDir}: ${file.path}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    written.push(join(outDir, file.path));
  }
  return written;
}

export async function runFixCommand(argv: string[], io: FixIo): Promise<number> {
  let args: FixArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cors-lens fix: ${terminalSafe(error.message)}\n`);
      return 2;
    }
    throw error;
  }
  if (args === 'help') {
    io.stdout(FIX_USAGE);
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  try {
    const har = await readHarFile(resolve(cwd, args.harPath));
    const report = explainHar(har);
    const exchange = findExchange(report.exchanges, args.request);
    const availability = fixAvailability(exchange, { extraOrigins: args.origins, force: args.force });
    if (!availability.ok) {
      const hint = exchange.verdict !== 'blocked' && !args.force ? ' (add --force to get a config anyway)' : '';
      io.stderr(`cors-lens fix: ${terminalSafe(`nothing to fix for ${exchange.id}: ${availability.reason}`)}${hint}\n`);
      return exchange.verdict === 'blocked' || args.force ? 2 : 0;
    }
    const fix = generateFix(args.server, availability.policy, { port: args.port });
    if (args.out === undefined) {
      io.stdout(terminalBlock(describeFix(fix)));
      return 0;
    }
    const outDir = resolve(cwd, args.out);
    const written = await writeExample(fix, outDir);
    io.stdout(
      terminalBlock(`${describeFix(fix)}Wrote ${written.length} file${written.length === 1 ? '' : 's'}: ${written.map(terminalSafe).join(', ')}\n`) +
        startCommand(outDir, fix.example.command, args.port),
    );
    return 0;
  } catch (error) {
    if (error instanceof Error && (error.name === 'CliInputError' || error.name === 'HarFormatError' || error instanceof FixInputError || error instanceof UsageError)) {
      io.stderr(`cors-lens fix: ${terminalSafe(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * The command that starts the example, safe to paste: the folder is one POSIX single-quoted word, so `$(…)`, backticks,
 * `!`, globs and spaces in its name stay literal. A folder name holding a control or invisible character cannot be
 * printed as it is without reaching the terminal (nor shown escaped without changing the command), so then no `cd`
 * line is printed, only what to run inside the folder.
 */
export function startCommand(outDir: string, command: string, port: number): string {
  if (hasUnsafeTerminalText(outDir)) {
    return `The folder name holds control or invisible characters (${terminalSafe(outDir)}), so no cd command is printed.\n` +
      `Start it on port ${port} from inside that folder:\n  ${terminalSafe(command)}\n`;
  }
  return `Start it on port ${port}:\n  cd ${posixShellWord(outDir)} && ${terminalSafe(command)}\n`;
}
