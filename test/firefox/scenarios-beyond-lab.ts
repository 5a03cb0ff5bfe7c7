/**
 * Scenarios the lab does not have, written to hunt for a confident wrong reason on Firefox captures: each one is a
 * place where a reading of the Fetch Standard, Chromium's behaviour and Firefox's behaviour can part ways. They use
 * the lab's format and servers (`startLab({ scenarios: scenariosBeyondLab })`); as in the lab, no verdict is written
 * down: Firefox's console is the oracle (`npm run lab:capture:firefox` records them, firefox-fixtures.test.ts compares).
 */
import type { LabAnswer, LabHeader, LabHop, LabRequest, LabScenario } from '../lab/scenarios.js';

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const echoOrigin: LabHeader = [ACAO, '{page}'];
const anyOrigin: LabHeader = [ACAO, '*'];
const allowCredentials: LabHeader = [ACAC, 'true'];

const ok = (...headers: LabHeader[]): LabAnswer => ({ status: 200, headers });
const noContent = (...headers: LabHeader[]): LabAnswer => ({ status: 204, headers, body: 'empty' });
const api = (actual: LabAnswer, options?: LabAnswer): LabHop => (options ? { origin: 'api', options, actual } : { origin: 'api', actual });

const get = (credentials: LabRequest['credentials'], headers: LabHeader[] = []): LabRequest => ({ api: 'fetch', method: 'GET', headers, credentials });
const jsonPut = (credentials: LabRequest['credentials']): LabRequest => ({
  api: 'fetch',
  method: 'PUT',
  headers: [],
  credentials,
  body: { mimeType: 'application/json', text: '{"beyond":true}' },
});

export const scenariosBeyondLab: readonly LabScenario[] = [
  // Wildcards meet credentials on the preflight
  {
    id: 'credentialed-allow-headers-star',
    title: 'Credentialed GET with X-Token; preflight allows headers `*`',
    description: 'With credentials, `*` in Allow-Headers is a header named `*`, not a wildcard.',
    request: get('include', [['X-Token', 'abc']]),
    hops: [api(ok(echoOrigin, allowCredentials), noContent(echoOrigin, allowCredentials, [ACAM, 'GET'], [ACAH, '*']))],
  },
  {
    id: 'credentialed-allow-methods-star',
    title: 'Credentialed JSON PUT; preflight allows methods `*`',
    description: 'With credentials, `*` in Allow-Methods is a method named `*`.',
    request: jsonPut('include'),
    hops: [api(ok(echoOrigin, allowCredentials), noContent(echoOrigin, allowCredentials, [ACAM, '*'], [ACAH, 'content-type']))],
  },
  {
    id: 'uncredentialed-allow-methods-star',
    title: 'JSON PUT without credentials; preflight allows methods and headers `*`',
    description: 'Without credentials both wildcards apply.',
    request: jsonPut('same-origin'),
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAM, '*'], [ACAH, '*']))],
  },
  // Credentials the HAR cannot show: the third origin (localhost) has no cookie, so a credentialed request carries none
  {
    id: 'credentialed-wildcard-without-cookie',
    title: 'Credentialed GET to an origin with no cookie; Allow-Origin `*`',
    description: 'fetch with credentials: include to the third origin, which answers `*`; no Cookie header is sent.',
    request: get('include'),
    hops: [{ origin: 'other', actual: ok(anyOrigin) }],
  },
  {
    id: 'credentialed-echo-without-cookie-or-allow-credentials',
    title: 'Credentialed GET to an origin with no cookie; exact origin, no Allow-Credentials',
    description: 'fetch with credentials: include to the third origin, which echoes the origin but does not allow credentials.',
    request: get('include'),
    hops: [{ origin: 'other', actual: ok(echoOrigin) }],
  },
  {
    id: 'uncredentialed-wildcard-to-cookieless-origin',
    title: 'GET without credentials to the third origin; Allow-Origin `*`',
    description: 'The same request as the credentialed one above, without credentials: the two HAR entries look alike.',
    request: get('same-origin'),
    hops: [{ origin: 'other', actual: ok(anyOrigin) }],
  },
  {
    id: 'credentialed-headers-star-without-cookie',
    title: 'Credentialed GET with X-Token to an origin with no cookie; preflight allows headers `*`',
    description: 'The preflight echoes the origin and allows credentials, but `*` in Allow-Headers is literal with credentials.',
    request: get('include', [['X-Token', 'abc']]),
    hops: [{ origin: 'other', options: noContent(echoOrigin, allowCredentials, [ACAH, '*']), actual: ok(echoOrigin, allowCredentials) }],
  },
  {
    id: 'xhr-with-credentials-wildcard-without-cookie',
    title: 'XHR withCredentials to an origin with no cookie; Allow-Origin `*`',
    description: 'XMLHttpRequest with withCredentials = true to the third origin, which answers `*`.',
    request: { api: 'xhr', method: 'GET', headers: [], credentials: 'include' },
    hops: [{ origin: 'other', actual: ok(anyOrigin) }],
  },
  {
    id: 'same-origin-redirect-then-missing-allow-origin',
    title: 'Redirect within the API origin, then no Allow-Origin',
    description: 'The API answers 301 (Allow-Origin *) to another path of its own, which sends no CORS header.',
    request: get('same-origin'),
    hops: [api({ status: 301, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }), api(ok())],
  },
  // Spelling of the answers
  {
    id: 'preflight-allow-origin-trailing-slash',
    title: 'Preflight Allow-Origin with a trailing slash',
    description: 'The preflight answers `{page}/`; the actual response would echo the origin.',
    request: jsonPut('same-origin'),
    hops: [api(ok(echoOrigin), noContent([ACAO, '{page}/'], [ACAM, 'PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'preflight-credentials-upper-case',
    title: 'Preflight `Access-Control-Allow-Credentials: TRUE`',
    description: 'A credentialed JSON PUT; the preflight says `TRUE`, the actual response `true`.',
    request: jsonPut('include'),
    hops: [api(ok(echoOrigin, allowCredentials), noContent(echoOrigin, [ACAC, 'TRUE'], [ACAM, 'PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'response-credentials-upper-case',
    title: 'Response `Access-Control-Allow-Credentials: TRUE`',
    description: 'A credentialed GET; the response says `TRUE`.',
    request: get('include'),
    hops: [api(ok(echoOrigin, [ACAC, 'TRUE']))],
  },
  {
    id: 'allow-methods-lower-case',
    title: 'Allow-Methods `put` for a PUT',
    description: 'Methods compare case-sensitively, but PUT is normalized on the request side only.',
    request: jsonPut('same-origin'),
    hops: [api(ok(echoOrigin), noContent(echoOrigin, [ACAM, 'put'], [ACAH, 'content-type']))],
  },
  {
    id: 'allow-headers-upper-case',
    title: 'Allow-Headers `X-TOKEN` for x-token',
    description: 'Header names compare case-insensitively.',
    request: get('same-origin', [['X-Token', 'abc']]),
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAH, 'X-TOKEN']))],
  },
  {
    id: 'simple-method-not-in-allow-methods',
    title: 'POST with X-Token; preflight allows the header but names no method',
    description: 'A safelisted method needs no Allow-Methods entry.',
    request: { api: 'fetch', method: 'POST', headers: [['X-Token', 'abc']], credentials: 'same-origin', body: { mimeType: 'text/plain', text: 'x' } },
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAH, 'x-token']))],
  },
  {
    id: 'allow-origin-empty',
    title: 'Allow-Origin present but empty',
    description: 'The API answers `Access-Control-Allow-Origin:` with an empty value.',
    request: get('same-origin'),
    hops: [api(ok([ACAO, '']))],
  },
  {
    id: 'allow-origin-star-and-origin-lines',
    title: 'Allow-Origin sent twice: `*` and the origin',
    description: 'Two header lines with different values.',
    request: get('same-origin'),
    hops: [api(ok(anyOrigin, echoOrigin))],
  },
  {
    id: 'preflight-allow-origin-two-lines',
    title: 'Preflight sends Allow-Origin twice, both the origin',
    description: 'Firefox counts header lines; the preflight repeats the same value.',
    request: jsonPut('same-origin'),
    hops: [api(ok(echoOrigin), noContent(echoOrigin, echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'allow-headers-trailing-comma',
    title: 'Allow-Headers `x-token,` (trailing comma)',
    description: 'An empty list element after the header the request needs.',
    request: get('same-origin', [['X-Token', 'abc']]),
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAH, 'x-token,']))],
  },
  {
    id: 'allow-methods-empty-elements',
    title: 'Allow-Methods `GET,,PUT` with spaces and an empty element',
    description: 'A JSON PUT; the preflight lists `GET, , PUT`.',
    request: jsonPut('same-origin'),
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAM, 'GET, , PUT'], [ACAH, 'content-type']))],
  },
  {
    id: 'allow-credentials-two-lines',
    title: 'Allow-Credentials sent twice, both `true`',
    description: 'A credentialed GET; two `Access-Control-Allow-Credentials: true` lines combine to `true, true`.',
    request: get('include'),
    hops: [api(ok(echoOrigin, allowCredentials, allowCredentials))],
  },
  {
    id: 'two-headers-neither-allowed',
    title: 'X-Zeta and X-Alpha, preflight allows neither',
    description: 'Which of the two headers does the browser name?',
    request: get('same-origin', [['X-Zeta', '1'], ['X-Alpha', '2']]),
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAH, 'x-other']))],
  },
  {
    id: 'three-hop-redirect-back-to-api',
    title: 'Redirect to the third origin and back to the API, which echoes the page',
    description: 'After the cross-origin hop the origin is `null` for the rest of the chain, even back on the API origin.',
    request: get('same-origin'),
    hops: [
      api({ status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }),
      { origin: 'other', actual: { status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' } },
      api(ok(echoOrigin)),
    ],
  },
  {
    id: 'redirect-to-data-url',
    title: 'Redirect to a data: URL',
    description: 'The API answers 302 (Allow-Origin *) with `Location: data:text/plain,hi`.',
    request: get('same-origin'),
    hops: [api({ status: 302, headers: [['Location', 'data:text/plain,hi'], anyOrigin], body: 'empty' })],
  },
  {
    id: 'redirect-status-without-location',
    title: '302 without a Location, with Allow-Origin `*`',
    description: 'A 3xx with nothing to follow is the response itself.',
    request: get('same-origin'),
    hops: [api({ status: 302, headers: [anyOrigin], body: 'empty' })],
  },
  // Status codes
  {
    id: 'preflight-answered-200-with-body',
    title: 'Preflight answered 200 with a body',
    description: 'Any 2xx is an ok status for a preflight.',
    request: jsonPut('same-origin'),
    hops: [api(ok(echoOrigin), { status: 200, headers: [echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']] })],
  },
  {
    id: 'preflight-answered-206',
    title: 'Preflight answered 206',
    description: 'An unusual 2xx.',
    request: jsonPut('same-origin'),
    hops: [api(ok(echoOrigin), { status: 206, headers: [echoOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']] })],
  },
  {
    id: 'error-status-with-cors',
    title: '503 with CORS headers',
    description: 'The page may read an error response that carries CORS headers.',
    request: get('same-origin'),
    hops: [api({ status: 503, headers: [anyOrigin] })],
  },
  // Redirects
  {
    id: 'redirect-then-missing-allow-origin',
    title: 'Cross-origin redirect, target without CORS headers',
    description: 'The API answers 302 (Allow-Origin *) to the third origin, which sends no CORS header.',
    request: get('same-origin'),
    hops: [api({ status: 302, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }), { origin: 'other', actual: ok() }],
  },
  {
    id: 'redirect-then-wildcard-with-credentials',
    title: 'Credentialed redirect to the third origin, which answers `*`',
    description: 'The API redirects (echoing the origin, allowing credentials); the target answers `*` with credentials.',
    request: get('include'),
    hops: [
      api({ status: 302, headers: [['Location', '{next}'], echoOrigin, allowCredentials], body: 'empty' }),
      { origin: 'other', actual: ok(anyOrigin, allowCredentials) },
    ],
  },
  {
    id: 'redirect-307-preflighted-put',
    title: 'Preflighted PUT redirected 307 to the third origin',
    description: 'The preflight passes, the PUT is redirected with 307 to another origin that allows everything with `*`.',
    request: jsonPut('same-origin'),
    hops: [
      api({ status: 307, headers: [['Location', '{next}'], anyOrigin], body: 'empty' }, noContent(anyOrigin, [ACAM, 'PUT'], [ACAH, 'content-type'])),
      { origin: 'other', options: noContent(anyOrigin, [ACAM, 'PUT'], [ACAH, 'content-type']), actual: ok(anyOrigin) },
    ],
  },
  // Requests the safelist may or may not cover
  {
    id: 'long-accept-header',
    title: 'GET with a 200-character Accept header',
    description: 'A safelisted header whose value is longer than 128 bytes is not safelisted any more.',
    request: get('same-origin', [['Accept', `application/json;q=0.9,${'x'.repeat(180)}`]]),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'range-header',
    title: 'GET with `Range: bytes=0-`',
    description: 'A simple range header is safelisted in the Fetch Standard.',
    request: get('same-origin', [['Range', 'bytes=0-']]),
    hops: [api(ok(anyOrigin))],
  },
  {
    id: 'content-type-with-charset',
    title: 'POST `text/plain;charset=UTF-8`',
    description: 'A safelisted MIME type with a parameter stays safelisted.',
    request: { api: 'fetch', method: 'POST', headers: [], credentials: 'same-origin', body: { mimeType: 'text/plain;charset=UTF-8', text: 'x' } },
    hops: [api(ok(anyOrigin))],
  },
  // XHR
  {
    id: 'xhr-preflight-method-missing',
    title: 'XHR DELETE; preflight allows only GET, POST',
    description: 'The method is not in Allow-Methods.',
    request: { api: 'xhr', method: 'DELETE', headers: [], credentials: 'same-origin' },
    hops: [api(ok(anyOrigin), noContent(anyOrigin, [ACAM, 'GET, POST']))],
  },
];
