/**
 * Builds the ExchangeReport the engine gives for a blocked lab request, from what the real browser did: the request as
 * the page wrote it, the preflight Chromium actually sent (read from the lab server's log) and the CORS error Chromium
 * reported over CDP. The fix generators are then tested on reports of the real shape, grounded in a real run.
 */
import type { ChromeCorsError, HeaderLine } from '../../src/model/exchange.js';
import type { ExchangeReport } from '../../src/explain/report.js';
import type { LabRequest } from '../lab/scenarios.js';

/** The request headers the page sets, as the lab page sets them (a body's MIME type becomes Content-Type). */
export function authorHeaders(request: LabRequest): HeaderLine[] {
  const headers: HeaderLine[] = request.headers.map(([n, v]) => [n, v] as const);
  if (request.body && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', request.body.mimeType]);
  }
  return headers;
}

export interface ObservedFailure {
  /** The page's origin. */
  origin: string;
  url: string;
  corsError: ChromeCorsError;
  failedParameter: string;
  /** The preflight Chromium sent, as the server received it (absent when none was sent). */
  preflight?: { requestMethod: string; requestHeaders: string[]; status: number };
}

export function blockedReport(request: LabRequest, observed: ObservedFailure): ExchangeReport {
  const preflightPhase = observed.corsError.startsWith('Preflight') || observed.corsError.endsWith('PreflightResponse');
  return {
    id: observed.url,
    url: observed.url,
    finalUrl: observed.url,
    method: request.method,
    kind: request.api === 'xhr' ? 'xhr' : 'fetch',
    initiatorOrigin: observed.origin,
    targetOrigin: new URL(observed.url).origin,
    status: 0,
    requestHeaders: authorHeaders(request),
    requestHeadersProvisional: true,
    responseHeaders: [],
    verdict: 'blocked',
    summary: observed.corsError,
    preflight: observed.preflight
      ? {
          url: observed.url,
          method: 'OPTIONS',
          status: observed.preflight.status,
          requestMethod: observed.preflight.requestMethod,
          requestHeaders: observed.preflight.requestHeaders,
        }
      : null,
    preflightRequired: observed.preflight !== undefined,
    redirects: [],
    checks: [],
    failure: {
      checkId: 'allowOriginPresent',
      phase: preflightPhase ? 'preflight' : 'response',
      hop: 0,
      chromeCorsError: observed.corsError,
      failedParameter: observed.failedParameter,
      consoleMessage: '',
      headline: observed.corsError,
      explanation: '',
      fixHint: '',
    },
    alternatives: [],
    assumptions: [{ about: 'credentials', value: request.credentials, because: 'the page sets it' }],
    missing: [],
    notReallyCors: null,
    warnings: [],
    rules: 'chromium',
  };
}
