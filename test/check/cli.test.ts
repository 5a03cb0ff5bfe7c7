/**
 * `cors-lens check` as a CI job runs it: a separate process, real exit codes, against servers in this test that count
 * every request their handler receives.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import { main } from '../../src/cli/cors-lens.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source, in its own process; asynchronous, so the servers in this process keep answering. */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cors-lens.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', HTTP_PROXY: '', HTTPS_PROXY: '', http_proxy: '', https_proxy: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const PAGE = 'https://app.example.com';
/** Every request each path's handler received, as `METHOD path`. */
const handled: string[] = [];
let api: Server;
let base: string;
let dir: string;

/**
 * /items: the preflight allows GET and POST only (a deploy that broke PUT); the actual response allows the page.
 * /open: the preflight allows PUT and DELETE with content-type; the actual response allows the page.
 */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  handled.push(`${req.method} ${path}`);
  const origin = req.headers.origin === PAGE ? PAGE : 'https://elsewhere.example';
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': path === '/items' ? 'GET, POST' : 'PUT, DELETE',
      'Access-Control-Allow-Headers': 'content-type',
      Vary: 'Origin',
    });
    res.end();
    return;
  }
  res.writeHead(200, { 'Access-Control-Allow-Origin': origin, 'Content-Type': 'application/json', Vary: 'Origin' });
  res.end('{"ok":true}');
}

beforeAll(async () => {
  api = createServer(answer);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-check-cli-'));
});

afterAll(async () => {
  api.closeAllConnections();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('cors-lens check in CI', () => {
  it('a PUT with --expect allowed against a server that breaks it exits 1 with Chrome’s console line and the fix', async () => {
    const run = await cli(['check', `${base}/items`, '--origin', PAGE, '--method', 'PUT', '--content-type', 'application/json', '--expect', 'allowed']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^BLOCKED\s+PUT /);
    expect(run.stdout).toContain(
      `chrome:    MethodDisallowedByPreflightResponse [PUT]: Access to fetch at '${base}/items' from origin '${PAGE}' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.`,
    );
    // The fix for the stacks: the Express snippet allows PUT for the page's origin.
    expect(run.stdout).toContain('Fix: server configuration that lets this request pass');
    expect(run.stdout).toMatch(/methods: \[[^\]]*"PUT"/);
    expect(run.stdout).toContain(`"${PAGE}"`);
    expect(run.stdout).toContain('Expected allowed: DOES NOT HOLD');
    // The checklist shows where it stopped.
    expect(run.stdout).toMatch(/\[FAIL\] preflight hop 0 {2}preflightAllowsMethod/);
  });

  it('the same request against a server that allows it: the expectation holds on the preflight, and says the response was not checked', async () => {
    const run = await cli(['check', `${base}/open`, '--origin', PAGE, '--method', 'PUT', '--content-type', 'application/json', '--expect', 'allowed']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('the actual PUT request was not sent');
    expect(run.stdout).toContain('Expected allowed: holds — the preflight passes; the actual PUT was not sent');
  });

  it('a DELETE without --send never reaches the handler; with --send it does, once', async () => {
    const before = handled.length;
    const held = await cli(['check', `${base}/open`, '--origin', PAGE, '--method', 'DELETE']);
    expect(held.code, held.stderr).toBe(0);
    expect(handled.slice(before)).toEqual(['OPTIONS /open']);
    expect(held.stdout).toContain('the actual DELETE request was not sent, because it can change data on the server');

    const simplePost = handled.length;
    const nothing = await cli(['check', `${base}/open`, '--origin', PAGE, '--method', 'POST', '--data', 'x', '--expect', 'allowed']);
    // A simple POST needs no preflight: without --send nothing at all is sent, and the expectation is not confirmed.
    expect(handled.slice(simplePost)).toEqual([]);
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toContain('nothing was sent');

    const sent = handled.length;
    const run = await cli(['check', `${base}/open`, '--origin', PAGE, '--method', 'DELETE', '--send', '--expect', 'allowed']);
    expect(run.code, run.stdout).toBe(0);
    expect(handled.slice(sent)).toEqual(['OPTIONS /open', 'DELETE /open']);
    expect(run.stdout).toMatch(/^ALLOWED\s+DELETE /);
  });

  it('--expect blocked holds for a blocked request (exit 0) and --json carries the report and what was sent', async () => {
    const run = await cli(['check', `${base}/items`, '--origin', 'https://stranger.example', '--json', '--expect', 'blocked']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      source: string;
      exchanges: { verdict: string; failure: { chromeCorsError: string; failedParameter: string } }[];
      check: { sent: { phase: string; method: string; status: number }[]; expect: { holds: boolean; observed: string } };
    };
    expect(json.source).toBe('cors-lens-check');
    expect(json.exchanges[0]).toMatchObject({ verdict: 'blocked', failure: { chromeCorsError: 'AllowOriginMismatch', failedParameter: 'https://elsewhere.example' } });
    expect(json.check.sent).toEqual([{ phase: 'actual', hop: 0, method: 'GET', url: `${base}/items`, status: 200 }]);
    expect(json.check.expect).toMatchObject({ holds: true, observed: 'blocked' });
  });

  it('--config: one line per check (origins × URLs × methods) and totals; exit 1 when one does not hold', async () => {
    const config = join(dir, 'cors.json');
    writeFileSync(
      config,
      JSON.stringify({
        checks: [
          { name: 'reads', origins: [PAGE], urls: [`${base}/items`, `${base}/open`], expect: 'allowed' },
          { name: 'writes', origin: PAGE, url: `${base}/items`, methods: ['PUT', 'DELETE'], headers: { 'Content-Type': 'application/json' }, expect: 'allowed' },
          { name: 'strangers', origin: 'https://stranger.example', url: `${base}/open`, expect: 'blocked' },
        ],
      }),
    );
    const run = await cli(['check', '--config', config]);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(new RegExp(`^ok +allowed +reads GET ${base}/items from ${PAGE}$`));
    expect(lines[1]).toMatch(/^ok +allowed +reads GET .*\/open/);
    expect(lines[2]).toMatch(/^FAIL blocked +writes PUT .*expected allowed: preflightAllowsMethod fails \(MethodDisallowedByPreflightResponse\): MethodDisallowedByPreflightResponse \[PUT\]: Access to fetch at/);
    expect(lines[3]).toMatch(/^FAIL blocked +writes DELETE /);
    expect(lines[4]).toMatch(/^ok +blocked +strangers GET /);
    expect(lines[5]).toBe('5 checks: 3 as expected, 2 not');
    expect(run.code).toBe(1);

    writeFileSync(config, JSON.stringify([{ origin: PAGE, url: `${base}/open`, method: 'PUT', contentType: 'application/json', send: true, body: '{}', expect: 'allowed' }]));
    const good = await cli(['check', '--config', config]);
    expect(good.stdout).toMatch(/^ok +allowed +checks\[0\] PUT /);
    expect(good.stdout).toContain('1 check: 1 as expected, 0 not');
    expect(good.code).toBe(0);
  });

  it('bad input is one line on stderr and exit 2', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ checks: [{ origin: PAGE, url: `${base}/x`, expect: 'fine' }] }));
    const cases: [string[], RegExp][] = [
      [['check', `${base}/x`], /--origin <page origin>/],
      [['check', '--origin', PAGE], /check needs a URL/],
      [['check', `${base}/x`, '--origin', PAGE, '--method', 'TRACK'], /never sends TRACK/],
      [['check', `${base}/x`, '--origin', PAGE, '--expect', 'maybe'], /--expect takes allowed or blocked/],
      [['check', '--config', config], /checks\[0\]: "expect" must be "allowed" or "blocked"/],
      [['check', '--config', join(dir, 'none.json')], /no such file/],
    ];
    // In this process (the same code path as the binary, without a process start per case); the first as a process too.
    const spawned = await cli(cases[0]![0]);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toMatch(cases[0]![1]);
    for (const [args, message] of cases) {
      let stderr = '';
      const code = await main(args, { stdout: () => undefined, stderr: (t) => void (stderr += t), isTTY: false, env: {}, cwd: ROOT });
      const run = { code, stderr };
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('--help shows the options and an example', async () => {
    const run = await cli(['check', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cors-lens check https://api.example.com/items --origin https://app.example.com');
    const top = await cli(['--help']);
    expect(top.stdout).toContain('cors-lens check <url> --origin <page origin>');
  });
});
