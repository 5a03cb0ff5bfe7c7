/**
 * Servers beyond the lab's, for `check` only: the cases CORS testers get wrong (the 128-byte safelist limit, `*` under
 * credentials, case-sensitive methods, a quoted multipart boundary, a suffix Range) and chains that need a preflight on
 * every hop. Served by the lab servers and run in Chromium in the same run as the lab's own scenarios; as in the lab,
 * no expected verdict is written here: Chromium decides.
 */
import type { LabAnswer, LabHeader, LabScenario } from '../lab/scenarios.js';

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const ok = (...headers: LabHeader[]): LabAnswer => ({ status: 200, headers });
const noContent = (...headers: LabHeader[]): LabAnswer => ({ status: 204, headers, body: 'empty' });
const echo: LabHeader = [ACAO, '{page}'];

/** A chain of `redirects` 302s (Allow-Origin * on each) from the API to the third origin, ending in a 200. */
function redirectChain(redirects: number): LabScenario['hops'] {
  const hops: LabScenario['hops'][number][] = [{ origin: 'api', actual: { status: 302, headers: [['Location', '{next}'], [ACAO, '*']], body: 'empty' } }];
  for (let i = 1; i < redirects; i++) hops.push({ origin: 'other', actual: { status: 302, headers: [['Location', '{next}'], [ACAO, '*']], body: 'empty' } });
  hops.push({ origin: 'other', actual: ok([ACAO, '*']) });
  return hops;
}

export const checkScenarios: readonly LabScenario[] = [
  {
    id: 'chk-accept-language-129-bytes',
    title: 'Accept-Language longer than 128 bytes',
    description: 'A safelisted header over 128 bytes needs a preflight; the preflight allows no header.',
    request: { api: 'fetch', method: 'GET', headers: [['Accept-Language', `en-GB,${'x'.repeat(123)}`]], credentials: 'same-origin' },
    hops: [{ origin: 'api', options: noContent(echo, [ACAM, 'GET']), actual: ok(echo) }],
  },
  {
    id: 'chk-star-headers-with-credentials',
    title: 'Allow-Headers * under credentials',
    description: 'A credentialed GET with X-Token; the preflight answers Allow-Headers `*`, which is only a name under credentials.',
    request: { api: 'fetch', method: 'GET', headers: [['X-Token', 'abc']], credentials: 'include' },
    hops: [{ origin: 'api', options: noContent(echo, [ACAC, 'true'], [ACAH, '*']), actual: ok(echo, [ACAC, 'true']) }],
  },
  {
    id: 'chk-star-methods-no-credentials',
    title: 'Allow-Methods * without credentials',
    description: 'A JSON PUT; the preflight answers Allow-Methods `*` and Allow-Headers content-type.',
    request: { api: 'fetch', method: 'PUT', headers: [], credentials: 'same-origin', body: { mimeType: 'application/json', text: '{}' } },
    hops: [{ origin: 'api', options: noContent([ACAO, '*'], [ACAM, '*'], [ACAH, 'content-type']), actual: ok([ACAO, '*']) }],
  },
  {
    id: 'chk-quoted-multipart-boundary',
    title: 'multipart/form-data with a quoted boundary',
    description: 'A POST whose Content-Type has a `"`, which makes it unsafe; the preflight allows no header.',
    request: { api: 'fetch', method: 'POST', headers: [], credentials: 'same-origin', body: { mimeType: 'multipart/form-data; boundary="b"', text: '--b--' } },
    hops: [{ origin: 'api', options: noContent(echo, [ACAM, 'POST']), actual: ok(echo) }],
  },
  {
    id: 'chk-suffix-range',
    title: 'Range: bytes=-500',
    description: 'A suffix range is not a simple range, so it needs a preflight; the preflight allows no header.',
    request: { api: 'fetch', method: 'GET', headers: [['Range', 'bytes=-500']], credentials: 'same-origin' },
    hops: [{ origin: 'api', options: noContent(echo), actual: ok(echo) }],
  },
  {
    id: 'chk-lower-case-patch-allowed',
    title: 'patch allowed as written, refused by the server',
    description: 'fetch sends `patch`; the preflight allows `patch`, and the server (Node) then refuses the lower-case method with 400 and no CORS header.',
    request: { api: 'fetch', method: 'patch', headers: [], credentials: 'same-origin' },
    hops: [{ origin: 'api', options: noContent(echo, [ACAM, 'patch']), actual: ok(echo) }],
  },
  {
    id: 'chk-preflight-500-with-cors',
    title: 'Preflight answered 500 with CORS headers',
    description: 'A DELETE; the OPTIONS handler fails with 500 but the CORS headers are there.',
    request: { api: 'fetch', method: 'DELETE', headers: [], credentials: 'same-origin' },
    hops: [{ origin: 'api', options: { status: 500, headers: [echo, [ACAM, 'DELETE']] }, actual: ok(echo) }],
  },
  {
    id: 'chk-put-307-preflight-on-each-hop',
    title: 'PUT redirected 307 to another origin, preflighted again with Origin: null',
    description:
      'A JSON PUT passes its preflight, gets 307 (with Allow-Origin for the page) to the third origin; the browser preflights again there with `Origin: null`, which the target allows.',
    request: { api: 'fetch', method: 'PUT', headers: [], credentials: 'same-origin', body: { mimeType: 'application/json', text: '{}' } },
    hops: [
      {
        origin: 'api',
        options: noContent(echo, [ACAM, 'PUT'], [ACAH, 'content-type']),
        actual: { status: 307, headers: [['Location', '{next}'], echo], body: 'empty' },
      },
      { origin: 'other', options: noContent([ACAO, 'null'], [ACAM, 'PUT'], [ACAH, 'content-type']), actual: ok([ACAO, 'null']) },
    ],
  },
  {
    id: 'chk-put-307-target-without-preflight',
    title: 'PUT redirected 307 to a target that does not answer preflights',
    description: 'As above, but the target answers OPTIONS with 405 and no CORS headers.',
    request: { api: 'fetch', method: 'PUT', headers: [], credentials: 'same-origin', body: { mimeType: 'application/json', text: '{}' } },
    hops: [
      {
        origin: 'api',
        options: noContent(echo, [ACAM, 'PUT'], [ACAH, 'content-type']),
        actual: { status: 307, headers: [['Location', '{next}'], echo], body: 'empty' },
      },
      { origin: 'other', actual: ok([ACAO, 'null']) },
    ],
  },
  {
    id: 'chk-post-303-becomes-get',
    title: 'JSON POST answered 303: the browser follows with a GET',
    description: 'The preflighted POST gets 303 to the third origin; the GET that follows needs no preflight and carries `Origin: null`.',
    request: { api: 'fetch', method: 'POST', headers: [], credentials: 'same-origin', body: { mimeType: 'application/json', text: '{}' } },
    hops: [
      {
        origin: 'api',
        options: noContent(echo, [ACAM, 'POST'], [ACAH, 'content-type']),
        actual: { status: 303, headers: [['Location', '{next}'], echo], body: 'empty' },
      },
      { origin: 'other', actual: ok([ACAO, 'null']) },
    ],
  },
  {
    id: 'chk-xhr-credentials-allow-credentials-true-star-headers',
    title: 'XHR withCredentials, Authorization and Allow-Headers *',
    description: 'XMLHttpRequest with withCredentials and an Authorization header; the preflight allows credentials and `*` headers.',
    request: { api: 'xhr', method: 'GET', headers: [['Authorization', 'Bearer t']], credentials: 'include' },
    hops: [{ origin: 'api', options: noContent(echo, [ACAC, 'true'], [ACAH, '*']), actual: ok(echo, [ACAC, 'true']) }],
  },
  {
    id: 'chk-allow-methods-lower-case-put',
    title: 'Allow-Methods put (lower case) for a PUT',
    description: 'A JSON PUT; the preflight lists `put`, and methods compare case-sensitively.',
    request: { api: 'fetch', method: 'PUT', headers: [], credentials: 'same-origin', body: { mimeType: 'application/json', text: '{}' } },
    hops: [{ origin: 'api', options: noContent(echo, [ACAM, 'put'], [ACAH, 'content-type']), actual: ok(echo) }],
  },
  {
    id: 'chk-allow-headers-upper-case',
    title: 'Allow-Headers X-TOKEN for x-token',
    description: 'A GET with X-Token; the preflight lists `X-TOKEN`: header names compare case-insensitively.',
    request: { api: 'fetch', method: 'GET', headers: [['X-Token', 'abc']], credentials: 'same-origin' },
    hops: [{ origin: 'api', options: noContent(echo, [ACAH, 'X-TOKEN']), actual: ok(echo) }],
  },
  {
    id: 'chk-simple-post-301-to-other',
    title: 'Simple POST answered 301 to another origin',
    description: 'A text/plain POST (no preflight) gets 301 to the third origin: the browser follows with a GET carrying `Origin: null`.',
    request: { api: 'fetch', method: 'POST', headers: [], credentials: 'same-origin', body: { mimeType: 'text/plain', text: 'x' } },
    hops: [
      { origin: 'api', actual: { status: 301, headers: [['Location', '{next}'], echo], body: 'empty' } },
      { origin: 'other', actual: ok([ACAO, 'null']) },
    ],
  },
  {
    id: 'chk-twenty-redirects',
    title: 'Twenty redirects',
    description: 'A GET redirected twenty times (Allow-Origin * on each): the most the browser follows.',
    request: { api: 'fetch', method: 'GET', headers: [], credentials: 'same-origin' },
    hops: redirectChain(20),
  },
  {
    id: 'chk-too-many-redirects',
    title: 'Twenty-one redirects',
    description: 'A GET redirected twenty-one times: one more than the browser follows (a network error, no CORS check).',
    request: { api: 'fetch', method: 'GET', headers: [], credentials: 'same-origin' },
    hops: redirectChain(21),
  },
];
