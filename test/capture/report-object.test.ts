/**
 * Reports read their header lines from the capture on first use (src/explain/buildReport.ts). To anyone holding one
 * they must still behave like plain data: every field there when spread, cloned, listed or written as JSON, in the
 * schema's order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHar } from '../../src/lib/index.js';

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
