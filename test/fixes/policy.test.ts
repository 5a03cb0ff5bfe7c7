/**
 * The policy a blocked request needs, derived from the engine's own reports on a HAR that Chromium recorded in the lab
 * (test/fixtures/chromium): the least the server must allow, exact spelling, credentials only when used.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHar } from '../../src/lib/index.js';
import { FixInputError, fixAvailability, policyFromReport, suggestFixes } from '../../src/fixes/index.js';
import { assertSerializedOrigin } from '../../src/fixes/escape.js';
import type { ExchangeReport } from '../../src/explain/report.js';

const har = JSON.parse(readFileSync(new URL('../fixtures/chromium/lab-2026-11-23.har', import.meta.url), 'utf8'));
const report = explainHar(har);
function exchange(scenarioId: string): ExchangeReport {
  const found = report.exchanges.find((e) => new URL(e.url).pathname === `/s/${scenarioId}`);
  if (!found) throw new Error(`no exchange for ${scenarioId} in the fixture`);
  return found;
}

describe('policyFromReport on the engine reports of a recorded lab run', () => {
  it('allows exactly the page origin, never a wildcard', () => {
    const policy = policyFromReport(exchange('fail-allow-origin-missing'));
    expect(policy.origins).toEqual([exchange('fail-allow-origin-missing').initiatorOrigin]);
    expect(policy.credentials).toBe(false);
    expect(policy.methods).toEqual([]);
    expect(policy.requestHeaders).toEqual([]);
    expect(policy.path).toBe('/s/fail-allow-origin-missing');
  });

  it('allows credentials only for the requests that carried them', () => {
    expect(policyFromReport(exchange('fail-wildcard-with-credentials')).credentials).toBe(true);
    expect(policyFromReport(exchange('fail-credentials-header-missing')).credentials).toBe(true);
    expect(policyFromReport(exchange('fail-preflight-credentials-missing')).credentials).toBe(true);
    expect(policyFromReport(exchange('fail-xhr-credentials-wildcard')).credentials).toBe(true);
    expect(policyFromReport(exchange('fail-header-not-allowed')).credentials).toBe(false);
    expect(policyFromReport(exchange('fail-method-not-allowed')).credentials).toBe(false);
  });

  it('lists the non-safelisted method with the exact spelling the page used', () => {
    expect(policyFromReport(exchange('fail-method-case-patch')).methods).toEqual(['patch']);
    expect(policyFromReport(exchange('fail-method-not-allowed')).methods).toEqual(['DELETE']);
    expect(policyFromReport(exchange('fail-preflight-status-404')).methods).toEqual(['PUT']);
    expect(policyFromReport(exchange('fail-header-not-allowed')).methods).toEqual([]);
  });

  it('lists only the request headers the preflight had to cover', () => {
    expect(policyFromReport(exchange('fail-header-not-allowed')).requestHeaders).toEqual(['x-token']);
    expect(policyFromReport(exchange('fail-preflight-status-404')).requestHeaders).toEqual(['content-type']);
    expect(policyFromReport(exchange('fail-preflight-behind-auth')).requestHeaders).toEqual(['authorization']);
    expect(policyFromReport(exchange('fail-method-case-patch')).requestHeaders).toEqual([]);
  });

  it('adds the extra origins of an allow-list and refuses ones that are not serialized origins', () => {
    const policy = policyFromReport(exchange('fail-allow-origin-missing'), { extraOrigins: ['https://app.example.com', 'http://localhost:5173'] });
    expect(policy.origins.slice(1)).toEqual(['https://app.example.com', 'http://localhost:5173']);
    for (const bad of ['https://app.example.com/', '*', 'https://*.example.com', 'app.example.com', 'HTTPS://APP.example.com', 'http://a.test:80', 'null', 'http://a"b.test', 'http://a$b.test', 'http://a;b.test', 'ftp://a.test']) {
      expect(() => policyFromReport(exchange('fail-allow-origin-missing'), { extraOrigins: [bad] }), bad).toThrow(FixInputError);
    }
  });

  it('says why there is nothing to fix on the server, instead of a confident wrong config', () => {
    const nullOrigin = report.exchanges.find((e) => e.initiatorOrigin === 'null' && e.verdict === 'blocked');
    expect(nullOrigin).toBeDefined();
    expect(fixAvailability(nullOrigin!)).toMatchObject({ ok: false, reason: expect.stringContaining('"null"') });
    expect(suggestFixes(nullOrigin!)).toEqual([]);
    expect(fixAvailability(exchange('fail-redirect-with-userinfo'))).toMatchObject({ ok: false });
    expect(fixAvailability(exchange('pass-simple-get'))).toMatchObject({ ok: false, reason: expect.stringContaining('did not block') });
    expect(fixAvailability(exchange('pass-simple-get'), { force: true }).ok).toBe(true);
  });
});

describe('suggestFixes', () => {
  it('gives Express, Flask, Nginx and PHP first, each marked verified, none with * or a reflected origin', () => {
    const fixes = suggestFixes(exchange('fail-preflight-credentials-missing'));
    expect(fixes.slice(0, 6).map((f) => f.server)).toEqual(['express', 'express-plain', 'flask', 'flask-plain', 'nginx', 'php']);
    const origin = exchange('fail-preflight-credentials-missing').initiatorOrigin!;
    for (const fix of fixes) {
      // Apache holds it as an anchored regular expression (dots escaped).
      expect(fix.snippet.replace(/\\/g, ''), fix.server).toContain(origin);
      expect(fix.snippet, fix.server).not.toMatch(/Allow-Origin[^\n]*\*/i);
      expect(fix.snippet, fix.server).not.toMatch(/origin:\s*true|\$http_origin\s*;|HTTP_ORIGIN'\]\);/);
      expect(fix.example.files.length, fix.server).toBeGreaterThan(0);
      expect(fix.example.command, fix.server).not.toBe('');
      expect(fix.pitfalls.length, fix.server).toBeGreaterThan(0);
    }
    expect(fixes.filter((f) => ['express', 'express-plain', 'flask', 'flask-plain', 'nginx', 'php'].includes(f.server)).every((f) => f.verified)).toBe(true);
  });

  it('writes the chosen port into the runnable example and its command', () => {
    const [php] = suggestFixes(exchange('fail-allow-origin-missing'), { port: 18181, servers: ['php'] });
    expect(php!.example.command).toBe('php -S 127.0.0.1:18181 index.php');
  });
});

describe('assertSerializedOrigin', () => {
  it('accepts what browsers send in Origin', () => {
    for (const ok of ['http://localhost:5173', 'https://app.example.com', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'https://xn--bcher-kva.example']) {
      expect(assertSerializedOrigin(ok)).toBe(ok);
    }
  });
});
