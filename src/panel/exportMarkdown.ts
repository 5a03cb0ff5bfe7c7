/**
 * The report as Markdown, for pasting into an issue or a chat. Pure. Captured values (URLs, header values, origins)
 * only ever appear inside code spans or fenced blocks sized to their content, so they cannot turn into links, HTML
 * or table cells; prose fields are escaped.
 */
import type { CheckResult } from '../model/exchange.js';
import type { ExchangeReport, Report } from '../explain/report.js';
import { exportText, MAX_EXPORT_LENGTH, type ExportResult } from './exportReport.js';

/** The longest run of backticks in `value` (a loop: a 1 MB value can hold 500,000 runs, too many to spread). */
function longestBacktickRun(value: string): number {
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) if (run.length > longest) longest = run.length;
  return longest;
}

/** A code span whose fence is longer than any backtick run inside it; newlines become spaces. */
export function codeSpan(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  const longest = longestBacktickRun(flat);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function codeBlock(value: string, language = ''): string {
  const longest = Math.max(2, longestBacktickRun(value));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${value}\n${fence}`;
}

/** Escapes prose so Markdown and inline HTML in it are shown literally. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
}

/** Inside a table cell a code span must still not contain a raw `|`. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|');
}

const STATUS_MARK: Record<CheckResult['status'], string> = {
  pass: 'pass',
  fail: '**FAIL**',
  'not-reached': 'not reached',
  unknown: 'unknown',
};

function shown(value: string | null | undefined): string {
  if (value === undefined) return '';
  if (value === null) return '(absent)';
  return codeSpan(value);
}

export function exchangeToMarkdown(exchange: ExchangeReport, index: number): string {
  const lines: string[] = [];
  lines.push(`## ${index + 1}. ${exchange.verdict.toUpperCase()}: ${codeSpan(`${exchange.method} ${exchange.url}`)}`);
  lines.push('');
  lines.push(
    `- From ${shown(exchange.initiatorOrigin ?? '(unknown)')} to ${shown(exchange.targetOrigin ?? '(unknown)')}, status ${exchange.status}`,
  );
  lines.push(`- ${escapeMarkdown(exchange.failure?.headline ?? exchange.summary)}`);
  if (exchange.failure) {
    lines.push(`- Chrome: ${codeSpan(exchange.failure.chromeCorsError)}${exchange.failure.failedParameter ? ` (failedParameter ${codeSpan(exchange.failure.failedParameter)})` : ''}`);
    lines.push('');
    lines.push(codeBlock(exchange.failure.consoleMessage));
    if (exchange.failure.firefoxReason) {
      lines.push('');
      lines.push(`Firefox: ${codeSpan(exchange.failure.firefoxReason.text)}`);
    }
    lines.push('');
    lines.push(`**Why:** ${escapeMarkdown(exchange.failure.explanation)}`);
    lines.push('');
    lines.push(`**Fix:** ${escapeMarkdown(exchange.failure.fixHint)}`);
  }
  if (exchange.notReallyCors) {
    lines.push('');
    lines.push(`**Not really CORS:** ${escapeMarkdown(exchange.notReallyCors.message)}`);
  }
  for (const warning of exchange.warnings) {
    lines.push('');
    lines.push(`**Warning (${warning.severity}):** ${escapeMarkdown(warning.headline)}. ${escapeMarkdown(warning.fixHint)}`);
  }
  if (exchange.missing.length > 0) {
    lines.push('');
    lines.push(`**Not in the capture:** ${exchange.missing.map(escapeMarkdown).join('; ')}`);
  }
  if (exchange.checks.length > 0) {
    lines.push('');
    lines.push('| status | check | phase | header | expected | actual |');
    lines.push('|---|---|---|---|---|---|');
    for (const check of exchange.checks) {
      lines.push(
        `| ${STATUS_MARK[check.status]} | ${codeSpan(check.id)} | ${check.phase}${check.hop > 0 ? ` (hop ${check.hop})` : ''} | ${cell(shown(check.subject))} | ${cell(shown(check.expected))} | ${cell(shown(check.actual))} |`,
      );
    }
  }
  return lines.join('\n');
}

export function reportToMarkdown(report: Report): string {
  const t = report.totals;
  const head = [
    '# CORS Lens report',
    '',
    `${t.exchanges} exchanges: ${t.blocked} blocked, ${t.allowed} allowed, ${t['not-cors']} not CORS, ${t['network-error']} network errors, ${t.unknown} cannot tell; ${t.warnings} with warnings. Source: ${report.source}, ${report.rules} rules.`,
  ];
  if (report.skippedEntries.length > 0) {
    head.push('', `Skipped entries: ${report.skippedEntries.map((s) => `#${s.index} (${escapeMarkdown(s.reason)})`).join(', ')}`);
  }
  return [...head, '', ...report.exchanges.map((e, i) => exchangeToMarkdown(e, i) + '\n')].join('\n');
}

/** The Markdown export, or why it cannot be made (see `exportText`). */
export function markdownExport(report: Report, maxLength = MAX_EXPORT_LENGTH): ExportResult {
  return exportText('The Markdown report', () => reportToMarkdown(report), maxLength);
}
