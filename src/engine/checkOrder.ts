/**
 * Which checks run, in which order: the browser's sequence for one exchange under one reading of what the capture does
 * not record (a `Scenario`: the credentials and request modes). Request phase first (does CORS apply, may it run, is a
 * preflight needed), then per hop the preflight checks, the response and Allow-Origin checks, and the redirect checks,
 * as Chromium (or Firefox) runs them. The check functions themselves are in checks.ts; how the engine picks among
 * readings from what the browser did is in outcomeReasoning.ts.
 */
import { keepShape, Shape } from '../model/shapeKeeper.js';
import { CheckRunner, fail, pass, unknown, type CheckOutcome } from './checkRunner.js';
import { isRedirectStatus, runAllowOriginChecks, runPreflightChecks, runRedirectChecks } from './checks.js';
import { FIREFOX_SENT_WITHOUT_RESPONSE } from '../model/exchange.js';
import type { BrowserRules, PreflightDecision, RequestMode } from '../model/exchange.js';
import { isSameOrigin, serializeOrigin, urlScheme } from '../model/origin.js';
import type { PreparedExchange, PreparedHop } from './prepare.js';
import { readPreflightCache } from './preflightCache.js';
import {
  corsUnsafeRequestHeaderNamesInRequestOrder,
  decidePreflight,
  isForbiddenMethod,
  normalizeMethod,
} from './requestClassification.js';

/** One combination of the values a capture may not record. */
export interface Scenario {
  credentialsInclude: boolean;
  mode: RequestMode;
}

export type ScenarioClass = 'pass' | 'fail' | 'unknown' | 'not-cors';

export interface ScenarioRun {
  scenario: Scenario;
  rules: BrowserRules;
  runner: CheckRunner;
  cls: ScenarioClass;
  /** Why CORS does not apply, when it does not. */
  notCorsReason?: string;
  /** The preflight decision of the hop that matters (the failing hop, else the first cross-origin hop). */
  decision: PreflightDecision;
}

const CORS_SCHEMES_CHROMIUM = new Set(['http', 'https', 'data', 'chrome-extension', 'chrome', 'chrome-untrusted', 'isolated-app']);
const CORS_SCHEMES_FIREFOX = new Set(['http', 'https', 'data', 'moz-extension']);

export const CORS_APPLIES_SUBJECT = 'request mode and origin';
export const CORS_APPLIES_EXPECTED = 'a cross-origin request in cors mode';
export const CORS_DOES_NOT_APPLY = 'CORS does not apply';

/** Where a hop's answers under one browser's rules are kept: two slots per hop. */
function slotOf(hop: PreparedHop, rules: BrowserRules): number {
  return hop.index * 2 + (rules === 'firefox' ? 1 : 0);
}

/** The browser's check sequence for one prepared exchange; `run` replays it under one scenario and set of rules. */
export class CheckSequence {
  /** Per hop and rules (`slotOf`): the preflight decision, and the unsafe header names in the request's order. */
  private readonly decisions: (PreflightDecision | undefined)[] = [];
  private readonly unsafeInOrder: (string[] | undefined)[] = [];
  /** Index of the first hop that is cross-origin to the initiator (the CORS flag is sticky from there); -1 if none. */
  readonly corsFlagAt: number;
  /** The capture is Firefox's own HAR (its header order tells the page's headers from Firefox's). */
  private readonly firefoxCapture: boolean;

  constructor(private readonly ex: PreparedExchange) {
    this.firefoxCapture = ex.source === 'firefox-har-export';
    if (ex.initiator === undefined) this.corsFlagAt = 0;
    else this.corsFlagAt = ex.hops.findIndex((h) => ex.initiator === 'null' || h.origin !== ex.initiator);
    keepShape(Shape.CheckSequence, this);
  }

  decisionFor(hop: PreparedHop, rules: BrowserRules): PreflightDecision {
    const slot = slotOf(hop, rules);
    let decision = this.decisions[slot];
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
      this.decisions[slot] = decision;
    }
    return decision;
  }

  /** Unsafe header names in the order the actual request lists them, limited to what the preflight asked for. */
  private unsafeHeadersInOrder(hop: PreparedHop, rules: BrowserRules, decision: PreflightDecision): string[] {
    const slot = slotOf(hop, rules);
    let names = this.unsafeInOrder[slot];
    if (!names) {
      const asked = decision.unsafeHeaders ?? [];
      // Sets, not `includes`: a hostile request can carry 100,000 headers, and a scan per name would be quadratic.
      const askedSet = new Set(asked);
      const inOrder = corsUnsafeRequestHeaderNamesInRequestOrder(hop.headers, rules, { fromCapture: true, firefoxCapture: this.firefoxCapture }).filter((n) => askedSet.has(n));
      const inOrderSet = new Set(inOrder);
      names = [...inOrder, ...asked.filter((n) => !inOrderSet.has(n))];
      // Firefox checks them in Access-Control-Request-Headers order (sorted), so it names the first of those missing.
      if (rules === 'firefox') names.sort();
      this.unsafeInOrder[slot] = names;
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
}

export function hasResponse(hop: PreparedHop): boolean {
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
