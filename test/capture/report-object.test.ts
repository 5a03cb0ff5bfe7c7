/**
 * Reports read their header lines from the capture on first use (src/explain/buildReport.ts). To anyone holding one
 * they must still behave like plain data: every field there when spread, cloned, listed or written as JSON, in the
 * schema's order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, explainHar } from '../../src/lib/index.js';
import type { Hop } from '../../src/model/exchange.js';

const har = JSON.parse(readFileSync(new URL('../fixtures/hand/chromium-response-check.har', import.meta.url), 'utf8'));
const SCHEMA_ORDER = [
  'id', 'url', 'finalUrl', 'method', 'kind', 'initiatorOrigin', 'targetOrigin', 'status', 'requestHeaders',
  'requestHeadersProvisional', 'responseHeaders', 'verdict', 'summary', 'preflight', 'preflightRequired', 'redirects',
  'checks', 'failure', 'alternatives', 'assumptions', 'missing', 'notReallyCors', 'warnings', 'rules',
];

describe('an exchange report as a value', () => {
  const report = explainHar(har).exchanges.find((e) => e.responseHeaders.length > 0)!;

  it('has the captured header lines as tuples', () => {
    expect(report.requestHeaders.length).toBeGreaterThan(0);
    expect(report.requestHeaders.every((line) => Array.isArray(line) && line.length === 2)).toBe(true);
    expect(report.responseHeaders).toContainEqual(['content-type', 'application/json']);
  });

  it('keeps them through a spread, structuredClone and Object.keys', () => {
    const copy = { ...report };
    expect(copy.requestHeaders).toEqual(report.requestHeaders);
    expect(copy.responseHeaders).toEqual(report.responseHeaders);
    const clone = structuredClone(report);
    expect(clone.responseHeaders).toEqual(report.responseHeaders);
    expect(clone.verdict).toBe(report.verdict);
    expect(Object.keys(report)).toContain('requestHeaders');
  });

  it('lists its fields in the schema’s order, as the JSON report writes them', () => {
    expect(Object.keys(report).slice(0, SCHEMA_ORDER.length)).toEqual(SCHEMA_ORDER);
    expect(Object.keys(JSON.parse(JSON.stringify(report))).slice(0, SCHEMA_ORDER.length)).toEqual(SCHEMA_ORDER);
  });
});

describe('the server stack, read when asked for', () => {
  const withStack = (powered: string | undefined) => ({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        {
          startedDateTime: '2026-12-01T10:00:00.000Z',
          time: 5,
          _resourceType: 'fetch',
          _initiator: { type: 'script' },
          request: { method: 'GET', url: 'https://api.example.com/a', httpVersion: 'HTTP/1.1', headers: [{ name: 'Origin', value: 'https://app.example.com' }, { name: 'Sec-Fetch-Mode', value: 'cors' }] },
          response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: powered === undefined ? [] : [{ name: 'X-Powered-By', value: powered }], redirectURL: '', content: { size: 0, mimeType: 'application/json' }, _error: 'net::ERR_FAILED' },
          timings: { blocked: 1, send: 1, wait: 1, receive: 1 },
        },
      ],
    },
  });

  it('is in the report, its JSON, a spread and a clone when a response names it', () => {
    const report = explainHar(withStack('Express')).exchanges[0]!;
    expect(report.serverStack).toMatchObject({ id: 'express', name: 'Express' });
    expect(JSON.parse(JSON.stringify(report)).serverStack).toMatchObject({ id: 'express' });
    expect({ ...report }.serverStack).toMatchObject({ id: 'express' });
    expect(structuredClone(report).serverStack).toMatchObject({ id: 'express' });
    expect(Object.keys(JSON.parse(JSON.stringify(report))).at(-1)).toBe('serverStack');
  });

  it('is left out of the JSON when no response names one', () => {
    const report = explainHar(withStack(undefined)).exchanges[0]!;
    expect(report.serverStack).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(report)))).not.toContain('serverStack');
  });

  it('is looked for once, on first read, not when the report is built', () => {
    const exchange = explainHar(withStack('Express')).exchanges[0]!;
    let calls = 0;
    const hops: Hop[] = [{ request: { method: 'GET', url: exchange.url, headers: [] }, outcome: { kind: 'completed' } } as unknown as Hop];
    const report = buildReport(
      { id: '1', kind: 'fetch', hops, rules: 'chromium', source: 'chromium-devtools' } as never,
      { verdict: 'allowed', checks: [], preflight: { required: false, reasons: [] }, assumptions: [], missing: [], rules: 'chromium' },
      { findServerStack: () => { calls++; return { id: 'php', name: 'PHP', reason: 'from X-Powered-By: PHP/8.2' }; } },
    );
    expect(calls).toBe(0);
    expect(report.serverStack?.id).toBe('php');
    expect(report.serverStack?.id).toBe('php');
    expect(calls).toBe(1);
  });
});
