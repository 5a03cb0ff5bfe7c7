/**
 * What the panel needs to render a report's sentences safely: the templates they were filled from (so captured values
 * are found exactly) and, for sentences without a known template, every captured value of the exchange.
 */
import { checkTextFor } from '../explain/checkTexts.js';
import { WARNING_TEXTS } from '../explain/warningTexts.js';
import type { ExchangeReport, Warning } from '../explain/report.js';

type FailureField = 'headline' | 'why' | 'fix';

/** The template of the failure's headline, explanation (`why`) or fix hint; none when there is no failure. */
export function failureTemplates(report: ExchangeReport, field: FailureField): string[] {
  const failure = report.failure;
  if (!failure) return [];
  try {
    return [checkTextFor(failure.checkId, failure.phase)[field]];
  } catch {
    return [];
  }
}

/** The templates a warning's field may come from (the warning id and its variants). */
export function warningTemplates(warning: Warning, field: 'headline' | 'explanation' | 'fixHint'): string[] {
  const out: string[] = [];
  for (const [key, text] of Object.entries(WARNING_TEXTS)) {
    if (key === warning.id || key.startsWith(`${warning.id}.`)) out.push(text[field]);
  }
  return out;
}

const cache = new WeakMap<ExchangeReport, string[]>();

/** Every value the exchange's capture holds that a sentence may quote: URLs, origins, header values, checked values. */
export function capturedValues(report: ExchangeReport): string[] {
  const cached = cache.get(report);
  if (cached) return cached;
  const values: (string | null | undefined)[] = [
    report.url,
    report.finalUrl,
    report.method,
    report.initiatorOrigin,
    report.targetOrigin,
    ...report.requestHeaders.flatMap(([name, value]) => [name, value]),
    ...report.responseHeaders.flatMap(([name, value]) => [name, value]),
    ...report.checks.flatMap((c) => [c.subject, c.expected, c.actual]),
    ...report.redirects.flatMap((r) => [r.from, r.to]),
    report.failure?.failedParameter,
  ];
  const pf = report.preflight;
  if (pf) {
    values.push(pf.url, pf.requestMethod, pf.allowOrigin, pf.allowMethods, pf.allowHeaders, pf.allowCredentials, pf.maxAge, pf.errorText);
    values.push(...(pf.requestHeaders ?? []));
  }
  if (report.blocker) values.push(...Object.values(report.blocker.values));
  // Only values that could hide markup or spoof: one-character values (`*`) would match the tool's own words.
  const out = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 1))];
  cache.set(report, out);
  return out;
}
