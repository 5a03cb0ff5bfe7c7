/**
 * From one exchange's report to the least a server must allow for that request to pass: the exact origin(s),
 * credentials only when the request used them, the non-safelisted method and request headers it actually sent.
 */
import { CREDENTIALS_INCLUDED, CREDENTIALS_NOT_INCLUDED, type BrowserRules, type HeaderLines } from '../model/exchange.js';
import { corsUnsafeRequestHeaderNamesInRequestOrder, isCorsSafelistedMethod } from '../engine/requestClassification.js';
import type { ExchangeReport } from '../explain/report.js';
import type { CorsPolicy } from './model.js';
import { FixInputError, assertHeaderName, assertMethod, assertPath, assertSerializedOrigin } from './escape.js';

/** Chromium caps Access-Control-Max-Age at 2 hours; 10 minutes keeps a config change visible soon. */
export const DEFAULT_MAX_AGE_SECONDS = 600;

export interface PolicyOptions {
  /** More origins to allow besides the request's (production + localhost); each must be a serialized origin. */
  extraOrigins?: string[];
  /** Override what the report says about credentials. */
  credentials?: boolean;
  /** Response headers the page reads (Access-Control-Expose-Headers). */
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/**
 * Lower-cased names of the CORS-unsafe headers among a captured request's headers, in request order: the engine's own
 * classification (forbidden headers, the safelist with its byte rules, the 1024-byte total), minus what the browser adds.
 */
export function corsUnsafeHeaderNames(headers: HeaderLines, rules: BrowserRules = 'chromium'): string[] {
  return corsUnsafeRequestHeaderNamesInRequestOrder(headers, rules, { fromCapture: true });
}

const CREDENTIAL_ERRORS = new Set([
  'WildcardOriginNotAllowed',
  'PreflightWildcardOriginNotAllowed',
  'InvalidAllowCredentials',
  'PreflightInvalidAllowCredentials',
]);

function credentialsFromReport(report: ExchangeReport): { used: boolean; because: string } {
  if (report.failure && CREDENTIAL_ERRORS.has(report.failure.chromeCorsError)) {
    return { used: true, because: `the browser checked credentials rules (${report.failure.chromeCorsError})` };
  }
  const assumption = report.assumptions.find((a) => a.about === 'credentials');
  if (assumption) {
    if (assumption.value === CREDENTIALS_NOT_INCLUDED) {
      return { used: false, because: `credentials ${assumption.value}: ${assumption.because}` };
    }
    if (assumption.value === CREDENTIALS_INCLUDED) {
      return { used: true, because: `credentials ${assumption.value}: ${assumption.because}` };
    }
    // Unknown: allowing credentials for the exact origins makes the request pass either way.
    return { used: true, because: `the capture does not rule credentials out (${assumption.because})` };
  }
  // The engine runs these checks either way; they read credentials only when the request carried them.
  const credentialChecked = report.checks.some(
    (c) =>
      (c.id === 'allowCredentialsTrue' || c.id === 'allowOriginNotWildcardWithCredentials') &&
      (c.status === 'fail' || (c.id === 'allowCredentialsTrue' && c.status === 'pass' && c.expected === 'true')),
  );
  if (credentialChecked) return { used: true, because: 'the request was sent with credentials' };
  if (report.alternatives.some((a) => CREDENTIAL_ERRORS.has(a.chromeCorsError))) {
    return { used: true, because: 'a credentialed request fits the capture as well' };
  }
  if (report.requestHeaders.some(([n]) => n.toLowerCase() === 'cookie')) {
    return { used: true, because: 'the request carried cookies' };
  }
  return { used: false, because: 'nothing in the capture says the request carried credentials' };
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * The least the server must allow for the request in `report` to pass. Throws FixInputError when the report lacks
 * what a policy needs (the page's origin) or holds a value that cannot be allowed safely (origin `null`, a header name
 * that is not a token).
 */
export function policyFromReport(report: ExchangeReport, options: PolicyOptions = {}): CorsPolicy {
  const reasons: string[] = [];
  const origins: string[] = [];
  if (report.initiatorOrigin) addUnique(origins, assertSerializedOrigin(report.initiatorOrigin));
  for (const extra of options.extraOrigins ?? []) addUnique(origins, assertSerializedOrigin(extra));
  if (origins.length === 0) {
    throw new FixInputError("the page's origin is unknown for this request: name it with --origin (e.g. https://app.example.com)");
  }

  let url: URL;
  try {
    url = new URL(report.url);
  } catch {
    throw new FixInputError(`the request URL cannot be parsed: ${JSON.stringify(report.url)}`);
  }
  const path = assertPath(url.pathname);

  const requestMethod = assertMethod(report.preflight?.requestMethod ?? report.method);
  const methods: string[] = [];
  if (!isCorsSafelistedMethod(requestMethod)) {
    addUnique(methods, requestMethod);
    reasons.push(`method ${requestMethod} is not CORS-safelisted, so Allow-Methods must list it with this exact spelling`);
  }
  if (report.failure?.chromeCorsError === 'MethodDisallowedByPreflightResponse' && report.failure.failedParameter) {
    addUnique(methods, assertMethod(report.failure.failedParameter));
  }

  let requestHeaders: string[];
  if (report.preflight?.requestHeaders && report.preflight.requestHeaders.length > 0) {
    requestHeaders = report.preflight.requestHeaders.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  } else if (report.preflightRequired === false && !report.preflight) {
    requestHeaders = [];
  } else {
    requestHeaders = corsUnsafeHeaderNames(report.requestHeaders, report.rules);
  }
  if (report.failure?.chromeCorsError === 'HeaderDisallowedByPreflightResponse' && report.failure.failedParameter) {
    addUnique(requestHeaders, report.failure.failedParameter.toLowerCase());
  }
  requestHeaders = [...new Set(requestHeaders.map((h) => assertHeaderName(h)))];
  if (requestHeaders.length > 0) reasons.push(`the request sent ${requestHeaders.join(', ')}, which Allow-Headers must list`);

  const credentials = options.credentials !== undefined
    ? { used: options.credentials, because: 'set by the caller' }
    : credentialsFromReport(report);
  reasons.push(credentials.used ? `credentials allowed: ${credentials.because}` : `no credentials: ${credentials.because}`);

  const exposeHeaders = (options.exposeHeaders ?? []).map((h) => assertHeaderName(h));
  const preflight =
    report.preflightRequired === true ||
    report.preflightRequired === 'unknown' ||
    report.preflight !== null ||
    methods.length > 0 ||
    requestHeaders.length > 0;

  return {
    origins,
    credentials: credentials.used,
    methods,
    requestHeaders,
    exposeHeaders,
    path,
    maxAgeSeconds: options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
    preflight,
    requestMethod,
    reasons,
  };
}
