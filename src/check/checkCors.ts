/**
 * `checkCors()`: test a live server's CORS the way Chromium would judge it. Builds the page's request
 * (./buildRequest.ts), sends the preflight when the engine says one is needed, then the actual request, hop by hop
 * through redirects (./send.ts), records what came back as a `CapturedExchange` and runs the same engine and report as
 * `cors-lens explain`. A request goes out only when the browser would send it: after a preflight that passed, after a
 * redirect the browser accepts. A method that can change data (anything but GET, HEAD, OPTIONS) gets only its
 * preflight unless `send` is set.
 */
import type { CapturedExchange, EngineResult, HeaderLine, Hop, PreflightAttempt } from '../model/exchange.js';
import { judgeExchange } from '../engine/evaluate.js';
import { evaluateExchange } from '../explain/evaluateExchange.js';
import { isRedirectStatus, MAX_REDIRECTS } from '../engine/checks.js';
import { buildReport } from '../explain/buildReport.js';
import { findWarnings } from '../explain/warnings.js';
import type { ExchangeReport, Warning } from '../explain/report.js';
import { suggestSnippets } from '../fixes/suggest.js';
import type { FixSnippet, ServerId } from '../fixes/model.js';
import {
  actualRequest,
  buildPageRequest,
  isMixedContent,
  engineKindOf,
  firstHop,
  needsPreflight,
  nextHop,
  preflightRequest,
  type CheckRequestInput,
  type HopState,
  type PageRequest,
  type WireRequest,
} from './buildRequest.js';
import { addressSpaceOf, localNetworkAccessNote, pageAddressSpace } from './addressSpace.js';
import { sendRequest, type Sender, type SendOptions, type TransportError, type WireResponse } from './send.js';

export interface CheckCorsOptions extends CheckRequestInput {
  /** Also send the actual request of a method that can change data (PUT, POST, DELETE, ...). Default false. */
  send?: boolean;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Where the proxy variables are read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The stacks to give fix snippets for (default: every stack with a generator). */
  servers?: ServerId[];
}

/** One request `check` put on the wire. */
export interface SentRequest {
  phase: 'preflight' | 'actual';
  hop: number;
  method: string;
  url: string;
  status?: number;
  error?: TransportError;
}

export interface CheckCorsResult {
  request: PageRequest;
  /** What was sent and received, as the engine reads it (source `cors-lens-check`). */
  exchange: CapturedExchange;
  engine: EngineResult;
  /** The same report `cors-lens explain` gives for a captured exchange. */
  report: ExchangeReport;
  sent: SentRequest[];
  /** Set when the actual request was not sent because it can change data and `send` was not given. */
  heldBack?: { method: string; url: string; reason: string };
  /** Set when a request got no response. */
  transportError?: TransportError;
  /** Server configuration that would let this request pass (empty unless a server config can fix it). */
  fixes: FixSnippet[];
  /** What the browser changed before sending (e.g. a mixed-content image upgraded to https). */
  notes: string[];
}

export interface CheckDeps {
  send?: Sender;
  /** Clock for `startedAt` (tests). */
  now?: () => number;
}

let checkCounter = 0;

function snapshotResponse(response: WireResponse, requestUrl: string): Hop['response'] {
  const snapshot: NonNullable<Hop['response']> = { status: response.status, statusText: response.statusText, headers: response.headers };
  const location = response.headers.find(([name]) => name.toLowerCase() === 'location')?.[1];
  if (isRedirectStatus(response.status) && location !== undefined) {
    try {
      snapshot.redirectURL = new URL(location, requestUrl).href;
    } catch {
      // An unparseable Location: the engine reads the header itself and says so.
    }
  }
  return snapshot;
}

/** Every check the engine ran at `hop` in one of `phases` passed (and at least one ran). */
function passedAt(result: Pick<EngineResult, 'checks'>, hop: number, phases: readonly string[]): boolean {
  const relevant = result.checks.filter((c) => c.hop === hop && phases.includes(c.phase));
  return relevant.length > 0 && relevant.every((c) => c.status === 'pass');
}

function noFailureAt(result: Pick<EngineResult, 'checks'>, hop: number, phases: readonly string[]): boolean {
  return !result.checks.some((c) => c.hop === hop && phases.includes(c.phase) && c.status !== 'pass');
}

/** Checks one request against a live server, as Chromium would send and judge it. */
export async function checkCors(options: CheckCorsOptions, deps: CheckDeps = {}): Promise<CheckCorsResult> {
  const page = buildPageRequest(options);
  const send = deps.send ?? sendRequest;
  const sendOptions: SendOptions = { timeoutMs: options.timeoutMs ?? 10_000 };
  if (options.env !== undefined) sendOptions.env = options.env;
  const exchange: CapturedExchange = {
    id: `check-${++checkCounter}`,
    initiatorOrigin: page.initiatorOrigin,
    initiatorOriginSource: 'page',
    kind: engineKindOf(page.kind),
    mode: 'cors',
    credentials: page.credentials,
    hops: [],
    startedAt: (deps.now ?? Date.now)(),
    rules: 'chromium',
    source: 'cors-lens-check',
  };
  const sent: SentRequest[] = [];
  let heldBack: CheckCorsResult['heldBack'];
  let transportError: TransportError | undefined;
  let blockedRedirect: string | undefined;
  const notes = [...page.notes];
  let lnaChecked = false;
  /** Once, on the first answer from a more private address space than public: the note on Local Network Access. */
  const noteAddressSpace = async (response: WireResponse, url: string): Promise<void> => {
    if (lnaChecked || response.remoteAddress === undefined) return;
    const target = addressSpaceOf(response.remoteAddress);
    if (target === 'public') return;
    lnaChecked = true;
    const note = localNetworkAccessNote(await pageAddressSpace(page.initiatorOrigin), target, page.initiatorOrigin, url);
    if (note !== undefined) notes.push(note);
  };

  let state: HopState = firstHop(page);
  for (let index = 0; index <= MAX_REDIRECTS; index++) {
    const actual: WireRequest = actualRequest(page, state);
    const hop: Hop = {
      request: { method: actual.method, url: actual.url, headers: actual.headers },
      outcome: { kind: 'unrecorded' },
      preflightPresence: 'none-seen',
    };
    exchange.hops.push(hop);

    const decision = needsPreflight(state);
    if (decision.required) {
      const preflight = preflightRequest(page, state, decision);
      const attempt: PreflightAttempt = { request: { method: 'OPTIONS', url: preflight.url, headers: preflight.headers } };
      hop.preflight = attempt;
      hop.preflightPresence = 'captured';
      const outcome = await send(preflight, sendOptions);
      if (!outcome.ok) {
        transportError = outcome.error;
        attempt.errorText = outcome.error.netError;
        hop.outcome = { kind: 'failed', errorText: outcome.error.netError };
        sent.push({ phase: 'preflight', hop: index, method: 'OPTIONS', url: preflight.url, error: outcome.error });
        break;
      }
      attempt.response = snapshotResponse(outcome.response, preflight.url);
      await noteAddressSpace(outcome.response, preflight.url);
      sent.push({ phase: 'preflight', hop: index, method: 'OPTIONS', url: preflight.url, status: outcome.response.status });
      // The browser sends the actual request only once every preflight check passed.
      if (!passedAt(judgeExchange(exchange), index, ['preflight'])) break;
    }

    if (page.changesData && options.send !== true) {
      heldBack = {
        method: state.method,
        url: state.url,
        reason: `the actual ${state.method} request was not sent, because it can change data on the server: its response was not checked${decision.required ? ' (its preflight was)' : ''}. Send it with --send (checkCors: send: true) to check the response too.`,
      };
      break;
    }

    const outcome = await send(actual, sendOptions);
    if (!outcome.ok) {
      transportError = outcome.error;
      hop.outcome = { kind: 'failed', errorText: outcome.error.netError };
      sent.push({ phase: 'actual', hop: index, method: actual.method, url: actual.url, error: outcome.error });
      break;
    }
    const response = snapshotResponse(outcome.response, actual.url)!;
    hop.response = response;
    await noteAddressSpace(outcome.response, actual.url);
    sent.push({ phase: 'actual', hop: index, method: actual.method, url: actual.url, status: response.status, ...(outcome.bodyError === undefined ? {} : { error: outcome.bodyError }) });
    if (outcome.bodyError !== undefined) {
      // The head arrived, the body did not: Chromium fails the request at the network level (after any CORS failure).
      transportError = outcome.bodyError;
      hop.outcome = { kind: 'failed', errorText: outcome.bodyError.netError };
      break;
    }
    if (response.redirectURL === undefined) break;
    // Follow the redirect only as far as the browser would: its CORS and redirect checks must pass.
    if (!noFailureAt(judgeExchange(exchange), index, ['redirect'])) break;
    if (isMixedContent(page.initiatorOrigin, response.redirectURL)) {
      blockedRedirect = `Chromium does not follow the redirect to ${response.redirectURL}: the page is https and that URL is plain http (mixed content), so the request fails before CORS is checked. Redirect to https.`;
      break;
    }
    state = nextHop(page, state, response.status, response.redirectURL);
  }

  const engine = evaluateExchange(exchange);
  const missing: string[] = [];
  if (blockedRedirect !== undefined) missing.push(blockedRedirect);
  if (heldBack !== undefined) {
    // The engine can only say the response is missing; why is known here.
    const lastHop = exchange.hops.length - 1;
    const noResponse = engine.checks.find((c) => c.id === 'responseReceived' && c.hop === lastHop && c.status === 'unknown')?.note;
    if (noResponse !== undefined) engine.missing = engine.missing.filter((m) => m !== noResponse);
    missing.push(heldBack.reason);
  }
  let warnings: Warning[] = [];
  try {
    warnings = findWarnings(exchange, engine);
  } catch {
    // A warning rule that throws gives no warning rather than no report.
  }
  const report = buildReport(exchange, engine, { warnings, missing });
  // A fix only for what the check saw blocked: a request it could not judge gets none.
  const fixes = report.verdict === 'blocked' ? suggestSnippets(report, options.servers === undefined ? {} : { servers: options.servers }) : [];
  const result: CheckCorsResult = { request: page, exchange, engine, report, sent, fixes, notes };
  if (heldBack !== undefined) result.heldBack = heldBack;
  if (transportError !== undefined) result.transportError = transportError;
  return result;
}

/** What `--expect` compares against. */
export type Expectation = 'allowed' | 'blocked';

export interface ExpectationJudgement {
  holds: boolean;
  /** What the check established, in the expectation's terms. */
  observed: 'allowed' | 'blocked' | 'allowed-by-preflight' | 'not-checked' | 'network-error' | 'unknown';
  because: string;
}

/**
 * Whether the check meets the expectation. A request whose actual response was held back (no `send`) is judged on
 * what was sent: a preflight that passed counts as allowed, and the reason says the response was not checked.
 */
export function judgeExpectation(result: CheckCorsResult, expect: Expectation): ExpectationJudgement {
  const verdict = result.report.verdict;
  const judge = (observed: ExpectationJudgement['observed'], because: string): ExpectationJudgement => ({
    holds: (observed === 'allowed' || observed === 'allowed-by-preflight') ? expect === 'allowed' : observed === 'blocked' && expect === 'blocked',
    observed,
    because,
  });
  if (verdict === 'allowed') return judge('allowed', 'every CORS check Chromium makes passed');
  if (verdict === 'not-cors') return judge('allowed', 'the URL is same-origin with the page: CORS does not apply and the page can read the response');
  if (verdict === 'blocked') {
    const failure = result.report.failure;
    return judge('blocked', failure === null ? 'Chromium would block it' : `${failure.checkId} fails (${failure.chromeCorsError})`);
  }
  if (verdict === 'network-error') return judge('network-error', result.transportError?.message ?? 'the request failed at the network level');
  if (result.heldBack !== undefined) {
    if (!result.sent.some((s) => s.phase === 'preflight')) {
      return judge('not-checked', `nothing was sent: ${result.heldBack.method} needs no preflight, and the request itself can change data (use --send)`);
    }
    const failing = result.engine.checks.some((c) => c.status === 'fail' || (c.status === 'unknown' && c.phase !== 'response'));
    if (!failing) return judge('allowed-by-preflight', `the preflight passes; the actual ${result.heldBack.method} was not sent, so its response was not checked (use --send)`);
  }
  return judge('unknown', result.report.missing[0] ?? 'the check could not decide');
}
