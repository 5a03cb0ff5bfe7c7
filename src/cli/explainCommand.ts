/** `cors-lens explain <file.har> [--json] [--only blocked|warnings|all] [--no-fail] [--rules chromium|firefox|auto]` */
import type { BrowserRules } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { explainHar, HarFormatError } from '../lib/explainHar.js';
import { CliInputError, colourAllowed, EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_OK, type CliIo } from './io.js';
import { readHarFile } from './readHar.js';
import { fixAvailability } from '../fixes/index.js';
import { renderExchange, renderFooter, renderHeader } from './renderText.js';
import { jsonOutputSafe, terminalSafe } from './terminalText.js';

export type OnlyFilter = 'blocked' | 'warnings' | 'all';

export interface ExplainArgs {
  file: string;
  json: boolean;
  only: OnlyFilter;
  fail: boolean;
  rules: BrowserRules | 'auto';
}

const ONLY_VALUES: readonly OnlyFilter[] = ['blocked', 'warnings', 'all'];
const RULES_VALUES: readonly (BrowserRules | 'auto')[] = ['chromium', 'firefox', 'auto'];
/** Skipped entries listed one per line on stderr before the rest are counted. */
const SKIPPED_LINES_SHOWN = 10;

export function parseExplainArgs(argv: readonly string[]): ExplainArgs {
  const args: ExplainArgs = { file: '', json: false, only: 'all', fail: true, rules: 'auto' };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new CliInputError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--json':
        args.json = true;
        break;
      case '--no-fail':
        args.fail = false;
        break;
      case '--only': {
        const only = value();
        if (!ONLY_VALUES.includes(only as OnlyFilter)) throw new CliInputError(`--only takes ${ONLY_VALUES.join(', ')}, not "${only}"`);
        args.only = only as OnlyFilter;
        break;
      }
      case '--rules': {
        const rules = value();
        if (!RULES_VALUES.includes(rules as BrowserRules)) throw new CliInputError(`--rules takes ${RULES_VALUES.join(', ')}, not "${rules}"`);
        args.rules = rules as BrowserRules | 'auto';
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new CliInputError(`unknown option ${arg} (see cors-lens --help)`);
        files.push(arg);
    }
  }
  if (files.length === 0) throw new CliInputError('explain needs a HAR file: cors-lens explain <file.har>');
  if (files.length > 1) throw new CliInputError(`explain takes one HAR file, got ${files.length}: ${files.join(' ')}`);
  args.file = files[0]!;
  return args;
}

function keep(exchange: ExchangeReport, only: OnlyFilter): boolean {
  if (only === 'blocked') return exchange.verdict === 'blocked';
  if (only === 'warnings') return exchange.warnings.length > 0;
  return true;
}

/** Collects output into chunks of about 1 MB: few writes, and never one string the size of the whole report. */
function bufferedWriter(io: CliIo): { write: (text: string) => void; flush: () => void } {
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (pending.length > 0) io.stdout(pending.join(''));
    pending = [];
    size = 0;
  };
  return {
    write(text) {
      pending.push(text);
      size += text.length;
      if (size >= 1 << 20) flush();
    },
    flush,
  };
}

/**
 * The same text as `JSON.stringify(report, null, 2)`, written one exchange at a time: the report of a large HAR can
 * outgrow the longest string V8 allows, each exchange cannot.
 */
const WRAPPER_HEAD = '{\n  "a": [\n';
const WRAPPER_TAIL = '\n  ]\n}';

export function writeReportJson(report: Report, write: (text: string) => void): void {
  const { exchanges } = report;
  // One exchange as it stands inside the report's array (four spaces in): stringified inside a wrapper that puts it at
  // that depth, then cut out of it, which costs less than re-indenting its lines.
  const nested = (exchange: unknown) => {
    const wrapped = JSON.stringify({ a: [exchange] }, null, 2);
    return wrapped.slice(WRAPPER_HEAD.length, wrapped.length - WRAPPER_TAIL.length);
  };
  // Spreading keeps the key order, so the empty array stands where the exchanges go.
  const head = JSON.stringify({ ...report, exchanges: [] }, null, 2);
  // `head` ends with the fields after `exchanges`; split it where the empty array stands.
  const marker = '\n  "exchanges": [],';
  const at = head.indexOf(marker);
  if (at < 0 || exchanges.length === 0) {
    write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  write(`${head.slice(0, at)}\n  "exchanges": [\n`);
  exchanges.forEach((exchange, index) => {
    write(nested(exchange));
    write(index === exchanges.length - 1 ? '\n' : ',\n');
  });
  write(`  ],${head.slice(at + marker.length)}\n`);
}

/** The first blocked exchange a server config can fix, and the stack to suggest for it. */
function firstFixable(report: Report): { id: string; server: string; because?: string } | undefined {
  const exchange = report.exchanges.find((e) => e.verdict === 'blocked' && fixAvailability(e).ok);
  if (exchange === undefined) return undefined;
  const named = exchange.serverStack;
  if (named !== undefined) return { id: exchange.id, server: named.id, because: `${named.name}, ${named.reason}` };
  return { id: exchange.id, server: 'express' };
}

export async function runExplainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseExplainArgs(argv);
  const har = await readHarFile(args.file);
  let report: Report;
  try {
    report = explainHar(har, { rules: args.rules });
  } catch (error) {
    if (error instanceof HarFormatError) throw new CliInputError(`${args.file} is ${error.message}`);
    throw error;
  }
  const skipped = report.skippedEntries;
  if (skipped.length > 0 && report.exchanges.length === 0) {
    const first = skipped[0]!;
    throw new CliInputError(`${args.file} has no readable entry: entry ${first.index} ${first.reason}`);
  }
  for (const entry of skipped.slice(0, SKIPPED_LINES_SHOWN)) {
    io.stderr(`cors-lens: skipped entry ${entry.index} of ${terminalSafe(args.file)}: ${terminalSafe(entry.reason)}\n`);
  }
  if (skipped.length > SKIPPED_LINES_SHOWN) {
    io.stderr(`cors-lens: skipped ${skipped.length - SKIPPED_LINES_SHOWN} more malformed entries (see skippedEntries in --json)\n`);
  }

  const shown = report.exchanges.filter((exchange) => keep(exchange, args.only));
  const out = bufferedWriter(io);
  if (args.json) {
    // Escaped as JSON (the same values): no control or invisible character reaches the terminal, no lone surrogate a
    // strict parser refuses.
    writeReportJson({ ...report, exchanges: shown }, (text) => out.write(jsonOutputSafe(text)));
  } else {
    const style = { colour: colourAllowed(io) };
    out.write(renderHeader(report, args.file, shown.length, style));
    for (const exchange of shown) out.write(`\n\n${renderExchange(exchange, style)}`);
    out.write(`\n\n${renderFooter(report, args.file, firstFixable(report), style)}\n`);
  }
  out.flush();
  if (!args.fail) return EXIT_OK;
  return report.totals.blocked > 0 ? EXIT_BLOCKED : EXIT_OK;
}

export { EXIT_BAD_INPUT };
