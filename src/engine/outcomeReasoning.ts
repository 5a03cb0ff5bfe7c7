/**
 * How the engine reasons from what the browser did. A HAR does not record the credentials mode or the request mode, so
 * each plausible value is tried (checkOrder.ts replays the checks under it) and only the readings whose checks agree
 * with the recorded outcome are kept (../shared/research/devtools-capture.md §H). When the capture cannot support a
 * confident verdict, the verdict is `unknown` and `missing` says why. The result holds ids and values
 * (`EngineFindings`); src/explain/evaluateExchange.ts puts the failures in words.
 *
 * Why one file over 400 lines: it is one argument — the candidates, the runs, the readings the outcome rules out, what
 * is then assumed or missing — and each step reads the previous one's state.
 */
import { keepShape, Shape } from '../model/shapeKeeper.js';
import type { FailedCheck } from './checkRunner.js';
import { CheckSequence, hasResponse, type Scenario, type ScenarioRun } from './checkOrder.js';
import { CREDENTIALS_INCLUDED, CREDENTIALS_NOT_INCLUDED, FIREFOX_SENT_WITHOUT_RESPONSE } from '../model/exchange.js';
import type {
  Assumption,
  BrowserRules,
  CheckResult,
  EngineFindings,
  FailureFacts,
  LikelyReading,
  MissingItem,
  NotReallyCors,
  RequestMode,
  Verdict,
} from '../model/exchange.js';
import type { PreparedExchange, PreparedHop } from './prepare.js';
import { normalizeMethod } from './requestClassification.js';

interface Candidate<T> {
  value: T;
  /** Why this value is possible or certain; `certain` when the capture states it. */
  because: string;
  certain: boolean;
}

const NO_CORS_BY_DEFAULT = new Set(['image', 'script', 'stylesheet', 'media', 'other']);
export const COOKIE_SENT_MEANS_CREDENTIALS =
  'the request carried a Cookie header to another origin, which browsers do only for credentialed requests';

/** Reasons about one prepared exchange: tries the readings of what the capture lacks, keeps those the outcome allows. */
export class OutcomeReasoning {
  private readonly sequence: CheckSequence;
  private readonly corsFlagAt: number;
  private readonly lastHop: PreparedHop;

  constructor(private readonly ex: PreparedExchange) {
    this.sequence = new CheckSequence(ex);
    this.corsFlagAt = this.sequence.corsFlagAt;
    this.lastHop = ex.hops[ex.hops.length - 1]!;
    keepShape(Shape.OutcomeReasoning, this);
  }

  private run(scenario: Scenario, rules: BrowserRules): ScenarioRun {
    return this.sequence.run(scenario, rules);
  }

  evaluate(): EngineFindings {
    const ex = this.ex;
    const assumptions: Assumption[] = [];
    const missing: MissingItem[] = [];
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
    let likely: LikelyReading<FailureFacts> | undefined;

    if (consistent.length === 0) {
      return this.inconsistent(runs, assumptions, missing);
    }
    chosen = consistent[0]!;
    const others = consistent.slice(1);
    const differing = others.filter((r) => signature(r) !== signature(chosen));

    // Name what the outcome told us about the unknowns.
    this.describeAssumptions(runs, consistent, chosen, modes, creds, assumptions);

    verdict = verdictOf(chosen);
    const alternatives: FailureFacts[] = [];
    let failure: FailureFacts | undefined;
    if (chosen.cls === 'fail' && chosen.runner.failed && chosen.runner.failed.block.corsError !== null) {
      failure = this.failureOf(chosen, chosen.runner.failed);
      for (const p of chosen.runner.failed.block.alternativeParameters ?? []) {
        alternatives.push(this.failureOf(chosen, chosen.runner.failed, p, false));
      }
    }
    for (const r of differing) {
      if (r.runner.failed && r.runner.failed.block.corsError !== null) alternatives.push(this.failureOf(r, r.runner.failed, undefined, false));
    }

    let unknownCheckNote: string | undefined;
    if (chosen.cls === 'unknown') {
      const idx = chosen.runner.firstUnknown;
      const check = idx === undefined ? undefined : chosen.runner.checks[idx];
      unknownCheckNote = check?.note ?? 'the capture lacks what a check needs';
      missing.push(unknownCheckNote);
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
      const blockedFacts = this.failureOf(blockedReading, blockedReading.runner.failed!, undefined, false);
      missing.push({
        undecided: unrecordedModes,
        allowedAs: sentAs(allowedReading),
        blockedAs: sentAs(blockedReading),
        blocked: blockedFacts,
      });
      // Only the credentials mode decides, and every reading without credentials allows while every one with them
      // blocks: the likely reading is "allowed, unless sent with credentials".
      const onlyCredentialsDecide =
        modes.length === 1 &&
        creds.length > 1 &&
        consistent.every((r) => (r.scenario.credentialsInclude ? verdictOf(r) === 'blocked' : r.cls === 'pass' || r.cls === 'not-cors'));
      if (onlyCredentialsDecide && blockedReading.scenario.credentialsInclude) likely = { verdict: 'allowed', unless: 'credentials', otherwise: blockedFacts };
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

    const result: EngineFindings = {
      verdict,
      checks: chosen.runner.checks,
      preflight: chosen.decision,
      assumptions,
      missing,
      rules: ex.rules,
    };
    if (failure) result.failure = failure;
    if (alternatives.length > 0) result.alternatives = alternatives;
    if (likely && result.verdict === 'unknown') result.likely = likely;
    if (notReallyCors) result.notReallyCors = notReallyCors;
    if (ex.inputNotes.length > 0 && verdict === 'unknown') for (const note of ex.inputNotes) missing.push(note);
    if (verdict === 'unknown' && this.blockedWithoutRecordedCause()) {
      // Playwright's HAR keeps no response for a request Chromium blocked: the block is certain, its cause is not.
      result.verdict = 'blocked';
      delete result.failure;
      // This line says what the check that could not run would have said, and more: one line, not two.
      const sameThing = unknownCheckNote === undefined ? -1 : missing.indexOf(unknownCheckNote);
      if (sameThing >= 0) missing.splice(sameThing, 1);
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
    return credentialReadingsByKind(ex.kind);
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
  private inconsistent(runs: ScenarioRun[], assumptions: Assumption[], missing: MissingItem[]): EngineFindings {
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

  private failureOf(run: ScenarioRun, failed: FailedCheck, parameterOverride?: string, withOtherBrowser = true): FailureFacts {
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
    return {
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
    };
  }

  private notReallyCorsFor(run: ScenarioRun, failure: FailureFacts | undefined): NotReallyCors | undefined {
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
  // Words only: a check's id is a name for code, not for the reader (the panel and the CLI show this sentence).
  if (run.cls === 'fail' && f) return f.block.corsError ? `the browser blocks it (${f.block.corsError})` : 'the request fails';
  if (run.cls === 'not-cors') return 'CORS does not apply';
  return 'the checks cannot be completed';
}

const ELEMENT_LOADS = {
  script: 'a module script, or a script with crossorigin="anonymous",',
  image: 'an image with crossorigin="anonymous"',
  stylesheet: 'a stylesheet with crossorigin="anonymous"',
  media: 'a media element with crossorigin="anonymous"',
} as const;

/**
 * The two credentials readings of a request whose capture does not record the mode, worded for what made it: fetch() and
 * XMLHttpRequest, or an element (a script, image, stylesheet or media load in CORS mode, module scripts included).
 */
function credentialReadingsByKind(kind: PreparedExchange['kind']): Candidate<boolean>[] {
  if (kind === 'fetch' || kind === 'xhr') {
    return [
      { value: false, because: 'fetch() and XMLHttpRequest send no credentials to another origin by default', certain: false },
      { value: true, because: 'the page may have asked for credentials (credentials: "include", withCredentials)', certain: false },
    ];
  }
  if (kind === 'script' || kind === 'image' || kind === 'stylesheet' || kind === 'media') {
    return [
      { value: false, because: `${ELEMENT_LOADS[kind]} sends no credentials to another origin`, certain: false },
      { value: true, because: 'the element may have crossorigin="use-credentials"', certain: false },
    ];
  }
  return [
    { value: false, because: 'a cross-origin request sends no credentials unless the page asks for them', certain: false },
    { value: true, because: 'the page may have asked for credentials', certain: false },
  ];
}
