/**
 * The shared vocabulary of CORS Lens: what was captured of one exchange (the engine's input) and what the engine
 * decided (its output). Pure data, no browser API. Every other folder (har, explain, fixes, panel, cli) speaks these
 * types; change them with care.
 *
 * Data flows one way: capture → normalize, pair (src/capture) → check (src/engine) → explain (src/explain, src/fixes) → store (src/store) → render (src/panel, src/cli).
 *
 * Why one file over 400 lines: it is the one contract every stage speaks (what was captured, what the engine found);
 * split, a reader would have to assemble the exchange from several files to see what a check can rely on.
 */

/** Header lines in the order they were captured; names keep their original case, duplicates stay separate lines. */
export type HeaderLine = readonly [name: string, value: string];
export type HeaderLines = readonly HeaderLine[];

export interface RequestSnapshot {
  /** As sent (fetch upper-cases only DELETE/GET/HEAD/OPTIONS/POST/PUT; `patch` stays lower-case). */
  method: string;
  url: string;
  headers: HeaderLines;
  /**
   * `true` when these are Chromium's provisional renderer headers (an actual request stopped by its preflight):
   * author headers are there, `Origin`/`Host`/`Sec-Fetch-*` are not.
   */
  provisionalHeaders?: boolean;
}

export interface ResponseSnapshot {
  /** HTTP status; 0 or -1 means no response was received (never sent, blocked, or not recorded). */
  status: number;
  statusText?: string;
  headers: HeaderLines;
  /** The Location the browser would follow, resolved against the request URL when possible. */
  redirectURL?: string;
}

/**
 * What the browser did with one request, as the capture records it: the evidence the engine reasons from when the
 * capture lacks the credentials mode, the request mode or a preflight served from cache (see devtools-capture.md §H).
 */
export type BrowserOutcome =
  /** A complete response reached the page (Chromium: no `_error`). */
  | { kind: 'completed' }
  /** The browser failed the request (Chromium `_error: net::ERR_FAILED`, status 0, Playwright `_failureText`). */
  | { kind: 'failed'; errorText: string }
  /** The capture does not say (Firefox HAR: a blocked response looks like a success). */
  | { kind: 'unrecorded' };

/**
 * The `errorText` of a request a Firefox HAR shows as sent (its timings are recorded) that got no response: the
 * connection was refused or reset, the name did not resolve, or the page aborted it. Firefox's HAR keeps no error, so
 * which one cannot be told; Firefox logs `CORSDidNotSucceed` for all but the abort.
 */
export const FIREFOX_SENT_WITHOUT_RESPONSE = 'sent, no response (connection refused or reset, host not found, or aborted)';

export type CredentialsMode = 'include' | 'same-origin' | 'omit';
export type RequestMode = 'cors' | 'no-cors' | 'same-origin' | 'navigate';

/** What kind of load made the request: decides Chrome's `{kind}` word and the XHR/fetch message suffixes. */
export type RequestKind =
  | 'fetch'
  | 'xhr'
  | 'script'
  | 'font'
  | 'image'
  | 'stylesheet'
  | 'media'
  | 'document'
  | 'other';

/** Which browser's rules to apply and whose words to use first. */
export type BrowserRules = 'chromium' | 'firefox';

/** The OPTIONS request the browser sent ahead of one hop, and what came back. */
export interface PreflightAttempt {
  request: RequestSnapshot;
  /** Absent when nothing came back (network error) or the capture lost it. */
  response?: ResponseSnapshot;
  /** Transport error recorded for the preflight itself, e.g. `net::ERR_INVALID_REDIRECT`, `net::ERR_CONNECTION_REFUSED`. */
  errorText?: string;
}

/**
 * Whether a hop's preflight is in the capture, and if not why.
 * `not-captured`: the browser may have sent one that the capture does not hold (Playwright never records them).
 */
export type PreflightPresence = 'captured' | 'none-seen' | 'not-captured';

/** One request/response pair of the actual request; a redirect chain is several hops of one exchange. */
export interface Hop {
  request: RequestSnapshot;
  /** Absent when the request got no response (blocked before sending, network error, not recorded). */
  response?: ResponseSnapshot;
  outcome: BrowserOutcome;
  preflight?: PreflightAttempt;
  preflightPresence: PreflightPresence;
  /**
   * Access-Control-Max-Age of the latest earlier successful preflight for the same URL in the capture, when the store
   * saw one (absent header: `''`). Lets the engine say how long a preflight served from the cache stays valid.
   */
  earlierPreflightMaxAge?: string;
  /**
   * Chromium's `_error` exactly as the capture recorded it, `''` included (Chromium leaves it empty for a request that
   * CSP, mixed content or DevTools' own request blocking stopped); absent when the entry has none. `outcome` keeps
   * reading an empty one as "no error"; the blockers (src/engine/blockers) read this.
   */
  netError?: string;
  /** The address the browser connected to (HAR `serverIPAddress`, brackets removed); absent when nothing connected. */
  serverIPAddress?: string;
  /**
   * The address another entry of the capture recorded for this hop's host, when this hop has none (a refused request
   * connects nowhere): what the host resolves to, for Local Network Access.
   */
  hostAddressSeen?: string;
}

/**
 * The page that made the request, as far as the capture shows it: its URL and, when its own `document` entry is in the
 * capture, the address it was served from and the response headers that govern its subresources (CSP, COEP).
 */
export interface PageContext {
  url: string;
  /** Whether the page's `document` entry is in the capture (else only its URL is known). */
  documentCaptured: boolean;
  /** `serverIPAddress` of the page's document entry, when recorded. */
  serverIPAddress?: string;
  /** Every enforced `Content-Security-Policy` header value of the document, one per header line. */
  csp?: string[];
  /** The document's `Cross-Origin-Embedder-Policy` value, when sent. */
  coep?: string;
}

/** Everything captured of one request the page made, ready for the engine. */
export interface CapturedExchange {
  /** Stable id within a session or HAR (for the panel, the CLI's `--request`, and the JSON report). */
  id: string;
  /** Serialized origin of the document that made the request (`http://a.test:8080`, or `null` for opaque); `undefined` when unknown. */
  initiatorOrigin?: string;
  /** Where the initiator origin was read from, for the explanation. */
  initiatorOriginSource?: 'origin-header' | 'preflight' | 'referer' | 'page' | 'initiator' | 'unknown';
  kind: RequestKind;
  /** `undefined` when the capture does not record it (a HAR never does); the engine then reasons from the outcome. */
  mode?: RequestMode;
  credentials?: CredentialsMode;
  /** hops[0] is the request as the page made it; each later hop follows the previous hop's redirect. */
  hops: Hop[];
  /** When the capture was made, for the preflight-cache reasoning (ms since epoch of hops[0]'s start). */
  startedAt?: number;
  rules: BrowserRules;
  /** Where the data came from; decides which fields can be trusted (e.g. Playwright never records preflights). */
  source: CaptureSource;
  /** Chromium's `_resourceType` of the first hop, lower-cased (`websocket`, `eventsource`, `preflight`, ...), when recorded. */
  resourceType?: string;
  /** The page that made the request (its document entry, when captured). */
  page?: PageContext;
}

export type CaptureSource =
  | 'chromium-devtools'
  | 'chromium-har-export'
  | 'firefox-har-export'
  | 'playwright-har'
  | 'unknown-har'
  | 'synthetic'
  /** `cors-lens check` sent the requests itself (src/check): every header sent and received is known, nothing else is. */
  | 'cors-lens-check';

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Engine output

export type Verdict = 'allowed' | 'blocked' | 'not-cors' | 'network-error' | 'unknown';

export type CheckStatus = 'pass' | 'fail' | 'not-reached' | 'unknown';

/** Where in the exchange a check ran. */
export type CheckPhase = 'request' | 'preflight' | 'response' | 'redirect';

/**
 * Every check the engine runs, named after what it checks. The same id may run in several phases (the Allow-Origin
 * checks run on the preflight, on each redirect and on the final response); `phase` + `hop` tell them apart.
 * Search for an id to find its implementation (src/engine), its words (src/explain) and its tests.
 */
export type CheckId =
  // request phase: does CORS apply, and is a preflight needed
  | 'corsApplies'
  | 'methodNotForbidden'
  | 'schemeSupportsCors'
  | 'modeAllowsCrossOrigin'
  | 'preflightRequired'
  // preflight response, Chromium order
  | 'preflightReceived'
  | 'preflightNotRedirected'
  | 'allowOriginNotWildcardWithCredentials'
  | 'allowOriginPresent'
  | 'allowOriginSingleValue'
  | 'allowOriginValid'
  | 'allowOriginMatches'
  | 'allowCredentialsTrue'
  | 'preflightOkStatus'
  | 'allowMethodsParses'
  | 'allowHeadersParses'
  | 'preflightAllowsMethod'
  | 'preflightAllowsAuthorization'
  | 'preflightAllowsHeaders'
  // actual response
  | 'responseReceived'
  // redirects of the actual request
  | 'redirectCountWithinLimit'
  | 'redirectLocationHasNoCredentials'
  | 'redirectSchemeSupported';

export interface CheckResult {
  id: CheckId;
  phase: CheckPhase;
  /** Index into `CapturedExchange.hops`. */
  hop: number;
  status: CheckStatus;
  /** The header or value this check read, e.g. `Access-Control-Allow-Origin`. */
  subject?: string;
  /** What the browser needed, e.g. the request origin `http://a.test`. */
  expected?: string;
  /** What the capture holds, e.g. the ACAO value; `null` when the header is absent. */
  actual?: string | null;
  /** Short factual note for the checklist, e.g. "no preflight in the capture; likely served from the preflight cache". */
  note?: string;
}

/** CDP `Network.CorsError` spellings this engine can produce. */
export type ChromeCorsError =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'CorsDisabledScheme'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials';

export interface FirefoxReason {
  /** MDN / DevTools reason id, e.g. `CORSMissingAllowOrigin`. */
  id: string;
  /** The `security.properties` key, e.g. `CORSMissingAllowOrigin2`. */
  messageKey: string;
  /** The `(Reason: …)` text with this request's values. */
  text: string;
  /** The whole console line Firefox prints. */
  consoleMessage: string;
}

/** The failing check, named the way each browser names it. */
export interface CorsFailure {
  checkId: CheckId;
  phase: CheckPhase;
  hop: number;
  chromeCorsError: ChromeCorsError;
  /** CDP `CorsErrorStatus.failedParameter` ("" when Chromium passes none). */
  failedParameter: string;
  /** Chrome's console line, its template filled with this request's values. */
  consoleMessage: string;
  firefoxReason?: FirefoxReason;
  /** One line: what failed. */
  headline: string;
  /** Plain words: why the browser refused, for this request. */
  explanation: string;
  /** What to change on the server, in one or two sentences. */
  fixHint: string;
}

/** Why a failed check stopped the request, in the browser's own terms (ids and values, no words). */
export interface BlockInfo {
  /** The Chromium CorsError; `null` when the browser reports a network error instead (no CorsError). */
  corsError: ChromeCorsError | null;
  /** CDP `failedParameter` ("" when Chromium passes none). */
  failedParameter: string;
  /** For a network error: the `net::ERR_…` Chromium shows. */
  netError?: string;
  /** Other values Chromium may report as `failedParameter` for the same failure (it does not say which it picks). */
  alternativeParameters?: string[];
  /** Values for the message templates (`acao`, `acac`, `method`, `header`, `token`, `status`, `location`, …). */
  values: Record<string, string>;
}

/**
 * A failing check as the engine found it: which check, where, the browser's ids and the request's values. The
 * explanation stage turns it into a `CorsFailure` (Chrome's console line, Firefox's reason, the words).
 */
export interface FailureFacts {
  checkId: CheckId;
  phase: CheckPhase;
  hop: number;
  block: BlockInfo;
  rules: BrowserRules;
  kind: RequestKind;
  /** URL of the hop that failed. */
  url: string;
  /** URL the page asked for. */
  firstUrl: string;
  origin: string | undefined;
  method: string;
  credentialsInclude: boolean;
  status: number | undefined;
  /** The same headers judged by the other browser's rules, when that run also failed. */
  other?: { checkId: CheckId; phase: CheckPhase; block: BlockInfo };
}

/**
 * A `missing` entry the engine states as facts: the capture records neither the modes nor what the browser did, and
 * one reading allows while another blocks (the words name the blocking failure as the capture's browser does).
 */
export interface UndecidedReading {
  undecided: string;
  allowedAs: string;
  blockedAs: string;
  blocked: FailureFacts;
}
export type MissingItem = string | UndecidedReading;

/** The engine's result in ids and values: `EngineResult` before the failures and readings are put in words. */
export interface EngineFindings extends Omit<EngineResult, 'failure' | 'alternatives' | 'missing' | 'likely'> {
  failure?: FailureFacts;
  likely?: LikelyReading<FailureFacts>;
  /** Other failures that fit the capture equally well, before duplicates (same CorsError and parameter) are merged. */
  alternatives?: FailureFacts[];
  missing: MissingItem[];
}

/** The `value` of a credentials assumption: the request's credentials mode was `include`, or it was not. */
export const CREDENTIALS_INCLUDED = 'include';
export const CREDENTIALS_NOT_INCLUDED = 'not included';

/** An assumption the engine made about something the capture does not record, and why it holds. */
export interface Assumption {
  about: 'credentials' | 'mode' | 'preflight-cache' | 'initiator-origin' | 'kind';
  value: string;
  because: string;
}

/** "The browser says CORS, but the real problem is elsewhere" readings. */
export interface NotReallyCors {
  /** `blocked-beside-cors`: Local Network Access, CORP/COEP, ORB, CSP, mixed content or an extension (see `EngineResult.blocker`). */
  kind: 'error-status' | 'network-failure' | 'unexpected-redirect' | 'preflight-eaten-by-auth' | 'blocked-beside-cors';
  message: string;
}

export interface PreflightDecision {
  /** `unknown` when the request headers the decision needs were not captured. */
  required: boolean | 'unknown';
  /** Why, e.g. "method PUT is not CORS-safelisted", "header x-token is not CORS-safelisted". */
  reasons: string[];
  /** The method and lower-cased unsafe header names the preflight had to cover. */
  method?: string;
  unsafeHeaders?: string[];
  /** Set when a preflight was required but none is in the capture. */
  cache?: PreflightCacheReading;
}

export interface PreflightCacheReading {
  likelyCached: boolean;
  /** The seconds an earlier preflight's answer may be cached, when one was seen: Max-Age, 5 s default, capped. */
  maxAgeSeconds?: number;
  message: string;
}

/**
 * What stopped a request when no CORS check of the Fetch Standard decides it: one family per unit in
 * src/engine/blockers/ (Local Network Access, CORP, COEP, ORB, CSP, mixed content, an extension, DevTools' own request
 * blocking, a refused redirect, a dead connection, the page's own abort). Ids and values only; the words live in
 * src/explain.
 */
export type BlockerFamily =
  | 'local-network-access'
  | 'corp'
  | 'coep'
  | 'orb'
  | 'csp'
  | 'mixed-content'
  | 'extension'
  | 'devtools'
  | 'redirect'
  | 'network'
  | 'aborted';

/** The engine's finding for a request stopped by something beside the CORS checks (or, for LNA, before them). */
export interface BlockerFinding {
  family: BlockerFamily;
  /**
   * The kind within the family, e.g. `permission-denied` (LNA), `not-same-origin` (CORP), `connection-refused`,
   * `connection-reset`, `empty-response`, `too-many-redirects`, `unsafe-redirect`, `manual-redirect`,
   * `preflight-redirect`, `no-cors-fetch` (ORB). Stable ids: the report carries them.
   */
  kind: string;
  /** Chromium's net error as captured (`net::ERR_BLOCKED_BY_CLIENT`), `''` when Chromium recorded an empty one. */
  netError?: string;
  /** Set when Chromium reports this as a CORS error (Local Network Access): its `CorsError` name. */
  chromeCorsError?: string;
  /** The hop (index into `hops`) the finding is about. */
  hop: number;
  /** Values the words and fixes need (address spaces and how each was known, the CSP directive, ...). */
  values: Record<string, string>;
  /** What the capture lacks to be sure (then the verdict does not claim more than the capture shows). */
  missing?: string[];
}

/**
 * The reading a capture leans to when the verdict hangs only on the credentials mode it does not record (a Firefox
 * HAR: no `Cookie` sent, so probably none were asked for): allowed, unless the page sent the request with credentials,
 * in which case `otherwise` is the check that blocks it. The verdict stays `unknown`: this is a likely reading, not one
 * the capture proves.
 */
export interface LikelyReading<F = CorsFailure> {
  verdict: 'allowed';
  unless: 'credentials';
  otherwise: F;
}

export interface EngineResult {
  verdict: Verdict;
  /** Set when the verdict is `unknown` only because the credentials mode is not recorded (see `LikelyReading`). */
  likely?: LikelyReading;
  /** Set when something beside the CORS checks stopped the request (see `BlockerFinding`). */
  blocker?: BlockerFinding;
  /** Every check in the order the browser runs them; after the first failure the rest are `not-reached`. */
  checks: CheckResult[];
  /** The first failing check, when the verdict is `blocked`. */
  failure?: CorsFailure;
  /** Other failures that fit the capture equally well (e.g. credentials unknown): listed, never picked among silently. */
  alternatives?: CorsFailure[];
  preflight: PreflightDecision;
  assumptions: Assumption[];
  /** What the capture lacks for a confident verdict (non-empty whenever the verdict is `unknown`). */
  missing: string[];
  notReallyCors?: NotReallyCors;
  /** Which browser's rules produced the verdict. */
  rules: BrowserRules;
}
