/**
 * The words for every CORS check, as data keyed by check id (and phase where the words differ): Chromium's CorsError
 * name and console detail, Firefox's reason, a one-line headline, the plain-words cause and the fix.
 *
 * Templates use `{name}` placeholders filled by `fillTemplate`: `{origin}` request origin, `{url}` the URL that failed,
 * `{hint}` Chromium's failedParameter, `{acao}`, `{acac}`, `{method}`, `{header}`, `{token}`, `{status}`, `{location}`,
 * `{error}`, `{schemes}`.
 *
 * Chrome wording was checked against Chromium 156's console (test/engine/browser-probe, docs/browser-disputes.md); the
 * rest follows cors_error_string.cc as read in ../shared/research/cors-checks.md.
 */
import type { CheckId, CheckPhase, ChromeCorsError } from '../model/exchange.js';
import { lookupOwn } from '../model/lookup.js';

export interface ChromeText {
  /** CorsError when the check fails on a preflight response / on any other response. */
  preflightCorsError?: ChromeCorsError;
  corsError: ChromeCorsError;
  /** Chrome's `{detail}` template. */
  detail: string;
  /** Whether "Response to preflight request doesn't pass access control check: " precedes the detail for the preflight variant. */
  preflightInfix: boolean;
  /** Sentence Chrome appends for fetch() requests. */
  fetchSuffix?: string;
  /** Sentence Chrome appends for XMLHttpRequest. */
  xhrSuffix?: string;
}

export interface FirefoxText {
  /** Reason id as Firefox DevTools and MDN name it. */
  id: string;
  /** Key in Firefox's security.properties. */
  messageKey: string;
  /** The `(Reason: …)` text template. */
  reason: string;
  /** Whether Firefox appends ` Status code: N.` */
  withStatus: boolean;
  /** Firefox wraps the URL in ‘…’ for this reason (measured on Firefox ESR 153: only CORSNotSupportingCredentials). */
  quoteUrl?: boolean;
  /** The status Firefox prints is always `(null)` for this reason (no response was accepted). */
  nullStatus?: boolean;
}

export interface CheckText {
  /** Label in the checklist. */
  title: string;
  chrome?: ChromeText;
  firefox?: FirefoxText;
  headline: string;
  why: string;
  fix: string;
}

const HAVE_THE_SERVER_SEND = ' Have the server send the header with a valid value.';
const XHR_WITH_CREDENTIALS = ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

/** Chromium 156's CORS-enabled schemes, in the order its console lists them (measured list from cors-checks.md A0). */
export const CHROMIUM_CORS_SCHEMES_TEXT = 'http, data, isolated-app, chrome-extension, chrome, https, chrome-untrusted';

const FIREFOX_NOT_MATCHING: FirefoxText = {
  id: 'CORSAllowOriginNotMatchingOrigin',
  messageKey: 'CORSAllowOriginNotMatchingOrigin',
  reason: 'CORS header ‘Access-Control-Allow-Origin’ does not match ‘{acao}’',
  withStatus: false,
};
const FIREFOX_DID_NOT_SUCCEED: FirefoxText = {
  id: 'CORSDidNotSucceed',
  messageKey: 'CORSDidNotSucceed2',
  reason: 'CORS request did not succeed',
  withStatus: true,
};
const FIREFOX_HEADER_NOT_ALLOWED: FirefoxText = {
  id: 'CORSMissingAllowHeaderFromPreflight',
  messageKey: 'CORSMissingAllowHeaderFromPreflight2',
  reason: 'header ‘{header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
  withStatus: false,
};

export const CHECK_TEXTS: Record<CheckId, CheckText> = {
  corsApplies: {
    title: 'CORS applies (cross-origin request in cors mode)',
    headline: 'CORS does not apply to this request',
    why: 'The browser runs CORS checks only on cross-origin requests made in cors mode; navigations, no-cors loads and same-origin requests are never CORS failures.',
    fix: 'Look for the problem elsewhere: the status code, the network, or the page itself.',
  },
  methodNotForbidden: {
    title: 'Method is not forbidden (CONNECT, TRACE, TRACK)',
    headline: 'Method {method} can never be sent from a page',
    why: 'Browsers refuse CONNECT, TRACE and TRACK from script before anything reaches the network.',
    fix: 'Use another method.',
  },
  schemeSupportsCors: {
    title: 'URL scheme supports CORS',
    chrome: { corsError: 'CorsDisabledScheme', detail: 'Cross origin requests are only supported for protocol schemes: {schemes}.', preflightInfix: false },
    firefox: { id: 'CORSRequestNotHttp', messageKey: 'CORSRequestNotHttp', reason: 'CORS request not HTTP', withStatus: false },
    headline: 'The URL’s scheme cannot be fetched cross-origin',
    why: 'Cross-origin requests work only over http and https (and a few browser-internal schemes); {url} uses another scheme, such as file:.',
    fix: 'Serve both the page and the resource over http(s), e.g. from a local web server instead of file://.',
  },
  modeAllowsCrossOrigin: {
    title: 'Request mode allows a cross-origin URL',
    chrome: { corsError: 'DisallowedByMode', detail: 'Cross origin requests are not allowed by request mode.', preflightInfix: false },
    headline: 'A same-origin-only request went to another origin',
    why: 'The request was made with mode "same-origin", so the browser refuses any URL on another origin without asking the server.',
    fix: 'Drop `mode: "same-origin"` from the request (the default mode, "cors", lets the server decide).',
  },
  preflightRequired: {
    title: 'Preflight needed (method and headers vs the CORS safelist)',
    headline: 'A preflight was required',
    why: 'The method or a header is not CORS-safelisted, so the browser first asks the server with an OPTIONS request.',
    fix: 'Answer OPTIONS for this URL with the Access-Control-Allow-* headers, or make the request simple.',
  },
  preflightReceived: {
    title: 'Preflight answered',
    firefox: FIREFOX_DID_NOT_SUCCEED,
    headline: 'The preflight (OPTIONS) request got no answer: {error}',
    why: 'The browser sent an OPTIONS request before {method} and it failed at the network level ({error}): the server was unreachable, the connection broke, or a certificate was refused. This is not a CORS decision.',
    fix: 'Make the OPTIONS endpoint reachable: check the host, the port, TLS and any proxy or firewall in between.',
  },
  preflightNotRedirected: {
    title: 'Preflight not redirected',
    chrome: { corsError: 'PreflightDisallowedRedirect', detail: 'Redirect is not allowed for a preflight request.', preflightInfix: true },
    firefox: { id: 'CORSExternalRedirectNotAllowed', messageKey: 'CORSExternalRedirectNotAllowed', reason: 'CORS request external redirect not allowed', withStatus: false },
    headline: 'The preflight was answered with a redirect ({status})',
    why: 'The server answered the OPTIONS request with {status} to {location}. A preflight must be answered directly; browsers never follow a redirect for it.',
    fix: 'Call the final URL directly (https instead of http, the canonical host, the trailing slash) or make the server answer OPTIONS without redirecting.',
  },
  allowOriginNotWildcardWithCredentials: {
    title: 'Allow-Origin is not `*` when credentials are included',
    chrome: {
      corsError: 'WildcardOriginNotAllowed',
      preflightCorsError: 'PreflightWildcardOriginNotAllowed',
      detail: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
      preflightInfix: true,
      xhrSuffix: XHR_WITH_CREDENTIALS,
    },
    firefox: {
      id: 'CORSNotSupportingCredentials',
      messageKey: 'CORSNotSupportingCredentials',
      reason: 'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
      withStatus: false,
      quoteUrl: true,
    },
    headline: 'Allow-Origin `*` refused because the request includes credentials',
    why: 'The request was sent with credentials (cookies, HTTP auth or client certificates), and a credentialed response may only name the exact origin. `*` is accepted only for requests without credentials.',
    fix: 'Send back the request’s origin ({origin}) instead of `*`, with `Access-Control-Allow-Credentials: true` and `Vary: Origin`; or stop sending credentials.',
  },
  allowOriginPresent: {
    title: 'Allow-Origin header present',
    chrome: {
      corsError: 'MissingAllowOriginHeader',
      preflightCorsError: 'PreflightMissingAllowOriginHeader',
      detail: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      preflightInfix: true,
    },
    firefox: { id: 'CORSMissingAllowOrigin', messageKey: 'CORSMissingAllowOrigin2', reason: 'CORS header ‘Access-Control-Allow-Origin’ missing', withStatus: true },
    headline: 'No Access-Control-Allow-Origin header in the response',
    why: 'The response (status {status}) carries no Access-Control-Allow-Origin header, so the server never said that {origin} may read it.',
    fix: 'Make the server add `Access-Control-Allow-Origin: {origin}` to every response for this URL, error responses included.',
  },
  allowOriginSingleValue: {
    title: 'Allow-Origin holds a single value',
    chrome: {
      corsError: 'MultipleAllowOriginValues',
      preflightCorsError: 'PreflightMultipleAllowOriginValues',
      detail: "The 'Access-Control-Allow-Origin' header contains multiple values '{hint}', but only one is allowed.",
      preflightInfix: true,
      fetchSuffix: HAVE_THE_SERVER_SEND,
    },
    firefox: { id: 'CORSMultipleAllowOriginNotAllowed', messageKey: 'CORSMultipleAllowOriginNotAllowed', reason: 'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed', withStatus: false },
    headline: 'Access-Control-Allow-Origin holds several values',
    why: 'The response says `Access-Control-Allow-Origin: {acao}`. Only one origin may be named; usually two layers (a proxy and the application) each add the header, or a list of origins was sent as is.',
    fix: 'Send exactly one Access-Control-Allow-Origin line with one origin ({origin}); to allow several origins, pick the matching one per request and add `Vary: Origin`.',
  },
  allowOriginValid: {
    title: 'Allow-Origin is a valid origin',
    chrome: {
      corsError: 'InvalidAllowOriginValue',
      preflightCorsError: 'PreflightInvalidAllowOriginValue',
      detail: "The 'Access-Control-Allow-Origin' header contains the invalid value '{hint}'.",
      preflightInfix: true,
      fetchSuffix: HAVE_THE_SERVER_SEND,
    },
    firefox: FIREFOX_NOT_MATCHING,
    headline: 'Access-Control-Allow-Origin is not a valid origin',
    why: 'The response says `Access-Control-Allow-Origin: {acao}`, which is not an origin: the value needs the scheme, host and port, like {origin}.',
    fix: 'Send the full origin `{origin}` (scheme://host[:port], no path, no trailing slash).',
  },
  allowOriginMatches: {
    title: 'Allow-Origin matches the request origin',
    chrome: {
      corsError: 'AllowOriginMismatch',
      preflightCorsError: 'PreflightAllowOriginMismatch',
      detail: "The 'Access-Control-Allow-Origin' header has a value '{hint}' that is not equal to the supplied origin.",
      preflightInfix: true,
      fetchSuffix: HAVE_THE_SERVER_SEND,
    },
    firefox: FIREFOX_NOT_MATCHING,
    headline: 'Access-Control-Allow-Origin names another origin',
    why: 'The response allows `{acao}`, but the request came from `{origin}`. The browser compares the two strings exactly: scheme, host, port, case and any trailing slash must all match.',
    fix: 'Send back `Access-Control-Allow-Origin: {origin}` for this origin (echo the request’s Origin header when it is on your allow-list, with `Vary: Origin`).',
  },
  allowCredentialsTrue: {
    title: 'Allow-Credentials is `true` when credentials are included',
    chrome: {
      corsError: 'InvalidAllowCredentials',
      preflightCorsError: 'PreflightInvalidAllowCredentials',
      detail: "The value of the 'Access-Control-Allow-Credentials' header in the response is '{hint}' which must be 'true' when the request's credentials mode is 'include'.",
      preflightInfix: true,
      xhrSuffix: XHR_WITH_CREDENTIALS,
    },
    firefox: { id: 'CORSMissingAllowCredentials', messageKey: 'CORSMissingAllowCredentials', reason: 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’', withStatus: false },
    headline: 'Access-Control-Allow-Credentials is not `true`',
    why: 'The request includes credentials, so the server must also answer `Access-Control-Allow-Credentials: true` (exactly, lower-case). The response has `{acac}`.',
    fix: 'Add `Access-Control-Allow-Credentials: true` to the response (on the preflight too), or stop sending credentials.',
  },
  preflightOkStatus: {
    title: 'Preflight status is 2xx',
    chrome: { corsError: 'PreflightInvalidStatus', detail: 'It does not have HTTP ok status.', preflightInfix: true },
    firefox: { id: 'CORSPreflightDidNotSucceed', messageKey: 'CORSPreflightDidNotSucceed3', reason: 'CORS preflight response did not succeed', withStatus: true },
    headline: 'The preflight was answered with status {status}',
    why: 'The OPTIONS request got {status}. A preflight must get a 2xx answer; an OPTIONS request never carries cookies or Authorization, so authentication or routing layers often reject it.',
    fix: 'Answer OPTIONS for this URL with 204 (or 200) before authentication and routing run.',
  },
  allowMethodsParses: {
    title: 'Allow-Methods parses as a list of tokens',
    chrome: { corsError: 'InvalidAllowMethodsPreflightResponse', detail: 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.', preflightInfix: false },
    firefox: { id: 'CORSInvalidAllowMethod', messageKey: 'CORSInvalidAllowMethod', reason: 'invalid token ‘{token}’ in CORS header ‘Access-Control-Allow-Methods’', withStatus: false },
    headline: 'Access-Control-Allow-Methods cannot be parsed',
    why: 'The preflight answered with an Access-Control-Allow-Methods value the browser cannot read: `{token}` is not a method name (items must be separated by commas, without spaces inside, quotes or semicolons).',
    fix: 'Send `Access-Control-Allow-Methods: GET, POST, PUT` style values: method names separated by commas.',
  },
  allowHeadersParses: {
    title: 'Allow-Headers parses as a list of tokens',
    chrome: { corsError: 'InvalidAllowHeadersPreflightResponse', detail: 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.', preflightInfix: false },
    firefox: { id: 'CORSInvalidAllowHeader', messageKey: 'CORSInvalidAllowHeader', reason: 'invalid token ‘{token}’ in CORS header ‘Access-Control-Allow-Headers’', withStatus: false },
    headline: 'Access-Control-Allow-Headers cannot be parsed',
    why: 'The preflight answered with an Access-Control-Allow-Headers value the browser cannot read: `{token}` is not a header name.',
    fix: 'Send header names separated by commas, e.g. `Access-Control-Allow-Headers: Content-Type, Authorization`.',
  },
  preflightAllowsMethod: {
    title: 'Preflight allows the method',
    chrome: { corsError: 'MethodDisallowedByPreflightResponse', detail: 'Method {hint} is not allowed by Access-Control-Allow-Methods in preflight response.', preflightInfix: false },
    firefox: { id: 'CORSMethodNotFound', messageKey: 'CORSMethodNotFound', reason: 'Did not find method in CORS header ‘Access-Control-Allow-Methods’', withStatus: false },
    headline: 'Method {method} is not in Access-Control-Allow-Methods',
    why: 'The request uses {method}, and the preflight’s Access-Control-Allow-Methods does not list it. Methods compare case-sensitively (`patch` is not `PATCH`), and `*` counts only for requests without credentials.',
    fix: 'Add `{method}` to Access-Control-Allow-Methods on the OPTIONS response, spelled exactly as the page sends it.',
  },
  preflightAllowsAuthorization: {
    title: 'Preflight allows the Authorization header',
    chrome: { corsError: 'HeaderDisallowedByPreflightResponse', detail: 'Request header field {hint} is not allowed by Access-Control-Allow-Headers in preflight response.', preflightInfix: false },
    firefox: FIREFOX_HEADER_NOT_ALLOWED,
    headline: 'Authorization is not explicitly in Access-Control-Allow-Headers',
    why: 'The Fetch Standard says `*` in Access-Control-Allow-Headers does not cover Authorization.',
    fix: 'Send `Access-Control-Allow-Headers: *, Authorization` or list the headers explicitly.',
  },
  preflightAllowsHeaders: {
    title: 'Preflight allows every non-safelisted header',
    chrome: { corsError: 'HeaderDisallowedByPreflightResponse', detail: 'Request header field {hint} is not allowed by Access-Control-Allow-Headers in preflight response.', preflightInfix: false },
    firefox: FIREFOX_HEADER_NOT_ALLOWED,
    headline: 'Header {header} is not in Access-Control-Allow-Headers',
    why: 'The request sends `{header}`, which is not CORS-safelisted, so the preflight’s Access-Control-Allow-Headers must list it (case does not matter; `*` counts only without credentials).',
    fix: 'Add `{header}` to Access-Control-Allow-Headers on the OPTIONS response.',
  },
  responseReceived: {
    title: 'Response received',
    firefox: FIREFOX_DID_NOT_SUCCEED,
    headline: 'The request failed before any response: {error}',
    why: 'The browser got no response ({error}): a network, TLS or DNS failure, or something that blocked the request before it left (an extension, mixed content). This is not a CORS decision.',
    fix: 'Fix the connection or the blocking cause first; CORS can only be judged once a response arrives.',
  },
  redirectCountWithinLimit: {
    title: 'At most 20 redirects',
    headline: 'Too many redirects',
    why: 'The request was redirected more than 20 times, so the browser gave up (net::ERR_TOO_MANY_REDIRECTS).',
    fix: 'Break the redirect loop on the server.',
  },
  redirectLocationHasNoCredentials: {
    title: 'Redirect Location has no user:password@',
    chrome: {
      corsError: 'RedirectContainsCredentials',
      detail: "Redirect location '{hint}' contains a username and password, which is disallowed for cross-origin requests.",
      preflightInfix: false,
    },
    firefox: { ...FIREFOX_DID_NOT_SUCCEED, nullStatus: true },
    headline: 'A redirect pointed to a URL with a username and password',
    why: 'The server redirected to {location}, which embeds credentials in the URL; browsers refuse to follow such a redirect for a cross-origin request.',
    fix: 'Remove the `user:password@` part from the Location header.',
  },
  redirectSchemeSupported: {
    title: 'Redirect target is http(s)',
    chrome: { corsError: 'CorsDisabledScheme', detail: 'Cross origin requests are only supported for protocol schemes: {schemes}.', preflightInfix: false },
    // Measured in Firefox ESR 153: a redirect to a data: URL is a network failure there, not CORSRequestNotHttp.
    firefox: { ...FIREFOX_DID_NOT_SUCCEED, nullStatus: true },
    headline: 'A redirect pointed to a non-http(s) URL',
    why: 'The server redirected to {location}; a cross-origin request may only be redirected to http or https URLs.',
    fix: 'Redirect to an http(s) URL, or call the final URL directly.',
  },
};

/** Where the words differ by phase: an Allow-Origin failure on the preflight or on a redirect reads differently. */
const PHASE_OVERRIDES: Partial<Record<CheckPhase, Partial<Record<CheckId, Partial<CheckText>>>>> = {
  preflight: {
    allowOriginPresent: {
      headline: 'No Access-Control-Allow-Origin header on the preflight response',
      why: 'The OPTIONS request was answered (status {status}) without an Access-Control-Allow-Origin header, so the browser never sent the actual request.',
      fix: 'Make the server answer OPTIONS for this URL with `Access-Control-Allow-Origin: {origin}` and the Allow-Methods/Allow-Headers the request needs, before any authentication.',
    },
    allowOriginMatches: {
      headline: 'The preflight’s Access-Control-Allow-Origin names another origin',
      why: 'The OPTIONS response allows `{acao}`, but the request came from `{origin}`. The browser compares the two strings exactly.',
    },
    allowCredentialsTrue: {
      why: 'The request includes credentials, so the OPTIONS response must also answer `Access-Control-Allow-Credentials: true` (exactly). It has `{acac}`.',
    },
  },
  redirect: {
    allowOriginPresent: {
      headline: 'The redirect response has no Access-Control-Allow-Origin header',
      why: 'The server answered {status} with a redirect but without Access-Control-Allow-Origin. For a cross-origin request every redirect response must carry the CORS headers too, before the browser follows it.',
      fix: 'Add the CORS headers to the redirect response as well, or call the final URL directly.',
    },
  },
};

/** The words for one check in one phase. */
export function checkTextFor(id: CheckId, phase: CheckPhase): CheckText {
  const base = CHECK_TEXTS[id];
  const override = PHASE_OVERRIDES[phase]?.[id];
  return override ? { ...base, ...override } : base;
}

/** Chrome's `{kind}` word for the kind of load, as its console prints it. */
export const CHROME_KIND_WORDS: Record<string, string> = {
  fetch: 'fetch',
  xhr: 'XMLHttpRequest',
  script: 'script',
  font: 'font',
  image: 'image',
  stylesheet: 'CSS stylesheet',
  media: 'media',
  document: 'document',
  other: 'resource',
};

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Fills `{name}` placeholders; unknown names are left as they are, so a missing value is visible, never invented. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => lookupOwn(values, name) ?? whole);
}
