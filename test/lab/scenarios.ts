/**
 * The CORS lab's scenarios, as data: what the page does (the request) and what each server answers (per hop).
 *
 * There is deliberately no expected verdict here: the browser is the oracle. The real-browser tests record what
 * Chromium reported for each request over CDP and compare the CORS panel with that.
 *
 * Header values may hold placeholders, resolved by the lab server for the run at hand (see `resolvePlaceholders`):
 *   {page}   the page origin, e.g. http://127.0.0.1:41234 (what a correct server echoes in Allow-Origin)
 *   {api}    the API origin            {other}  the third origin (http://localhost:<port>)
 *   {next}   the absolute URL of the next hop of this scenario (for Location headers)
 *   {next-with-userinfo}  the same URL with `user:pass@` in its authority
 *   {self}   the absolute URL of this very hop (a redirect loop)
 * `{page}` is the origin of the page the scenario runs on (`LabScenario.page`; the lab page unless it says otherwise).
 *
 * The scenarios beside textbook CORS (Local Network Access, CORP/COEP, ORB, CSP, mixed content, blocking, redirects,
 * dead connections) live in `beside-scenarios.ts`, in the same format.
 */

/** How the page makes the request (`script`: a classic `<script src>`; `websocket`: `new WebSocket` on the ws:// URL). */
export type LabApi = 'fetch' | 'xhr' | 'font' | 'img' | 'module-script' | 'script' | 'websocket';

/**
 * The lab's origins: the page, the API, and a third one for cross-origin redirects; for the scenarios beside CORS also
 * `lan` (a server Chromium is told is on the local network), `dead` (a port nobody listens on) and `api-by-name`
 * (the API server reached as `http://api.example:<port>`, a name: what an https page cannot fetch over http).
 */
export type LabOrigin = 'page' | 'api' | 'other' | 'lan' | 'dead' | 'api-by-name';

/**
 * The page a scenario runs on. `lab` is the lab page itself (`http://127.0.0.1:<p1>`); the others are variants of it
 * on their own origins, for the scenarios beside CORS:
 *   coep            http://127.0.0.1:<p>   served with `Cross-Origin-Embedder-Policy: require-corp`
 *   csp             http://127.0.0.1:<p>   served with `Content-Security-Policy: connect-src 'self'; img-src 'self'`
 *   public          https://public.example:<p>    Chromium is told this port is a `public` address (Local Network Access)
 *   public-granted  https://granted.example:<p>   the same, and the Local Network Access permission is granted over CDP
 *   public-insecure http://insecure.example:<p>   a `public` page that is not a secure context
 *   https           https://secure.example:<p>    an https page on loopback (mixed content)
 */
export type LabPageVariant = 'lab' | 'coep' | 'csp' | 'public' | 'public-granted' | 'public-insecure' | 'https';

/**
 * `include`: fetch `credentials: 'include'`, XHR `withCredentials = true`, `crossorigin="use-credentials"`.
 * `same-origin`: fetch's default, XHR without withCredentials, `crossorigin="anonymous"`.
 */
export type LabCredentials = 'include' | 'same-origin' | 'omit';

export type LabHeader = readonly [name: string, value: string];

/** What a server sends back. */
export interface LabAnswer {
  status: number;
  headers: readonly LabHeader[];
  /** Body kind; defaults to a small JSON document. */
  body?: 'json' | 'font' | 'gif' | 'module' | 'empty' | 'html';
  /** Waits this long before answering (a request the page aborts meanwhile). */
  delayMs?: number;
  /**
   * What the connection does instead of a normal answer: `reset-after-headers` sends the status line, the headers and
   * part of the body, then resets the TCP connection; `close-without-answer` closes it without sending a byte.
   */
  connection?: 'reset-after-headers' | 'close-without-answer';
}

/** One URL of a scenario: the first is the one the page asks for, later ones follow redirects. */
export interface LabHop {
  origin: Exclude<LabOrigin, 'page'>;
  /** Answer to an OPTIONS request (a preflight); omitted means "405 with no CORS headers". */
  options?: LabAnswer;
  /** Answer to every other method. */
  actual: LabAnswer;
}

/** The request the page makes, reusable outside the lab (e.g. replayed against generated servers). */
export interface LabRequest {
  api: LabApi;
  /** Method as the script writes it (fetch keeps `patch` lower-case). */
  method: string;
  /** Author request headers the script sets (not the ones the browser adds). */
  headers: readonly LabHeader[];
  credentials: LabCredentials;
  /** A request body; its MIME type becomes the Content-Type request header. */
  body?: { mimeType: string; text: string };
  /** How many times the page sends the identical request, one after the other (preflight cache). */
  repeat?: number;
  /**
   * Who makes the request: the lab page (default), or a `<iframe sandbox="allow-scripts">` inside it, whose origin
   * is opaque so its requests carry `Origin: null` (fetch only).
   */
  initiator?: 'page' | 'sandboxed-iframe';
  /**
   * fetch's `mode`, when the page sets one (`same-origin` refuses any other origin before a request is sent).
   * `no-cors` on an image or script means no `crossorigin` attribute (a no-cors load).
   */
  mode?: 'same-origin' | 'no-cors';
  /** fetch's `redirect`, when the page sets one. */
  redirect?: 'manual';
  /** fetch's `targetAddressSpace` (Local Network Access), when the page sets one. */
  targetAddressSpace?: 'local' | 'loopback';
  /** The page aborts the fetch (AbortController) this many milliseconds after starting it. */
  abortAfterMs?: number;
}

export interface LabScenario {
  /** Unique, and never a substring of another id (the tests search the panel by it). */
  id: string;
  title: string;
  /** One sentence: what this scenario sets up, in server terms. */
  description: string;
  request: LabRequest;
  /** hops[0] is requested by the page; each later hop is where the previous one redirects. */
  hops: readonly LabHop[];
  /** The page it runs on (default `lab`, the lab page). */
  page?: LabPageVariant;
  /** Something the browser is set up to do before the page runs it (over CDP or by a test extension). */
  browserSetup?: 'devtools-request-blocking' | 'extension-blocking';
}

/** The URL path a scenario's hop is served at (the run token travels in the query string, see `scenarioUrl`). */
export function scenarioPath(id: string, hop = 0): string {
  return hop === 0 ? `/s/${id}` : `/s/${id}/hop${hop}`;
}

/** The query key that carries a scenario's unique token, e.g. `?lab=acao-missing~k3f2a1`. */
export const LAB_QUERY_KEY = 'lab';

/** The absolute URL of one hop for one run; `token` is unique per scenario and run (see the page's `runToken`). */
export function scenarioUrl(origins: LabOrigins, scenario: LabScenario, hop: number, token: string): string {
  const h = scenario.hops[hop];
  if (!h) throw new Error(`scenario ${scenario.id} has no hop ${hop}`);
  const origin = origins[h.origin];
  if (!origin) throw new Error(`the lab serves no ${h.origin} origin (scenario ${scenario.id})`);
  return `${origin}${scenarioPath(scenario.id, hop)}?${LAB_QUERY_KEY}=${encodeURIComponent(token)}`;
}

export interface LabOrigins {
  page: string;
  api: string;
  other: string;
  /** Present when the lab serves scenarios beside CORS (see `LabOrigin`). */
  lan?: string;
  dead?: string;
  'api-by-name'?: string;
  /** The page variants' origins (see `LabPageVariant`), when the lab serves scenarios on them. */
  pages?: Partial<Record<LabPageVariant, string>>;
}

/** The origin of the page a scenario runs on. */
export function pageOriginOf(origins: LabOrigins, scenario: LabScenario): string {
  const variant = scenario.page ?? 'lab';
  if (variant === 'lab') return origins.page;
  const origin = origins.pages?.[variant];
  if (!origin) throw new Error(`the lab serves no ${variant} page (scenario ${scenario.id})`);
  return origin;
}

/** Replaces the placeholders described at the top of this file. */
export function resolvePlaceholders(
  value: string,
  ctx: { origins: LabOrigins; scenario: LabScenario; hop: number; token: string },
): string {
  return value.replace(/\{(page|api|other|next|next-with-userinfo|self)\}/g, (_m, name: string) => {
    if (name === 'page') return pageOriginOf(ctx.origins, ctx.scenario);
    if (name === 'api' || name === 'other') return ctx.origins[name];
    if (name === 'self') return scenarioUrl(ctx.origins, ctx.scenario, ctx.hop, ctx.token);
    const next = scenarioUrl(ctx.origins, ctx.scenario, ctx.hop + 1, ctx.token);
    if (name === 'next') return next;
    const u = new URL(next);
    u.username = 'user';
    u.password = 'pass';
    return u.toString();
  });
}

// ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Building blocks

const ok = (...headers: LabHeader[]): LabAnswer => ({ status: 200, headers });
const noContent = (...headers: LabHeader[]): LabAnswer => ({ status: 204, headers, body: 'empty' });
const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const MAX_AGE = 'Access-Control-Max-Age';
const echoOrigin: LabHeader = [ACAO, '{page}'];
const anyOrigin: LabHeader = [ACAO, '*'];
const vary: LabHeader = ['Vary', 'Origin'];

const simpleGet = (api: LabApi = 'fetch', credentials: LabCredentials = 'same-origin'): LabRequest => ({
  api,
  method: 'GET',
  headers: [],
  credentials,
});
const jsonPut: LabRequest = {
  api: 'fetch',
  method: 'PUT',
  headers: [],
  credentials: 'same-origin',
  body: { mimeType: 'application/json', text: '{"lab":true}' },
};
const goodPreflightFor = (method: string, headers: string): LabAnswer =>
  noContent(echoOrigin, [ACAM, method], [ACAH, headers], vary);

const api = (actual: LabAnswer, options?: LabAnswer): LabHop => (options ? { origin: 'api', options, actual } : { origin: 'api', actual });

// ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// The scenarios. Order is the order "Run all" uses; a few depend on the cookie the page sets first.

export const scenarios: readonly LabScenario[] = [
  // Passing
  {
    id: 'pass-simple-get',
    title: 'Simple GET, Allow-Origin *',
    description: 'A fetch GET with no custom headers; the API answers `Access-Control-Allow-Origin: *`.',
    request: simpleGet(),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'pass-preflighted-put',
    title: 'Preflighted PUT with JSON, all allowed',
    description: 'A JSON PUT; the preflight allows the origin, PUT and content-type, and the response echoes the origin.',
    request: jsonPut,
    hops: [api(ok(echoOrigin, vary), goodPreflightFor('PUT', 'content-type'))],
  },
  {
    id: 'pass-credentialed-get',
    title: 'Credentialed GET, exact origin + Allow-Credentials',
    description: 'fetch with credentials: include; the API echoes the origin and sends `Access-Control-Allow-Credentials: true`.',
    request: simpleGet('fetch', 'include'),
    hops: [api(ok(echoOrigin, [ACAC, 'true'], vary))],
  },
  {
    id: 'pass-xhr-plain',
    title: 'XHR GET without credentials, Allow-Origin *',
    description: 'XMLHttpRequest without withCredentials; the API answers `*`.',
    request: simpleGet('xhr'),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'pass-xhr-with-credentials',
    title: 'XHR withCredentials, exact origin + Allow-Credentials',
    description: 'XMLHttpRequest with withCredentials = true; the API echoes the origin and allows credentials.',
    request: simpleGet('xhr', 'include'),
    hops: [api(ok(echoOrigin, [ACAC, 'true'], vary))],
  },
  {
    id: 'preflight-cache-hit',
    title: 'Same preflighted request twice (Max-Age 600)',
    description: 'A PUT sent twice; the preflight answers `Access-Control-Max-Age: 600`, so the second PUT reuses it.',
    request: { ...jsonPut, repeat: 2 },
    hops: [
      api(
        ok(echoOrigin, vary),
        noContent(echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type'], [MAX_AGE, '600'], vary),
      ),
    ],
  },
  {
    id: 'pass-redirect-to-null-allowed',
    title: 'Cross-origin redirect, target allows the `null` origin',
    description:
      'The API answers 302 (with Allow-Origin *) to the third origin; after the cross-origin hop the request carries `Origin: null`, and the target answers `Access-Control-Allow-Origin: null`.',
    request: simpleGet(),
    hops: [
      api({ status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }),
      { origin: 'other', actual: ok([ACAO, 'null']) },
    ],
  },
  {
    id: 'pass-font',
    title: 'Web font, Allow-Origin *',
    description: 'A FontFace load (fonts are always CORS requests); the API answers `*`.',
    request: simpleGet('font'),
    hops: [api({ status: 200, headers: [anyOrigin], body: 'font' })],
  },
  {
    id: 'pass-crossorigin-img',
    title: '<img crossorigin="anonymous">, Allow-Origin *',
    description: 'An image with the crossorigin attribute; the API answers `*`.',
    request: simpleGet('img'),
    hops: [api({ status: 200, headers: [anyOrigin], body: 'gif' })],
  },
  {
    id: 'pass-module-script',
    title: 'Module script, exact origin',
    description: 'A `<script type="module">` from the API origin; the API echoes the origin.',
    request: simpleGet('module-script'),
    hops: [api({ status: 200, headers: [echoOrigin, vary], body: 'module' })],
  },
  {
    id: 'allow-headers-star-with-authorization',
    title: 'Allow-Headers * and an Authorization header (disputed)',
    description:
      'A GET with an `Authorization` header and no credentials; the preflight answers `Access-Control-Allow-Headers: *`. Whether `*` covers Authorization is disputed; the browser decides.',
    request: { api: 'fetch', method: 'GET', headers: [['Authorization', 'Bearer lab-token']], credentials: 'same-origin' },
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAM, 'GET'], [ACAH, '*']))],
  },

  // Failing: the actual response's Allow-Origin
  {
    id: 'fail-allow-origin-missing',
    title: 'No Allow-Origin',
    description: 'A fetch GET; the API answers 200 without any CORS header.',
    request: simpleGet(),
    hops: [api(ok())],
  },
  {
    id: 'fail-allow-origin-other',
    title: 'Allow-Origin names another origin',
    description: 'The API answers `Access-Control-Allow-Origin: http://example.com`.',
    request: simpleGet(),
    hops: [api(ok([ACAO, 'http://example.com']))],
  },
  {
    id: 'fail-allow-origin-two-values',
    title: 'Allow-Origin with two values',
    description: 'The API answers `Access-Control-Allow-Origin: {page}, http://other.example` (a proxy and the app both add it).',
    request: simpleGet(),
    hops: [api(ok([ACAO, '{page}, http://other.example']))],
  },
  {
    id: 'fail-allow-origin-two-lines',
    title: 'Allow-Origin sent twice',
    description: 'The API sends two `Access-Control-Allow-Origin` header lines, both the page origin.',
    request: simpleGet(),
    hops: [api(ok(echoOrigin, echoOrigin))],
  },
  {
    id: 'fail-allow-origin-not-a-url',
    title: 'Allow-Origin is not an origin',
    description: 'The API answers `Access-Control-Allow-Origin: example.com` (no scheme).',
    request: simpleGet(),
    hops: [api(ok([ACAO, 'example.com']))],
  },
  {
    id: 'fail-allow-origin-literal-null',
    title: 'Allow-Origin: null for a normal page',
    description: 'The API answers `Access-Control-Allow-Origin: null` to a page whose origin is not null.',
    request: simpleGet(),
    hops: [api(ok([ACAO, 'null']))],
  },
  {
    id: 'fail-allow-origin-trailing-slash',
    title: 'Allow-Origin with a trailing slash',
    description: 'The API answers `Access-Control-Allow-Origin: {page}/`, which is not byte-equal to the origin.',
    request: simpleGet(),
    hops: [api(ok([ACAO, '{page}/']))],
  },
  {
    id: 'fail-wildcard-with-credentials',
    title: 'Allow-Origin * with credentials',
    description: 'fetch with credentials: include; the API answers `*` and `Access-Control-Allow-Credentials: true`.',
    request: simpleGet('fetch', 'include'),
    hops: [api(ok(anyOrigin, [ACAC, 'true']))],
  },
  {
    id: 'fail-credentials-header-missing',
    title: 'Credentials without Allow-Credentials',
    description: 'fetch with credentials: include; the API echoes the origin but sends no Allow-Credentials.',
    request: simpleGet('fetch', 'include'),
    hops: [api(ok(echoOrigin, vary))],
  },
  {
    id: 'fail-credentials-header-capitalised',
    title: 'Allow-Credentials: True (wrong case)',
    description: 'fetch with credentials: include; the API answers `Access-Control-Allow-Credentials: True`.',
    request: simpleGet('fetch', 'include'),
    hops: [api(ok(echoOrigin, [ACAC, 'True'], vary))],
  },
  {
    id: 'fail-error-status-without-cors',
    title: '500 without CORS headers',
    description: 'The API fails with 500 and its error handler adds no CORS headers (the real problem is the 500).',
    request: simpleGet(),
    hops: [api({ status: 500, headers: [] })],
  },

  // Failing: the preflight
  {
    id: 'fail-preflight-status-404',
    title: 'Preflight answered 404',
    description: 'A JSON PUT; OPTIONS returns 404 although it carries all the right CORS headers.',
    request: jsonPut,
    hops: [
      api(ok(echoOrigin), { status: 404, headers: [echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']] }),
    ],
  },
  {
    id: 'fail-preflight-redirected',
    title: 'Preflight answered 302',
    description: 'A JSON PUT; OPTIONS is redirected (e.g. to add a trailing slash) with CORS headers on the 302.',
    request: jsonPut,
    hops: [
      api(ok(echoOrigin), {
        status: 302,
        headers: [['Location', '/elsewhere/'], echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']],
        body: 'empty',
      }),
    ],
  },
  {
    id: 'fail-preflight-behind-auth',
    title: 'Preflight eaten by auth (401, no CORS headers)',
    description: 'A GET with an Authorization header; an auth layer answers the OPTIONS with 401 and no CORS headers.',
    request: { api: 'fetch', method: 'GET', headers: [['Authorization', 'Bearer lab-token']], credentials: 'same-origin' },
    hops: [api(ok(echoOrigin), { status: 401, headers: [['WWW-Authenticate', 'Bearer']] })],
  },
  {
    id: 'fail-preflight-allow-origin-other',
    title: 'Preflight Allow-Origin names another origin',
    description: 'A JSON PUT; the preflight answers `Access-Control-Allow-Origin: http://example.com`.',
    request: jsonPut,
    hops: [api(ok(echoOrigin), noContent([ACAO, 'http://example.com'], [ACAM, 'PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'fail-preflight-wildcard-with-credentials',
    title: 'Preflight Allow-Origin * for a credentialed request',
    description: 'A credentialed JSON PUT; the preflight answers `*` with Allow-Credentials true.',
    request: { ...jsonPut, credentials: 'include' },
    hops: [api(ok(echoOrigin, [ACAC, 'true']), noContent(anyOrigin, [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'fail-preflight-credentials-missing',
    title: 'Preflight without Allow-Credentials',
    description: 'A credentialed JSON PUT; the preflight echoes the origin but has no Allow-Credentials.',
    request: { ...jsonPut, credentials: 'include' },
    hops: [api(ok(echoOrigin, [ACAC, 'true']), goodPreflightFor('PUT', 'content-type'))],
  },
  {
    id: 'fail-method-not-allowed',
    title: 'DELETE not in Allow-Methods',
    description: 'A DELETE; the preflight allows only `GET, POST, PUT`.',
    request: { api: 'fetch', method: 'DELETE', headers: [], credentials: 'same-origin' },
    hops: [api(ok(echoOrigin), noContent(echoOrigin, [ACAM, 'GET, POST, PUT']))],
  },
  {
    id: 'fail-method-case-patch',
    title: 'patch (lower-case) vs PATCH in Allow-Methods',
    description: 'fetch sends `patch` as written; the preflight allows `PATCH`, and methods compare case-sensitively.',
    request: { api: 'fetch', method: 'patch', headers: [], credentials: 'same-origin' },
    hops: [api(ok(echoOrigin), noContent(echoOrigin, [ACAM, 'GET, PATCH']))],
  },
  {
    id: 'fail-header-not-allowed',
    title: 'X-Token not in Allow-Headers',
    description: 'A POST with an `X-Token` header; the preflight allows only content-type.',
    request: {
      api: 'fetch',
      method: 'POST',
      headers: [['X-Token', 'abc']],
      credentials: 'same-origin',
      body: { mimeType: 'text/plain', text: 'hello' },
    },
    hops: [api(ok(echoOrigin), goodPreflightFor('POST', 'content-type'))],
  },
  {
    id: 'fail-allow-methods-unparseable',
    title: 'Allow-Methods separated by spaces',
    description: 'A JSON PUT; the preflight answers `Access-Control-Allow-Methods: GET PUT` (not a comma list).',
    request: jsonPut,
    hops: [api(ok(echoOrigin), noContent(echoOrigin, [ACAM, 'GET PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'fail-allow-headers-unparseable',
    title: 'Allow-Headers separated by semicolons',
    description: 'A JSON PUT; the preflight answers `Access-Control-Allow-Headers: content-type; x-token`.',
    request: jsonPut,
    hops: [api(ok(echoOrigin), noContent(echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type; x-token']))],
  },
  {
    id: 'fail-actual-lacks-allow-origin',
    title: 'Good preflight, actual response without Allow-Origin',
    description: 'A JSON PUT; the preflight passes, but the PUT response has no CORS headers.',
    request: jsonPut,
    hops: [api(ok(), goodPreflightFor('PUT', 'content-type'))],
  },

  // Failing: redirects
  {
    id: 'fail-redirect-without-cors',
    title: 'Cross-origin redirect without CORS headers on the 302',
    description: 'The API answers 302 to the third origin without any CORS header on the redirect itself.',
    request: simpleGet(),
    hops: [
      api({ status: 302, headers: [['Location', '{next}']], body: 'empty' }),
      { origin: 'other', actual: ok(anyOrigin) },
    ],
  },
  {
    id: 'fail-redirect-origin-becomes-null',
    title: 'After a cross-origin redirect the origin is null',
    description:
      'The API redirects (302, Allow-Origin *) to the third origin, which echoes the page origin; but the redirected request carries `Origin: null`.',
    request: simpleGet(),
    hops: [
      api({ status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }),
      { origin: 'other', actual: ok(echoOrigin) },
    ],
  },
  {
    id: 'fail-redirect-with-userinfo',
    title: 'Redirect Location with user:pass@',
    description: 'The API answers 302 (Allow-Origin *) with a Location that carries `user:pass@`.',
    request: simpleGet(),
    hops: [
      api({ status: 302, headers: [['Location', '{next-with-userinfo}'], anyOrigin], body: 'empty' }),
      { origin: 'other', actual: ok(anyOrigin) },
    ],
  },

  // The `null` origin of a sandboxed document
  {
    id: 'null-origin-sandbox-allowed',
    title: 'Sandboxed iframe (Origin: null), Allow-Origin: null',
    description: 'A fetch from a sandboxed iframe, whose origin is opaque; the API answers `Access-Control-Allow-Origin: null`.',
    request: { ...simpleGet(), initiator: 'sandboxed-iframe' },
    hops: [api(ok([ACAO, 'null']))],
  },
  {
    id: 'null-origin-sandbox-echo-page',
    title: 'Sandboxed iframe (Origin: null), Allow-Origin names the page',
    description: 'A fetch from a sandboxed iframe; the API answers with the embedding page\'s origin, which is not the request\'s.',
    request: { ...simpleGet(), initiator: 'sandboxed-iframe' },
    hops: [api(ok(echoOrigin))],
  },

  // Refused by the page's own request mode, before any request reaches the network
  {
    id: 'mode-same-origin-to-api',
    title: 'fetch with mode: "same-origin" to the API origin',
    description:
      'The page asks for `mode: "same-origin"` and the URL is on the API origin: the browser refuses it without asking the server (Chromium sends nothing; Firefox logs a security error, no CORS reason).',
    request: { ...simpleGet(), mode: 'same-origin' },
    hops: [api(ok(anyOrigin))],
  },

  // Failing: XHR and non-fetch loads
  {
    id: 'fail-xhr-no-allow-origin',
    title: 'XHR, no Allow-Origin',
    description: 'XMLHttpRequest GET; the API sends no CORS header.',
    request: simpleGet('xhr'),
    hops: [api(ok())],
  },
  {
    id: 'fail-xhr-credentials-wildcard',
    title: 'XHR withCredentials and Allow-Origin *',
    description: 'XMLHttpRequest with withCredentials = true; the API answers `*`.',
    request: simpleGet('xhr', 'include'),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'fail-font-no-allow-origin',
    title: 'Web font without Allow-Origin',
    description: 'A FontFace load; the API serves the font without CORS headers.',
    request: simpleGet('font'),
    hops: [api({ status: 200, headers: [], body: 'font' })],
  },
  {
    id: 'fail-img-no-allow-origin',
    title: '<img crossorigin> without Allow-Origin',
    description: 'An image with crossorigin="anonymous"; the API serves it without CORS headers.',
    request: simpleGet('img'),
    hops: [api({ status: 200, headers: [], body: 'gif' })],
  },
  {
    id: 'fail-module-script-other-origin',
    title: 'Module script, Allow-Origin names another origin',
    description: 'A module script; the API answers `Access-Control-Allow-Origin: http://example.com`.',
    request: simpleGet('module-script'),
    hops: [api({ status: 200, headers: [[ACAO, 'http://example.com']], body: 'module' })],
  },
];

export function scenarioById(id: string): LabScenario | undefined {
  return scenarios.find((s) => s.id === id);
}
