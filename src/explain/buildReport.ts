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

/**
 * An `ExchangeReport` whose header lines are read from the capture on first use (the detail view, the JSON report),
 * so a 10,000-row list does not copy every header it holds. `toJSON()` writes every field of the schema, in order.
 * A class, so the getters are shared and every report has the same compact shape.
 */
class CapturedExchangeReport implements ExchangeReport {
  readonly #firstRequest: RequestSnapshot | undefined;
  readonly #lastResponse: ResponseSnapshot | undefined;
  declare preflightAbsentReason?: string;
  declare preflightCache?: ExchangeReport['preflightCache'];
  declare requestBodyMimeType?: string;
  declare startedDateTime?: string;

  constructor(
    firstRequest: RequestSnapshot | undefined,
    lastResponse: ResponseSnapshot | undefined,
    readonly id: string,
    readonly url: string,
    readonly finalUrl: string,
    readonly method: string,
    readonly kind: ExchangeReport['kind'],
    readonly initiatorOrigin: string | null,
    readonly targetOrigin: string | null,
    readonly status: number,
    readonly requestHeadersProvisional: boolean,
    readonly verdict: Verdict,
    readonly summary: string,
    readonly preflight: PreflightSummary | null,
    readonly preflightRequired: boolean | 'unknown',
    readonly redirects: RedirectSummary[],
    readonly checks: ExchangeReport['checks'],
    readonly failure: ExchangeReport['failure'],
    readonly alternatives: ExchangeReport['alternatives'],
    readonly assumptions: ExchangeReport['assumptions'],
    readonly missing: string[],
    readonly notReallyCors: ExchangeReport['notReallyCors'],
    readonly warnings: Warning[],
    readonly rules: ExchangeReport['rules'],
  ) {
    this.#firstRequest = firstRequest;
    this.#lastResponse = lastResponse;
  }

  get requestHeaders(): HeaderLines {
    return this.#firstRequest?.headers ?? [];
  }

  get responseHeaders(): HeaderLines {
    return this.#lastResponse?.headers ?? [];
  }

  toJSON(): ExchangeReport {
    const json: ExchangeReport = {
      id: this.id,
      url: this.url,
      finalUrl: this.finalUrl,
      method: this.method,
      kind: this.kind,
      initiatorOrigin: this.initiatorOrigin,
      targetOrigin: this.targetOrigin,
      status: this.status,
      requestHeaders: this.requestHeaders,
      requestHeadersProvisional: this.requestHeadersProvisional,
      responseHeaders: this.responseHeaders,
      verdict: this.verdict,
      summary: this.summary,
      preflight: this.preflight,
      preflightRequired: this.preflightRequired,
      redirects: this.redirects,
      checks: this.checks,
      failure: this.failure,
      alternatives: this.alternatives,
      assumptions: this.assumptions,
      missing: this.missing,
      notReallyCors: this.notReallyCors,
      warnings: this.warnings,
      rules: this.rules,
    };
    if (this.preflightAbsentReason !== undefined) json.preflightAbsentReason = this.preflightAbsentReason;
    if (this.preflightCache !== undefined) json.preflightCache = this.preflightCache;
    if (this.requestBodyMimeType !== undefined) json.requestBodyMimeType = this.requestBodyMimeType;
    if (this.startedDateTime !== undefined) json.startedDateTime = this.startedDateTime;
    return json;
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
  const report = new CapturedExchangeReport(
    first?.request,
    last?.response,
    exchange.id,
    url,
    last?.request.url ?? url,
    first?.request.method ?? '',
    exchange.kind,
    exchange.initiatorOrigin ?? null,
    originOfUrl(url) ?? null,
    last?.response?.status ?? 0,
    first?.request.provisionalHeaders === true,
    result.verdict,
    failure?.headline ?? SUMMARY_BY_VERDICT[result.verdict],
    preflight,
    result.preflight.required,
    redirectsOf(exchange),
    result.checks,
    failure,
    result.alternatives ?? NOTHING,
    result.assumptions,
    extraMissing.length === 0 ? result.missing : [...result.missing, ...extraMissing.filter((item) => !result.missing.includes(item))],
    result.notReallyCors ?? null,
    extras.warnings ?? NOTHING,
    result.rules,
  );
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
