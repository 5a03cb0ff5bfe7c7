/**
 * Failing requests for the fix tests, mirroring the lab's kinds of CORS failure, and a builder that turns one into the
 * ExchangeReport the engine would give for it (so the fix generators are tested on reports of the real shape).
 */
import type { ChromeCorsError, HeaderLines } from '../../src/cors/model.js';
import type { ExchangeReport } from '../../src/explain/report.js';

export interface FailingRequest {
  name: string;
  /** Path on the API server. */
  path: string;
  method: string;
  /** Author headers the page sets. */
  headers: Record<string, string>;
  credentials: 'include' | 'same-origin' | 'omit';
  /** Body sent as-is (a string), or none. */
  body?: string;
  /** How the unfixed server answers: the server-side mistake the capture shows. */
  unfixed: UnfixedServer;
  chromeCorsError: ChromeCorsError;
}

/** The broken server behaviours of the lab. */
export type UnfixedServer =
  | { kind: 'no-cors-headers' }
  | { kind: 'wildcard-origin' }
  | { kind: 'allow-methods'; value: string }
  | { kind: 'preflight-needs-auth' };

export const FAILING_REQUESTS: FailingRequest[] = [
  {
    name: 'simple GET, no Access-Control-Allow-Origin',
    path: '/api/items',
    method: 'GET',
    headers: {},
    credentials: 'same-origin',
    unfixed: { kind: 'no-cors-headers' },
    chromeCorsError: 'MissingAllowOriginHeader',
  },
  {
    name: 'credentialed GET answered with *',
    path: '/api/me',
    method: 'GET',
    headers: {},
    credentials: 'include',
    unfixed: { kind: 'wildcard-origin' },
    chromeCorsError: 'WildcardOriginNotAllowed',
  },
  {
    name: 'PUT with JSON and a custom header, preflight unanswered',
    path: '/api/items/42',
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'abc-123' },
    credentials: 'same-origin',
    body: '{"name":"x"}',
    unfixed: { kind: 'no-cors-headers' },
    chromeCorsError: 'PreflightMissingAllowOriginHeader',
  },
  {
    name: 'lower-case patch against Allow-Methods PATCH',
    path: '/api/items/7',
    method: 'patch',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: '{"done":true}',
    unfixed: { kind: 'allow-methods', value: 'GET, POST, PATCH' },
    chromeCorsError: 'MethodDisallowedByPreflightResponse',
  },
  {
    name: 'credentialed DELETE with Authorization, preflight rejected by auth',
    path: '/api/items/9',
    method: 'DELETE',
    headers: { Authorization: 'Bearer t0ken' },
    credentials: 'include',
    unfixed: { kind: 'preflight-needs-auth' },
    chromeCorsError: 'PreflightInvalidStatus',
  },
];

const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** The report the engine gives for `request` sent from `origin` to `apiBase` and blocked. */
export function blockedReport(request: FailingRequest, origin: string, apiBase: string): ExchangeReport {
  const url = new URL(request.path, apiBase).href;
  const headers: HeaderLines = Object.entries(request.headers).map(([n, v]) => [n, v] as const);
  const unsafe = Object.keys(request.headers)
    .map((n) => n.toLowerCase())
    .filter((n) => !(n === 'content-type' && /^text\/plain/.test(request.headers[n] ?? '')));
  const preflightRequired = !SAFELISTED_METHODS.has(request.method) || unsafe.length > 0;
  return {
    id: request.name,
    url,
    finalUrl: url,
    method: request.method,
    kind: 'fetch',
    initiatorOrigin: origin,
    targetOrigin: new URL(apiBase).origin,
    status: 0,
    requestHeaders: headers,
    requestHeadersProvisional: true,
    responseHeaders: [],
    verdict: 'blocked',
    summary: request.chromeCorsError,
    preflight: preflightRequired
      ? { url, method: 'OPTIONS', status: 204, requestMethod: request.method, requestHeaders: [...unsafe].sort() }
      : null,
    preflightRequired,
    redirects: [],
    checks: [],
    failure: {
      checkId: 'allowOriginPresent',
      phase: preflightRequired ? 'preflight' : 'response',
      hop: 0,
      chromeCorsError: request.chromeCorsError,
      failedParameter: '',
      consoleMessage: '',
      headline: request.chromeCorsError,
      explanation: '',
      fixHint: '',
    },
    alternatives: [],
    assumptions: [
      {
        about: 'credentials',
        value: request.credentials,
        because: 'the test page sets it',
      },
    ],
    missing: [],
    notReallyCors: null,
    warnings: [],
    rules: 'chromium',
  };
}
