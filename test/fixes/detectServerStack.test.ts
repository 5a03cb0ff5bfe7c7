/**
 * The stack the responses name, for the fix tab to open on: read from real servers' answers (the fix-proof runtimes,
 * recorded in test/fixtures/servers/real-stacks.har and re-recorded live here where the servers are installed), and
 * used by `cors-lens fix` when --server is left out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixCommand } from '../../src/cli/fixCommand.js';
import { main } from '../../src/cli/cors-lens.js';
import { detectServerStack } from '../../src/fixes/detectServerStack.js';
import type { ServerId } from '../../src/fixes/model.js';
import { explainHar } from '../../src/lib/index.js';
import { RUNTIMES } from './runtimes.js';
import { captureStack } from './stackCapture.js';

const FIXTURE = new URL('../fixtures/servers/real-stacks.har', import.meta.url).pathname;
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { log: { entries: unknown[] } };

/** What each recorded exchange's server is, in the fixture's order (Go's net/http names no stack). */
const RECORDED: readonly (ServerId | null)[] = ['express', 'flask', 'nginx', 'php', 'fastapi', 'caddy', 'apache', null];

describe('detectServerStack', () => {
  it('reads the framework before the server in front of it, and says from which header', () => {
    expect(detectServerStack([['Server', 'nginx/1.22.1'], ['X-Powered-By', 'PHP/8.2.36']])).toEqual({ id: 'php', name: 'PHP', reason: 'from X-Powered-By: PHP/8.2.36' });
    expect(detectServerStack([['x-powered-by', 'Next.js']])?.id).toBe('nextjs');
    expect(detectServerStack([['X-Powered-By', 'ASP.NET'], ['Server', 'Microsoft-IIS/10.0']])?.id).toBe('aspnet');
    expect(detectServerStack([['Server', 'Kestrel']])?.id).toBe('aspnet');
    expect(detectServerStack([['Server', 'openresty/1.25.3.1']])?.id).toBe('nginx');
  });

  it('names no stack when nothing names one, never a guess', () => {
    for (const headers of [[], [['Server', 'cloudflare']], [['Server', 'WSGIServer/0.2 CPython/3.11.2']], [['Server', 'gunicorn']], [['Server', 'Apache-Coyote/1.1']], [['Server', 'Microsoft-IIS/10.0']], [['Content-Type', 'text/html']]] as [string, string][][]) {
      expect(detectServerStack(headers), JSON.stringify(headers)).toBeNull();
    }
  });

  it('cuts a long header value in the reason and survives what is not a header list', () => {
    const reason = detectServerStack([['Server', `nginx ${'x'.repeat(200)}`]])!.reason;
    expect(reason.length).toBeLessThan(90);
    expect(reason.endsWith('…')).toBe(true);
    expect(detectServerStack(null as never)).toBeNull();
    expect(detectServerStack([[1, 2], 'x'] as never)).toBeNull();
  });
});

describe('the stack of real servers, in the report', () => {
  it('is named for each recorded server but Go, which sends no header naming it', () => {
    const report = explainHar(recorded);
    expect(report.exchanges.map((e) => e.verdict)).toEqual(RECORDED.map(() => 'blocked'));
    expect(report.exchanges.map((e) => e.serverStack?.id ?? null)).toEqual(RECORDED);
    expect(report.exchanges[0]!.serverStack).toEqual({ id: 'express', name: 'Express', reason: 'from X-Powered-By: Express' });
  });

  for (const server of ['express', 'nginx', 'php', 'flask'] as const) {
    const why = RUNTIMES[server]!.missing();
    it.skipIf(why !== null)(`is named for ${server} answering now, as recorded${why ? ` (${why})` : ''}`, { timeout: 120_000 }, async () => {
      const entry = await captureStack(server, new Date());
      const [exchange] = explainHar({ log: { entries: [entry] } }).exchanges;
      expect(exchange!.serverStack?.id).toBe(server);
    });
  }
});

describe('cors-lens fix without --server', () => {
  async function fix(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runFixCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  it('uses the stack the responses name, and says so', async () => {
    const express = await fix(FIXTURE, '--request', '1');
    expect(express.code).toBe(0);
    expect(express.err).toBe('cors-lens fix: --server express: Express, from X-Powered-By: Express (name another with --server)\n');
    expect(express.out).toMatch(/^# Express \(cors\)/);
    const nginx = await fix(FIXTURE, '--request', '3');
    expect(nginx.out).toMatch(/^# Nginx/i);
    expect(nginx.err).toContain('from Server: nginx/1.22.1');
    // --server still wins.
    const chosen = await fix(FIXTURE, '--request', '1', '--server', 'php');
    expect(chosen.err).toBe('');
    expect(chosen.out).toMatch(/^# PHP/);
  });

  it('asks for --server when the responses name no stack', async () => {
    const go = await fix(FIXTURE, '--request', '8');
    expect(go.code).toBe(2);
    expect(go.out).toBe('');
    expect(go.err).toMatch(/^cors-lens fix: say which server: --server <.*> \(the captured responses do not name their stack\)\n$/);
  });

  it('is the stack explain suggests in its closing fix command', async () => {
    let out = '';
    await main(['explain', FIXTURE], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, env: {}, cwd: process.cwd() });
    expect(out).toContain(`Fix #1, the first blocked request: cors-lens fix ${FIXTURE} --request 1 --server express\n  Express, from X-Powered-By: Express; other stacks: cors-lens fix --help`);
  });
});

describe('a hostile Server header', () => {
  it('reaches the terminal with its control bytes written out', async () => {
    const har = structuredClone(recorded) as { log: { entries: { response: { headers: { name: string; value: string }[] } }[] } };
    const entry = har.log.entries[2]!;
    entry.response.headers = entry.response.headers.map((h) => (h.name.toLowerCase() === 'server' ? { name: h.name, value: 'nginx\u001b]0;owned\u0007' } : h));
    const dir = mkdtempSync(join(tmpdir(), 'cors-stack-hostile-'));
    try {
      const path = join(dir, 'hostile.har');
      writeFileSync(path, JSON.stringify(har));
      let out = '';
      let err = '';
      const code = await runFixCommand([path, '--request', '3'], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
      expect(code).toBe(0);
      expect(err).toBe('cors-lens fix: --server nginx: nginx, from Server: nginx\\x1b]0;owned\\x07 (name another with --server)\n');
      // eslint-disable-next-line no-control-regex
      expect(out + err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
