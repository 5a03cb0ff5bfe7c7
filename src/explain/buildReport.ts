/**
 * One exchange as captured + what the engine decided → the report the CLI prints, `--json` emits and the panel shows.
 * No CORS decision is made here: the verdict, checks and failure are the engine's; this only summarizes and shapes.
 */
import type { CapturedExchange, EngineResult, HeaderLines, Hop, RequestSnapshot, ResponseSnapshot, Verdict } from '../cors/model.js';
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

/** Shared by every report with nothing in a list field (most of a capture): reports are read, never changed. */
const NOTHING: never[] = Object.freeze([]) as unknown as never[];

function redirectsOf(exchange: CapturedExchange): RedirectSummary[] {
  if (exchange.hops.length === 1 && exchange.hops[0]!.response?.redirectURL === undefined) return NOTHING;
  const redirects: RedirectSummary[] = [];
  for (const hop of exchange.hops) {
    const response = hop.response;
    if (response?.redirectURL === undefined) continue;
    redirects.push({ from: hop.request.url, to: response.redirectURL, status: response.status });
  }
  return redirects;
}

/** The report's fields other than the header lines, which the report reads from the capture. */
type ReportFields = Omit<ExchangeReport, 'requestHeaders' | 'responseHeaders'>;

/**
 * An `ExchangeReport` whose header lines are read from the capture on first use (the detail view, the JSON report), so
 * a 10,000-row list does not copy every header it holds. They are own enumerable accessors, defined in the schema's
 * field order with one shared getter each: `JSON.stringify`, object spread, `Object.keys` and `structuredClone` see
 * them like any field, and every report keeps one compact shape (getters in an object literal would make each report
 * a 2 KB dictionary-mode object; getters on the prototype would be invisible to spread and `structuredClone`).
 */
class CapturedExchangeReport {
  readonly #firstRequest: RequestSnapshot | undefined;
  readonly #lastResponse: ResponseSnapshot | undefined;

  static readonly #requestHeaders: PropertyDescriptor = {
    get(this: CapturedExchangeReport): HeaderLines {
      return this.#firstRequest?.headers ?? NOTHING;
    },
    enumerable: true,
    configurable: true,
  };

  static readonly #responseHeaders: PropertyDescriptor = {
    get(this: CapturedExchangeReport): HeaderLines {
      return this.#lastResponse?.headers ?? NOTHING;
    },
    enumerable: true,
    configurable: true,
  };

  static create(firstRequest: RequestSnapshot | undefined, lastResponse: ResponseSnapshot | undefined, fields: ReportFields): ExchangeReport {
    return new CapturedExchangeReport(firstRequest, lastResponse, fields) as unknown as ExchangeReport;
  }

  private constructor(firstRequest: RequestSnapshot | undefined, lastResponse: ResponseSnapshot | undefined, fields: ReportFields) {
    this.#firstRequest = firstRequest;
    this.#lastResponse = lastResponse;
    // In the schema's order (docs/report-schema.md), which the JSON report follows.
    const report = this as unknown as Record<keyof ExchangeReport, unknown>;
    report.id = fields.id;
    report.url = fields.url;
    report.finalUrl = fields.finalUrl;
    report.method = fields.method;
    report.kind = fields.kind;
    report.initiatorOrigin = fields.initiatorOrigin;
    report.targetOrigin = fields.targetOrigin;
    report.status = fields.status;
    Object.defineProperty(this, 'requestHeaders', CapturedExchangeReport.#requestHeaders);
    report.requestHeadersProvisional = fields.requestHeadersProvisional;
    Object.defineProperty(this, 'responseHeaders', CapturedExchangeReport.#responseHeaders);
    report.verdict = fields.verdict;
    report.summary = fields.summary;
    report.preflight = fields.preflight;
    report.preflightRequired = fields.preflightRequired;
    report.redirects = fields.redirects;
    report.checks = fields.checks;
    report.failure = fields.failure;
    report.alternatives = fields.alternatives;
    report.assumptions = fields.assumptions;
    report.missing = fields.missing;
    report.notReallyCors = fields.notReallyCors;
    report.warnings = fields.warnings;
    report.rules = fields.rules;
    if (fields.preflightAbsentReason !== undefined) report.preflightAbsentReason = fields.preflightAbsentReason;
    if (fields.preflightCache !== undefined) report.preflightCache = fields.preflightCache;
    if (fields.requestBodyMimeType !== undefined) report.requestBodyMimeType = fields.requestBodyMimeType;
    if (fields.startedDateTime !== undefined) report.startedDateTime = fields.startedDateTime;
  }
}

export function buildReport(exchange: CapturedExchange, result: EngineResult, extras: ReportExtras = {}): ExchangeReport {
  const first = exchange.hops[0];
  const last = exchange.hops[exchange.hops.length - 1];
  const url = first?.request.url ?? '';
  const failure = result.failure ?? null;

  // The preflight to show: the one the failure is about, else the first hop's, else any hop's.
  const failedHop = failure?.phase === 'preflight' ? exchange.hops[failure.hop] : undefined;
  let preflightHop = failedHop?.preflight !== undefined ? failedHop : first?.preflight !== undefined ? first : undefined;
  preflightHop ??= exchange.hops.find((hop) => hop.preflight !== undefined);
  const preflight = preflightHop === undefined ? null : summarizePreflight(preflightHop);

  const extraMissing = extras.missing ?? [];
  const fields: ReportFields = {
    id: exchange.id,
    url,
    finalUrl: last?.request.url ?? url,
    method: first?.request.method ?? '',
    kind: exchange.kind,
    initiatorOrigin: exchange.initiatorOrigin ?? null,
    targetOrigin: originOfUrl(url) ?? null,
    status: last?.response?.status ?? 0,
    // requestHeaders: read from the capture (CapturedExchangeReport)
    requestHeadersProvisional: first?.request.provisionalHeaders === true,
    // responseHeaders: read from the capture
    verdict: result.verdict,
    summary: failure?.headline ?? SUMMARY_BY_VERDICT[result.verdict],
    preflight,
    preflightRequired: result.preflight.required,
    redirects: redirectsOf(exchange),
    checks: result.checks,
    failure,
    alternatives: result.alternatives ?? NOTHING,
    assumptions: result.assumptions,
    missing:
      extraMissing.length === 0 ? result.missing : [...result.missing, ...extraMissing.filter((item) => !result.missing.includes(item))],
    notReallyCors: result.notReallyCors ?? null,
    warnings: extras.warnings ?? NOTHING,
    rules: result.rules,
  };
  if (preflight === null) {
    const presence = first?.preflightPresence;
    if (presence === 'not-captured') fields.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.notCaptured;
    else if (result.preflight.required === false) fields.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.notRequired;
    else if (result.preflight.required === true) {
      fields.preflightAbsentReason = result.preflight.cache?.message ?? PREFLIGHT_ABSENT_REASONS.noneSeen;
    } else fields.preflightAbsentReason = PREFLIGHT_ABSENT_REASONS.noneSeenUnknown;
  }
  if (result.preflight.cache !== undefined) fields.preflightCache = result.preflight.cache;
  if (extras.requestBodyMimeType !== undefined) fields.requestBodyMimeType = extras.requestBodyMimeType;
  if (extras.startedDateTime !== undefined) fields.startedDateTime = extras.startedDateTime;
  return CapturedExchangeReport.create(first?.request, last?.response, fields);
}
