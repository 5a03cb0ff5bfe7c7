/**
 * The human-readable `cors-lens explain` output: per exchange, the verdict, the failing check in one line, Chrome's
 * console message, Firefox's reason, the fix hint, the assumptions made and what the capture lacks.
 * Every value that came from the capture goes through `terminalSafe`.
 */
import type { Verdict } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { terminalSafe } from './io.js';

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
  if (failure !== null) {
    lines.push(field('failed', `${failure.checkId} (${failure.phase}, hop ${failure.hop}): ${failure.headline}`));
    lines.push(field('chrome', `${failure.chromeCorsError}${failure.failedParameter === '' ? '' : ` [${failure.failedParameter}]`}: ${failure.consoleMessage}`));
    if (failure.firefoxReason !== undefined) lines.push(field('firefox', `${failure.firefoxReason.id}: ${failure.firefoxReason.consoleMessage}`));
    lines.push(field('why', failure.explanation));
    lines.push(field('fix', failure.fixHint));
  } else if (exchange.verdict !== 'allowed') {
    lines.push(field('summary', exchange.summary));
  }
  for (const alternative of exchange.alternatives) {
    lines.push(field('or', `${alternative.checkId}: ${alternative.headline} (${alternative.chromeCorsError})`));
  }
  if (exchange.notReallyCors !== null) lines.push(field('really', exchange.notReallyCors.message));
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
  return lines.join('\n');
}

export function renderHeader(report: Report, file: string, shown: number, style: TextStyle): string {
  const counts = (['blocked', 'allowed', 'unknown', 'not-cors', 'network-error'] as const)
    .filter((verdict) => report.totals[verdict] > 0)
    .map((verdict) => `${report.totals[verdict]} ${verdict}`);
  const rules = report.rules === 'firefox' ? 'Firefox rules' : 'Chromium rules';
  const head = `${report.totals.exchanges} exchange${report.totals.exchanges === 1 ? '' : 's'} in ${terminalSafe(file)} (${SOURCE_NAMES[report.source]}, ${rules})`;
  const tail = counts.length === 0 ? '' : `: ${counts.join(', ')}`;
  const showing = shown === report.totals.exchanges ? '' : `; showing ${shown}`;
  return paint(style, '1', `${head}${tail}${showing}`);
}
