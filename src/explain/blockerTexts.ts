/**
 * The words for what stops a request beside the CORS checks, as data keyed by family and kind (the engine's
 * `BlockerFinding`, src/engine/blockers/): the badge the list shows, a one-line headline, what happened in plain words,
 * the line Chrome prints for it (or `null` when it prints none: never a made-up "blocked by CORS policy" line), the fix
 * and where it lives.
 *
 * Templates use `{name}` placeholders (lower-case) filled from the finding's values: `{url}`, `{pageurl}`,
 * `{pageorigin}`, `{targetspace}`, `{pagespace}`, `{corp}`, `{coep}`, `{directive}`, `{directivetext}`,
 * `{effectivedirective}`, `{location}`, `{status}`, `{neterror}`, `{kindword}`, `{origin}`, `{redirected}`,
 * `{redirects}`. Chrome's lines follow ../shared/research/beside-cors.md (measured on Chromium 156).
 */
import type { BlockerFamily } from '../model/exchange.js';

export type FixSide = 'server' | 'page' | 'user' | 'network' | 'none';

export interface BlockerText {
  badge: string;
  headline: string;
  explanation: string;
  /** Chrome's console line template, or null when Chrome prints nothing for it (or the line cannot be known). */
  console: string | null;
  fix: string;
  fixSide: FixSide;
}

const BADGES: Readonly<Record<BlockerFamily, string>> = {
  'local-network-access': 'LNA',
  corp: 'CORP',
  coep: 'COEP',
  orb: 'ORB',
  csp: 'CSP',
  'mixed-content': 'Mixed content',
  extension: 'Extension',
  devtools: 'DevTools',
  redirect: 'Redirect',
  network: 'Network',
  aborted: 'Aborted',
};

/** Chrome's prefix for a CORS-reported failure; `{redirected}` is `(redirected from '…') ` or empty. */
const CORS_PREFIX = "Access to {kindword} at '{url}' {redirected}from origin '{origin}' has been blocked by CORS policy: ";
const FAILED_TO_LOAD = 'Failed to load resource: {neterror}';

const LNA_FIXES =
  'Nothing on the server at {url} can fix this: no CORS header helps. Either the user allows Chrome’s local network access prompt for the page (or in its site settings), or the page declares what it calls: fetch(url, { targetAddressSpace: "{targetspace}" }) so Chrome asks for the permission. The page must be a secure context (https). In an iframe, the frame needs allow="local-network; loopback-network". Administrators can allow the page with the LocalNetworkAccessAllowedForUrls policy. During development, serve the UI locally too (from localhost), so no address-space boundary is crossed.';

const TEXTS: Readonly<Record<string, Omit<BlockerText, 'badge'>>> = {
  'local-network-access/permission-denied': {
    headline:
      'Blocked by Chrome’s Local Network Access permission: a {pagespace} page may not reach the {targetspace} address space without it — no CORS header helps; allow the permission, or call it with fetch(url, { targetAddressSpace: "{targetspace}" }).',
    explanation:
      'Since Chrome 142 a page needs the user’s permission to reach a more private address space ({targetspace}: {url}) than its own ({pagespace}). Chrome checks this before any CORS header is read, and reports it as a CORS error. The permission was denied (or never granted: headless and automated browsers deny it at once){ortargetspace}.',
    console: `${CORS_PREFIX}Permission was denied for this request to access the \`{targetspace}\` address space.`,
    fix: LNA_FIXES,
    fixSide: 'page',
  },
  'local-network-access/insecure-page': {
    headline: 'Blocked by Chrome’s Local Network Access: an insecure (http) page may not reach the {targetspace} address space at all — serve the page over https; no CORS header helps.',
    explanation:
      'The page ({pageurl}) is not a secure context, and Chrome lets only secure pages ask for the permission to reach a more private address space ({targetspace}: {url}). The check runs before any CORS header is read; no server header can fix it.',
    console: `${CORS_PREFIX}The request client is not a secure context and the resource is in more-private address space \`{targetspace}\`.`,
    fix: `Serve the page over https (a secure context), then let the user grant the local network permission. ${LNA_FIXES}`,
    fixSide: 'page',
  },
  'corp/not-same-origin': {
    headline: 'Blocked by Cross-Origin-Resource-Policy: the resource allows only its own origin (not CORS).',
    explanation:
      'The server of {url} sent Cross-Origin-Resource-Policy: {corp}, so Chrome refuses to hand the response to a page from another origin ({pageorigin}). This applies to loads without CORS (images, scripts, no-cors fetch); CORS headers do not change it.',
    console: FAILED_TO_LOAD,
    fix: 'Have the server of {url} send Cross-Origin-Resource-Policy: cross-origin (or same-site when both sites share a registrable domain), or load it in CORS mode (a crossorigin attribute, or fetch without no-cors) and allow the origin with CORS.',
    fixSide: 'server',
  },
  'corp/not-same-site': {
    headline: 'Blocked by Cross-Origin-Resource-Policy: the resource allows only its own site (not CORS).',
    explanation:
      'The server of {url} sent Cross-Origin-Resource-Policy: {corp}, and the page ({pageorigin}) is on another site (Chrome never counts two ports of an IP address as one site here). CORS headers do not change it.',
    console: FAILED_TO_LOAD,
    fix: 'Have the server of {url} send Cross-Origin-Resource-Policy: cross-origin, or load it in CORS mode and allow the origin with CORS.',
    fixSide: 'server',
  },
  'coep/require-corp': {
    headline: 'Blocked by the page’s Cross-Origin-Embedder-Policy: the resource sends no Cross-Origin-Resource-Policy.',
    explanation:
      'The page sends Cross-Origin-Embedder-Policy: {coep}, so every cross-origin resource it loads without CORS must opt in with Cross-Origin-Resource-Policy. {url} sent none ({corp}), so Chrome refused it.',
    console: FAILED_TO_LOAD,
    fix: 'Have the server of {url} send Cross-Origin-Resource-Policy: cross-origin, or load it in CORS mode (crossorigin attribute) with CORS allowed, or relax the page’s COEP (credentialless).',
    fixSide: 'server',
  },
  'coep/document-isolation-policy': {
    headline: 'Blocked by the page’s Document-Isolation-Policy: the resource sends no Cross-Origin-Resource-Policy.',
    explanation: 'The page isolates itself, so cross-origin resources loaded without CORS must opt in with Cross-Origin-Resource-Policy; {url} did not.',
    console: FAILED_TO_LOAD,
    fix: 'Have the server of {url} send Cross-Origin-Resource-Policy: cross-origin, or load it in CORS mode with CORS allowed.',
    fixSide: 'server',
  },
  'coep/frame-needs-coep': {
    headline: 'Blocked by the page’s Cross-Origin-Embedder-Policy: the framed document sends no COEP of its own.',
    explanation: 'A page with COEP can embed only documents that send a Cross-Origin-Embedder-Policy too; {url} did not.',
    console: FAILED_TO_LOAD,
    fix: 'Have the framed document send Cross-Origin-Embedder-Policy (require-corp or credentialless).',
    fixSide: 'server',
  },
  'coep/coop-sandboxed-frame': {
    headline: 'Blocked: a sandboxed frame may not navigate to a page with Cross-Origin-Opener-Policy.',
    explanation: 'The frame is sandboxed and {url} sends a Cross-Origin-Opener-Policy, which Chrome refuses there.',
    console: FAILED_TO_LOAD,
    fix: 'Drop the sandbox on the frame, or the COOP header on {url}.',
    fixSide: 'page',
  },
  'orb/no-cors-fetch': {
    headline: 'Opaque Response Blocking: fetch with mode “no-cors” got an empty, unreadable response (not a CORS error).',
    explanation:
      'The page fetched {url} with mode: "no-cors". The server answered ({status}), but a no-cors response is opaque: the page can never read its status, headers or body, and for JSON, HTML or text Chrome blocks the body outright (ORB). no-cors is not a way around a CORS error.',
    console: null,
    fix: 'Drop mode: "no-cors" and let the server allow the page’s origin with CORS (Access-Control-Allow-Origin), or call the API from your own server.',
    fixSide: 'page',
  },
  'orb/opaque-response': {
    headline: 'Opaque Response Blocking: the response to a load without CORS was withheld (not a CORS error).',
    explanation: 'The page loaded {url} without CORS, and Chrome withheld the response (ORB): its type is not one such a load may receive.',
    console: null,
    fix: 'Load it in CORS mode and let the server allow the origin, or serve it with the type the element expects.',
    fixSide: 'page',
  },
  'orb/blocked-by-orb': {
    headline: 'Opaque Response Blocking: Chrome refused a response the {kindword} cannot use (not a CORS error).',
    explanation:
      'The page loaded {url} without CORS (e.g. <script src>), and the response is JSON, HTML or text (or nosniff with another type), which such a load may never receive. Chrome blocked it (ORB); it prints nothing in the console, DevTools raises an issue.',
    console: null,
    fix: 'Load a real script/image URL, serve it with the right Content-Type, or fetch the data with CORS instead of as a {kindword}.',
    fixSide: 'page',
  },
  'csp/request': {
    headline: 'Blocked by the page’s Content Security Policy ({directive}): the request never left the browser.',
    explanation:
      'The page ({pageurl}) sends a Content-Security-Policy whose “{directivetext}” does not list {url}, so Chrome refused to send the request. This is the page’s own policy, not the server’s CORS.',
    console: null,
    fix: 'Add the origin of {url} to {effectivedirective} in the page’s Content-Security-Policy header (served with the page), or call a URL the policy already allows.',
    fixSide: 'page',
  },
  'csp/redirect-target': {
    headline: 'Blocked by the page’s Content Security Policy ({directive}): the request was redirected to a URL it does not allow.',
    explanation:
      '{redirectedfrom} redirected to {url}, which the page’s “{directivetext}” does not list, so Chrome stopped at the redirect (DevTools shows it aborted).',
    console: null,
    fix: 'Add the origin of {url} to {effectivedirective} in the page’s Content-Security-Policy, or call the final URL directly if the policy allows it.',
    fixSide: 'page',
  },
  'mixed-content/blocked': {
    headline: 'Blocked as mixed content: an https page requested plain http.',
    explanation:
      'The page ({pageurl}) was loaded over https and requested {url} over plain http. Chrome blocks that before the request leaves; CORS never ran.',
    console:
      "Mixed Content: The page at '{pageurl}' was loaded over HTTPS, but requested an insecure {mixedword} '{url}'. This request has been blocked; the content must be served over HTTPS.",
    fix: 'Serve {url} over https and call it with https://.',
    fixSide: 'page',
  },
  'extension/blocked-by-client': {
    headline: 'Blocked by a browser extension (an ad or privacy blocker), not by CORS.',
    explanation: 'Another extension in this browser refused the request{onpreflight} to {url} (net::ERR_BLOCKED_BY_CLIENT). It never reached the server.',
    console: FAILED_TO_LOAD,
    fix: 'Allow the site in the blocking extension (or test in a profile without it). Renaming paths that look like ads or trackers (/ads, /track, /analytics) avoids it for users.',
    fixSide: 'user',
  },
  'extension/blocked-by-administrator': {
    headline: 'Blocked by a browser policy set by an administrator, not by CORS.',
    explanation: 'A policy of this browser (URLBlocklist or an extension it forces) refused {url} (net::ERR_BLOCKED_BY_ADMINISTRATOR).',
    console: FAILED_TO_LOAD,
    fix: 'Ask the administrator to allow the URL, or test in another profile.',
    fixSide: 'user',
  },
  'devtools/blocked': {
    headline: 'Blocked by DevTools’ own request blocking, not by CORS.',
    explanation: 'A request-blocking pattern set in DevTools stopped {url} before it left.',
    console: null,
    fix: 'Remove the pattern in DevTools (Network request blocking).',
    fixSide: 'user',
  },
  'redirect/preflight-redirect': {
    headline: 'The preflight was answered with a redirect, which the browser never follows.',
    explanation:
      'The OPTIONS preflight for {url} got a redirect{tolocation}. A preflight must be answered where it is asked: Chrome refuses any redirect (PreflightDisallowedRedirect), whatever CORS headers the redirect carries.',
    console: null,
    fix: 'Answer OPTIONS at {url} itself with 204 and the CORS headers, before any redirect (http→https, a trailing slash, a login page), or have the page call the final URL directly.',
    fixSide: 'server',
  },
  'redirect/unsafe-redirect': {
    headline: 'The redirect goes to a URL the browser will not follow (net::ERR_UNSAFE_REDIRECT), not a CORS error.',
    explanation: '{url} redirected to {location}, a scheme (data:, file:, javascript:, …) a web request may never be redirected to. Chrome stopped there.',
    console: FAILED_TO_LOAD,
    fix: 'Redirect to an http(s) URL, or return the content directly.',
    fixSide: 'server',
  },
  'redirect/too-many-redirects': {
    headline: 'Too many redirects: the request went round more than 20 times (net::ERR_TOO_MANY_REDIRECTS).',
    explanation: 'The redirects from {url} never ended (a loop), so Chrome gave up after 20.',
    console: FAILED_TO_LOAD,
    fix: 'Fix the redirect loop on the server (often http↔https or with/without a trailing slash, or a login redirect that redirects again).',
    fixSide: 'server',
  },
  'redirect/invalid-redirect': {
    headline: 'The redirect’s Location is not a URL the browser can follow (net::ERR_INVALID_REDIRECT).',
    explanation: '{url} answered with a redirect whose Location cannot be followed.',
    console: FAILED_TO_LOAD,
    fix: 'Send a valid absolute or relative URL in Location.',
    fixSide: 'server',
  },
  'redirect/manual-redirect': {
    headline: 'Not followed: the page asked for redirect: "manual", so it got an opaque redirect.',
    explanation:
      '{url} answered with a redirect, and the page’s fetch used redirect: "manual": the browser hands the page an opaque redirect (status 0, no headers) and follows nothing. DevTools records the redirect as aborted.',
    console: null,
    fix: 'Use redirect: "follow" (the default) to get the final response, or call the final URL directly.',
    fixSide: 'page',
  },
  'network/connection-refused': {
    headline: 'Connection refused: nothing is listening at {url} (not a CORS error).',
    explanation: 'The browser could not connect{onpreflight}: the server is down, or listens on another port or address. No CORS check ran.',
    console: FAILED_TO_LOAD,
    fix: 'Start the server, or fix the host and port the page calls.',
    fixSide: 'network',
  },
  'network/connection-reset': {
    headline: 'The connection was reset{afterheaders} (not a CORS error).',
    explanation: 'The server (or something between) dropped the connection{onpreflight} while the browser read {url}{afterheadersexplained}. No CORS check failed: the response never completed.',
    console: FAILED_TO_LOAD,
    fix: 'Look at the server’s logs for a crash or timeout while sending the response (or a proxy cutting it off).',
    fixSide: 'server',
  },
  'network/connection-closed': {
    headline: 'The connection was closed before the response completed (not a CORS error).',
    explanation: 'The connection to {url} closed unexpectedly{onpreflight}. No CORS check failed.',
    console: FAILED_TO_LOAD,
    fix: 'Look at the server’s logs (a crash, a timeout, or a proxy closing the connection).',
    fixSide: 'server',
  },
  'network/empty-response': {
    headline: 'The server closed the connection without answering (net::ERR_EMPTY_RESPONSE), not a CORS error.',
    explanation: 'The browser connected to {url} and sent the request{onpreflight}, and the server closed the connection without sending anything.',
    console: FAILED_TO_LOAD,
    fix: 'Look at the server: it crashed on this request, or something (a proxy, a TLS/plain-http mismatch on the port) closed it.',
    fixSide: 'server',
  },
  'network/name-not-resolved': {
    headline: 'The host name of {url} does not resolve (not a CORS error).',
    explanation: 'DNS has no address for the host, so nothing was sent.',
    console: FAILED_TO_LOAD,
    fix: 'Fix the host name (or the DNS / hosts entry).',
    fixSide: 'network',
  },
  'network/timed-out': {
    headline: 'The request timed out (not a CORS error).',
    explanation: 'No answer came from {url} in time.',
    console: FAILED_TO_LOAD,
    fix: 'Check that the server is reachable and answers.',
    fixSide: 'network',
  },
  'network/unreachable': {
    headline: 'The network could not reach {url} (not a CORS error).',
    explanation: 'The address is unreachable, or the network went away.',
    console: FAILED_TO_LOAD,
    fix: 'Check the network connection and the address.',
    fixSide: 'network',
  },
  'network/response-incomplete': {
    headline: 'The response broke off before it was complete (not a CORS error).',
    explanation: 'The server started answering {url} but the body did not arrive whole ({neterror}).',
    console: FAILED_TO_LOAD,
    fix: 'Look at the server (or a proxy) for what cuts the response short.',
    fixSide: 'server',
  },
  'network/invalid-response': {
    headline: 'The server’s answer is not valid HTTP (not a CORS error).',
    explanation: 'The browser could not read the answer from {url} ({neterror}).',
    console: FAILED_TO_LOAD,
    fix: 'Check that the port speaks HTTP(S) and sends well-formed headers.',
    fixSide: 'server',
  },
  'network/tls': {
    headline: 'The secure connection failed ({neterror}), not a CORS error.',
    explanation: 'The browser refused the TLS connection to {url}: the certificate or the TLS setup is not acceptable.',
    console: FAILED_TO_LOAD,
    fix: 'Fix the server’s certificate (name, expiry, chain) or TLS setup.',
    fixSide: 'server',
  },
  'network/net-error': {
    headline: 'The request failed in the network stack ({neterror}), not in a CORS check.',
    explanation: 'Chrome failed {url} with {neterror}{onpreflight}. No CORS check decided it.',
    console: FAILED_TO_LOAD,
    fix: 'Look up {neterror}: it names the cause.',
    fixSide: 'network',
  },
  'network/websocket-refused': {
    headline: 'The WebSocket handshake did not succeed{wsstatus}; WebSockets are not subject to CORS.',
    explanation:
      'A WebSocket handshake is never checked with CORS: the server decides from the Origin header itself whether to switch protocols, and it did not ({wsanswer}).',
    // Chrome's line depends on whether DevTools is open ("WebSocket connection to 'U' failed: " with or without the reason).
    console: null,
    fix: 'Let the server accept the page’s Origin in its WebSocket handshake (its own allow-list) and answer 101, and check that it is up at {url}.',
    fixSide: 'server',
  },
  'aborted/page-abort': {
    headline: 'Aborted: the page (or a navigation away from it) cancelled the request; no CORS check failed.',
    explanation: 'The request to {url} was cancelled in the browser (net::ERR_ABORTED{afterheadersshort}): an AbortController, a timeout in the page’s code, or leaving the page.',
    console: null,
    fix: 'Nothing to fix on the server; check the page’s abort/timeout logic if the abort was not meant.',
    fixSide: 'page',
  },
};

const FALLBACK: Readonly<Record<BlockerFamily, string>> = {
  'local-network-access': 'local-network-access/permission-denied',
  corp: 'corp/not-same-origin',
  coep: 'coep/require-corp',
  orb: 'orb/opaque-response',
  csp: 'csp/request',
  'mixed-content': 'mixed-content/blocked',
  extension: 'extension/blocked-by-client',
  devtools: 'devtools/blocked',
  redirect: 'redirect/invalid-redirect',
  network: 'network/net-error',
  aborted: 'aborted/page-abort',
};

/** The words for a family and kind (the family's general words for a kind without its own). */
export function blockerTextFor(family: BlockerFamily, kind: string): BlockerText {
  const text = TEXTS[`${family}/${kind}`] ?? TEXTS[FALLBACK[family]]!;
  return { badge: BADGES[family], ...text };
}

/**
 * Chrome's CSP console lines by the kind of load (measured: the image line on Chromium 156; the connect line as
 * Chromium words it for fetch and XHR). Only when the directive that refused it is the load's own (no default-src
 * fallback, whose line adds a note this file does not know verbatim).
 */
export const CSP_CONSOLE: Readonly<Record<string, string>> = {
  image: 'Loading the image \'{url}\' violates the following Content Security Policy directive: "{directivetext}". The action has been blocked.',
  fetch: 'Connecting to \'{url}\' violates the following Content Security Policy directive: "{directivetext}". The action has been blocked.',
  xhr: 'Connecting to \'{url}\' violates the following Content Security Policy directive: "{directivetext}". The action has been blocked.',
};

/** Every family/kind that has words (for tests and docs). */
export const BLOCKER_TEXT_KEYS: readonly string[] = Object.keys(TEXTS);
export const BLOCKER_BADGES: Readonly<Record<BlockerFamily, string>> = BADGES;
