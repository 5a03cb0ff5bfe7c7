/**
 * `cors-lens fix <file.har> --request <url or id> --server <name> [--out DIR] [--port N] [--origin EXTRA ...]`:
 * the server config that lets one captured request pass. Prints the snippet, or writes the runnable example into DIR
 * and prints the command that starts it.
 */
import { commandWords } from './argv.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ExchangeReport } from '../explain/report.js';
import { explainHar } from '../lib/index.js';
import {
  DEFAULT_EXAMPLE_PORT,
  FixInputError,
  assertSerializedOrigin,
  availableServers,
  fixAvailability,
  generateFix,
  isServerId,
  resourcePolicyFixFor,
  resourcePolicySnippet,
  type FixSuggestion,
  type ServerId,
} from '../fixes/index.js';
import { devProxyInputFor, suggestDevProxies, type DevProxySuggestion, type DevProxyTool } from '../fixes/devProxy.js';
import { shellQuote } from '../explain/curl.js';
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

  --request <url|id>   the exchange: its id as \`cors-lens explain\` shows it (3 or '#3'), or its URL (the query
                       string may be left out when that names one request)
  --server <name>      one of: ${availableServers().join(', ')}
                       (left out: the stack the responses name, e.g. X-Powered-By: Express, when they name one)
  --out <dir>          write a complete runnable example there and print the command that starts it
  --port <n>           port the example listens on (default ${DEFAULT_EXAMPLE_PORT})
  --origin <origin>    also allow this origin (repeatable), e.g. --origin https://app.example.com
  --force              suggest a config even when the browser did not block the request
  --dev-proxy <tool>   the API is not yours: a development-only proxy in your dev server instead of a server
                       config (vite, webpack, nextjs); the page then calls its own origin

Examples:
  cors-lens explain capture.har --only blocked          # lists the blocked requests with their ids
  cors-lens fix capture.har --request 3 --server express
  cors-lens fix capture.har --request https://api.example.com/orders --server nginx --out ./cors-example
  cors-lens fix capture.har --request 3 --dev-proxy vite   # a third-party API, in development
`;

class UsageError extends Error {}

interface FixArgs {
  harPath: string;
  request: string;
  /** Absent: the stack the captured responses name. */
  server?: ServerId;
  out?: string;
  port: number;
  origins: string[];
  force: boolean;
  devProxy?: DevProxyTool;
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
  let devProxy: string | undefined;
  for (const { arg, flag, value } of commandWords(args, (flag) => new UsageError(`${flag} needs a value`), { nextFlagIsNoValue: true })) {
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
      case '--origin': {
        const origin = value();
        try {
          assertSerializedOrigin(origin);
        } catch (error) {
          throw new UsageError(`--origin ${JSON.stringify(origin)} is malformed: ${error instanceof Error ? error.message : String(error)}`);
        }
        origins.push(origin);
        break;
      }
      case '--force':
        force = true;
        break;
      case '--dev-proxy':
        devProxy = value();
        if (!DEV_PROXY_TOOLS.includes(devProxy as DevProxyTool)) {
          throw new UsageError(`unknown --dev-proxy ${JSON.stringify(devProxy)}; one of: ${DEV_PROXY_TOOLS.join(', ')}`);
        }
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('name the HAR file: cors-lens fix <file.har> --request <url or id> --server <name>');
  if (positional.length > 1) throw new UsageError(`one HAR file at a time (got ${positional.length})`);
  if (request === undefined) throw new UsageError('say which request: --request <url or id> (cors-lens explain lists them)');
  if (server !== undefined && (!isServerId(server) || !availableServers().includes(server))) {
    throw new UsageError(`unknown server ${JSON.stringify(server)}; one of: ${availableServers().join(', ')}`);
  }
  return {
    harPath: positional[0]!,
    request,
    ...(server !== undefined ? { server: server as ServerId } : {}),
    ...(out !== undefined ? { out } : {}),
    port,
    origins,
    force,
    ...(devProxy !== undefined ? { devProxy: devProxy as DevProxyTool } : {}),
  };
}

const DEV_PROXY_TOOLS: readonly DevProxyTool[] = ['vite', 'webpack', 'nextjs'];

function describeDevProxy(proxy: DevProxySuggestion): string {
  const lines = [
    `# ${proxy.label} (${proxy.file}) — development only; ${proxy.verified ? 'verified: the test suite runs it in a real browser' : 'not verified: no test here runs it'}`,
    '',
    proxy.snippet.trimEnd(),
    '',
    ...proxy.pitfalls.map((p) => `  - ${p}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

const withoutFragment = (url: string): string => url.split('#')[0]!;
const withoutQuery = (url: string): string => withoutFragment(url).split('?')[0]!;

/** Candidates listed in an "which one?" message. */
const CANDIDATES_SHOWN = 10;

/**
 * The exchange `needle` names: its id as `explain` prints it (`3` or `#3`), else its URL: exact, then without the
 * fragment, then, when the needle has no query string, any query string. Among several matches the blocked ones count;
 * still several is an error listing them.
 */
export function findExchange(exchanges: readonly ExchangeReport[], needle: string): ExchangeReport {
  const id = needle.trim().replace(/^#/, '');
  const byId = exchanges.find((e) => e.id === id);
  if (byId) return byId;
  let matches = exchanges.filter((e) => e.url === needle || e.finalUrl === needle);
  if (matches.length === 0) matches = exchanges.filter((e) => withoutFragment(e.url) === withoutFragment(needle));
  if (matches.length === 0 && !withoutFragment(needle).includes('?')) {
    matches = exchanges.filter((e) => withoutQuery(e.url) === withoutQuery(needle) || withoutQuery(e.finalUrl) === withoutQuery(needle));
  }
  if (matches.length === 0) {
    const looksLikeId = /^#?\d+$/.test(needle.trim());
    throw new UsageError(
      looksLikeId
        ? `no request #${id} in the HAR (${exchanges.length} exchanges; cors-lens explain lists them with their ids)`
        : `no request with id or URL ${JSON.stringify(needle)} in the HAR (${exchanges.length} exchanges; cors-lens explain lists them with their ids)`,
    );
  }
  const blocked = matches.filter((e) => e.verdict === 'blocked');
  const pool = blocked.length > 0 ? blocked : matches;
  if (pool.length > 1) {
    const listed = pool.slice(0, CANDIDATES_SHOWN).map((e) => terminalSafe(`#${e.id} ${e.method} ${e.url} (${e.verdict})`));
    const more = pool.length > CANDIDATES_SHOWN ? `; and ${pool.length - CANDIDATES_SHOWN} more` : '';
    throw new UsageError(
      `${pool.length} ${blocked.length > 0 ? 'blocked ' : ''}requests match ${JSON.stringify(needle)}; name one with --request <id>: ${listed.join('; ')}${more}`,
    );
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

/** The stack to write for: `--server`, else the one the captured responses name (said on stderr). */
function serverFor(asked: ServerId | undefined, exchange: ExchangeReport, io: FixIo): ServerId {
  if (asked !== undefined) return asked;
  const named = exchange.serverStack;
  if (named === undefined || !isServerId(named.id) || !availableServers().includes(named.id)) {
    throw new UsageError(`say which server: --server <${availableServers().join('|')}> (the captured responses do not name their stack)`);
  }
  // The reason quotes a response header: written out so that no control byte reaches the terminal.
  io.stderr(`cors-lens fix: --server ${named.id}: ${named.name}, ${terminalSafe(named.reason)} (name another with --server)
`);
  return named.id;
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
    if (args.devProxy !== undefined) {
      const input = devProxyInputFor(exchange);
      if (input === undefined) {
        io.stderr(`cors-lens fix: #${exchange.id}: a dev-server proxy helps only a request a CORS check blocked (this one is ${exchange.verdict}${exchange.blocker ? `: ${exchange.blocker.badge}` : ''})\n`);
        return exchange.verdict === 'blocked' ? 2 : 0;
      }
      const proxy = suggestDevProxies(input).find((p) => p.tool === args.devProxy)!;
      io.stdout(terminalBlock(describeDevProxy(proxy)));
      return 0;
    }
    const resourcePolicy = args.force ? undefined : resourcePolicyFixFor(exchange);
    if (resourcePolicy !== undefined) {
      // CORP / COEP: the fix is one response header on the resource's server, not a CORS config.
      const snippet = resourcePolicySnippet(serverFor(args.server, exchange, io), resourcePolicy);
      io.stdout(
        `# ${resourcePolicy.reason}\n${describeFix({ ...snippet, example: { files: [], command: '' } })}` +
          (args.out === undefined ? '' : '(--out writes runnable CORS examples only; for this header, add the lines above to your server.)\n'),
      );
      return 0;
    }
    const availability = fixAvailability(exchange, { extraOrigins: args.origins, force: args.force });
    if (!availability.ok) {
      const hint = exchange.verdict !== 'blocked' && !args.force ? ' (add --force to get a config anyway)' : '';
      // The reason says whether there is nothing to fix or why no server config can fix it.
      io.stderr(`cors-lens fix: ${terminalSafe(`#${exchange.id}: ${availability.reason}`)}${hint}\n`);
      return exchange.verdict === 'blocked' || args.force ? 2 : 0;
    }
    const server = serverFor(args.server, exchange, io);
    const fix = generateFix(server, availability.policy, { port: args.port });
    if (args.out === undefined) {
      const notYours = devProxyInputFor(exchange)
        ? `# The API is not yours? In development: cors-lens fix ${shellQuote(args.harPath)} --request ${exchange.id} --dev-proxy vite\n`
        : '';
      io.stdout(terminalBlock(describeFix(fix) + notYours));
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
