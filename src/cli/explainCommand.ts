/** `cors-lens explain <file.har> [--json] [--only blocked|warnings|all] [--no-fail] [--rules chromium|firefox|auto]` */
import { commandWords } from './argv.js';
import type { BrowserRules } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { fixAvailability } from '../fixes/index.js';
import { createHarExplainer, type HarExplainerSummary } from '../lib/harExplainer.js';
import { DEFAULT_MAX_ENTRY_BYTES, HarScanError, HarScanner } from './harScanner.js';
import { CliInputError, colourAllowed, EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_OK, OutputClosedError, type CliIo } from './io.js';
import { jsonOutputSafe, terminalSafe } from './terminalText.js';
import { OutputSpool } from './outputSpool.js';
import { openHarInput, type HarInput } from './readHar.js';
import { renderExchange, renderFooter, renderHeader, type TextStyle } from './renderText.js';

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
  for (const { arg, flag, value } of commandWords(argv, (flag) => new CliInputError(`${flag} needs a value`))) {
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

/** One exchange as it stands inside the report's `exchanges` array (see `writeReportJson`). */
function nestedJson(exchange: ExchangeReport): string {
  const wrapped = JSON.stringify({ a: [exchange] }, null, 2);
  return wrapped.slice(WRAPPER_HEAD.length, wrapped.length - WRAPPER_TAIL.length);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface ExplainRun {
  summary: HarExplainerSummary;
  /** The exchanges' text (JSON or text, as asked), waiting for the totals that go before it. */
  spool: OutputSpool;
  shown: number;
  /** `log` fields that came after `log.entries` when entries had already been judged without them. */
  lateFields: ('creator' | 'pages')[];
  /** Every `log.creator` / `log.pages` read. */
  fields: Map<'creator' | 'pages', unknown>;
  /** The first blocked exchange a server config can fix (of all, whatever `--only` shows), for the closing lines. */
  fixable: { id: string; server: string; because?: string } | undefined;
}

/** The exchange the closing lines suggest fixing, if this one is blocked and a server config can fix it. */
function fixableOf(exchange: ExchangeReport): ExplainRun['fixable'] {
  if (exchange.verdict !== 'blocked' || !fixAvailability(exchange).ok) return undefined;
  const named = exchange.serverStack;
  if (named !== undefined) return { id: exchange.id, server: named.id, because: `${named.name}, ${named.reason}` };
  return { id: exchange.id, server: 'express' };
}

/**
 * Reads the HAR incrementally and explains it, writing each exchange's text to a spool as it becomes final. `preset`
 * holds `log` fields known from an earlier pass over the same file.
 */
async function explainInput(
  input: HarInput,
  args: ExplainArgs,
  style: TextStyle,
  preset: Map<'creator' | 'pages', unknown>,
): Promise<ExplainRun> {
  const spool = new OutputSpool();
  let shown = 0;
  const lateFields: ('creator' | 'pages')[] = [];
  const fields = new Map<'creator' | 'pages', unknown>();
  let fixable: ExplainRun['fixable'];
  const explainer = createHarExplainer({
    rules: args.rules,
    onExchange(exchange) {
      if (fixable === undefined && !args.json) fixable = fixableOf(exchange);
      if (!keep(exchange, args.only)) return;
      // JSON escaped for a terminal and strict parsers (jsonOutputSafe: the same values), one exchange at a time.
      if (args.json) spool.write(shown === 0 ? jsonOutputSafe(nestedJson(exchange)) : `,\n${jsonOutputSafe(nestedJson(exchange))}`);
      else spool.write(`\n\n${renderExchange(exchange, style)}`);
      shown++;
    },
  });
  for (const [name, value] of preset) explainer.setLogField(name, value);
  const scanner = new HarScanner({
    logField(name, value) {
      if (preset.has(name)) return;
      fields.set(name, value);
      if (!explainer.setLogField(name, value)) lateFields.push(name);
    },
    entry(index, value, bytes) {
      explainer.addEntry(index, value, bytes);
    },
    oversizedEntry(index, bytes) {
      explainer.skipEntry(index, `is ${megabytes(bytes)} without its bodies; entries larger than ${megabytes(DEFAULT_MAX_ENTRY_BYTES)} are not read`);
    },
  });
  try {
    for await (const chunk of input.chunks) scanner.push(chunk);
    scanner.end();
  } catch (error) {
    spool.dispose();
    if (error instanceof HarScanError) throw new CliInputError(`${input.label} is ${terminalSafe(error.message)}`);
    throw error;
  }
  const summary = explainer.finish();
  if (args.json && shown > 0) spool.write('\n');
  return { summary, spool, shown, lateFields, fields, fixable };
}

export async function runExplainCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseExplainArgs(argv);
  const style: TextStyle = { colour: colourAllowed(io) };
  let input = await openHarInput(args.file, { stdin: io.stdin });
  let run = await explainInput(input, args, style, new Map());
  if (run.lateFields.length > 0 && input.rereadable) {
    // `log.creator` or `log.pages` after the entries (no browser writes that, but JSON allows it): read the file again
    // knowing them, so the result is what the whole file says.
    run.spool.dispose();
    input = await openHarInput(args.file, { stdin: io.stdin });
    run = await explainInput(input, args, style, run.fields);
  } else if (run.lateFields.length > 0) {
    io.stderr(
      `cors-lens: ${input.label} gives log.${run.lateFields.join(' and log.')} after its entries, which were judged without it (save the HAR to a file to have it read first)\n`,
    );
  }
  const { summary, spool, shown } = run;
  try {
    const skipped = summary.skippedEntries;
    if (skipped.length > 0 && summary.totals.exchanges === 0) {
      const first = skipped[0]!;
      throw new CliInputError(`${input.label} has no readable entry: entry ${first.index} ${terminalSafe(first.reason)}`);
    }
    for (const entry of skipped.slice(0, SKIPPED_LINES_SHOWN)) {
      io.stderr(`cors-lens: skipped entry ${entry.index} of ${terminalSafe(input.label)}: ${terminalSafe(entry.reason)}\n`);
    }
    if (skipped.length > SKIPPED_LINES_SHOWN) {
      io.stderr(`cors-lens: skipped ${skipped.length - SKIPPED_LINES_SHOWN} more malformed entries (see skippedEntries in --json)\n`);
    }

    const report = summary.report;
    const exitCode = !args.fail ? EXIT_OK : summary.totals.blocked > 0 ? EXIT_BLOCKED : EXIT_OK;
    try {
      if (args.json) {
        const head = JSON.stringify(report, null, 2);
        const marker = '\n  "exchanges": [],';
        const at = head.indexOf(marker);
        if (shown === 0 || at < 0) {
          await io.stdout(jsonOutputSafe(`${head}\n`));
        } else {
          await io.stdout(jsonOutputSafe(`${head.slice(0, at)}\n  "exchanges": [\n`));
          await spool.copyTo(io.stdout, io.stdoutBytes);
          await io.stdout(jsonOutputSafe(`  ],${head.slice(at + marker.length)}\n`));
        }
      } else {
        await io.stdout(renderHeader(report, input.label, shown, style));
        await spool.copyTo(io.stdout, io.stdoutBytes);
        await io.stdout(`\n\n${renderFooter(report, input.label, run.fixable, style)}\n`);
      }
    } catch (error) {
      // The reader went away (`| head`): the verdicts are known, so the exit code keeps its meaning.
      if (error instanceof OutputClosedError) return exitCode;
      throw error;
    }
    return exitCode;
  } finally {
    spool.dispose();
  }
}

export { EXIT_BAD_INPUT };
