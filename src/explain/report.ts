/**
 * The report: what `explainHar()` returns, what `cors-lens explain --json` prints, and what the panel renders.
 * The JSON schema is documented in docs/report-schema.md and is stable: add fields, never rename or remove them.
 */
import type {
  BlockerFamily,
  LikelyReading,
  BrowserRules,
  CaptureSource,
  CheckResult,
  CorsFailure,
  HeaderLines,
  Assumption,
  NotReallyCors,
  PreflightCacheReading,
  RequestKind,
  Verdict,
} from '../model/exchange.js';

export const REPORT_SCHEMA_VERSION = 1;

/** A risky-but-working configuration on an exchange the browser allowed (issue 7). Never changes the verdict. */
export interface Warning {
  id: string;
  severity: 'high' | 'medium' | 'low';
  headline: string;
  explanation: string;
  fixHint: string;
}

export interface PreflightSummary {
  url: string;
  method: 'OPTIONS';
  status: number;
  requestMethod?: string;
  requestHeaders?: string[];
  /** Response header values the checks read (Allow-Origin, -Methods, -Headers, -Credentials, Max-Age). */
  allowOrigin?: string | null;
  allowMethods?: string | null;
  allowHeaders?: string | null;
  allowCredentials?: string | null;
  maxAge?: string | null;
  errorText?: string;
}

export interface RedirectSummary {
  from: string;
  to: string;
  status: number;
}

/** A `BlockerFinding` in words, for the panel and the CLI (docs/report-schema.md). */
export interface BlockerReport {
  family: BlockerFamily;
  kind: string;
  /** The short badge the list shows: `LNA`, `CORP`, `COEP`, `ORB`, `CSP`, `Mixed content`, `Extension`, `DevTools`, `Redirect`, `Network`, `Aborted`. */
  badge: string;
  /** One line: what stopped the request. */
  headline: string;
  /** What happened, in plain words. */
  explanation: string;
  /** What Chrome prints for it, verbatim; `null` when Chrome prints nothing (never a made-up CORS line). */
  consoleMessage: string | null;
  /** What fixes it, and where (the page, the user, the server). */
  fixHint: string;
  /** Where the fix lives: `server` (a header or config of the server the request went to), `page` (the page's code or its own headers), `user` (the browser's settings, an extension), `network` (the server is down or unreachable), `none`. */
  fixSide: 'server' | 'page' | 'user' | 'network' | 'none';
  /** Chromium's net error as captured (`''` when it recorded an empty one). */
  netError?: string;
  /** Chromium's CorsError for it, when Chromium reports it as a CORS error (Local Network Access, a preflight redirect). */
  chromeCorsError?: string;
  /** The engine's values (address spaces and how each was known, the CSP directive, the CORP value, ...). */
  values: Record<string, string>;
}

export interface ExchangeReport {
  id: string;
  /** The URL as the page requested it (before any redirect). */
  url: string;
  /** The URL the browser reached last. */
  finalUrl: string;
  method: string;
  kind: RequestKind;
  initiatorOrigin: string | null;
  targetOrigin: string | null;
  /** Final response status (0 when none). */
  status: number;
  /** The first hop's request headers as captured (Chromium's provisional ones when it never left the browser). */
  requestHeaders: HeaderLines;
  requestHeadersProvisional: boolean;
  /** The last hop's response headers as captured (empty when there was no response). */
  responseHeaders: HeaderLines;
  /** MIME type of the request body, when one was sent. */
  requestBodyMimeType?: string;
  verdict: Verdict;
  /** One line: what failed, or why the verdict is what it is. */
  summary: string;
  /** The paired preflight, or null with the reason none is shown. */
  preflight: PreflightSummary | null;
  preflightRequired: boolean | 'unknown';
  preflightAbsentReason?: string;
  preflightCache?: PreflightCacheReading;
  redirects: RedirectSummary[];
  checks: CheckResult[];
  failure: CorsFailure | null;
  alternatives: CorsFailure[];
  assumptions: Assumption[];
  missing: string[];
  notReallyCors: NotReallyCors | null;
  /**
   * Set only when the verdict is `unknown` because the capture does not record the credentials mode and that alone
   * decides (Firefox captures): the likely reading, "allowed unless sent with credentials", and the failure otherwise.
   */
  likely?: LikelyReading;
  /** What stopped the request beside the CORS checks (Local Network Access, CORP, ORB, CSP, ...); absent or `null` when nothing did. */
  blocker?: BlockerReport | null;
  /** Set when a redirect made the browser send `Origin: null`: what that means for the final server. */
  originAfterRedirect?: string;
  warnings: Warning[];
  rules: BrowserRules;
  startedDateTime?: string;
  /**
   * How many more HAR entries recorded this same exchange (same start time, method, URL, status, duration and
   * initiator) and were merged into it; absent when none was.
   */
  repeatsMerged?: number;
  /**
   * The server stack the responses name (`X-Powered-By: Express`, `Server: nginx/1.22.1`...), so the fix opens on its
   * tab; absent when no response names one (src/fixes/detectServerStack.ts).
   */
  serverStack?: ServerStackReading;
}

/** A stack read from response headers: the fix tab's id, the stack's name, and the header it was read from. */
export interface ServerStackReading {
  id: string;
  name: string;
  reason: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'cors-lens'; version: string };
  source: CaptureSource;
  rules: BrowserRules;
  /** Counts per verdict, plus exchanges with warnings. */
  totals: Record<Verdict, number> & {
    exchanges: number;
    warnings: number;
    /** Entries merged into an exchange because they recorded it again (the sum of the exchanges' `repeatsMerged`). */
    repeatsMerged: number;
    /** The HAR's entries (`log.entries`), when the report was made from a HAR. */
    entries?: number;
  };
  exchanges: ExchangeReport[];
  /** Entries that could not be read, with the reason (the rest of the HAR is still explained). */
  skippedEntries: { index: number; reason: string }[];
}
