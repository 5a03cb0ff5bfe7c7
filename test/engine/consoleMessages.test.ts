/**
 * Console lines, compared with strings Chromium 156 printed in the browser probe (test/engine/browser-probe, run on
 * 2026-11-23, see docs/browser-disputes.md) and with Firefox's security.properties wording.
 */
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import { chromeConsoleMessage } from '../../src/explain/consoleMessages.js';
import { buildExchange, type ExchangeSpec } from './build.js';

const PAGE = 'http://127.0.0.1:33327';
const API = 'http://127.0.0.1:43439/s';

function consoleLine(name: string, spec: ExchangeSpec): string | undefined {
  return evaluateExchange(buildExchange({ origin: PAGE, url: `${API}/${name}`, outcome: 'failed', ...spec })).failure?.consoleMessage;
}

describe('Chrome console lines (as Chromium 156 printed them)', () => {
  it('missing Allow-Origin, fetch: no suffix', () => {
    expect(consoleLine('missing-allow-origin-fetch', { credentials: 'same-origin', response: { headers: {} } })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/missing-allow-origin-fetch' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
  });
  it('two Allow-Origin values, fetch: "Have the server send the header with a valid value."', () => {
    const acao = `${PAGE}, http://other.example`;
    expect(consoleLine('allow-origin-two-values-fetch', { credentials: 'same-origin', response: { headers: { 'Access-Control-Allow-Origin': acao } } })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/allow-origin-two-values-fetch' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:33327, http://other.example', but only one is allowed. Have the server send the header with a valid value.",
    );
  });
  it('invalid Allow-Origin, fetch', () => {
    expect(consoleLine('allow-origin-invalid-fetch', { credentials: 'same-origin', response: { headers: { 'Access-Control-Allow-Origin': 'example.com' } } })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/allow-origin-invalid-fetch' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'example.com'. Have the server send the header with a valid value.",
    );
  });
  it('mismatching Allow-Origin, XMLHttpRequest: no suffix', () => {
    expect(consoleLine('allow-origin-mismatch-xhr', { kind: 'xhr', credentials: 'same-origin', response: { headers: { 'Access-Control-Allow-Origin': 'http://example.com' } } })).toBe(
      "Access to XMLHttpRequest at 'http://127.0.0.1:43439/s/allow-origin-mismatch-xhr' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://example.com' that is not equal to the supplied origin.",
    );
  });
  it('wildcard with credentials, XMLHttpRequest: the withCredentials sentence', () => {
    expect(consoleLine('wildcard-with-credentials-xhr', { kind: 'xhr', credentials: 'include', response: { headers: { 'Access-Control-Allow-Origin': '*' } } })).toBe(
      "Access to XMLHttpRequest at 'http://127.0.0.1:43439/s/wildcard-with-credentials-xhr' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
    );
  });
  it('Allow-Credentials `True`, fetch', () => {
    expect(consoleLine('allow-credentials-capital-True', { credentials: 'include', response: { headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Credentials': 'True' } } })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/allow-credentials-capital-True' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.",
    );
  });
  it('preflight status: the "Response to preflight request" infix', () => {
    expect(consoleLine('preflight-404-with-allow-origin', {
      method: 'PUT', credentials: 'same-origin', provisional: true, response: null,
      preflight: { status: 404, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT' } },
    })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/preflight-404-with-allow-origin' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    );
  });
  it('preflight wildcard with credentials, XMLHttpRequest: infix and withCredentials sentence', () => {
    expect(consoleLine('preflight-wildcard-with-credentials-xhr', {
      kind: 'xhr', method: 'PUT', credentials: 'include', provisional: true, response: null,
      preflight: { headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' } },
    })).toBe(
      "Access to XMLHttpRequest at 'http://127.0.0.1:43439/s/preflight-wildcard-with-credentials-xhr' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
    );
  });
  it('method and header refusals carry no infix', () => {
    expect(consoleLine('lower-case-patch-vs-upper-case-allow-methods', {
      method: 'patch', credentials: 'same-origin', provisional: true, response: null,
      preflight: { headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PATCH' } },
    })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/lower-case-patch-vs-upper-case-allow-methods' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
    );
    expect(consoleLine('multipart-quoted-boundary-content-type', {
      method: 'POST', credentials: 'same-origin', provisional: true, response: null,
      headers: { 'Content-Type': 'multipart/form-data; boundary="x"' },
      preflight: { headers: { 'Access-Control-Allow-Origin': PAGE } },
    })).toBe(
      "Access to fetch at 'http://127.0.0.1:43439/s/multipart-quoted-boundary-content-type' from origin 'http://127.0.0.1:33327' has been blocked by CORS policy: Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
    );
  });
  it('the kind word follows the kind of load', () => {
    const line = (kind: Parameters<typeof chromeConsoleMessage>[0]['kind']) =>
      chromeConsoleMessage({ checkId: 'allowOriginPresent', phase: 'response', kind, url: 'http://b.test/x', origin: 'http://a.test', failedParameter: '' });
    expect(line('stylesheet')).toMatch(/^Access to CSS stylesheet at/);
    expect(line('font')).toMatch(/^Access to font at/);
    expect(line('script')).toMatch(/^Access to script at/);
  });
});

describe('Firefox console lines', () => {
  it('carry the reason text with Firefox’s curly quotes, and the status where Firefox gives one', () => {
    const r = evaluateExchange(buildExchange({
      origin: PAGE, url: `${API}/x`, rules: 'firefox', credentials: 'same-origin', outcome: 'unrecorded',
      method: 'PUT', response: { status: 0, headers: {} }, preflight: { status: 403, headers: { 'Access-Control-Allow-Origin': PAGE } },
    }));
    expect(r.failure?.firefoxReason).toEqual({
      id: 'CORSPreflightDidNotSucceed',
      messageKey: 'CORSPreflightDidNotSucceed3',
      text: 'CORS preflight response did not succeed',
      consoleMessage: 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:43439/s/x. (Reason: CORS preflight response did not succeed). Status code: 403.',
    });
  });
  it('name the header Allow-Headers lacks', () => {
    const r = evaluateExchange(buildExchange({
      rules: 'firefox', credentials: 'same-origin', outcome: 'unrecorded', method: 'POST', headers: { 'X-Token': 'a' }, response: { status: 0, headers: {} },
      preflight: { headers: { 'Access-Control-Allow-Origin': 'http://app.test' } },
    }));
    expect(r.failure?.firefoxReason?.text).toBe('header ‘x-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response');
  });
});

describe('Firefox console details measured on Firefox ESR 153 (test/fixtures/firefox/lab.reasons.json)', () => {
  it('quotes the URL only for CORSNotSupportingCredentials', () => {
    const r = evaluateExchange(buildExchange({ rules: 'firefox', credentials: 'include', outcome: 'unrecorded', response: { headers: { 'Access-Control-Allow-Origin': '*' } } }));
    expect(r.failure?.firefoxReason?.consoleMessage).toBe(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://api.test/data’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
    );
  });
  it('a redirect to a Location with credentials is a failed request with status (null)', () => {
    const r = evaluateExchange(buildExchange({ credentials: 'omit', outcome: 'failed', response: { status: 302, headers: { 'Access-Control-Allow-Origin': '*', Location: 'http://u:p@b.test/' }, redirectURL: 'http://u:p@b.test/' } }));
    expect(r.failure?.firefoxReason?.consoleMessage).toMatch(/\(Reason: CORS request did not succeed\)\. Status code: \(null\)\.$/);
  });
});
