/**
 * The CORS checks, one function per check id, grouped in the families the browser runs together:
 * - `runAllowOriginChecks`: Access-Control-Allow-Origin / -Allow-Credentials (Chromium `cors::CheckAccess`), run on the
 *   preflight, on each redirect of a CORS request and on the final response;
 * - `runPreflightChecks`: the preflight response (Chromium `PreflightController`, Firefox `nsCORSPreflightListener`);
 * - `runRedirectChecks`: what a redirect of the actual request must satisfy (Chromium `CorsURLLoader::OnReceiveRedirect`).
 * Each check returns the values it compared; the order of calls is the browser's order.
 *
 * Why one file over 400 lines: each check is a short function named by its id, and they share their inputs and the
 * order helpers (runPreflightChecks, runAllowOriginChecks, runRedirectChecks) that read best beside them.
 */
import { parseAllowList, type AllowListParse } from './allowList.js';
import { CheckRunner, fail, pass, unknown, type CheckOutcome } from './checkRunner.js';
import type { HeaderIndex } from '../model/headers.js';
import type { BrowserRules, CheckPhase, ChromeCorsError } from '../model/exchange.js';
import { isValidAllowOriginUrl, urlHasCredentials, urlScheme } from '../model/origin.js';
import { isCorsSafelistedMethod } from './requestClassification.js';

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';

/** What the Allow-Origin family compares a response against. */
export interface AllowOriginInput {
  headers: HeaderIndex;
  phase: Exclude<CheckPhase, 'request'>;
  hop: number;
  /** The serialized request origin (`null` once a redirect tainted it); `undefined` when the capture does not say. */
  origin: string | undefined;
  credentialsInclude: boolean;
  rules: BrowserRules;
  /** HTTP status, for Firefox's "Status code: N". */
  status: number;
}

function pick(phase: AllowOriginInput['phase'], preflight: ChromeCorsError, other: ChromeCorsError): ChromeCorsError {
  return phase === 'preflight' ? preflight : other;
}

export function allowOriginNotWildcardWithCredentials(i: AllowOriginInput, acao: string | undefined): CheckOutcome {
  const fields = { subject: ACAO, actual: acao ?? null, expected: i.credentialsInclude ? 'an explicit origin (credentials are included)' : 'any value (credentials are not included)' };
  if (acao === '*' && i.credentialsInclude) {
    return fail(
      { corsError: pick(i.phase, 'PreflightWildcardOriginNotAllowed', 'WildcardOriginNotAllowed'), failedParameter: '', values: { acao } },
      fields,
    );
  }
  return pass(fields);
}

export function allowOriginPresent(i: AllowOriginInput, acao: string | undefined): CheckOutcome {
  const fields = { subject: ACAO, actual: acao ?? null, expected: 'the header is present' };
  if (acao === undefined) {
    return fail(
      {
        corsError: pick(i.phase, 'PreflightMissingAllowOriginHeader', 'MissingAllowOriginHeader'),
        failedParameter: '',
        values: { status: String(i.status) },
      },
      fields,
    );
  }
  return pass(fields);
}

const SPACE_OR_COMMA = /[ ,]/;

/** Chromium: a value that differs from the origin and holds a space or comma is "multiple values". Firefox: >1 raw line. */
export function allowOriginSingleValue(i: AllowOriginInput, acao: string | undefined): CheckOutcome {
  const lines = i.headers.count(ACAO);
  if (i.rules === 'firefox') {
    const fields = { subject: ACAO, actual: acao ?? null, expected: 'one header line', note: `${lines} line(s)` };
    if (lines > 1) {
      return fail(
        { corsError: pick(i.phase, 'PreflightMultipleAllowOriginValues', 'MultipleAllowOriginValues'), failedParameter: acao ?? '', values: { acao: acao ?? '' } },
        fields,
      );
    }
    return pass(fields);
  }
  const fields = { subject: ACAO, actual: acao ?? null, expected: 'a single value' };
  if (acao === undefined || acao === '*' || acao === i.origin) return pass(fields);
  if (SPACE_OR_COMMA.test(acao)) {
    return fail(
      { corsError: pick(i.phase, 'PreflightMultipleAllowOriginValues', 'MultipleAllowOriginValues'), failedParameter: acao, values: { acao } },
      { ...fields, note: lines > 1 ? `${lines} header lines, joined with ", "` : 'one line holding a space or a comma' },
    );
  }
  return pass(fields);
}

/** Chromium: a differing value other than `null` that does not parse as a URL is "invalid". Firefox has no such check. */
export function allowOriginValid(i: AllowOriginInput, acao: string | undefined): CheckOutcome {
  const fields = { subject: ACAO, actual: acao ?? null, expected: 'a serialized origin, `null` or `*`' };
  if (acao === undefined || acao === '*' || acao === 'null' || acao === i.origin) return pass(fields);
  if (!isValidAllowOriginUrl(acao)) {
    return fail(
      { corsError: pick(i.phase, 'PreflightInvalidAllowOriginValue', 'InvalidAllowOriginValue'), failedParameter: acao, values: { acao } },
      fields,
    );
  }
  return pass(fields);
}

/** Byte-exact comparison with the serialized request origin (`null` after a tainting redirect). */
export function allowOriginMatches(i: AllowOriginInput, acao: string | undefined): CheckOutcome {
  const fields = { subject: ACAO, actual: acao ?? null, expected: i.origin ?? '(the request origin, not in the capture)' };
  if (acao === '*' && !i.credentialsInclude) return pass({ ...fields, note: '`*` allows any origin without credentials' });
  if (i.origin === undefined) {
    return unknown({ ...fields, note: 'the capture does not say which origin made the request, so the value cannot be compared' });
  }
  if (acao !== i.origin) {
    return fail(
      { corsError: pick(i.phase, 'PreflightAllowOriginMismatch', 'AllowOriginMismatch'), failedParameter: acao ?? '', values: { acao: acao ?? '', sentOrigin: i.origin } },
      fields,
    );
  }
  return pass(fields);
}

/** Only for credentialed requests: the value must be exactly `true`. */
export function allowCredentialsTrue(i: AllowOriginInput, acac: string | undefined): CheckOutcome {
  const fields = { subject: ACAC, actual: acac ?? null, expected: i.credentialsInclude ? 'true' : '(not checked: credentials are not included)' };
  if (!i.credentialsInclude) return pass(fields);
  if (acac !== 'true') {
    return fail(
      { corsError: pick(i.phase, 'PreflightInvalidAllowCredentials', 'InvalidAllowCredentials'), failedParameter: acac ?? '', values: { acac: acac ?? '' } },
      fields,
    );
  }
  return pass(fields);
}

/** The Allow-Origin family in the browser's order (Chromium `CheckAccess`; Firefox `CheckRequestApproved`). */
export function runAllowOriginChecks(runner: CheckRunner, i: AllowOriginInput): void {
  const acao = i.headers.get(ACAO);
  const acac = i.headers.get(ACAC);
  const { phase, hop } = i;
  if (i.rules === 'firefox') {
    runner.check('allowOriginSingleValue', phase, hop, () => allowOriginSingleValue(i, acao));
    runner.check('allowOriginPresent', phase, hop, () => allowOriginPresent(i, acao));
    runner.check('allowOriginNotWildcardWithCredentials', phase, hop, () => allowOriginNotWildcardWithCredentials(i, acao));
    runner.check('allowOriginMatches', phase, hop, () => allowOriginMatches(i, acao));
    runner.check('allowCredentialsTrue', phase, hop, () => allowCredentialsTrue(i, acac));
    return;
  }
  runner.check('allowOriginNotWildcardWithCredentials', phase, hop, () => allowOriginNotWildcardWithCredentials(i, acao));
  runner.check('allowOriginPresent', phase, hop, () => allowOriginPresent(i, acao));
  runner.check('allowOriginSingleValue', phase, hop, () => allowOriginSingleValue(i, acao));
  runner.check('allowOriginValid', phase, hop, () => allowOriginValid(i, acao));
  runner.check('allowOriginMatches', phase, hop, () => allowOriginMatches(i, acao));
  runner.check('allowCredentialsTrue', phase, hop, () => allowCredentialsTrue(i, acac));
}

// ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Preflight

export interface PreflightInput {
  hop: number;
  /** Absent when the preflight got no response. */
  status: number | undefined;
  headers: HeaderIndex | undefined;
  redirectLocation: string | undefined;
  errorText: string | undefined;
  origin: string | undefined;
  credentialsInclude: boolean;
  rules: BrowserRules;
  /** The method the preflight asked for (Access-Control-Request-Method, as sent: `patch` stays lower-case). */
  method: string;
  /** Lower-case unsafe header names in the order the request lists them. */
  unsafeHeaders: string[];
}

/** Chromium's net error on a preflight that was answered with a redirect (even when DevTools lost the response). */
const PREFLIGHT_REDIRECTED = 'net::ERR_INVALID_REDIRECT';

export function preflightReceived(i: PreflightInput): CheckOutcome {
  const fields = { subject: 'preflight (OPTIONS) response', expected: 'a response', actual: i.status === undefined ? null : String(i.status) };
  if (i.errorText === PREFLIGHT_REDIRECTED && (i.status === undefined || i.status <= 0)) {
    // A redirect came back; DevTools sometimes hands the entry over without it (beside-cors.md §5).
    return pass({ ...fields, note: `${PREFLIGHT_REDIRECTED}: a redirect answered it (the capture lost its status)` });
  }
  if (i.status === undefined || i.status <= 0) {
    const netError = i.errorText && i.errorText.length > 0 ? i.errorText : 'net::ERR_FAILED';
    return fail({ corsError: null, failedParameter: '', netError, values: { error: netError } }, { ...fields, note: netError });
  }
  return pass(fields);
}

export function preflightNotRedirected(i: PreflightInput): CheckOutcome {
  const fields = { subject: 'preflight status', expected: 'no redirect', actual: i.status === undefined ? null : String(i.status) };
  if (i.errorText === PREFLIGHT_REDIRECTED && (i.status === undefined || i.status <= 0 || i.redirectLocation === undefined)) {
    return fail(
      { corsError: 'PreflightDisallowedRedirect', failedParameter: '', values: { status: i.status === undefined || i.status <= 0 ? '(lost)' : String(i.status), location: i.redirectLocation ?? '(not in the capture)' } },
      { ...fields, note: `${PREFLIGHT_REDIRECTED}: the preflight was redirected` },
    );
  }
  if (i.status !== undefined && isRedirectStatus(i.status) && i.redirectLocation !== undefined) {
    return fail(
      { corsError: 'PreflightDisallowedRedirect', failedParameter: '', values: { status: String(i.status), location: i.redirectLocation } },
      { ...fields, note: `redirected to ${i.redirectLocation}` },
    );
  }
  return pass(fields);
}

export function preflightOkStatus(i: PreflightInput): CheckOutcome {
  const status = i.status ?? 0;
  const fields = { subject: 'preflight status', expected: '200-299', actual: String(status) };
  if (status < 200 || status > 299) {
    return fail({ corsError: 'PreflightInvalidStatus', failedParameter: '', values: { status: String(status) } }, fields);
  }
  return pass(fields);
}

function allowListFields(subject: string, value: string | undefined, parse: AllowListParse) {
  return {
    subject,
    actual: value ?? null,
    expected: 'comma-separated tokens',
    ...(parse.ok ? {} : { note: `"${parse.invalidItem}" is not a token` }),
  };
}

export function allowMethodsParses(value: string | undefined, parse: AllowListParse): CheckOutcome {
  const fields = allowListFields(ACAM, value, parse);
  if (!parse.ok) {
    return fail({ corsError: 'InvalidAllowMethodsPreflightResponse', failedParameter: '', values: { token: parse.invalidItem } }, fields);
  }
  return pass(fields);
}

export function allowHeadersParses(value: string | undefined, parse: AllowListParse): CheckOutcome {
  const fields = allowListFields(ACAH, value, parse);
  if (!parse.ok) {
    return fail({ corsError: 'InvalidAllowHeadersPreflightResponse', failedParameter: '', values: { token: parse.invalidItem } }, fields);
  }
  return pass(fields);
}

/** GET/HEAD/POST need no listing; otherwise the method as sent must be listed, compared case-sensitively. */
export function preflightAllowsMethod(i: PreflightInput, value: string | undefined, methods: string[]): CheckOutcome {
  const fields = { subject: ACAM, expected: i.method, actual: value ?? null };
  if (isCorsSafelistedMethod(i.method)) {
    return pass({ ...fields, note: `${i.method} is CORS-safelisted and needs no listing` });
  }
  if (methods.includes(i.method)) return pass(fields);
  if (!i.credentialsInclude && methods.includes('*')) return pass({ ...fields, note: '`*` allows any method without credentials' });
  const caseOnly = methods.find((m) => m.toLowerCase() === i.method.toLowerCase());
  return fail(
    { corsError: 'MethodDisallowedByPreflightResponse', failedParameter: i.method, values: { method: i.method } },
    {
      ...fields,
      ...(caseOnly
        ? { note: `listed as ${caseOnly}: methods compare case-sensitively` }
        : i.credentialsInclude && methods.includes('*')
          ? { note: '`*` is a literal method name when credentials are included' }
          : {}),
    },
  );
}

/**
 * `*` in Allow-Headers and an Authorization request header, without credentials. The Fetch Standard says `*` does not
 * cover Authorization; Chromium 156 lets it through (measured, see docs/browser-disputes.md), and so does Firefox by
 * default (with a deprecation warning). Runs only when the question arises.
 */
export function preflightAllowsAuthorization(i: PreflightInput, value: string | undefined, names: Set<string>): CheckOutcome {
  const fields = { subject: ACAH, expected: 'authorization', actual: value ?? null };
  if (names.has('authorization')) return pass(fields);
  return pass({
    ...fields,
    note:
      i.rules === 'firefox'
        ? '`*` covers Authorization in Firefox by default, which warns that this is deprecated; list authorization explicitly'
        : '`*` covers Authorization in Chromium 156 (measured), although the Fetch Standard says it should not; list authorization explicitly',
  });
}

/** Every CORS-unsafe request header must be listed (case-insensitive), unless `*` without credentials. */
export function preflightAllowsHeaders(i: PreflightInput, value: string | undefined, names: Set<string>): CheckOutcome {
  const fields = { subject: ACAH, expected: i.unsafeHeaders.join(', ') || '(no unsafe headers)', actual: value ?? null };
  if (!i.credentialsInclude && names.has('*')) return pass({ ...fields, note: '`*` allows any header without credentials' });
  const missing = i.unsafeHeaders.filter((h) => !names.has(h));
  const first = missing[0];
  if (first === undefined) return pass(fields);
  const note =
    missing.length > 1
      ? `not listed: ${missing.join(', ')}; ${i.rules === 'firefox' ? 'Firefox reports the first in sorted order' : 'Chromium reports one of them, picked by its internal header order'}`
      : i.credentialsInclude && names.has('*')
        ? '`*` is a literal header name when credentials are included'
        : undefined;
  return fail(
    {
      corsError: 'HeaderDisallowedByPreflightResponse',
      failedParameter: first,
      values: { header: first },
      ...(missing.length > 1 ? { alternativeParameters: missing.slice(1) } : {}),
    },
    { ...fields, ...(note ? { note } : {}) },
  );
}

/** The preflight checks in the browser's order. */
export function runPreflightChecks(runner: CheckRunner, i: PreflightInput): void {
  const hop = i.hop;
  runner.check('preflightReceived', 'preflight', hop, () => preflightReceived(i));
  const headers = i.headers;
  const access = (): void => {
    if (!headers) return;
    runAllowOriginChecks(runner, {
      headers,
      phase: 'preflight',
      hop,
      origin: i.origin,
      credentialsInclude: i.credentialsInclude,
      rules: i.rules,
      status: i.status ?? 0,
    });
  };
  if (i.rules === 'firefox') {
    access();
    runner.check('preflightNotRedirected', 'preflight', hop, () => preflightNotRedirected(i));
  } else {
    runner.check('preflightNotRedirected', 'preflight', hop, () => preflightNotRedirected(i));
    access();
  }
  runner.check('preflightOkStatus', 'preflight', hop, () => preflightOkStatus(i));

  const acam = headers?.get(ACAM);
  const acah = headers?.get(ACAH);
  const methods = parseAllowList(acam);
  const headerNames = parseAllowList(acah);
  const names = new Set(headerNames.ok ? headerNames.items.map((n) => n.toLowerCase()) : []);
  const methodList = methods.ok ? methods.items : [];
  const authorizationQuestion = !i.credentialsInclude && names.has('*') && i.unsafeHeaders.includes('authorization');

  if (i.rules === 'firefox') {
    runner.check('allowMethodsParses', 'preflight', hop, () => allowMethodsParses(acam, methods));
    runner.check('preflightAllowsMethod', 'preflight', hop, () => preflightAllowsMethod(i, acam, methodList));
    runner.check('allowHeadersParses', 'preflight', hop, () => allowHeadersParses(acah, headerNames));
  } else {
    runner.check('allowMethodsParses', 'preflight', hop, () => allowMethodsParses(acam, methods));
    runner.check('allowHeadersParses', 'preflight', hop, () => allowHeadersParses(acah, headerNames));
    runner.check('preflightAllowsMethod', 'preflight', hop, () => preflightAllowsMethod(i, acam, methodList));
  }
  if (authorizationQuestion) {
    runner.check('preflightAllowsAuthorization', 'preflight', hop, () => preflightAllowsAuthorization(i, acah, names));
  }
  runner.check('preflightAllowsHeaders', 'preflight', hop, () => preflightAllowsHeaders(i, acah, names));
}

// ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Redirects of the actual request

export const MAX_REDIRECTS = 20;

export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export interface RedirectInput {
  hop: number;
  /** How many redirects the request has followed before this one. */
  redirectsSoFar: number;
  location: string;
  /** Whether the CORS flag is set (the request went cross-origin at some hop). */
  corsFlag: boolean;
  /** The request origin is already `null`, or the Location is cross-origin to it. */
  taintedOrCrossOrigin: boolean;
}

export function redirectCountWithinLimit(i: RedirectInput): CheckOutcome {
  const fields = { subject: 'redirect count', expected: `at most ${MAX_REDIRECTS}`, actual: String(i.redirectsSoFar + 1) };
  if (i.redirectsSoFar >= MAX_REDIRECTS) {
    return fail({ corsError: null, failedParameter: '', netError: 'net::ERR_TOO_MANY_REDIRECTS', values: {} }, fields);
  }
  return pass(fields);
}

const CORS_REDIRECT_SCHEMES = new Set(['http', 'https']);

export function redirectSchemeSupported(i: RedirectInput): CheckOutcome {
  const scheme = urlScheme(i.location);
  const fields = { subject: 'Location', expected: 'an http or https URL', actual: i.location };
  if (scheme === undefined) {
    return fail({ corsError: null, failedParameter: '', netError: 'net::ERR_INVALID_REDIRECT', values: { location: i.location } }, fields);
  }
  if (!CORS_REDIRECT_SCHEMES.has(scheme) && i.corsFlag) {
    return fail({ corsError: 'CorsDisabledScheme', failedParameter: '', values: { location: i.location } }, fields);
  }
  return pass(fields);
}

export function redirectLocationHasNoCredentials(i: RedirectInput): CheckOutcome {
  const fields = { subject: 'Location', expected: 'no user:password@', actual: i.location };
  if (urlHasCredentials(i.location) && (i.corsFlag || i.taintedOrCrossOrigin)) {
    return fail({ corsError: 'RedirectContainsCredentials', failedParameter: '', values: { location: i.location } }, fields);
  }
  return pass(fields);
}

/** Chromium order after the Allow-Origin checks on the 3xx: count, scheme, credentials in the Location. */
export function runRedirectChecks(runner: CheckRunner, i: RedirectInput): void {
  runner.check('redirectCountWithinLimit', 'redirect', i.hop, () => redirectCountWithinLimit(i));
  runner.check('redirectSchemeSupported', 'redirect', i.hop, () => redirectSchemeSupported(i));
  runner.check('redirectLocationHasNoCredentials', 'redirect', i.hop, () => redirectLocationHasNoCredentials(i));
}
