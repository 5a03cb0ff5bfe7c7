/**
 * `cors-lens check <url> --origin <page origin> [options]`: sends the request a page would send (its preflight first
 * when Chromium would send one) and prints the same report as `explain`, the checklist and the fix; `--expect` turns
 * it into a CI step. `--config cors.json` runs many checks, one line each, and totals.
 */
import { commandWords } from './argv.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CHECK_KINDS, CheckInputError, type CheckKind } from '../check/buildRequest.js';
import { checkCors, judgeExpectation, type CheckCorsOptions, type CheckCorsResult, type Expectation, type ExpectationJudgement } from '../check/checkCors.js';
import { readCheckConfig } from '../check/config.js';
import { assembleReport } from '../explain/assembleReport.js';
import type { CheckResult } from '../model/exchange.js';
import { availableServers, isServerId } from '../fixes/suggest.js';
import type { ServerId } from '../fixes/model.js';
import { TOOL_VERSION } from '../model/toolVersion.js';
import { REPORT_SCHEMA_VERSION } from '../explain/report.js';
import { CliInputError, colourAllowed, EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_OK, terminalSafe, type CliIo } from './io.js';
import { renderExchange, type TextStyle } from './renderText.js';
import { jsonOutputSafe } from './terminalText.js';

export const CHECK_USAGE = `Usage:
  cors-lens check <url> --origin <page origin> [options]
  cors-lens check --config cors.json [--json] [--timeout <seconds>]

Sends the request a page on <page origin> would send to <url> (the preflight first, when Chromium would send one),
follows redirects as the browser does, and judges the answers with the same engine as \`explain\`.

  --origin <origin>       the page's origin, e.g. https://app.example.com (null for a sandboxed iframe)
  --method <method>       as the script writes it (default GET; fetch keeps "patch" lower-case)
  --header 'Name: value'  a header the script sets (repeatable)
  --content-type <type>   the request's Content-Type (a body's type)
  --data <text>           a request body (PUT, POST, ...)
  --credentials           credentials: 'include' / withCredentials / crossorigin="use-credentials"
  --cookie 'a=1; b=2'     the cookies the browser would send with credentials (to the URL's host; never on a preflight)
  --kind <kind>           how the page loads it: ${CHECK_KINDS.join(', ')} (default fetch)
  --send                  also send the actual request of a method that can change data (anything but GET, HEAD,
                          OPTIONS); without it only the preflight is sent and the response is not checked
  --expect <verdict>      allowed or blocked: exit 0 when the check gets it, 1 when not (for CI)
  --server <name>         fix snippets for this stack (repeatable; "all" for every one; default express, flask,
                          nginx, php); one of: ${availableServers().join(', ')}
  --timeout <seconds>     per request (default 10); no request is ever retried
  --json                  the report as JSON (docs/report-schema.md, plus a "check" object)
  --config <file>         run every check the file lists (docs/cli.md) and print one line per check and totals

Example:
  cors-lens check https://api.example.com/items --origin https://app.example.com \\
    --method PUT --content-type application/json --header 'Authorization: Bearer x' --credentials --expect allowed

Proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (http:// proxies).
Exit codes: 0 allowed (or the expectation holds), 1 blocked or failed (or it does not hold), 2 bad input or usage.
`;

const DEFAULT_SERVERS: readonly ServerId[] = ['express', 'flask', 'nginx', 'php'];

interface CheckArgs {
  url?: string;
  origin?: string;
  method?: string;
  headers: string[];
  contentType?: string;
  data?: string;
  credentials: boolean;
  cookie?: string;
  kind?: CheckKind;
  send: boolean;
  expect?: Expectation;
  servers: ServerId[];
  timeoutMs: number;
  json: boolean;
  config?: string;
  help: boolean;
}

export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const args: CheckArgs = { headers: [], credentials: false, send: false, servers: [], timeoutMs: 10_000, json: false, help: false };
  const positional: string[] = [];
  let allServers = false;
  for (const { arg, flag, value } of commandWords(argv, (flag) => new CliInputError(`${flag} needs a value`))) {
    switch (flag) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--origin':
        args.origin = value();
        break;
      case '--method':
      case '-X':
        args.method = value();
        break;
      case '--header':
      case '-H':
        args.headers.push(value());
        break;
      case '--content-type':
        args.contentType = value();
        break;
      case '--data':
        args.data = value();
        break;
      case '--credentials':
        args.credentials = true;
        break;
      case '--cookie':
        args.cookie = value();
        break;
      case '--kind': {
        const kind = value();
        if (!CHECK_KINDS.includes(kind as CheckKind)) throw new CliInputError(`--kind takes ${CHECK_KINDS.join(', ')}, not "${kind}"`);
        args.kind = kind as CheckKind;
        break;
      }
      case '--send':
        args.send = true;
        break;
      case '--expect': {
        const expect = value();
        if (expect !== 'allowed' && expect !== 'blocked') throw new CliInputError(`--expect takes allowed or blocked, not "${expect}"`);
        args.expect = expect;
        break;
      }
      case '--server': {
        const server = value();
        if (server === 'all') allServers = true;
        else if (!isServerId(server) || !availableServers().includes(server)) {
          throw new CliInputError(`--server takes all or one of ${availableServers().join(', ')}, not "${server}"`);
        } else args.servers.push(server);
        break;
      }
      case '--timeout': {
        const raw = value();
        const seconds = Number(raw);
        if (!/^\d+(\.\d+)?$/.test(raw) || seconds <= 0 || seconds > 600) throw new CliInputError(`--timeout takes seconds (0 < s ≤ 600), not "${raw}"`);
        args.timeoutMs = Math.round(seconds * 1000);
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--config':
        args.config = value();
        break;
      default:
        if (arg.startsWith('-')) throw new CliInputError(`unknown option ${arg} (see cors-lens check --help)`);
        positional.push(arg);
    }
  }
  if (args.help) return args;
  if (args.config !== undefined) {
    const single = positional.length > 0 || args.origin !== undefined || args.method !== undefined || args.headers.length > 0 || args.expect !== undefined;
    if (single) throw new CliInputError('--config runs the checks the file lists: give the URL, origin, method, headers and expectation there');
    return args;
  }
  if (positional.length === 0) throw new CliInputError('check needs a URL: cors-lens check <url> --origin <page origin>');
  if (positional.length > 1) throw new CliInputError(`check takes one URL, got ${positional.length}: ${positional.join(' ')}`);
  if (args.origin === undefined) throw new CliInputError('say which page makes the request: --origin <page origin> (e.g. https://app.example.com)');
  args.url = positional[0]!;
  args.servers = allServers ? availableServers() : args.servers.length > 0 ? args.servers : [...DEFAULT_SERVERS];
  return args;
}

const STATUS_MARKS: Readonly<Record<CheckResult['status'], string>> = { pass: 'pass', fail: 'FAIL', unknown: ' ?? ', 'not-reached': ' -- ' };

function renderChecklist(checks: readonly CheckResult[]): string {
  const lines = ['Checklist:'];
  for (const check of checks) {
    const got = check.actual === undefined ? '' : `, got ${check.actual === null ? '(none)' : check.actual}`;
    const detail = check.subject === undefined ? '' : ` — ${check.subject}${check.expected === undefined ? '' : `: expected ${check.expected}`}${got}`;
    const note = check.note === undefined ? '' : ` (${check.note})`;
    lines.push(`  [${STATUS_MARKS[check.status]}] ${check.phase.padEnd(9)} hop ${check.hop}  ${terminalSafe(`${check.id}${detail}${note}`)}`);
  }
  return lines.join('\n');
}

function renderSent(result: CheckCorsResult): string[] {
  const lines: string[] = [];
  result.sent.forEach((s, i) => {
    const failed = s.error === undefined ? '' : `${s.error.netError}: ${s.error.message}`;
    const answer = s.status === undefined ? failed : s.error === undefined ? String(s.status) : `${s.status}, then ${failed}`;
    lines.push(`  ${(i === 0 ? 'sent:' : '').padEnd(11)}${terminalSafe(`${s.phase === 'preflight' ? 'preflight ' : ''}${s.method} ${s.url} → ${answer}`)}`);
  });
  if (result.sent.length === 0) lines.push(`  ${'sent:'.padEnd(11)}nothing`);
  for (const note of result.notes) lines.push(`  ${'note:'.padEnd(11)}${terminalSafe(note)}`);
  for (const dropped of result.request.dropped) lines.push(`  ${'dropped:'.padEnd(11)}${terminalSafe(`${dropped.name}: ${dropped.reason}`)}`);
  return lines;
}

function renderFixes(result: CheckCorsResult, servers: readonly ServerId[]): string {
  if (result.fixes.length === 0) return '';
  const lines = ['Fix: server configuration that lets this request pass'];
  for (const fix of result.fixes) {
    lines.push('', `# ${fix.label}${fix.verified ? ' (verified by the test suite in a real server and browser)' : ' (not verified)'}`);
    if (fix.limitation !== undefined) lines.push(`# Note: ${fix.limitation}`);
    lines.push(fix.snippet.trimEnd());
  }
  const others = availableServers().filter((s) => !servers.includes(s));
  if (others.length > 0) lines.push('', `Other stacks: --server <name> (${others.join(', ')}) or --server all`);
  return lines.join('\n');
}

function renderJudgement(expect: Expectation, judgement: ExpectationJudgement): string {
  return `Expected ${expect}: ${judgement.holds ? 'holds' : 'DOES NOT HOLD'} — ${terminalSafe(judgement.because)}`;
}

function checkJson(result: CheckCorsResult, judgement?: ExpectationJudgement & { expected: Expectation }) {
  return {
    sent: result.sent,
    ...(result.heldBack === undefined ? {} : { heldBack: result.heldBack }),
    ...(result.transportError === undefined ? {} : { transportError: result.transportError }),
    droppedHeaders: result.request.dropped,
    notes: result.notes,
    ...(judgement === undefined ? {} : { expect: judgement }),
    fixes: result.fixes,
  };
}

/** Exit code without an expectation: as `explain`, plus 1 when the request failed at the network level. */
function plainExitCode(result: CheckCorsResult): number {
  return result.report.verdict === 'blocked' || result.report.verdict === 'network-error' ? EXIT_BLOCKED : EXIT_OK;
}

async function runOne(args: CheckArgs, io: CliIo): Promise<number> {
  const options: CheckCorsOptions = {
    url: args.url!,
    origin: args.origin!,
    headers: args.headers,
    credentials: args.credentials,
    send: args.send,
    timeoutMs: args.timeoutMs,
    env: io.env,
    servers: args.servers,
  };
  if (args.method !== undefined) options.method = args.method;
  if (args.contentType !== undefined) options.contentType = args.contentType;
  if (args.data !== undefined) options.body = args.data;
  if (args.kind !== undefined) options.kind = args.kind;
  if (args.cookie !== undefined) options.cookie = args.cookie;
  const result = await checkCors(options);
  const judgement = args.expect === undefined ? undefined : { expected: args.expect, ...judgeExpectation(result, args.expect) };
  if (args.json) {
    const report = assembleReport([result.report], { source: 'cors-lens-check', rules: 'chromium' });
    io.stdout(`${jsonOutputSafe(JSON.stringify({ ...report, check: checkJson(result, judgement) }, null, 2))}\n`);
  } else {
    const style: TextStyle = { colour: colourAllowed(io) };
    const parts = [[renderExchange(result.report, style), ...renderSent(result)].join('\n'), renderChecklist(result.report.checks)];
    const fixes = renderFixes(result, args.servers);
    if (fixes !== '') parts.push(fixes);
    if (judgement !== undefined) parts.push(renderJudgement(judgement.expected, judgement));
    io.stdout(`${parts.join('\n\n')}\n`);
  }
  if (judgement !== undefined) return judgement.holds ? EXIT_OK : EXIT_BLOCKED;
  return plainExitCode(result);
}

async function readConfigFile(path: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(`cannot read ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliInputError(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runConfig(args: CheckArgs, io: CliIo): Promise<number> {
  const path = args.config!;
  const checks = readCheckConfig(await readConfigFile(path, io.cwd));
  const outcomes: { label: string; expected: Expectation; judgement: ExpectationJudgement; result: CheckCorsResult }[] = [];
  for (const check of checks) {
    const result = await checkCors({ ...check.options, timeoutMs: args.timeoutMs, env: io.env, servers: [] });
    const judgement = judgeExpectation(result, check.expect);
    outcomes.push({ label: check.label, expected: check.expect, judgement, result });
    if (!args.json) {
      const failure = result.report.failure;
      const chrome = failure === null ? '' : `: ${failure.chromeCorsError}${failure.failedParameter === '' ? '' : ` [${failure.failedParameter}]`}: ${failure.consoleMessage}`;
      const mark = judgement.holds ? 'ok  ' : 'FAIL';
      const why = judgement.holds ? '' : ` — expected ${check.expect}: ${judgement.because}`;
      io.stdout(`${mark} ${judgement.observed.padEnd(20)} ${terminalSafe(`${check.label}${why}${judgement.holds ? '' : chrome}`)}\n`);
    }
  }
  const held = outcomes.filter((o) => o.judgement.holds).length;
  if (args.json) {
    const json = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'cors-lens', version: TOOL_VERSION },
      config: path,
      totals: { checks: outcomes.length, asExpected: held, notAsExpected: outcomes.length - held },
      checks: outcomes.map((o) => ({ label: o.label, expected: o.expected, ...o.judgement, report: o.result.report, check: checkJson(o.result) })),
    };
    io.stdout(`${jsonOutputSafe(JSON.stringify(json, null, 2))}\n`);
  } else {
    io.stdout(`${outcomes.length} check${outcomes.length === 1 ? '' : 's'}: ${held} as expected, ${outcomes.length - held} not\n`);
  }
  return held === outcomes.length ? EXIT_OK : EXIT_BLOCKED;
}

export async function runCheckCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCheckArgs(argv);
  if (args.help) {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  try {
    return args.config !== undefined ? await runConfig(args, io) : await runOne(args, io);
  } catch (error) {
    if (error instanceof CheckInputError) throw new CliInputError(error.message);
    throw error;
  }
}

export { EXIT_BAD_INPUT };
