/**
 * Warnings through the real path: HAR entries → store (engine + warnings + WarningContext) → report. Checks that the
 * verdict is the engine's whatever the warnings, and that the cross-exchange rule gives the same answer whether the
 * entries come one by one (live DevTools) or all at once (a HAR file).
 */
import { describe, expect, it } from 'vitest';
import { createExchangeStore, explainHar } from '../../src/lib/index.js';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';

const PAGE = 'https://app.example.com';

function entry(n: number, origin: string, responseHeaders: [string, string][], error?: string) {
  const url = `https://api.example.com/me?n=${n}`;
  return {
    startedDateTime: new Date(Date.UTC(2026, 10, 23, 12, 0, n)).toISOString(),
    time: 10,
    _resourceType: 'fetch',
    _initiator: { type: 'script', stack: { callFrames: [{ url: `${origin}/main.js` }] } },
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Host', value: 'api.example.com' },
        { name: 'Origin', value: origin },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
      ],
      queryString: [],
      cookies: [],
      headersSize: 100,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: responseHeaders.map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: 2, mimeType: 'application/json' },
      redirectURL: '',
      headersSize: 100,
      bodySize: 2,
      ...(error === undefined ? {} : { _error: error }),
    },
    timings: { blocked: 1, dns: -1, connect: -1, send: 1, wait: 5, receive: 1, ssl: -1 },
    serverIPAddress: '203.0.113.5',
  };
}

const echoing = (origin: string) => [
  ['Access-Control-Allow-Origin', origin],
  ['Access-Control-Allow-Credentials', 'true'],
  ['Vary', 'Origin'],
] as [string, string][];

const har = (entries: unknown[]) => ({ log: { version: '1.2', creator: { name: 'WebInspector', version: '1' }, entries } });

describe('warnings in the report', () => {
  const entries = [entry(1, PAGE, echoing(PAGE)), entry(2, 'https://admin.example.com', echoing('https://admin.example.com'))];

  it('a resource that echoes two origins with credentials warns on both exchanges, and the verdicts stay allowed', () => {
    const report = explainHar(har(entries));
    expect(report.exchanges.map((x) => x.verdict)).toEqual(['allowed', 'allowed']);
    expect(report.exchanges.map((x) => x.warnings.map((w) => w.id))).toEqual([['allowOriginLooksReflected'], ['allowOriginLooksReflected']]);
    expect(report.totals.warnings).toBe(2);
  });

  it('one by one gives the same warnings, and the earlier exchange is reported as updated', () => {
    const store = createExchangeStore();
    const first = store.addEntries([entries[0]]);
    expect(store.get(first.added[0]!)!.warnings).toEqual([]);
    const second = store.addEntries([entries[1]]);
    expect(second.updated).toContain(first.added[0]);
    expect(store.list().map((x) => x.warnings.map((w) => w.id))).toEqual([['allowOriginLooksReflected'], ['allowOriginLooksReflected']]);
  });

  it('the report verdict and failure are exactly the engine result, with or without warnings', () => {
    const risky = [
      entry(3, PAGE, [['Access-Control-Allow-Origin', '*'], ['Set-Cookie', 'sid=1'], ['X-Total-Count', '3']]),
      entry(4, 'null', [['Access-Control-Allow-Origin', 'null'], ['Access-Control-Allow-Credentials', 'true']]),
      // Chromium records the blocked response with its headers and `_error`.
      entry(5, PAGE, [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Origin', PAGE]], 'net::ERR_FAILED'),
    ];
    const seen: { verdict: string; error: string | undefined }[] = [];
    const report = explainHar(har(risky), {}, {
      evaluate: (x) => {
        const result = evaluateExchange(x);
        seen.push({ verdict: result.verdict, error: result.failure?.chromeCorsError });
        return result;
      },
    });
    expect(report.exchanges.map((x) => ({ verdict: x.verdict, error: x.failure?.chromeCorsError }))).toEqual(seen);
    expect(report.exchanges.map((x) => x.warnings.map((w) => w.id))).toEqual([
      ['wildcardOriginOnSensitiveResponse', 'customHeadersNotExposed'],
      ['nullOriginAllowed'],
      [], // blocked by the repeated Allow-Origin: the failure already says so, no duplicate warning
    ]);
    expect(report.exchanges[2]!.failure?.chromeCorsError).toBe('MultipleAllowOriginValues');
  });
});
