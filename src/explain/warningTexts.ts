/**
 * The words of every risk warning (issue 7), keyed by warning id: a headline, why it matters, and the safer config.
 * Data, reviewed as prose; src/explain/warnings.ts decides when a warning applies and fills the `{placeholders}`.
 *
 * Placeholders are filled with captured values that src/explain/warnings.ts has already made display-safe (truncated,
 * control and bidi characters shown as `\u{…}` escapes). The panel still renders them as text, never as HTML.
 */
import type { Warning } from './report.js';

/** Every risk this module can report. Search an id to find its rule, its words and its tests. */
export type WarningId =
  | 'allowOriginLooksReflected'
  | 'nullOriginAllowed'
  | 'insecureOriginTrusted'
  | 'wildcardOriginOnSensitiveResponse'
  | 'allowOriginWithoutVaryOrigin'
  | 'maxAgeAboveBrowserCap'
  | 'wildcardIsLiteralUnderCredentials'
  | 'customHeadersNotExposed'
  | 'duplicatedCorsHeaders';

export interface WarningText {
  /** Default severity; a rule may lower or raise it for a given exchange (documented beside the rule). */
  severity: Warning['severity'];
  headline: string;
  /** Why it matters. */
  explanation: string;
  /** The safer configuration. */
  fixHint: string;
}

/** Variants of one rule use a `variant` key: `allowOriginLooksReflected.sharedHosting`, ... */
export const WARNING_TEXTS = {
  'allowOriginLooksReflected.variesPerRequest': {
    severity: 'high',
    headline: 'Credentials are allowed for an Allow-Origin that changes from request to request',
    explanation:
      'This response allows credentials (Access-Control-Allow-Credentials: true) and sets Access-Control-Allow-Origin to ' +
      'the request\'s own Origin {origin}, while other requests to {resource} got a different Allow-Origin ({otherOrigin}). ' +
      'The server computes the value per request. If it copies any Origin it receives, every website the user visits ' +
      'can read this resource with the user\'s cookies.',
    fixHint:
      'Compare the Origin against an explicit allow-list of exact origins (scheme, host and port) and only then echo it, ' +
      'with Vary: Origin. Never echo an Origin that is not on the list, and never match by prefix, suffix or an ' +
      'unanchored regular expression.',
  },
  'allowOriginLooksReflected.sharedHosting': {
    severity: 'medium',
    headline: 'Credentials are allowed for an origin on a shared hosting domain ({host})',
    explanation:
      'This response allows credentials for {origin}. Anyone can publish a page under {suffix}, so this is safe only ' +
      'if the server trusts exactly this origin. If it echoes every Origin, or its allow-list accepts any ' +
      '*.{suffix} host, a stranger\'s page there can read this resource with the user\'s cookies.',
    fixHint:
      'Allow only the exact origins you operate. For a preview deployment list its full origin, not the hosting ' +
      'provider\'s domain, and check that the server answers any other Origin without Access-Control-Allow-Origin.',
  },
  'allowOriginLooksReflected.lookAlikeDomain': {
    severity: 'high',
    headline: 'Credentials are allowed for {origin}, which only looks like {domain}',
    explanation:
      'This response allows credentials for {origin}, whose host contains {domain} without being {domain} or one of ' +
      'its subdomains. That is the signature of an origin check done with startsWith, endsWith, includes or an ' +
      'unanchored regular expression: an attacker registers such a name and reads this resource with the user\'s cookies.',
    fixHint:
      'Parse the Origin and compare it exactly against a list of allowed origins; to allow subdomains, compare the ' +
      'parsed host against `{domain}` or a suffix that starts with a dot (`.{domain}`), never a bare substring.',
  },
  'allowOriginLooksReflected.unusualScheme': {
    severity: 'high',
    headline: 'Credentials are allowed for the non-web origin {origin}',
    explanation:
      'This response allows credentials for {origin}, an origin with the {scheme} scheme. Servers rarely mean to ' +
      'trust such origins; the usual cause is code that echoes every Origin it receives, which lets any website read ' +
      'this resource with the user\'s cookies.',
    fixHint:
      'Compare the Origin against an explicit allow-list and echo it only when it is listed. If an extension really ' +
      'needs access, list its exact origin.',
  },
  'allowOriginLooksReflected.localOrigin': {
    severity: 'medium',
    headline: 'A public site allows credentials for the local origin {origin}',
    explanation:
      'This response from {resourceHost} allows credentials for {origin}, a loopback or private-network origin. Any ' +
      'program or page served on that address (a dev server, a malicious local service) can read this resource with ' +
      'the user\'s cookies; often it means the development allow-list shipped to production, or that Origin is echoed.',
    fixHint:
      'Keep development origins out of the production allow-list (configure them per environment), and echo an Origin ' +
      'only when it is on that list.',
  },
  nullOriginAllowed: {
    severity: 'medium',
    headline: 'Access-Control-Allow-Origin: null lets sandboxed and local documents in',
    explanation:
      'The origin `null` is shared by every sandboxed iframe, every data: URL document and (in Chromium) every local ' +
      'file page, and by requests that crossed a redirect to another site. Allowing `null` allows all of them: any ' +
      'website can create a sandboxed iframe and read this resource{credentialsClause}.',
    fixHint:
      'Do not allow `null`. Serve the calling page from a real origin (http://localhost during development) and allow ' +
      'that exact origin; if a redirect taints the Origin, call the final URL directly.',
  },
  insecureOriginTrusted: {
    severity: 'medium',
    headline: 'An https resource trusts the http origin {origin}',
    explanation:
      'This https response allows {origin}{credentialsClause}. Pages on plain http can be altered by anyone on the ' +
      'network path (public Wi-Fi, a compromised router), so an attacker who injects script into {origin} can read ' +
      'this https resource, undoing what TLS protects.',
    fixHint:
      'Serve the calling site over https and allow its https origin only; drop http:// origins from the allow-list ' +
      '(http://localhost is the one usual exception, for development builds).',
  },
  wildcardOriginOnSensitiveResponse: {
    severity: 'medium',
    headline: 'Access-Control-Allow-Origin: * on a response that {sensitiveWhat}',
    explanation:
      'Any website can read this response, yet it {sensitiveWhat}, which suggests it is meant for one user rather ' +
      'than the public. If the data depends on who asks (a token, a session), `*` lets every site that obtains the ' +
      'request read it, and a shared cache may serve it to the wrong user.',
    fixHint:
      'Use `*` only for truly public, user-independent data. For per-user data, answer with the exact allowed origin, ' +
      'Vary: Origin, and Cache-Control: private (or no-store).',
  },
  allowOriginWithoutVaryOrigin: {
    severity: 'medium',
    headline: 'Allow-Origin names one origin on a cacheable response without Vary: Origin',
    explanation:
      'The response allows only {origin} and may be stored by the browser or a shared cache ({cacheReason}), but its ' +
      'Vary header does not list Origin. A cached copy made for one origin (or for a request without Origin) is then ' +
      'served to another, which the browser blocks: the "works once, fails after a reload" kind of bug, and a way to ' +
      'poison a shared cache.',
    fixHint:
      'Add `Vary: Origin` to every response whose Access-Control-Allow-Origin depends on the request, including ' +
      'responses that carry no Allow-Origin at all because the Origin was not allowed.',
  },
  maxAgeAboveBrowserCap: {
    severity: 'low',
    headline: 'Access-Control-Max-Age {maxAge} is longer than browsers honour',
    explanation:
      'The preflight answer asks to be cached for {maxAge} seconds, but Chromium caps the preflight cache at 7200 s ' +
      '(2 hours) and Firefox at 86400 s (24 hours). The extra time does nothing, and a long cache keeps an old ' +
      'policy alive in browsers after the server changes it.',
    fixHint: 'Send `Access-Control-Max-Age: 7200` (or less): the most Chromium uses, and short enough to roll out changes.',
  },
  wildcardIsLiteralUnderCredentials: {
    severity: 'low',
    headline: '`*` in {header} is taken literally when credentials are allowed',
    explanation:
      'This response allows credentials, and for credentialed requests browsers read `*` in {header} as a name, ' +
      'not as "everything". The exchange passed only because what it needed was also listed or not needed; the ' +
      'next method or header the page adds will be refused.',
    fixHint:
      'List the methods and header names explicitly in {header} (for example `{example}`) instead of relying on `*`.',
  },
  customHeadersNotExposed: {
    severity: 'low',
    headline: 'Response headers the page cannot read: {headers}',
    explanation:
      'The response carries {headers}, but a cross-origin script can read only the CORS-safelisted response headers ' +
      '(Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma) and those named ' +
      'in Access-Control-Expose-Headers. `response.headers.get()` returns null for the rest, which looks like a bug ' +
      'in the page.',
    fixHint: 'Add `Access-Control-Expose-Headers: {headerList}` to the response (list names explicitly when credentials are used).',
  },
  duplicatedCorsHeaders: {
    severity: 'low',
    headline: 'CORS headers sent more than once: {headers}',
    explanation:
      'The {where} repeats {headerCounts}, usually because a proxy or CDN and the application both add CORS headers. ' +
      'Browsers join repeated lines with ", ": harmless for the list headers (Allow-Methods, Allow-Headers, ' +
      'Expose-Headers), but a repeated Allow-Origin or Allow-Credentials stops matching and a repeated Max-Age stops ' +
      'parsing, so the answer breaks as soon as the two layers disagree or credentials come into play.',
    fixHint:
      'Set CORS headers in exactly one layer: either the application or the proxy (for nginx, remove the ' +
      'application\'s copies with `proxy_hide_header`, or drop the application\'s CORS middleware).',
  },
} as const satisfies Record<string, WarningText>;

export type WarningTextKey = keyof typeof WARNING_TEXTS;

/** The warning id a text key belongs to (`allowOriginLooksReflected.sharedHosting` → `allowOriginLooksReflected`). */
export function warningIdOfTextKey(key: WarningTextKey): WarningId {
  const dot = key.indexOf('.');
  return (dot === -1 ? key : key.slice(0, dot)) as WarningId;
}
