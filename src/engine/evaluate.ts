/**
 * The engine's entry point: `evaluateExchange(exchange)` replays the browser's CORS decisions on one captured exchange
 * and returns the verdict, the full checklist, the failing check named as Chromium and Firefox name it, and the
 * assumptions it had to make.
 *
 * What a HAR does not record (credentials mode, request mode) is reasoned from what the browser did: each plausible
 * value is tried, and only the values whose checks agree with the recorded outcome are kept (see
 * ../shared/research/devtools-capture.md §H). When the capture cannot support a confident verdict, the verdict is
 * `unknown` and `missing` says why.
 */
import { CheckRunner, fail, pass, unknown, type CheckOutcome, type FailedCheck } from './checkRunner.js';
import { isRedirectStatus, runAllowOriginChecks, runPreflightChecks, runRedirectChecks } from './checks.js';
import { buildCorsFailure } from './failure.js';
import { CREDENTIALS_INCLUDED, CREDENTIALS_NOT_INCLUDED, FIREFOX_SENT_WITHOUT_RESPONSE } from '../model/exchange.js';
import type {
  Assumption,
  BrowserRules,
  CapturedExchange,
  CheckResult,
  CorsFailure,
  EngineResult,
  NotReallyCors,
  PreflightDecision,
  RequestMode,
  Verdict,
} from '../model/exchange.js';
import { isSameOrigin, serializeOrigin, urlScheme } from '../model/origin.js';
import { sanitizeHeaderLines } from '../model/headers.js';
import { isObject, normalizeOriginString, prepareExchange, type PreparedExchange, type PreparedHop } from './prepare.js';
import { readPreflightCache } from './preflightCache.js';
import {
  corsUnsafeRequestHeaderNamesInRequestOrder,
  decidePreflight,
  isForbiddenMethod,
  normalizeMethod,
} from './requestClassification.js';

/** One combination of the values a capture may not record. */
interface Scenario {
  credentialsInclude: boolean;
  mode: RequestMode;
}

type ScenarioClass = 'pass' | 'fail' | 'unknown' | 'not-cors';

interface ScenarioRun {
  scenario: Scenario;
  rules: BrowserRules;
  runner: CheckRunner;
  cls: ScenarioClass;
  /** Why CORS does not apply, when it does not. */
  notCorsReason?: string;
  /** The preflight decision of the hop that matters (the failing hop, else the first cross-origin hop). */
  decision: PreflightDecision;
}

interface Candidate<T> {
  value: T;
  /** Why this value is possible or certain; `certain` when the capture states it. */
  because: string;
  certain: boolean;
}

const CORS_SCHEMES_CHROMIUM = new Set(['http', 'https', 'data', 'chrome-extension', 'chrome', 'chrome-untrusted', 'isolated-app']);
const CORS_SCHEMES_FIREFOX = new Set(['http', 'https', 'data', 'moz-extension']);
const NO_CORS_BY_DEFAULT = new Set(['image', 'script', 'stylesheet', 'media', 'other']);

/** Evaluates one exchange. Never throws: bad input gives `verdict: 'unknown'` with what is missing. */
export function evaluateExchange(exchange: CapturedExchange): EngineResult {
  return evaluateExchangeWith(exchange, true);
}

function evaluateExchangeWith(exchange: CapturedExchange, shortcut: boolean): EngineResult {
  try {
    return (shortcut ? notCorsWithoutPreparing(exchange) : undefined) ?? evaluatePrepared(exchange);
  } catch (error) {
    const rules: BrowserRules = (exchange as { rules?: unknown } | null)?.rules === 'firefox' ? 'firefox' : 'chromium';
    const message = error instanceof Error ? error.message : String(error);
    return unknownResult(rules, [`the engine could not read this exchange (${message})`]);
  }
}

/**
 * The full evaluation, never the not-CORS shortcut. Only for the test that checks the shortcut gives the same result
 * (test/engine/notCorsShortcut.test.ts); everything else calls `evaluateExchange`.
 */
export function evaluateExchangeWithoutShortcut(exchange: CapturedExchange): EngineResult {
  return evaluateExchangeWith(exchange, false);
}

function unknownResult(rules: BrowserRules, missing: string[]): EngineResult {
  return {
    verdict: 'unknown',
    checks: [],
    preflight: { required: 'unknown', reasons: [] },
    assumptions: [],
    missing,
    rules,
  };
}

function evaluatePrepared(raw: CapturedExchange): EngineResult {
  const prepared = prepareExchange(raw);
  if (!prepared.ok) return unknownResult(prepared.rules, prepared.missing);
  const ex = prepared.exchange;
  const engine = new ExchangeEngine(ex);
  return engine.evaluate();
}

/**
 * The `corsApplies` check alone, for the exchanges most of a capture is made of: one hop, no preflight, a request mode
 * the capture records, completed by the browser, and CORS does not apply (a navigation, a no-cors load, or same-origin
 * with an initiator the capture names). For those the full evaluation below ends after that one check with the same
 * result; this reaches it without indexing any header. Anything else returns `undefined` and takes the full path.
 * test/engine/notCorsShortcut.test.ts checks that both give equal results on every captured exchange and on fuzzed ones.
 */
function notCorsWithoutPreparing(exchange: CapturedExchange): EngineResult | undefined {
  if (!isObject(exchange) || !Array.isArray(exchange.hops) || exchange.hops.length !== 1) return undefined;
  const hop: unknown = exchange.hops[0];
  if (!isObject(hop) || hop.preflight !== undefined || !isObject(hop.outcome) || hop.outcome.kind !== 'completed') return undefined;
  const request = hop.request;
  if (!isObject(request) || typeof request.url !== 'string' || typeof request.method !== 'string') return undefined;
  const mode = exchange.mode;
  if (mode !== 'navigate' && mode !== 'no-cors' && mode !== 'cors' && mode !== 'same-origin') return undefined;
  if (typeof exchange.initiatorOrigin !== 'string') return undefined;
  const initiator = normalizeOriginString(exchange.initiatorOrigin);
  const origin = serializeOrigin(request.url);
  if (initiator === undefined || origin === undefined) return undefined;
  const scheme = urlScheme(request.url);
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const crossOrigin = initiator === 'null' || origin !== initiator;
  if (mode !== 'navigate' && mode !== 'no-cors' && crossOrigin) return undefined;

  const credentialsRecorded = exchange.credentials === 'include' || exchange.credentials === 'same-origin' || exchange.credentials === 'omit';
  const cookieSent =
    !credentialsRecorded &&
    crossOrigin &&
    request.provisionalHeaders !== true &&
    sanitizeHeaderLines(request.headers).lines.some(([name]) => name.length === 6 && name.toLowerCase() === 'cookie');
  const rules: BrowserRules = exchange.rules === 'firefox' ? 'firefox' : 'chromium';
  // Results are values: exchanges with the same reason share one (frozen) result, as most of a capture does. Looked up
  // without building the reason's text: by rules, cookie, mode and (same-origin only) the initiator.
  const reasonKind = mode === 'navigate' || mode === 'no-cors' ? mode : 'same-origin';
  const shared = notCorsResults[rules][cookieSent ? 1 : 0][reasonKind];
  const key = reasonKind === 'same-origin' ? initiator : '';
  let result = shared.get(key);
  if (result === undefined) {
    const notCorsReason =
      reasonKind === 'navigate' ? 'a navigation' : reasonKind === 'no-cors' ? 'a no-cors request' : `same-origin with ${initiator}`;
    if (shared.size >= REMEMBERED_NOT_CORS_RESULTS) shared.clear();
    result = deepFreeze(notCorsResult(notCorsReason, cookieSent, rules));
    shared.set(key, result);
  }
  return result;
}

type NotCorsResultsByReason = Record<'navigate' | 'no-cors' | 'same-origin', Map<string, EngineResult>>;
const notCorsResultsByReason = (): NotCorsResultsByReason => ({ navigate: new Map(), 'no-cors': new Map(), 'same-origin': new Map() });
/** The shared not-CORS results: by rules, then without / with a Cookie sent, then by reason (and initiator). */
const notCorsResults: Record<BrowserRules, [NotCorsResultsByReason, NotCorsResultsByReason]> = {
  chromium: [notCorsResultsByReason(), notCorsResultsByReason()],
  firefox: [notCorsResultsByReason(), notCorsResultsByReason()],
};
const REMEMBERED_NOT_CORS_RESULTS = 256;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}

function notCorsResult(notCorsReason: string, cookieSent: boolean, rules: BrowserRules): EngineResult {
  const assumptions: Assumption[] = cookieSent
    ? [{ about: 'credentials', value: CREDENTIALS_INCLUDED, because: COOKIE_SENT_MEANS_CREDENTIALS }]
    : [];
  return {
    verdict: 'not-cors',
    checks: [
      {
        id: 'corsApplies',
        phase: 'request',
        hop: 0,
        status: 'pass',
        subject: CORS_APPLIES_SUBJECT,
        expected: CORS_APPLIES_EXPECTED,
        actual: notCorsReason,
        note: CORS_DOES_NOT_APPLY,
      },
    ],
    preflight: { required: false, reasons: [`${CORS_DOES_NOT_APPLY}: ${notCorsReason}`] },
    assumptions,
    missing: [],
    rules,
  };
}

const CORS_APPLIES_SUBJECT = 'request mode and origin';
const CORS_APPLIES_EXPECTED = 'a cross-origin request in cors mode';
const CORS_DOES_NOT_APPLY = 'CORS does not apply';
const COOKIE_SENT_MEANS_CREDENTIALS =
  'the request carried a Cookie header to another origin, which browsers do only for credentialed requests';

class ExchangeEngine {
  private readonly decisions = new Map<string, PreflightDecision>();
  private readonly unsafeInOrder = new Map<string, string[]>();
  /** Index of the first hop that is cross-origin to the initiator (the CORS flag is sticky from there); -1 if none. */
  private readonly corsFlagAt: number;
  private readonly lastHop: PreparedHop;
  /** The capture is Firefox's own HAR (its header order tells the page's headers from Firefox's). */
  private readonly firefoxCapture: boolean;

  constructor(private readonly ex: PreparedExchange) {
    this.lastHop = ex.hops[ex.hops.length - 1]!;
    this.firefoxCapture = ex.source === 'firefox-har-export';
    if (ex.initiator === undefined) this.corsFlagAt = 0;
    else this.corsFlagAt = ex.hops.findIndex((h) => ex.initiator === 'null' || h.origin !== ex.initiator);
  }

  evaluate(): EngineResult {
    const ex = this.ex;
    const assumptions: Assumption[] = [];
    const missing: string[] = [];
    if (ex.initiatorFrom === 'origin-header' || ex.initiatorFrom === 'preflight-origin-header') {
      assumptions.push({
        about: 'initiator-origin',
        value: ex.initiator ?? 'null',
        because: `read from the Origin header of the ${ex.initiatorFrom === 'origin-header' ? 'request' : 'preflight'}`,
      });
    } else if (ex.initiator === undefined) {
      assumptions.push({
        about: 'initiator-origin',
        value: 'unknown (treated as cross-origin)',
        because: 'the capture names no initiator and the request carries no Origin header',
      });
    }

    const modes = this.modeCandidates();
    const creds = this.credentialCandidates();
    const outcome = this.lastHop.outcome;

    // Runs are made lazily: the common case (the first scenario agrees with a recorded outcome and nothing else could
    // differ) needs one run.
    const runs: ScenarioRun[] = [];
    for (const mode of modes) {
      for (const cred of creds) {
        runs.push(this.run({ mode: mode.value, credentialsInclude: cred.value }, ex.rules));
        const first = runs[0]!;
        if (runs.length === 1 && outcome.kind === 'completed' && (first.cls === 'pass' || first.cls === 'not-cors')) break;
      }
      const first = runs[0]!;
      if (runs.length === 1 && outcome.kind === 'completed' && (first.cls === 'pass' || first.cls === 'not-cors')) break;
    }

    const consistent = runs.filter((r) => this.consistentWithOutcomes(r));
    if (outcome.kind === 'failed') {
      // A scenario whose checks explain the failure beats one that cannot finish its checks (stable sort keeps the
      // preference order among equals).
      consistent.sort((a, b) => Number(b.cls === 'fail') - Number(a.cls === 'fail'));
    }
    let chosen: ScenarioRun;
    let verdict: Verdict;
    let notReallyCors: NotReallyCors | undefined;

    if (consistent.length === 0) {
      return this.inconsistent(runs, assumptions, missing);
    }
    chosen = consistent[0]!;
    const others = consistent.slice(1);
    const differing = others.filter((r) => signature(r) !== signature(chosen));

    // Name what the outcome told us about the unknowns.
    this.describeAssumptions(runs, consistent, chosen, modes, creds, assumptions);

    verdict = verdictOf(chosen);
    const alternatives: CorsFailure[] = [];
    let failure: CorsFailure | undefined;
    if (chosen.cls === 'fail' && chosen.runner.failed && chosen.runner.failed.block.corsError !== null) {
      failure = this.failureOf(chosen, chosen.runner.failed);
      for (const p of chosen.runner.failed.block.alternativeParameters ?? []) {
        alternatives.push(this.failureOf(chosen, chosen.runner.failed, p, false));
      }
    }
    for (const r of differing) {
      if (r.runner.failed && r.runner.failed.block.corsError !== null) alternatives.push(this.failureOf(r, r.runner.failed, undefined, false));
    }

    if (chosen.cls === 'unknown') {
      const idx = chosen.runner.firstUnknown;
      const check = idx === undefined ? undefined : chosen.runner.checks[idx];
      missing.push(check?.note ?? 'the capture lacks what a check needs');
      if (chosen.runner.failed && chosen.runner.failed.block.corsError !== null) {
        alternatives.push(this.failureOf(chosen, chosen.runner.failed, undefined, false));
      }
    }
    const unrecordedModes =
      modes.length > 1 && creds.length > 1 ? 'the request and credentials modes' : creds.length > 1 ? 'the credentials mode' : 'the request mode';
    // A capture that does not say what the browser did (Firefox's HAR: a blocked response looks like a success) cannot
    // pick between readings of what it does not record (credentials, mode) when one allows and another blocks.
    const allowedReading = consistent.find((r) => r.cls === 'pass' || r.cls === 'not-cors');
    const blockedReading = consistent.find((r) => verdictOf(r) === 'blocked');
    if (outcome.kind === 'unrecorded' && allowedReading && blockedReading && verdict !== 'unknown') {
      if (failure) alternatives.unshift(failure);
      failure = undefined;
      verdict = 'unknown';
      // Neither reading is assumed any more.
      const undecided = new Set<Assumption['about']>([...(creds.length > 1 ? ['credentials' as const] : []), ...(modes.length > 1 ? ['mode' as const] : [])]);
      for (let i = assumptions.length - 1; i >= 0; i--) if (undecided.has(assumptions[i]!.about)) assumptions.splice(i, 1);
      const sentAs = (r: ScenarioRun) => `${r.scenario.credentialsInclude ? 'with credentials' : 'without credentials'}${modes.length > 1 ? ` in ${r.scenario.mode} mode` : ''}`;
      const blocked = this.failureOf(blockedReading, blockedReading.runner.failed!, undefined, false);
      const blockedName = ex.rules === 'firefox' ? (blocked.firefoxReason?.id ?? blocked.chromeCorsError) : blocked.chromeCorsError;
      missing.push(
        `${unrecordedModes} and what the browser did: the capture records neither, and they decide the verdict (allowed ${sentAs(allowedReading)}; blocked ${sentAs(blockedReading)}: ${blockedName})`,
      );
    }
    if (differing.length > 0 && verdict !== 'unknown') {
      missing.push(`the capture does not record ${unrecordedModes}; under another value the outcome differs (see alternatives)`);
    }

    if (chosen.cls === 'fail' && chosen.runner.failed && chosen.runner.failed.block.corsError === null) {
      const netError = chosen.runner.failed.block.netError;
      notReallyCors = {
        kind: 'network-failure',
        message:
          netError === FIREFOX_SENT_WITHOUT_RESPONSE
            ? 'Firefox sent the request and no response came back: the connection was refused or reset, or the host name did not resolve (Firefox’s console then says “CORS request did not succeed”, CORSDidNotSucceed). That is no CORS check failing: make sure the server is up at this address.'
            : `The request failed at the network level (${netError ?? 'no response'}), before CORS had anything to check. Fix the connection first.`,
      };
      if (netError === FIREFOX_SENT_WITHOUT_RESPONSE) {
        missing.push('whether the page aborted the request: Firefox’s HAR records an aborted request the same way, and Firefox logs nothing for it');
      }
    }
    if (chosen.cls === 'not-cors' && outcome.kind === 'failed') {
      notReallyCors = {
        kind: 'network-failure',
        message: `CORS does not apply to this request (${chosen.notCorsReason ?? ''}), yet it failed (${outcome.errorText || 'no error text'}): the cause is elsewhere (network, an extension, ORB, mixed content).`,
      };
    }
    notReallyCors = notReallyCors ?? this.notReallyCorsFor(chosen, failure);

    const result: EngineResult = {
      verdict,
      checks: chosen.runner.checks,
      preflight: chosen.decision,
      assumptions,
      missing,
      rules: ex.rules,
    };
    if (failure) result.failure = failure;
    const seen = new Set(failure ? [`${failure.chromeCorsError}|${failure.failedParameter}`] : []);
    const distinct = alternatives.filter((a) => {
      const key = `${a.chromeCorsError}|${a.failedParameter}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (distinct.length > 0) result.alternatives = distinct;
    if (notReallyCors) result.notReallyCors = notReallyCors;
    if (ex.inputNotes.length > 0 && verdict === 'unknown') for (const note of ex.inputNotes) missing.push(note);
    if (verdict === 'unknown' && this.blockedWithoutRecordedCause()) {
      // Playwright's HAR keeps no response for a request Chromium blocked: the block is certain, its cause is not.
      result.verdict = 'blocked';
      delete result.failure;
      missing.unshift(
        'the server’s answer: Chromium blocked this request (net::ERR_FAILED), but a Playwright HAR records neither the response nor the preflight of a blocked request, so the failing check cannot be named. Capture with DevTools or the CORS tab to see it.',
      );
    }
    return result;
  }

  /**
   * Whether a run agrees with what the browser did at every hop: hops the checks passed must not have failed, the hop
   * a check failed on must not have completed, and a run where everything passes must end in a completed request.
   */
  private consistentWithOutcomes(run: ScenarioRun): boolean {
    const hops = this.ex.hops;
    if (run.cls === 'not-cors' || run.cls === 'unknown') return true;
    if (run.cls === 'pass') return hops.every((h) => h.outcome.kind !== 'failed');
    const at = run.runner.failed?.result.hop ?? hops.length - 1;
    if (hops[at]?.outcome.kind === 'completed') return false;
    for (let j = 0; j < at; j++) if (hops[j]!.outcome.kind === 'failed') return false;
    // The browser sends a request only once its preflight passed, and the next hop only once it accepted the redirect:
    // a response to either proves the check passed, even where the capture does not record outcomes (Firefox).
    const phase = run.runner.failed?.result.phase;
    if (phase === 'preflight' && hops[at] !== undefined && hasResponse(hops[at])) return false;
    if (phase === 'redirect' && hops[at + 1] !== undefined && hasResponse(hops[at + 1]!)) return false;
    return true;
  }

  /** A Playwright HAR entry Chromium failed with ERR_FAILED and no response: blocked, cause not recorded. */
  private blockedWithoutRecordedCause(): boolean {
    const hop = this.lastHop;
    return (
      this.ex.source === 'playwright-har' &&
      hop.outcome.kind === 'failed' &&
      (hop.outcome.errorText === 'net::ERR_FAILED' || hop.outcome.errorText === '') &&
      !hasResponse(hop) &&
      this.corsFlagAt >= 0
    );
  }

  // ── The unknowns ───────────────────────────────────────────────────────────────────────────────────────────────

  private modeCandidates(): Candidate<RequestMode>[] {
    const ex = this.ex;
    if (ex.mode !== undefined) return [{ value: ex.mode, because: 'recorded in the capture', certain: true }];
    if (ex.kind === 'document') return [{ value: 'navigate', because: 'a document load is a navigation', certain: true }];
    if (ex.kind === 'xhr') return [{ value: 'cors', because: 'XMLHttpRequest always uses cors mode', certain: true }];
    if (ex.kind === 'font') return [{ value: 'cors', because: 'fonts are always fetched in cors mode', certain: true }];
    const first = ex.hops[0]!;
    if (first.preflight) return [{ value: 'cors', because: 'the browser sent a preflight, which only cors requests get', certain: true }];
    if (ex.kind === 'fetch') return [{ value: 'cors', because: 'fetch() uses cors mode by default', certain: false }];
    if (NO_CORS_BY_DEFAULT.has(ex.kind)) {
      if (!first.provisional && first.headerLineCount > 0 && ex.source !== 'playwright-har') {
        if (first.headers.has('origin')) {
          return [{ value: 'cors', because: 'the request carried an Origin header (a crossorigin attribute)', certain: true }];
        }
        const method = normalizeMethod(first.method);
        if (method === 'GET' || method === 'HEAD') {
          return [{ value: 'no-cors', because: `the ${ex.kind} request carried no Origin header, so it was loaded without CORS (no crossorigin attribute)`, certain: true }];
        }
      }
      return [
        { value: 'cors', because: 'the capture does not say whether the element had a crossorigin attribute', certain: false },
        { value: 'no-cors', because: 'without a crossorigin attribute the browser loads it without CORS', certain: false },
      ];
    }
    return [{ value: 'cors', because: 'assumed', certain: false }];
  }

  private credentialCandidates(): Candidate<boolean>[] {
    const ex = this.ex;
    if (ex.credentials !== undefined) {
      return [{ value: ex.credentials === 'include', because: 'recorded in the capture', certain: true }];
    }
    if (ex.kind === 'font') {
      return [{ value: false, because: 'a font is always fetched with credentials mode "same-origin", so none go to another origin', certain: true }];
    }
    const cookieSent = ex.hops.some(
      (h, i) => i >= Math.max(this.corsFlagAt, 0) && this.corsFlagAt >= 0 && !h.provisional && h.headers.has('cookie'),
    );
    if (cookieSent) {
      return [{ value: true, because: COOKIE_SENT_MEANS_CREDENTIALS, certain: true }];
    }
    return [
      { value: false, because: 'fetch() and XMLHttpRequest send no credentials to another origin by default', certain: false },
      { value: true, because: 'the page may have asked for credentials (credentials: "include", withCredentials)', certain: false },
    ];
  }

  private describeAssumptions(
    runs: ScenarioRun[],
    consistent: ScenarioRun[],
    chosen: ScenarioRun,
    modes: Candidate<RequestMode>[],
    creds: Candidate<boolean>[],
    out: Assumption[],
  ): void {
    const outcome = this.lastHop.outcome;
    const did = outcome.kind === 'completed' ? 'completed the request' : outcome.kind === 'failed' ? 'failed the request' : '';
    const describeCred = (v: boolean) => (v ? CREDENTIALS_INCLUDED : CREDENTIALS_NOT_INCLUDED);

    if (creds.length === 1) {
      const c = creds[0]!;
      if (c.because !== 'recorded in the capture') out.push({ about: 'credentials', value: describeCred(c.value), because: c.because });
    } else if (chosen.cls !== 'not-cors') {
      const values = new Set(consistent.map((r) => r.scenario.credentialsInclude));
      const eliminated = runs.filter((r) => !consistent.includes(r));
      if (values.size === 1 && eliminated.length > 0) {
        const other = eliminated.find((r) => r.scenario.credentialsInclude !== chosen.scenario.credentialsInclude);
        const otherText = other ? ` ${other.scenario.credentialsInclude ? 'With' : 'Without'} credentials ${describeRun(other)}.` : '';
        out.push({
          about: 'credentials',
          value: describeCred(chosen.scenario.credentialsInclude),
          because: `the capture does not record the credentials mode, but the browser ${did}.${otherText}`,
        });
      } else {
        const matters = consistent.some((r) => signature(r) !== signature(chosen)) || consistent.length < runs.length;
        out.push({
          about: 'credentials',
          value: describeCred(chosen.scenario.credentialsInclude),
          because: `the capture does not record the credentials mode; ${creds.find((c) => c.value === chosen.scenario.credentialsInclude)?.because ?? 'assumed'}${matters ? '' : ' (the result is the same either way)'}`,
        });
      }
    }
    if (modes.length === 1) {
      const m = modes[0]!;
      if (!m.certain || (m.because !== 'recorded in the capture' && m.value !== 'cors')) {
        if (m.because !== 'recorded in the capture') out.push({ about: 'mode', value: m.value, because: m.because });
      }
    } else {
      const values = new Set(consistent.map((r) => r.scenario.mode));
      out.push({
        about: 'mode',
        value: chosen.scenario.mode,
        because:
          values.size === 1 && did
            ? `the capture does not record the request mode; ${chosen.scenario.mode} is the one that fits: the browser ${did}`
            : `the capture does not record the request mode; ${modes.find((m) => m.value === chosen.scenario.mode)?.because ?? 'assumed'}`,
      });
    }
  }

  /** No combination of the unknowns fits what the browser did: say so rather than invent a verdict. */
  private inconsistent(runs: ScenarioRun[], assumptions: Assumption[], missing: string[]): EngineResult {
    const ex = this.ex;
    const outcome = this.lastHop.outcome;
    const first = runs[0]!;
    const base = {
      checks: first.runner.checks,
      preflight: first.decision,
      assumptions,
      missing,
      rules: ex.rules,
    };
    if (outcome.kind === 'failed') {
      // Every check passes, yet the browser failed it: not a CORS failure the capture shows.
      const error = outcome.errorText;
      if (error && error.startsWith('net::ERR_') && error !== 'net::ERR_FAILED') {
        return {
          ...base,
          verdict: 'network-error',
          notReallyCors: {
            kind: 'network-failure',
            message: `Every CORS check the capture allows passes; the browser failed the request with ${error}, which is a network or blocking error, not a CORS decision.`,
          },
        };
      }
      missing.push(
        'a failing CORS check: every check the capture allows passes, yet the browser failed the request; the cause is outside what this capture records (mixed content, ORB, an extension, CSP, or a preflight the capture lost)',
      );
      return {
        ...base,
        verdict: 'unknown',
        notReallyCors: {
          kind: 'network-failure',
          message: `The captured headers pass every CORS check, yet the browser failed the request (${error || 'no error text'}). Look at the console: mixed content, ORB, a blocking extension or CSP fail requests the same way.`,
        },
      };
    }
    // The browser completed it although the checks fail.
    const noCorsPossible = ex.mode === undefined && ex.kind !== 'xhr' && ex.kind !== 'font' && !ex.hops[0]!.preflight;
    if (noCorsPossible) {
      assumptions.push({
        about: 'mode',
        value: 'no-cors',
        because: 'the browser completed the request although its CORS checks fail, so it was most likely made without CORS (mode "no-cors", or an element without a crossorigin attribute)',
      });
      const checks: CheckResult[] = [
        { id: 'corsApplies', phase: 'request', hop: 0, status: 'pass', subject: 'request mode', expected: 'cors', actual: 'no-cors (inferred)', note: 'CORS does not apply in no-cors mode' },
      ];
      return { ...base, checks, verdict: 'not-cors', preflight: { required: false, reasons: ['CORS does not apply (no-cors)'] } };
    }
    missing.push(
      'a consistent capture: the browser completed this request although its captured headers fail a CORS check (a cached or revalidated response, an extension granting access, or headers the capture altered)',
    );
    const alternatives = first.runner.failed && first.runner.failed.block.corsError !== null ? [this.failureOf(first, first.runner.failed)] : [];
    return { ...base, verdict: 'unknown', ...(alternatives.length > 0 ? { alternatives } : {}) };
  }

  // ── Running the checks under one scenario ──────────────────────────────────────────────────────────────────────

  private decisionFor(hop: PreparedHop, rules: BrowserRules): PreflightDecision {
    const key = `${rules}:${hop.index}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = decidePreflight({
        method: hop.method,
        headers: hop.headers,
        rules,
        fromCapture: true,
        firefoxCapture: this.firefoxCapture,
        ...(hop.preflight ? { preflightRequestHeaders: hop.preflight.requestHeaders } : {}),
      });
      if (!hop.preflight && hop.headerLineCount === 0 && decision.required === false) {
        decision = { ...decision, required: 'unknown', reasons: ['the request headers are not in the capture'] };
      }
      if (!hop.preflight && decision.required === true) {
        decision = {
          ...decision,
          cache: readPreflightCache({
            presence: hop.presence,
            actualRequestSent: hasResponse(hop),
            rules,
            ...(hop.earlierPreflightMaxAge === undefined
              ? {}
              : { earlierMaxAge: hop.earlierPreflightMaxAge === '' ? undefined : hop.earlierPreflightMaxAge, earlierSeen: true }),
          }),
        };
      }
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** Unsafe header names in the order the actual request lists them, limited to what the preflight asked for. */
  private unsafeHeadersInOrder(hop: PreparedHop, rules: BrowserRules, decision: PreflightDecision): string[] {
    const key = `${rules}:${hop.index}`;
    let names = this.unsafeInOrder.get(key);
    if (!names) {
      const asked = decision.unsafeHeaders ?? [];
      // Sets, not `includes`: a hostile request can carry 100,000 headers, and a scan per name would be quadratic.
      const askedSet = new Set(asked);
      const inOrder = corsUnsafeRequestHeaderNamesInRequestOrder(hop.headers, rules, { fromCapture: true, firefoxCapture: this.firefoxCapture }).filter((n) => askedSet.has(n));
      const inOrderSet = new Set(inOrder);
      names = [...inOrder, ...asked.filter((n) => !inOrderSet.has(n))];
      // Firefox checks them in Access-Control-Request-Headers order (sorted), so it names the first of those missing.
      if (rules === 'firefox') names.sort();
      this.unsafeInOrder.set(key, names);
    }
    return names;
  }

  run(scenario: Scenario, rules: BrowserRules): ScenarioRun {
    const ex = this.ex;
    const runner = new CheckRunner();
    const hops = ex.hops;
    const first = hops[0]!;
    let notCorsReason: string | undefined;
    const crossOrigin = this.corsFlagAt >= 0;
    const initiator = ex.initiator;

    runner.check('corsApplies', 'request', 0, () => {
      const fields = { subject: CORS_APPLIES_SUBJECT, expected: CORS_APPLIES_EXPECTED };
      const scheme = urlScheme(first.url);
      if (scenario.mode === 'navigate') notCorsReason = 'a navigation';
      else if (scheme === 'data' || scheme === 'about') notCorsReason = `a ${scheme}: URL, which is never fetched with CORS`;
      else if (scenario.mode === 'no-cors') notCorsReason = 'a no-cors request';
      else if (!crossOrigin) notCorsReason = `same-origin with ${initiator ?? 'the page'}`;
      if (notCorsReason) return pass({ ...fields, actual: notCorsReason, note: CORS_DOES_NOT_APPLY });
      const at = this.corsFlagAt;
      return pass({
        ...fields,
        actual: `${scenario.mode}, ${initiator ?? 'unknown origin'} → ${hops[at]?.origin ?? '?'}${at > 0 ? ` (after ${at} redirect${at > 1 ? 's' : ''})` : ''}`,
      });
    });
    if (notCorsReason) {
      runner.notCors = true;
      return {
        scenario,
        rules,
        runner,
        cls: 'not-cors',
        notCorsReason,
        decision: { required: false, reasons: [`${CORS_DOES_NOT_APPLY}: ${notCorsReason}`] },
      };
    }

    const flagHop = hops[this.corsFlagAt]!;
    runner.check('methodNotForbidden', 'request', 0, () => {
      const fields = { subject: 'method', expected: 'not CONNECT, TRACE or TRACK', actual: first.method };
      return isForbiddenMethod(first.method)
        ? fail({ corsError: null, failedParameter: '', netError: 'TypeError (forbidden method)', values: { method: first.method } }, fields)
        : pass(fields);
    });
    runner.check('schemeSupportsCors', 'request', flagHop.index, () => {
      const scheme = urlScheme(flagHop.url) ?? '';
      const allowed = rules === 'firefox' ? CORS_SCHEMES_FIREFOX : CORS_SCHEMES_CHROMIUM;
      const fields = { subject: 'URL scheme', expected: 'http or https', actual: scheme };
      return allowed.has(scheme) ? pass(fields) : fail({ corsError: 'CorsDisabledScheme', failedParameter: '', values: { url: flagHop.url } }, fields);
    });
    runner.check('modeAllowsCrossOrigin', 'request', flagHop.index, () => {
      const fields = { subject: 'request mode', expected: 'cors', actual: scenario.mode };
      return scenario.mode === 'same-origin'
        ? fail({ corsError: 'DisallowedByMode', failedParameter: '', values: {} }, fields)
        : pass(fields);
    });
    const firstDecision = this.decisionFor(flagHop, rules);
    runner.check('preflightRequired', 'request', flagHop.index, () => {
      const required = firstDecision.required;
      return pass({
        subject: 'method and headers',
        expected: 'CORS-safelisted method and headers (else a preflight)',
        actual: required === true ? `preflight: ${firstDecision.reasons.join('; ')}` : required === false ? 'no preflight needed' : 'unknown',
      });
    });

    let decision = firstDecision;
    let tainted = initiator === 'null';
    let walkedToEnd = true;
    let lostHopAfter: number | undefined;
    for (let h = 0; h < hops.length && !runner.stopped; h++) {
      const hop = hops[h]!;
      const flag = h >= this.corsFlagAt;
      const origin = tainted ? 'null' : initiator;
      const response = hop.response;
      const next = hops[h + 1];
      const location = next?.url ?? response?.location;
      const is3xx = response !== undefined && isRedirectStatus(response.status) && location !== undefined;
      // A capture that does not record what the browser did (Firefox's HAR) may lack the hop after a redirect, which
      // the browser followed all the same (or refused to: a Location with credentials).
      const followed = is3xx && (next !== undefined || hop.outcome.kind === 'failed' || hop.outcome.kind === 'unrecorded');
      if (followed && next === undefined && hop.outcome.kind === 'unrecorded') lostHopAfter = h;

      if (!flag) {
        if (next !== undefined && !followed) {
          notARedirectChain(runner, hop, h);
          walkedToEnd = false;
          break;
        }
        if (followed && location) {
          runRedirectChecks(runner, {
            hop: h,
            redirectsSoFar: h,
            location,
            corsFlag: false,
            taintedOrCrossOrigin: tainted || initiator === undefined || !isSameOrigin(initiator, location),
          });
          tainted = tainted || this.taints(hop, location);
        }
        continue;
      }

      const hopDecision = this.decisionFor(hop, rules);
      if (h > this.corsFlagAt) decision = hopDecision;
      if (hopDecision.required === true || hop.preflight) {
        if (hop.preflight) {
          const pf = hop.preflight;
          runPreflightChecks(runner, {
            hop: h,
            status: pf.response?.status,
            headers: pf.response?.headers,
            redirectLocation: pf.response?.location,
            errorText: pf.errorText,
            origin,
            credentialsInclude: scenario.credentialsInclude,
            rules,
            method: hopDecision.method ?? normalizeMethod(hop.method),
            unsafeHeaders: this.unsafeHeadersInOrder(hop, rules, hopDecision),
          });
        } else {
          runner.check('preflightReceived', 'preflight', h, () => missingPreflight(hop));
        }
      }

      const received = runner.check('responseReceived', 'response', h, () => responseReceived(hop, ex));
      if (!received || received.status !== 'pass' || !response) {
        walkedToEnd = false;
        break;
      }
      if (next !== undefined && !followed) {
        // Only a followed 3xx has a next hop: a 304 or any other answer followed by more hops is not one chain.
        notARedirectChain(runner, hop, h);
        walkedToEnd = false;
        break;
      }
      if (response.status === 304 && hop.outcome.kind !== 'failed') {
        // A browser revalidation: the cached response's headers were checked when it was stored (not in the capture).
        continue;
      }
      runAllowOriginChecks(runner, {
        headers: response.headers,
        phase: is3xx ? 'redirect' : 'response',
        hop: h,
        origin,
        credentialsInclude: scenario.credentialsInclude,
        rules,
        status: response.status,
      });
      if (followed && location) {
        runRedirectChecks(runner, {
          hop: h,
          redirectsSoFar: h,
          location,
          corsFlag: true,
          taintedOrCrossOrigin: tainted || initiator === undefined || !isSameOrigin(initiator, location),
        });
        tainted = tainted || this.taints(hop, location);
      }
    }
    if (walkedToEnd && lostHopAfter !== undefined && !runner.stopped) {
      const from = hops[lostHopAfter]!;
      runner.check('responseReceived', 'response', lostHopAfter, () =>
        unknown({
          subject: 'response',
          expected: 'the response after the redirect',
          actual: null,
          note: `the browser followed the redirect to ${from.response?.location ?? 'its Location'}, but the capture does not hold that request`,
        }),
      );
    }
    const unreadable = ex.unreadableHop;
    if (walkedToEnd && unreadable !== undefined) {
      // The capture goes on past the last hop it could read: that hop's answer is not the final one.
      runner.check('responseReceived', 'response', unreadable.index, () =>
        unknown({
          subject: 'response',
          expected: 'a response',
          actual: null,
          note: `hop ${unreadable.index} of the capture ${unreadable.reason}, so the rest of the request and its final response cannot be read`,
        }),
      );
    }

    if (runner.failed) decision = this.decisionFor(hops[runner.failed.result.hop] ?? flagHop, rules);
    let cls: ScenarioClass;
    if (runner.firstUnknown !== undefined) cls = 'unknown';
    else if (runner.failed) cls = 'fail';
    else cls = 'pass';
    return { scenario, rules, runner, cls, decision };
  }

  /** A redirect taints the origin when it leaves the current URL's origin and the request origin differs from it. */
  private taints(hop: PreparedHop, location: string): boolean {
    const current = hop.origin;
    const target = serializeOrigin(location);
    return target !== current && this.ex.initiator !== current;
  }

  // ── Building the answer ────────────────────────────────────────────────────────────────────────────────────────

  private failureOf(run: ScenarioRun, failed: FailedCheck, parameterOverride?: string, withOtherBrowser = true): CorsFailure {
    const ex = this.ex;
    const hop = ex.hops[failed.result.hop] ?? ex.hops[0]!;
    const block = parameterOverride === undefined
      ? failed.block
      : { ...failed.block, failedParameter: parameterOverride, values: { ...failed.block.values, header: parameterOverride } };
    // The other browser's words for the same headers: rerun under its rules (only when something failed).
    // Alternatives skip it under Chromium rules (Firefox's words are optional there); Firefox rules always need it for
    // the Chromium name.
    const otherRules: BrowserRules = run.rules === 'firefox' ? 'chromium' : 'firefox';
    const otherFailed = withOtherBrowser || run.rules === 'firefox' ? this.run(run.scenario, otherRules).runner.failed : undefined;
    return buildCorsFailure({
      checkId: failed.result.id,
      phase: failed.result.phase,
      hop: failed.result.hop,
      block,
      rules: run.rules,
      kind: ex.kind,
      url: hop.url,
      firstUrl: ex.hops[0]!.url,
      origin: ex.initiator,
      method: normalizeMethod(hop.method),
      credentialsInclude: run.scenario.credentialsInclude,
      status: failed.result.phase === 'preflight' ? hop.preflight?.response?.status : hop.response?.status,
      other:
        otherFailed && otherFailed.block.corsError !== undefined
          ? { checkId: otherFailed.result.id, phase: otherFailed.result.phase, block: otherFailed.block }
          : undefined,
    });
  }

  private notReallyCorsFor(run: ScenarioRun, failure: CorsFailure | undefined): NotReallyCors | undefined {
    if (!failure) return undefined;
    const hop = this.ex.hops[failure.hop];
    if (!hop) return undefined;
    if (failure.phase === 'preflight') {
      const status = hop.preflight?.response?.status ?? 0;
      const noAcao = hop.preflight?.response?.headers.get('access-control-allow-origin') === undefined;
      if ((status === 401 || status === 403) && (failure.checkId === 'preflightOkStatus' || (failure.checkId === 'allowOriginPresent' && noAcao))) {
        return {
          kind: 'preflight-eaten-by-auth',
          message: `The preflight got ${status}: an OPTIONS request never carries cookies or Authorization, so an authentication layer refused it. Let OPTIONS through before authentication and answer it with 204.`,
        };
      }
      if (failure.checkId === 'preflightNotRedirected') {
        return {
          kind: 'unexpected-redirect',
          message: `The preflight was redirected to ${hop.preflight?.response?.location ?? 'another URL'}: usually http→https, a missing trailing slash, or a login page. Call the final URL directly.`,
        };
      }
      return undefined;
    }
    const response = hop.response;
    if (failure.phase === 'response' && failure.checkId === 'allowOriginPresent' && response && response.status >= 400) {
      return {
        kind: 'error-status',
        message: `The server answered ${response.status} and its error response carries no CORS headers. The status is the real problem: fix what makes it fail (and add the CORS headers to error responses too, so the page can read them).`,
      };
    }
    if (failure.phase === 'redirect' || (failure.hop > 0 && run.cls === 'fail')) {
      const from = this.ex.hops[failure.phase === 'redirect' ? failure.hop : failure.hop - 1];
      const to = failure.phase === 'redirect' ? this.ex.hops[failure.hop + 1]?.url ?? hop.response?.location : hop.url;
      return {
        kind: 'unexpected-redirect',
        message: `The request was redirected (${from?.url ?? '?'} → ${to ?? '?'}) and the CORS check failed on the way. If the page did not expect this redirect (http→https, a trailing slash, a login page), call the final URL directly.`,
      };
    }
    return undefined;
  }
}

function hasResponse(hop: PreparedHop): boolean {
  return hop.response !== undefined && hop.response.status > 0;
}

/**
 * A hop that is not a redirect the browser followed, yet the capture holds a hop after it (a 304, a 200, no response):
 * the hops do not form one redirect chain, so which response is final cannot be told.
 */
function notARedirectChain(runner: CheckRunner, hop: PreparedHop, h: number): void {
  const answer = hop.response === undefined || hop.response.status <= 0 ? 'got no response' : `answered ${hop.response.status}, which is not a redirect`;
  runner.check('responseReceived', 'response', h + 1, () =>
    unknown({
      subject: 'response',
      expected: `a hop that follows a redirect of hop ${h}`,
      actual: null,
      note: `hop ${h} ${answer}, yet the capture has a hop ${h + 1} after it: the hops are not one redirect chain, so the final response is unknown`,
    }),
  );
}

function missingPreflight(hop: PreparedHop): CheckOutcome {
  const fields = { subject: 'preflight (OPTIONS) request', expected: 'a preflight', actual: null };
  if (hop.presence === 'not-captured') {
    return hasResponse(hop)
      ? pass({ ...fields, note: 'this capture does not record preflights; the actual request went out, so any preflight passed' })
      : unknown({ ...fields, note: 'this capture does not record preflights, and the request got no response: whether the preflight failed cannot be told' });
  }
  return hasResponse(hop)
    ? pass({ ...fields, note: 'no preflight in the capture; likely served from the preflight cache' })
    : unknown({ ...fields, note: 'a preflight was required but none is in the capture, and the request got no response: the preflight’s answer is unknown' });
}

function responseReceived(hop: PreparedHop, ex: PreparedExchange): CheckOutcome {
  const fields = { subject: 'response', expected: 'a response', actual: hop.response ? String(hop.response.status) : null };
  if (hasResponse(hop)) return pass(fields);
  const error = hop.outcome.kind === 'failed' ? hop.outcome.errorText : '';
  if ((error.startsWith('net::ERR_') && error !== 'net::ERR_FAILED') || error === FIREFOX_SENT_WITHOUT_RESPONSE) {
    return fail({ corsError: null, failedParameter: '', netError: error, values: { error } }, { ...fields, note: error });
  }
  if (ex.source === 'playwright-har' && hop.outcome.kind === 'failed') {
    return unknown({ ...fields, note: 'the browser blocked this request, but a Playwright HAR does not keep the server’s answer for blocked requests, so the failing check cannot be named' });
  }
  if (hop.provisional && ex.source === 'firefox-har-export') {
    return unknown({
      ...fields,
      note: 'Firefox stopped this request before sending it (its entry lacks the Origin and Sec-Fetch-* headers Firefox adds as it sends): a fetch with mode "same-origin" to another origin, a Content Security Policy, mixed content or an extension can do that; Firefox’s console names the cause',
    });
  }
  return unknown({ ...fields, note: 'the capture holds no response for this request' });
}


function verdictOf(run: ScenarioRun): Verdict {
  switch (run.cls) {
    case 'pass':
      return 'allowed';
    case 'not-cors':
      return 'not-cors';
    case 'unknown':
      return 'unknown';
    case 'fail':
      return run.runner.failed?.block.corsError === null ? 'network-error' : 'blocked';
  }
}

function signature(run: ScenarioRun): string {
  const f = run.runner.failed;
  return `${run.cls}|${f?.block.corsError ?? ''}|${f?.block.failedParameter ?? ''}`;
}

function describeRun(run: ScenarioRun): string {
  const f = run.runner.failed;
  if (run.cls === 'pass') return 'every check passes';
  if (run.cls === 'fail' && f) return `the check ${f.result.id} fails${f.block.corsError ? ` (${f.block.corsError})` : ''}`;
  if (run.cls === 'not-cors') return 'CORS does not apply';
  return 'the checks cannot be completed';
}
