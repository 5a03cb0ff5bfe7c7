/**
 * The lab's scenarios beside textbook CORS: the failures users bring to a CORS tab that the Access-Control-* checks do
 * not decide (Local Network Access, CORP and COEP, ORB, CSP, mixed content, request blocking, redirects, dead
 * connections). Same format as `scenarios.ts`, and as there no expected verdict: the browser is the oracle.
 *
 * Several need a page other than the lab page (`page`, see `LabPageVariant`) or a browser set up for them
 * (`browserSetup`; `labChromiumArgs` and `prepareBrowserForLab` in test/support/lab-run.ts do it), which is why they
 * are a list of their own: `startLab({ scenarios: [...scenarios, ...besideCorsScenarios] })`.
 * docs/lab.md records what Chromium 156 reported for each.
 */
import type { LabAnswer, LabHeader, LabHop, LabRequest, LabScenario } from './scenarios.js';

const ACAO = 'Access-Control-Allow-Origin';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const CORP = 'Cross-Origin-Resource-Policy';
const echoOrigin: LabHeader = [ACAO, '{page}'];
const anyOrigin: LabHeader = [ACAO, '*'];
const vary: LabHeader = ['Vary', 'Origin'];

const ok = (...headers: LabHeader[]): LabAnswer => ({ status: 200, headers });
const gif = (...headers: LabHeader[]): LabAnswer => ({ status: 200, headers, body: 'gif' });
const api = (actual: LabAnswer, options?: LabAnswer): LabHop => (options ? { origin: 'api', options, actual } : { origin: 'api', actual });

const get = (extra: Partial<LabRequest> = {}): LabRequest => ({ api: 'fetch', method: 'GET', headers: [], credentials: 'same-origin', ...extra });
const jsonPut: LabRequest = {
  api: 'fetch',
  method: 'PUT',
  headers: [],
  credentials: 'same-origin',
  body: { mimeType: 'application/json', text: '{"lab":true}' },
};
const noCorsImage: LabRequest = { api: 'img', method: 'GET', headers: [], credentials: 'same-origin', mode: 'no-cors' };

/** The URL pattern DevTools' request blocking (CDP `Network.setBlockedURLs`) is given for `blocked-by-devtools`. */
export const DEVTOOLS_BLOCKED_URL_PATTERN = '*/s/blocked-by-devtools?*';
/** The path the test blocker extension (test/support/blocker-extension) refuses, as an ad blocker would. */
export const EXTENSION_BLOCKED_PATH = '/s/blocked-by-extension';

export const besideCorsScenarios: readonly LabScenario[] = [
  // Local Network Access: a page Chromium is told is `public` calling loopback and LAN addresses
  {
    id: 'lna-denied-fetch',
    title: 'Public page fetches a loopback API (permission denied)',
    description:
      'A public https page fetches the API on 127.0.0.1; the API would allow the origin, but headless Chromium denies the Local Network Access permission.',
    page: 'public',
    request: get(),
    hops: [api(ok(echoOrigin, vary))],
  },
  {
    id: 'lna-denied-localhost',
    title: 'Public https page fetches http://localhost (permission denied)',
    description:
      'The case users meet most: a page on a public https site calls a dev server on `http://localhost:<port>`, which would allow its origin.',
    page: 'public',
    request: get(),
    hops: [{ origin: 'other', actual: ok(echoOrigin, vary) }],
  },
  {
    id: 'lna-denied-preflighted-put',
    title: 'Public page sends a preflighted PUT to loopback (permission denied)',
    description: 'A JSON PUT from the public page to 127.0.0.1; preflight and response would pass CORS, the permission is denied.',
    page: 'public',
    request: jsonPut,
    hops: [api(ok(echoOrigin, vary), { status: 204, headers: [echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type'], vary], body: 'empty' })],
  },
  {
    id: 'lna-denied-image',
    title: 'Public page loads a loopback image (no-cors, permission denied)',
    description: 'An `<img>` without crossorigin on the public page, served from 127.0.0.1: Local Network Access refuses no-cors loads too.',
    page: 'public',
    request: noCorsImage,
    hops: [api(gif())],
  },
  {
    id: 'lna-denied-lan-target',
    title: 'Public page fetches a LAN address (permission denied)',
    description:
      'The public https page fetches `http://lan.example` (Chromium is told it is a `local`, LAN, address) with `targetAddressSpace: "local"` (without it the http URL is mixed content); the permission is denied.',
    page: 'public',
    request: get({ targetAddressSpace: 'local' }),
    hops: [{ origin: 'lan', actual: ok(echoOrigin, vary) }],
  },
  {
    id: 'lna-wrong-target-address-space',
    title: 'fetch(url, {targetAddressSpace: "local"}) to a loopback API',
    description: 'The public page declares the target is on the LAN (`local`), but 127.0.0.1 is `loopback`.',
    page: 'public',
    request: get({ targetAddressSpace: 'local' }),
    hops: [api(ok(echoOrigin, vary))],
  },
  {
    id: 'lna-insecure-page',
    title: 'Insecure (http) public page fetches a loopback API',
    description: 'A public page served over plain http (not a secure context) fetches 127.0.0.1.',
    page: 'public-insecure',
    request: get(),
    hops: [api(ok(echoOrigin, vary))],
  },
  {
    id: 'lna-granted-allowed',
    title: 'Permission granted, CORS allows',
    description: 'The public page whose Local Network Access permission was granted (CDP) fetches 127.0.0.1; the API echoes its origin.',
    page: 'public-granted',
    request: get(),
    hops: [api(ok(echoOrigin, vary))],
  },
  {
    id: 'lna-granted-cors-fails',
    title: 'Permission granted, then no Allow-Origin',
    description: 'The permission is granted, so CORS applies as usual: the API answers without Access-Control-Allow-Origin.',
    page: 'public-granted',
    request: get(),
    hops: [api(ok())],
  },
  {
    id: 'lna-granted-lan-target',
    title: 'Permission granted, LAN target allows',
    description:
      'The granted public page fetches the `local` server `http://lan.example` with `targetAddressSpace: "local"`; it echoes the origin.',
    page: 'public-granted',
    request: get({ targetAddressSpace: 'local' }),
    hops: [{ origin: 'lan', actual: ok(echoOrigin, vary) }],
  },
  {
    id: 'lna-granted-target-loopback',
    title: 'Permission granted, targetAddressSpace "loopback" (correct)',
    description: 'The granted public page declares `targetAddressSpace: "loopback"` for 127.0.0.1, which is right; the API echoes its origin.',
    page: 'public-granted',
    request: get({ targetAddressSpace: 'loopback' }),
    hops: [api(ok(echoOrigin, vary))],
  },

  // Cross-Origin-Resource-Policy and COEP (no-cors subresources)
  {
    id: 'corp-same-origin-image',
    title: 'Image with CORP: same-origin from another origin',
    description: 'An `<img>` without crossorigin; the API serves it with `Cross-Origin-Resource-Policy: same-origin`.',
    request: noCorsImage,
    hops: [api(gif([CORP, 'same-origin']))],
  },
  {
    id: 'corp-same-site-image',
    title: 'Image with CORP: same-site from another site',
    description: 'An `<img>` without crossorigin from `localhost` (another site); it carries `Cross-Origin-Resource-Policy: same-site`.',
    request: noCorsImage,
    hops: [{ origin: 'other', actual: gif([CORP, 'same-site']) }],
  },
  {
    id: 'coep-image-without-corp',
    title: 'COEP require-corp page loads an image without CORP',
    description: 'The page is served with `Cross-Origin-Embedder-Policy: require-corp`; the API image has no CORP header.',
    page: 'coep',
    request: noCorsImage,
    hops: [api(gif())],
  },
  {
    id: 'coep-image-corp-cross-origin',
    title: 'COEP require-corp page loads an image with CORP: cross-origin',
    description: 'The same COEP page; the image carries `Cross-Origin-Resource-Policy: cross-origin`, which COEP accepts.',
    page: 'coep',
    request: noCorsImage,
    hops: [api(gif([CORP, 'cross-origin']))],
  },

  // Opaque Response Blocking
  {
    id: 'orb-no-cors-fetch-json',
    title: 'fetch(url, {mode: "no-cors"}) to a JSON API',
    description: 'The usual wrong "fix" for a CORS error: a no-cors fetch of JSON without CORS headers gives the page an opaque response.',
    request: get({ mode: 'no-cors' }),
    hops: [api(ok())],
  },
  {
    id: 'orb-script-json',
    title: '<script src> of a JSON response',
    description: 'A classic `<script src>` (no crossorigin) pointing at the JSON API.',
    request: { api: 'script', method: 'GET', headers: [], credentials: 'same-origin', mode: 'no-cors' },
    hops: [api(ok())],
  },

  // The page's Content Security Policy
  {
    id: 'csp-connect-src-fetch',
    title: 'fetch refused by the page\'s CSP connect-src',
    description: "The page's CSP says `connect-src 'self'`; it fetches the API (which would answer `*`).",
    page: 'csp',
    request: get(),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'csp-img-src-image',
    title: 'Image refused by the page\'s CSP img-src',
    description: "The page's CSP says `img-src 'self'`; it loads an image from the API.",
    page: 'csp',
    request: noCorsImage,
    hops: [api(gif())],
  },

  // Mixed content
  {
    id: 'mixed-content-fetch',
    title: 'https page fetches plain http',
    description: 'An https page fetches `http://api.example:<port>` (a name, not a loopback literal), which would answer `*`.',
    page: 'https',
    request: get(),
    hops: [{ origin: 'api-by-name', actual: ok(anyOrigin) }],
  },

  // Blocked inside the browser
  {
    id: 'blocked-by-devtools',
    title: 'Blocked by DevTools request blocking',
    description: 'DevTools request blocking (CDP `Network.setBlockedURLs`) is given this URL; the API would answer `*`.',
    browserSetup: 'devtools-request-blocking',
    request: get(),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'blocked-by-extension',
    title: 'Blocked by an extension (ad blocker)',
    description: 'A test extension blocks this path with a declarativeNetRequest rule, as an ad blocker does; the API would answer `*`.',
    browserSetup: 'extension-blocking',
    request: get(),
    hops: [api(ok(anyOrigin))],
  },

  // Dead connections and error pages
  {
    id: 'net-connection-refused',
    title: 'Connection refused (server down)',
    description: 'A fetch to a port nobody listens on.',
    request: get(),
    hops: [{ origin: 'dead', actual: ok(anyOrigin) }],
  },
  {
    id: 'net-reset-after-headers',
    title: 'Connection reset after the headers',
    description: 'The API sends 200 with `Access-Control-Allow-Origin` and part of the body, then resets the connection.',
    request: get(),
    hops: [api({ status: 200, headers: [echoOrigin, vary], connection: 'reset-after-headers' })],
  },
  {
    id: 'net-empty-response',
    title: 'Empty response (closed without answering)',
    description: 'The API closes the connection without sending a byte.',
    request: get(),
    hops: [api({ status: 200, headers: [anyOrigin], connection: 'close-without-answer' })],
  },
  {
    id: 'websocket-handshake-refused',
    title: 'WebSocket handshake refused (403)',
    description: 'The page opens a WebSocket to the API, which answers the handshake with 403 and no upgrade (WebSockets are not CORS requests).',
    request: { api: 'websocket', method: 'GET', headers: [], credentials: 'same-origin' },
    hops: [api({ status: 403, headers: [] })],
  },
  {
    id: 'net-gateway-502-without-cors',
    title: '502 from a gateway, without CORS headers',
    description: 'A proxy answers 502 with its own HTML error page and no CORS headers (the upstream is down).',
    request: get(),
    hops: [api({ status: 502, headers: [['Server', 'nginx']], body: 'html' })],
  },

  // Redirects and aborts
  {
    id: 'redirect-loop',
    title: 'Redirect loop (too many redirects)',
    description: 'The API answers 302 (with Allow-Origin *) pointing at the same URL, again and again.',
    request: get(),
    hops: [api({ status: 302, headers: [['Location', '{self}'], anyOrigin], body: 'empty' })],
  },
  {
    id: 'redirect-to-data-url',
    title: 'Redirect to a data: URL',
    description: 'The API answers 302 (with Allow-Origin *) to `data:text/plain,lab`.',
    request: get(),
    hops: [api({ status: 302, headers: [['Location', 'data:text/plain,lab'], anyOrigin], body: 'empty' })],
  },
  {
    id: 'redirect-preflight-307',
    title: 'Preflight answered 307 to another origin',
    description: 'A JSON PUT; the OPTIONS is redirected (307, no CORS headers) to the third origin, which would allow everything.',
    request: jsonPut,
    hops: [
      api(ok(echoOrigin, vary), { status: 307, headers: [['Location', '{next}']], body: 'empty' }),
      {
        origin: 'other',
        options: { status: 204, headers: [echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']], body: 'empty' },
        actual: ok(echoOrigin),
      },
    ],
  },
  {
    id: 'redirect-manual',
    title: 'fetch(url, {redirect: "manual"}) to a redirect',
    description: 'The page asks for `redirect: "manual"`; the API answers 302 (Allow-Origin *) to the third origin.',
    request: get({ redirect: 'manual' }),
    hops: [
      api({ status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }),
      { origin: 'other', actual: ok(anyOrigin) },
    ],
  },
  {
    id: 'abort-by-page',
    title: 'The page aborts the fetch (AbortController)',
    description: 'The API takes 2 s to answer; the page aborts the fetch after 150 ms.',
    request: get({ abortAfterMs: 150 }),
    hops: [api({ status: 200, headers: [anyOrigin], delayMs: 2000 })],
  },
];
