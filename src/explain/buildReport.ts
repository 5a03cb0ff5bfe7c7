/**
 * One exchange as captured + what the engine decided → the report the CLI prints, `--json` emits and the panel shows.
 * No CORS decision is made here: the verdict, checks and failure are the engine's; this only summarizes and shapes.
 */
import type { CapturedExchange, EngineResult, Hop, Verdict } from '../cors/model.js';
import { combinedHeaderValue, originOfUrl, splitList } from '../har/headers.js';
import type { ExchangeReport, PreflightSummary, RedirectSummary, Warning } from './report.js';

/** Report fields the engine's input does not carry. */
export interface ReportExtras {
  warnings?: Warning[];
  /** What the capture lacks beyond what the engine listed (e.g. an actual request missing from the HAR). */
  missing?: string[];
  requestBodyMimeType?: string;
  startedDateTime?: string;
}

/** The one-line summary when there is no failure to name. */
const SUMMARY_BY_VERDICT: Readonly<Record<Verdict, string>> = {
  allowed: 'Allowed: every CORS check the browser made passed.',
  blocked: 'Blocked by CORS.',
  'not-cors': 'Not a CORS request: the browser applied no CORS checks.',
  'network-error': 'Failed before CORS was checked: a network error, not a CORS refusal.',
  unknown: 'Cannot tell from this capture whether CORS allowed it.',
};

/** Why the report shows no preflight, by what the engine and the capture say. */
const PREFLIGHT_ABSENT_REASONS = {
  notRequired: 'No preflight was needed for this request.',
  notCaptured: 'This capture never records preflights (Playwright HAR), so it cannot show one.',
  noneSeen: 'A preflight was needed but none is in the capture.',
  noneSeenUnknown: 'No preflight is in the capture, and the capture does not tell whether one was needed.',
} as const;

function summarizePreflight(hop: Hop): PreflightSummary | null {
  const attempt = hop.preflight;
  if (attempt === undefined) return null;
  const requestHeaders = attempt.request.headers;
  const responseHeaders = attempt.response?.headers ?? [];
  const summary: PreflightSummary = {
    url: attempt.request.url,
    method: 'OPTIONS',
    status: attempt.response?.status ?? 0,
    allowOrigin: combinedHeaderValue(responseHeaders, 'access-control-allow-origin'),
    allowMethods: combinedHeaderValue(responseHeaders, 'access-control-allow-methods'),
    allowHeaders: combinedHeaderValue(responseHeaders, 'access-control-allow-headers'),
    allowCredentials: combinedHeaderValue(responseHeaders, 'access-control-allow-credentials'),
    maxAge: combinedHeaderValue(responseHeaders, 'access-control-max-age'),
  };
  const requestMethod = combinedHeaderValue(requestHeaders, 'access-control-request-method');
  if (requestMethod !== null) summary.requestMethod = requestMethod;
  const requested = combinedHeaderValue(requestHeaders, 'access-control-request-headers');
  if (requested !== null) summary.requestHeaders = splitList(requested).map((name) => name.toLowerCase());
  if (attempt.errorText !== undefined) summary.errorText = attempt.errorText;
  return summary;
}

function redirectsOf(exchange: CapturedExchange): RedirectSummary[] {
  const redirects: RedirectSummary[] = [];
  for (const hop of exchange.hops) {
    const response = hop.response;
    if (response?.redirectURL === undefined) continue;
    redirects.push({ from: hop.request.url, to: response.redirectURL, status: response.status });
  }
  return redirects;
}

export function buildReport(exchange: CapturedExchange, result: EngineResult, extras: ReportExtras = {}): ExchangeReport {
  const first = exchange.hops[0];
  const last = exchange.hops[exchange.hops.length - 1];
  const url = first?.request.url ?? '';
  const failure = result.failure ?? null;

  // The preflight to show: the one the failure is about, else the first hop's, else any hop's.
  const failedHop = failure?.phase === 'preflight' ? exchange.hops[failure.hop] : undefined;
  const preflightHop = [failedHop, first, ...exchange.hops].find((hop) => hop?.preflight !== undefined);
  const preflight = preflightHop === undefined ? null : summarizePreflight(preflightHop);

  const report: ExchangeReport = {
    id: exchange.id,
    url,
    finalUrl: last?.request.url ?? url,
    method: first?.request.method ?? '',
    kind: exchange.kind,
    initiatorOrigin: exchange.initiatorOrigin ?? null,
    targetOrigin: originOfUrl(url) ?? null,
    status: last?.response?.status ?? 0,
    // Read on first use (the detail view, the JSON report): the capture's header lines are not copied for every row.
    get requestHeaders() {
      return first?.request.headers ?? [];
    },
    requestHeadersProvisional: first?.request.provisionalHeaders === true,
    get responseHeaders() {
      return last?.response?.headers ?? [];
    },
    verdict: result.verdict,
    summary: failure?.headline ?? SUMMARY_BY_VERDICT[result.verdict],
    preflight,
    preflightRequired: result.preflight.required,
    redirects: redirectsOf(exchange),
    checks: result.checks,
    failure,
    alternatives: result.alternatives ?? [],
    assumptions: result.assumptions,
    missing: [...result.missing, ...(extras.missing ?? []).filter((item) => !result.missing.includes(item))],
    notReallyCors: result.notReallyCors ?? null,
    warnings: extras.warnings ?? [],
    rules: result.rules,
  };
  if (preflight === null) {
    const presence = first?.preflightPresence;
    if (presence === 'not-captured') report.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.notCaptured;
    else if (result.preflight.required === false) report.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.notRequired;
    else if (result.preflight.required === true) {
      report.preflightAbsentReason = result.preflight.cache?.message ?? PREFLIGHT_ABSENT_REASONS.noneSeen;
    } else report.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.noneSeenUnknown;
  }
  if (result.preflight.cache !== undefined) report.preflightCache = result.preflight.cache;
  if (extras.requestBodyMimeType !== undefined) report.requestBodyMimeType = extras.requestBodyMimeType;
  if (extras.startedDateTime !== undefined) report.startedDateTime = extras.startedDateTime;
  return report;
}
