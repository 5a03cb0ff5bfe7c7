/**
 * The human-readable `cors-lens explain` output: per exchange, the verdict, the failing check in one line, Chrome's
 * console message, Firefox's reason, the fix hint, the assumptions made and what the capture lacks.
 * Every value that came from the capture goes through `terminalSafe`.
 */
import type { Verdict } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { formatCount } from '../explain/counts.js';
import { terminalSafe } from './terminalText.js';

const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  allowed: 'ALLOWED',
  blocked: 'BLOCKED',
  'not-cors': 'NOT CORS',
  'network-error': 'NETWORK ERROR',
  unknown: 'UNKNOWN',
};

/** ANSI SGR codes per verdict (red, green, dim, magenta, yellow). */
const VERDICT_COLOURS: Readonly<Record<Verdict, string>> = {
  allowed: '32',
  blocked: '1;31',
  'not-cors': '2',
  'network-error': '35',
  unknown: '33',
};

const SOURCE_NAMES: Readonly<Record<Report['source'], string>> = {
  'chromium-devtools': 'Chromium DevTools',
  'chromium-har-export': 'Chromium DevTools HAR export',
  'firefox-har-export': 'Firefox HAR export',
  'playwright-har': 'Playwright recordHar',
  'unknown-har': 'HAR of unknown origin',
  synthetic: 'synthetic capture',
  'cors-lens-check': 'sent by cors-lens check',
};

const LABEL_WIDTH = 11;

export interface TextStyle {
  colour: boolean;
}

function paint(style: TextStyle, code: string, text: string): string {
  return style.colour ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function field(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(LABEL_WIDTH)}${terminalSafe(value)}`;
}

export function renderExchange(exchange: ExchangeReport, style: TextStyle): string {
  const lines: string[] = [];
  const label = paint(style, VERDICT_COLOURS[exchange.verdict], VERDICT_LABELS[exchange.verdict].padEnd(13));
  const from = exchange.initiatorOrigin === null ? 'unknown origin' : exchange.initiatorOrigin;
  lines.push(`${label} ${terminalSafe(`${exchange.method} ${exchange.url}`)}  ${terminalSafe(`[#${exchange.id} ${exchange.kind} from ${from}]`)}`);
  if (exchange.redirects.length > 0) {
    for (const redirect of exchange.redirects) lines.push(field('redirect', `${redirect.status} → ${redirect.to}`));
  }
  const failure = exchange.failure;
  const blocker = exchange.blocker ?? null;
  if (blocker !== null && (failure === null || blocker.chromeCorsError !== failure.chromeCorsError)) {
    // Something beside the CORS checks stopped it: its family first, in Chrome's words where Chrome has some.
    lines.push(field('stopped', `[${blocker.badge}] ${blocker.headline}`));
    const possible = blocker.values.possibleCorsErrors;
    if (blocker.chromeCorsError !== undefined) lines.push(field('chrome', `${blocker.chromeCorsError}: ${blocker.consoleMessage ?? '(no console line known)'}`));
    else if (possible !== undefined) lines.push(field('chrome', `${possible.split(',').join(' or ')} (this capture cannot tell which)`));
    else if (blocker.consoleMessage !== null) lines.push(field('console', blocker.consoleMessage));
    lines.push(field('why', blocker.explanation));
    lines.push(field('fix', blocker.fixHint));
  } else if (failure !== null) {
    lines.push(field('failed', `${failure.checkId} (${failure.phase}, hop ${failure.hop}): ${failure.headline}`));
    const chrome = field('chrome', `${failure.chromeCorsError}${failure.failedParameter === '' ? '' : ` [${failure.failedParameter}]`}: ${failure.consoleMessage}`);
    const firefox = failure.firefoxReason === undefined ? undefined : field('firefox', `${failure.firefoxReason.id}: ${failure.firefoxReason.consoleMessage}`);
    // The browser that made the capture speaks first.
    if (exchange.rules === 'firefox' && firefox !== undefined) lines.push(firefox, chrome);
    else lines.push(chrome, ...(firefox === undefined ? [] : [firefox]));
    lines.push(field('why', failure.explanation));
    lines.push(field('fix', failure.fixHint));
    if (blocker !== null) lines.push(field('family', `[${blocker.badge}] ${blocker.headline}`));
  } else if (exchange.verdict !== 'allowed') {
    lines.push(field('summary', exchange.summary));
  }
  for (const alternative of exchange.alternatives) {
    lines.push(field('or', `${alternative.checkId}: ${alternative.headline} (${alternative.chromeCorsError})`));
  }
  if (exchange.originAfterRedirect !== undefined) lines.push(field('origin', exchange.originAfterRedirect));
  const reallyFromBlocker = blocker !== null && exchange.notReallyCors?.message.startsWith(blocker.headline) === true;
  if (exchange.notReallyCors !== null && !reallyFromBlocker) lines.push(field('really', exchange.notReallyCors.message));
  if (exchange.verdict !== 'allowed' && exchange.preflight === null && exchange.preflightAbsentReason !== undefined && exchange.preflightRequired !== false) {
    lines.push(field('preflight', exchange.preflightAbsentReason));
  }
  for (const assumption of exchange.assumptions) {
    lines.push(field('assumed', `${assumption.about} = ${assumption.value}: ${assumption.because}`));
  }
  for (const missing of exchange.missing) lines.push(field('missing', missing));
  for (const warning of exchange.warnings) {
    lines.push(field('warning', `[${warning.severity}] ${warning.headline} Fix: ${warning.fixHint}`));
  }
  if (exchange.repeatsMerged !== undefined && exchange.repeatsMerged > 0) {
    const n = exchange.repeatsMerged;
    lines.push(field('repeats', `${formatCount(n)} more identical ${n === 1 ? 'entry' : 'entries'} (same start time, method, URL, status and duration) merged into this exchange`));
  }
  return lines.join('\n');
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** `blocked 3, allowed 44`, in a fixed order, leaving out verdicts nobody has. */
function verdictCounts(report: Report): string[] {
  return (['blocked', 'allowed', 'unknown', 'not-cors', 'network-error'] as const)
    .filter((verdict) => report.totals[verdict] > 0)
    .map((verdict) => `${formatCount(report.totals[verdict])} ${verdict}`);
}

/** `21,888 entries, 47 exchanges (21,841 repeats merged)`, or `47 exchanges` when nothing was merged. */
function exchangeCount(report: Report): string {
  const exchanges = plural(report.totals.exchanges, 'exchange', 'exchanges');
  const repeats = report.totals.repeatsMerged ?? 0;
  if (repeats === 0) return exchanges;
  const entries = report.totals.entries === undefined ? '' : `${plural(report.totals.entries, 'entry', 'entries')}, `;
  return `${entries}${exchanges} (${plural(repeats, 'identical repeat', 'identical repeats')} merged)`;
}

/** A word the shell passes through as is, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w./@:+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The closing lines: the totals again (after hundreds of lines the header is off screen), and the command that prints
 * the fix of the first blocked request a server config can fix.
 */
export function renderFooter(report: Report, file: string, fixable: { id: string; server: string; because?: string } | undefined, style: TextStyle): string {
  const counts = verdictCounts(report);
  const lines = [paint(style, '1', `Totals: ${exchangeCount(report)}${counts.length === 0 ? '' : `; ${counts.join(', ')}`}`)];
  if (fixable !== undefined) {
    lines.push(`Fix #${fixable.id}, the first blocked request: cors-lens fix ${terminalSafe(shellWord(file))} --request ${fixable.id} --server ${fixable.server}`);
    lines.push(
      fixable.because === undefined
        ? `  the responses do not name their stack: put yours after --server (cors-lens fix --help lists them)`
        : `  ${terminalSafe(fixable.because)}; other stacks: cors-lens fix --help`,
    );
  }
  return lines.join('\n');
}

export function renderHeader(report: Report, file: string, shown: number, style: TextStyle): string {
  const counts = verdictCounts(report);
  const rules = report.rules === 'firefox' ? 'Firefox rules' : 'Chromium rules';
  const head = `${exchangeCount(report)} in ${terminalSafe(file)} (${SOURCE_NAMES[report.source]}, ${rules})`;
  const tail = counts.length === 0 ? '' : `: ${counts.join(', ')}`;
  const showing = shown === report.totals.exchanges ? '' : `; showing ${shown}`;
  return paint(style, '1', `${head}${tail}${showing}`);
}
