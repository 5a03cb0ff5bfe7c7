import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colourAllowed, type CliIo } from '../../src/cli/io.js';
import { describe, expect, it } from 'vitest';
import { HAND, SPAWNS, runCli } from './run.js';

const fixture = (name: string) => join(HAND, name);

describe('cors-lens explain --json', SPAWNS, () => {
  const run = runCli(['explain', fixture('chromium-preflight-failures.har'), '--json']);
  const report = JSON.parse(run.stdout);

  it('exits 1 because something is blocked, with nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
  });

  it('prints the documented top-level fields', () => {
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'cors-lens' },
      source: 'chromium-har-export',
      rules: 'chromium',
      totals: { exchanges: 3, blocked: 3, allowed: 0, unknown: 0, 'not-cors': 0, 'network-error': 0, warnings: 0 },
      skippedEntries: [],
    });
  });

  it('names the failing check per exchange the way Chromium does, with the preflight that failed', () => {
    const s4 = report.exchanges[0];
    expect(s4).toMatchObject({
      url: 'http://127.0.0.1:8002/s4?n=mwtazmzg',
      method: 'PUT',
      initiatorOrigin: 'http://127.0.0.1:8001',
      verdict: 'blocked',
      redirects: [],
      requestHeadersProvisional: true,
      preflight: { method: 'OPTIONS', status: 404, requestMethod: 'PUT', requestHeaders: ['content-type'] },
      failure: { chromeCorsError: 'PreflightInvalidStatus', failedParameter: '' },
    });
    expect(s4.failure.consoleMessage).toContain("Access to fetch at 'http://127.0.0.1:8002/s4?n=mwtazmzg' from origin 'http://127.0.0.1:8001'");
    expect(typeof s4.failure.explanation).toBe('string');
    expect(s4.failure.firefoxReason).toMatchObject({ id: expect.any(String), consoleMessage: expect.any(String) });
    expect(s4.checks.find((c: { id: string }) => c.id === 'preflightOkStatus')).toMatchObject({ status: 'fail', phase: 'preflight' });
    expect(report.exchanges[1].failure).toMatchObject({ chromeCorsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-token' });
    expect(report.exchanges[2].failure).toMatchObject({ chromeCorsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'DELETE' });
  });

  it('folds a redirect into the exchange the page asked for and lists the hop', () => {
    const chain = JSON.parse(runCli(['explain', fixture('chromium-redirect-chain.har'), '--json']).stdout);
    const followed = chain.exchanges.find((e: { url: string }) => e.url.includes('/s9a'));
    expect(followed).toMatchObject({
      verdict: 'allowed',
      finalUrl: 'http://localhost:8003/s9t?from=s9a',
      redirects: [{ from: 'http://127.0.0.1:8002/s9a?n=q', to: 'http://localhost:8003/s9t?from=s9a', status: 302 }],
      failure: null,
      preflight: null,
    });
    expect(typeof followed.preflightAbsentReason).toBe('string');
  });
});

describe('cors-lens explain: exit codes and filters', SPAWNS, () => {
  it('exits 0 when nothing is blocked', () => {
    const run = runCli(['explain', fixture('chromium-preflight-cache.har')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^2 exchanges in .*chromium-preflight-cache\.har \(Chromium DevTools HAR export, Chromium rules\): 2 allowed/);
  });

  it('--no-fail exits 0 even when something is blocked', () => {
    expect(runCli(['explain', fixture('chromium-response-check.har'), '--no-fail']).code).toBe(0);
  });

  it('--only blocked leaves out the allowed exchange but keeps the totals', () => {
    const run = runCli(['explain', fixture('chromium-response-check.har'), '--json', '--only', 'blocked']);
    const report = JSON.parse(run.stdout);
    expect(report.totals).toMatchObject({ exchanges: 5, allowed: 1, blocked: 4 });
    expect(report.exchanges.map((e: { verdict: string }) => e.verdict)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    const text = runCli(['explain', fixture('chromium-response-check.har'), '--only=blocked']).stdout;
    expect(text).not.toContain('ALLOWED');
    expect(text).toContain('; showing 4');
  });

  it('--rules firefox applies Firefox rules to a Chromium capture', () => {
    const report = JSON.parse(runCli(['explain', fixture('chromium-response-check.har'), '--json', '--rules', 'firefox']).stdout);
    expect(report.rules).toBe('firefox');
    expect(report.exchanges.every((e: { rules: string }) => e.rules === 'firefox')).toBe(true);
  });
});

describe('cors-lens explain: the text output', SPAWNS, () => {
  it('prints the verdict, failing check, Chrome message, Firefox reason and fix for a blocked request', () => {
    const run = runCli(['explain', fixture('chromium-preflight-redirect.har')]);
    const lines = run.stdout.split('\n');
    expect(lines[2]).toMatch(/^BLOCKED\s+PUT http:\/\/127\.0\.0\.1:8002\/s9c\?n=q\s+\[#1 fetch from http:\/\/127\.0\.0\.1:8001\]$/);
    expect(run.stdout).toMatch(/\n {2}failed: +preflightNotRedirected \(preflight, hop 0\): /);
    expect(run.stdout).toMatch(/\n {2}chrome: +PreflightDisallowedRedirect: Access to fetch at /);
    expect(run.stdout).toMatch(/\n {2}firefox: +\w+: Cross-Origin Request Blocked/);
    expect(run.stdout).toMatch(/\n {2}fix: +\S/);
  });

  it('says what is missing when the capture cannot tell (Playwright drops blocked responses)', () => {
    const run = runCli(['explain', fixture('playwright.har')]);
    expect(run.stdout).toContain('This capture never records preflights (Playwright HAR)');
    expect(run.stdout).toMatch(/\n {2}missing: +\S/);
    expect(run.stdout).toMatch(/\n {2}assumed: +\S/);
  });

  it('uses colour only on a terminal and never with NO_COLOR; escapes control characters from the capture', () => {
    expect(runCli(['explain', fixture('chromium-response-check.har')]).stdout).not.toContain('\u001b[');
    const har = {
      log: {
        entries: [
          {
            _resourceType: 'fetch',
            startedDateTime: '2026-11-20T10:00:00.000Z',
            request: { method: 'GET', url: 'http://api.test/x', headers: [{ name: 'Origin', value: 'http://app.test' }] },
            response: {
              status: 200,
              headers: [{ name: 'Access-Control-Allow-Origin', value: 'http://evil.test\u001b[2J\u001b[32mALLOWED' }],
              _error: 'net::ERR_FAILED',
            },
          },
        ],
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-escape-'));
    try {
      const path = join(dir, 'escape.har');
      writeFileSync(path, JSON.stringify(har));
      const run = runCli(['explain', path]);
      expect(run.stdout).not.toContain('\u001b');
      expect(run.stdout).toContain('\\x1b[2J');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const io = (isTTY: boolean, NO_COLOR?: string): CliIo => ({ stdout() {}, stderr() {}, isTTY, env: { NO_COLOR }, cwd: '/' });
    expect(colourAllowed(io(true))).toBe(true);
    expect(colourAllowed(io(true, '1'))).toBe(false);
    expect(colourAllowed(io(false))).toBe(false);
  });
});
