/**
 * One exchange as captured + what the engine decided → the report the CLI prints, `--json` emits and the panel shows.
 * No CORS decision is made here: the verdict, checks and failure are the engine's; this only summarizes and shapes.
 */
import type { BrowserRules, CapturedExchange, EngineResult, LikelyReading, HeaderLines, Hop, RequestSnapshot, ResponseSnapshot, Verdict } from '../model/exchange.js';
import { originOfUrl, splitList } from '../capture/harHeaders.js';
import { headerIndexOf } from '../model/headers.js';
import { keepShape, Shape } from '../model/shapeKeeper.js';
import type { ExchangeReport, PreflightSummary, RedirectSummary, ServerStackReading, Warning } from './report.js';
import { blockerReportOf, notReallyCorsOf } from './blockerReport.js';

/** What reading the server stack needs of a hop: its responses. */
export type ResponsesOfHop = Pick<Hop, 'response' | 'preflight'>;

/** Report fields the engine's input does not carry. */
export interface ReportExtras {
  warnings?: Warning[];
  /** What the capture lacks beyond what the engine listed (e.g. an actual request missing from the HAR). */
  missing?: string[];
  requestBodyMimeType?: string;
  startedDateTime?: string;
  /** Entries that recorded this exchange again and were merged into it. */
  repeatsMerged?: number;
  /** The server stack the responses name (read in src/fixes, after this stage). */
  serverStack?: ServerStackReading;
  /**
   * Instead of `serverStack`: how to read it from the exchange's hops, when the report's `serverStack` is first read.
   * Only the fix of a blocked exchange asks for it, so most of a capture never pays for reading its response headers.
   */
  findServerStack?: (hops: readonly ResponsesOfHop[]) => ServerStackReading | null;
}

/** The one-line summary when there is no failure to name. */
const SUMMARY_BY_VERDICT: Readonly<Record<Verdict, string>> = {
  allowed: 'Allowed: every CORS check the browser made passed.',
  blocked: 'Blocked by CORS.',
  'not-cors': 'Not a CORS request: the browser applied no CORS checks.',
  'network-error': 'Failed before CORS was checked: a network error, not a CORS refusal.',
  unknown: 'Cannot tell from this capture whether CORS allowed it.',
};

/**
 * After a redirect from an origin other than the page's to yet another origin, the browser sends `Origin: null` (the
 * Fetch Standard's tainted origin): say so, and what the final server must allow, since the captured ACAO rarely does.
 */
function originNullAfterRedirect(exchange: CapturedExchange): string | undefined {
  const initiator = exchange.initiatorOrigin;
  if (initiator === undefined || exchange.hops.length < 2) return undefined;
  for (let h = 0; h + 1 < exchange.hops.length; h++) {
    const from = originOfUrl(exchange.hops[h]!.request.url);
    const to = originOfUrl(exchange.hops[h + 1]!.request.url);
    if (from === undefined || to === undefined || from === to || from === initiator) continue;
    const last = exchange.hops[exchange.hops.length - 1]!.request.url;
    return `After the cross-origin redirect from ${from} to ${to}, the browser sent Origin: null (not ${initiator}). So ${originOfUrl(last) ?? last} must answer Access-Control-Allow-Origin: null (or * for a request without credentials) — or, better, the redirect goes: call ${last} directly.`;
  }
  return undefined;
}

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
  // Read through indexes of the capture's own lines: no `[name, value]` pair is made for a preflight nobody opens.
  const requestHeaders = headerIndexOf(attempt.request);
  const responseHeaders = attempt.response === undefined ? undefined : headerIndexOf(attempt.response);
  const responseValue = (name: string): string | null => responseHeaders?.get(name) ?? null;
  const summary: PreflightSummary = {
    url: attempt.request.url,
    method: 'OPTIONS',
    status: attempt.response?.status ?? 0,
    allowOrigin: responseValue('access-control-allow-origin'),
    allowMethods: responseValue('access-control-allow-methods'),
    allowHeaders: responseValue('access-control-allow-headers'),
    allowCredentials: responseValue('access-control-allow-credentials'),
    maxAge: responseValue('access-control-max-age'),
  };
  const requestMethod = requestHeaders.get('access-control-request-method');
  if (requestMethod !== undefined) summary.requestMethod = requestMethod;
  const requested = requestHeaders.get('access-control-request-headers');
  if (requested !== undefined) summary.requestHeaders = splitList(requested).map((name) => name.toLowerCase());
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
 * An `ExchangeReport` whose header lines are read from the capture on first use (the detail view, the JSON report), so
 * a 10,000-row list does not copy every header it holds. They are own enumerable accessors, defined in the schema's
 * field order with one shared getter each: `JSON.stringify`, object spread, `Object.keys` and `structuredClone` see
 * them like any field, and every report keeps one compact shape (getters in an object literal would make each report
 * a 2 KB dictionary-mode object; getters on the prototype would be invisible to spread and `structuredClone`).
 * The constructor writes every field on `this` directly, in the schema's order (docs/report-schema.md), which the JSON
 * report follows: written so, V8 gives each report its fields in the object itself rather than in a store grown field
 * by field, and no intermediate object is made.
 */
type WritableReport = { -readonly [K in keyof ExchangeReport]: ExchangeReport[K] };
// Declaration merging: instances carry ExchangeReport's fields, which the constructor writes.
interface CapturedExchangeReport extends WritableReport {}
class CapturedExchangeReport {
  readonly #firstRequest: RequestSnapshot | undefined;
  readonly #lastResponse: ResponseSnapshot | undefined;
  /** The hops, kept for `serverStack` only when there is more to read than the last response (a redirect, a preflight). */
  #hops: readonly ResponsesOfHop[] | undefined;
  #findServerStack: ((hops: readonly ResponsesOfHop[]) => ServerStackReading | null) | undefined;
  #serverStackFound: ServerStackReading | undefined;

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

  /**
   * `serverStack`, read from the hops on first use: an own enumerable accessor, last in the schema's order like the
   * field it stands for; `undefined` (left out of the JSON, as an absent field is) when no response names a stack.
   */
  static readonly #serverStack: PropertyDescriptor = {
    get(this: CapturedExchangeReport): ServerStackReading | undefined {
      const find = this.#findServerStack;
      if (find !== undefined) {
        this.#findServerStack = undefined;
        const response = this.#lastResponse;
        const hops = this.#hops ?? (response === undefined ? NOTHING : [{ response }]);
        this.#serverStackFound = find(hops) ?? undefined;
        this.#hops = undefined;
      }
      return this.#serverStackFound;
    },
    enumerable: true,
    configurable: true,
  };

  constructor(exchange: CapturedExchange, result: EngineResult, extras: ReportExtras) {
    const first = exchange.hops[0];
    const last = exchange.hops[exchange.hops.length - 1];
    const url = first?.request.url ?? '';
    const failure = result.failure ?? null;
    // The preflight to show: the one the failure is about, else the first hop's, else any hop's.
    const failedHop = failure?.phase === 'preflight' ? exchange.hops[failure.hop] : undefined;
    let preflightHop = failedHop?.preflight !== undefined ? failedHop : first?.preflight !== undefined ? first : undefined;
    preflightHop ??= exchange.hops.find((hop) => hop.preflight !== undefined);
    const preflight = preflightHop === undefined ? null : summarizePreflight(preflightHop);
    const extraMissing = extras.missing ?? NOTHING;
    this.#firstRequest = first?.request;
    this.#lastResponse = last?.response;

    this.id = exchange.id;
    this.url = url;
    this.finalUrl = last?.request.url ?? url;
    this.method = first?.request.method ?? '';
    this.kind = exchange.kind;
    this.initiatorOrigin = exchange.initiatorOrigin ?? null;
    this.targetOrigin = originOfUrl(url) ?? null;
    this.status = last?.response?.status ?? 0;
    Object.defineProperty(this, 'requestHeaders', CapturedExchangeReport.#requestHeaders);
    this.requestHeadersProvisional = first?.request.provisionalHeaders === true;
    Object.defineProperty(this, 'responseHeaders', CapturedExchangeReport.#responseHeaders);
    this.verdict = result.verdict;
    const blocker = blockerReportOf(exchange, result);
    // The real cause first: a blocker's headline, unless the failure is the CORS error that family is (a preflight redirect).
    this.summary =
      (blocker !== null && (failure === null || blocker.chromeCorsError !== failure.chromeCorsError) ? blocker.headline : failure?.headline) ??
      (result.likely ? likelySummary(result.likely, result.rules) : SUMMARY_BY_VERDICT[result.verdict]);
    this.preflight = preflight;
    this.preflightRequired = result.preflight.required;
    this.redirects = redirectsOf(exchange);
    this.checks = result.checks;
    this.failure = failure;
    this.alternatives = result.alternatives ?? NOTHING;
    this.assumptions = result.assumptions;
    this.missing =
      extraMissing.length === 0 ? result.missing : [...result.missing, ...extraMissing.filter((item) => !result.missing.includes(item))];
    this.notReallyCors = result.notReallyCors ?? (blocker !== null && blocker.chromeCorsError !== failure?.chromeCorsError ? notReallyCorsOf(blocker) : null);
    // Which optional fields this report has: each set gives reports another hidden class (see keepShape).
    let shape = 0;
    if (blocker !== null) {
      this.blocker = blocker;
      shape |= 1;
    }
    const originNull = result.verdict === 'blocked' || result.verdict === 'unknown' ? originNullAfterRedirect(exchange) : undefined;
    if (originNull !== undefined) {
      this.originAfterRedirect = originNull;
      shape |= 2;
    }
    this.warnings = extras.warnings ?? NOTHING;
    this.rules = result.rules;
    const absentReason = preflight === null ? preflightAbsentReason(first, result) : undefined;
    if (absentReason !== undefined) {
      this.preflightAbsentReason = absentReason;
      shape |= 4;
    }
    if (result.preflight.cache !== undefined) {
      this.preflightCache = result.preflight.cache;
      shape |= 8;
    }
    if (extras.requestBodyMimeType !== undefined) {
      this.requestBodyMimeType = extras.requestBodyMimeType;
      shape |= 16;
    }
    if (extras.startedDateTime !== undefined) {
      this.startedDateTime = extras.startedDateTime;
      shape |= 32;
    }
    if (result.likely !== undefined) {
      this.likely = result.likely;
      shape |= 64;
    }
    if (extras.repeatsMerged !== undefined && extras.repeatsMerged > 0) {
      this.repeatsMerged = extras.repeatsMerged;
      shape |= 128;
    }
    if (extras.serverStack !== undefined) {
      this.serverStack = extras.serverStack;
      shape |= 256;
    } else if (extras.findServerStack !== undefined) {
      if (exchange.hops.length > 1 || first?.preflight !== undefined) this.#hops = exchange.hops;
      this.#findServerStack = extras.findServerStack;
      Object.defineProperty(this, 'serverStack', CapturedExchangeReport.#serverStack);
      shape |= 512;
    }
    keepShape(Shape.ExchangeReport, this, shape);
  }
}

/** "Allowed, unless sent with credentials": the failure named as the capture's browser names it. */
function likelySummary(likely: LikelyReading, rules: BrowserRules): string {
  const otherwise = likely.otherwise;
  const name = otherwise.firefoxReason && rules === 'firefox' ? otherwise.firefoxReason.id : otherwise.chromeCorsError;
  return `Likely allowed: unless the page sent it with credentials — then blocked (${name}). The capture does not record the credentials mode.`;
}

/** Why the report shows no preflight: the capture cannot show one, none was needed, or the cache answered. */
function preflightAbsentReason(first: Hop | undefined, result: EngineResult): string {
  if (first?.preflightPresence === 'not-captured') return PREFLIGHT_ABSENT_REASONS.notCaptured;
  if (result.preflight.required === false) return PREFLIGHT_ABSENT_REASONS.notRequired;
  if (result.preflight.required === true) return result.preflight.cache?.message ?? PREFLIGHT_ABSENT_REASONS.noneSeen;
  return PREFLIGHT_ABSENT_REASONS.noneSeenUnknown;
}

export function buildReport(exchange: CapturedExchange, result: EngineResult, extras: ReportExtras = {}): ExchangeReport {
  return new CapturedExchangeReport(exchange, result, extras);
}
