/**
 * Runs the hostile corpus (./corpus.ts) through `cors-lens explain` and says what went wrong, if anything: used by
 * test/security/hostile-cli.test.ts and by `npm run fuzz -- --target hostile-cli`.
 *
 * What a user would check on each run, text and `--json`:
 * - it ends within the case's bound, with an exit code the case allows (0/1 read, 2 refused: see `cors-lens --help`);
 * - stderr holds only `cors-lens…` lines, no stack trace, and a refusal says why in exactly one line;
 * - no control, bidi or zero-width character and no lone surrogate reaches stdout or stderr (colour is off);
 * - `--json` output is strict JSON: valid UTF-8, parses, no escaped lone surrogate, and its totals match its exchanges
 *   (checked in pieces when it is longer than one string can hold);
 * - nothing in the input ran (no PWNED-* file appears).
 */
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/cors-lens.js';
import type { CliIo } from '../../src/cli/io.js';
import {
  API,
  INVISIBLE,
  LONE_SURROGATES,
  MARKUP,
  PROTOTYPE_KEYS,
  SHELL_PAYLOADS,
  TERMINAL_ESCAPES,
  TERMINAL_UNSAFE,
  blockedEntry,
  harEntry,
  harLog,
  preflightEntry,
  type CorpusCase,
} from './corpus.js';

export interface CliOutcome {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
  /** The run was stopped at its bound. */
  timedOut: boolean;
}

/** Escaped `\uD800`-`\uDFFF` not preceded by an escaped backslash: a lone surrogate, which strict parsers refuse. */
const ESCAPED_SURROGATE = /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

function show(text: string): string {
  const cut = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return JSON.stringify(cut);
}

/**
 * Output longer than one JavaScript string can hold (about 512 MB: `--json` on 150,000 entries writes 550 MB) is
 * checked in pieces: decoded with a fatal UTF-8 decoder across piece boundaries, searched with an overlap, and a JSON
 * report parsed exchange by exchange.
 */
export const PIECE_BYTES = 64 * 1024 * 1024;

/** `bytes` as UTF-8 text in pieces of at most `pieceBytes` bytes; throws on invalid UTF-8, across pieces too. */
export function decodePieces(bytes: Buffer, pieceBytes = PIECE_BYTES): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (bytes.length <= pieceBytes) return [decoder.decode(bytes)];
  const pieces: string[] = [];
  for (let at = 0; at < bytes.length; at += pieceBytes) {
    const end = Math.min(bytes.length, at + pieceBytes);
    pieces.push(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length }));
  }
  return pieces;
}

/** The first match of `pattern` (no flags, matches shorter than 64 characters) in the pieces read as one text. */
export function findAcross(pieces: readonly string[], pattern: RegExp): { match: string; near: string } | undefined {
  let carried = '';
  for (const piece of pieces) {
    const text = carried + piece;
    const found = pattern.exec(text);
    if (found) return { match: found[0], near: text.slice(Math.max(0, found.index - 60), found.index + 20) };
    carried = text.slice(-64);
  }
  return undefined;
}

/**
 * The report's totals and how many exchanges it holds. One piece: `JSON.parse` of the whole. More: the report as
 * `explain --json` lays it out (each exchange an object indented by four spaces in `"exchanges": [`), every exchange
 * parsed on its own and the rest parsed with the list emptied, so the whole is strict JSON if each part is.
 */
export function parseReport(pieces: readonly string[], bytes: Buffer): { totals: { exchanges: number }; exchanges: number } {
  if (pieces.length === 1) {
    const report = JSON.parse(pieces[0]!) as { totals: { exchanges: number }; exchanges: unknown };
    if (!Array.isArray(report.exchanges)) throw new Error('no exchanges list');
    return { totals: report.totals, exchanges: report.exchanges.length };
  }
  const open = Buffer.from('\n  "exchanges": [\n');
  const closeList = '\n  ]';
  const close = Buffer.from(`${closeList},\n`);
  const between = Buffer.from('\n    },\n    {\n');
  const start = bytes.indexOf(open);
  const end = bytes.lastIndexOf(close);
  if (start < 0 || end < start) throw new Error('no "exchanges" list laid out as explain writes it');
  // The report with its list emptied: what comes before the list, `[]`, and what follows its closing bracket.
  const before = bytes.subarray(0, start).toString('utf8');
  const after = bytes.subarray(end + closeList.length).toString('utf8');
  const rest = JSON.parse(`${before}\n  "exchanges": []${after}`) as { totals: { exchanges: number } };
  let exchanges = 0;
  let at = start + open.length;
  while (at < end) {
    const next = bytes.indexOf(between, at);
    const stop = next < 0 || next > end ? end : next;
    const item = `${exchanges === 0 ? '' : '{\n'}${bytes.subarray(at, stop).toString('utf8')}${stop === end ? '' : '\n    }'}`;
    JSON.parse(item);
    exchanges++;
    at = stop === end ? end : stop + between.length;
  }
  return { totals: rest.totals, exchanges };
}

/** The problems with one run of `kase`, empty when it behaved. */
export function problemsWith(kase: CorpusCase, json: boolean, run: CliOutcome, folder: string): string[] {
  const problems: string[] = [];
  const mode = json ? '--json' : 'text';
  const say = (what: string) => problems.push(`${kase.name} (${mode}): ${what}`);
  if (run.timedOut || run.ms > kase.boundMs) say(`took ${Math.round(run.ms)} ms, over its bound of ${kase.boundMs} ms`);
  if (run.code === null || !kase.exits.includes(run.code)) say(`exit code ${run.code}, expected one of ${kase.exits.join('/')}`);
  let stdout: string[] = [];
  let stderr = '';
  try {
    stdout = decodePieces(run.stdout);
    stderr = new TextDecoder('utf-8', { fatal: true }).decode(run.stderr);
  } catch {
    say('output is not valid UTF-8');
  }
  const errLines = stderr === '' ? [] : stderr.replace(/\n$/, '').split('\n');
  if (errLines.some((line) => !line.startsWith('cors-lens'))) say(`stderr has a line not from cors-lens: ${show(stderr)}`);
  if (/\n\s+at .+:\d+/.test(stderr) || /\bat (async )?\S+ \(.*:\d+:\d+\)/.test(stderr)) say(`stack trace on stderr: ${show(stderr)}`);
  if (run.code === 2 && errLines.length !== 1) say(`a refusal must be one line on stderr, got ${errLines.length}: ${show(stderr)}`);
  if (run.code === 3 || /internal error/.test(stderr)) say(`internal error: ${show(stderr)}`);
  for (const [stream, pieces] of [['stdout', stdout], ['stderr', [stderr]]] as const) {
    const found = findAcross(pieces, TERMINAL_UNSAFE);
    if (found) say(`${stream} carries U+${found.match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} from the input near ${show(found.near)}`);
  }
  if (json && (run.code === 0 || run.code === 1)) {
    if (findAcross(stdout, ESCAPED_SURROGATE)) say('--json writes an escaped lone surrogate (strict parsers refuse it)');
    try {
      const report = parseReport(stdout, run.stdout);
      if (report.exchanges !== report.totals.exchanges) say('--json totals do not match its exchanges');
    } catch (error) {
      say(`--json output does not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const pwned = readdirSync(folder).filter((name) => name.startsWith('PWNED'));
  if (pwned.length > 0) say(`something ran: ${pwned.join(', ')}`);
  return problems;
}

/** Writes the case's file into `folder` and returns its path. */
export function writeCase(kase: CorpusCase, folder: string): string {
  const path = join(folder, kase.fileName);
  writeFileSync(path, kase.content());
  return path;
}

/** Runs the CLI in this process (its `main`, with captured streams): fast, so every case runs in both modes. */
export async function runInProcess(args: string[], cwd: string): Promise<CliOutcome> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: { NO_COLOR: '1' }, cwd };
  const started = performance.now();
  const code = await main(args, io);
  return { code, stdout: Buffer.from(out.join(''), 'utf8'), stderr: Buffer.from(err.join(''), 'utf8'), ms: performance.now() - started, timedOut: false };
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs the CLI as a user does: its own Node process (through tsx, from source), real pipes, real exit code. */
export function runProcess(args: string[], cwd: string, boundMs: number): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    // tsx by its path: the run's working folder is a temporary one, where `--import tsx` would not resolve.
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/cors-lens.ts'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CORS_LENS_DEBUG: '', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, boundMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - started, timedOut });
    });
  });
}

export function makeFolder(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'cors-lens-hostile-'));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

// ── Random hostile captures, for `npm run fuzz -- --target hostile-cli` ──────────────────────────────────────────────


/** A string made of hostile pieces and arbitrary characters (any UTF-16 unit, lone surrogates included). */
export const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PROTOTYPE_KEYS, ...TERMINAL_ESCAPES, ...INVISIBLE, ...MARKUP, ...SHELL_PAYLOADS, ...LONE_SURROGATES),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('https://app.example.test', 'x-token', 'content-type', '*', 'null', ', ', 'GET', 'PUT'),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));

const header = fc.tuple(fc.oneof(hostileString, fc.constantFrom(...PROTOTYPE_KEYS), fc.constant('Access-Control-Allow-Origin')), hostileString);

/** One to six entries with hostile strings in every field, some shaped as blocked requests with their preflights. */
export const hostileHar = fc
  .array(
    fc.record({
      shape: fc.constantFrom('ok', 'blocked', 'preflighted'),
      path: hostileString,
      method: fc.oneof(fc.constantFrom('GET', 'PUT', 'POST'), hostileString),
      origin: fc.oneof(fc.constant('https://app.example.test'), hostileString),
      requestHeaders: fc.array(header, { maxLength: 5 }),
      responseHeaders: fc.array(header, { maxLength: 5 }),
      statusText: hostileString,
      resourceType: fc.oneof(fc.constantFrom('fetch', 'xhr', 'preflight'), hostileString),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((items) =>
    harLog(
      items.flatMap((item, i) => {
        const url = `${API}/${i}/${item.path}`;
        const common = { url, method: item.method, origin: item.origin, requestHeaders: item.requestHeaders, statusText: item.statusText, resourceType: item.resourceType };
        if (item.shape === 'ok') return [harEntry({ ...common, responseHeaders: item.responseHeaders })];
        const blocked = blockedEntry(common);
        if (item.shape === 'blocked') return [blocked];
        return [preflightEntry(url, { origin: item.origin, requestHeaders: [['Access-Control-Request-Method', item.method], ['Access-Control-Request-Headers', item.requestHeaders.map(([n]) => n).join(',')]], responseHeaders: item.responseHeaders }), blocked];
      }),
    ),
  );

/** The property: the CLI, text and --json, on a random hostile HAR, has none of the problems `problemsWith` looks for. */
export function hostileCliProperty(folder: string): (har: unknown) => Promise<void> {
  const kase: CorpusCase = { name: 'random hostile HAR', fileName: 'random.har', content: () => '', exits: [0, 1, 2], scale: 'long', boundMs: 20_000 };
  return async (har) => {
    const path = join(folder, kase.fileName);
    writeFileSync(path, JSON.stringify(har));
    const problems: string[] = [];
    for (const json of [false, true]) problems.push(...problemsWith(kase, json, await runInProcess(['explain', path, ...(json ? ['--json'] : [])], folder), folder));
    if (problems.length > 0) throw new Error(problems.join('\n'));
  };
}
