/**
 * The fix beside CORS: `cors-lens fix` on a Cross-Origin-Resource-Policy block prints the CORP header for the server,
 * on a Local Network Access block says the fix is on the page (no server snippet), and on a preflight answered with a
 * redirect prints the CORS config that answers OPTIONS where it is asked. The CORP snippets keep a hostile path inside
 * its string and still parse.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runFixCommand } from '../../src/cli/fixCommand.js';
import { resourcePolicySnippet, resourcePolicyServers } from '../../src/fixes/index.js';
import { documentEntry, entry, harOf } from '../engine/blockers/har.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-fix-beside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function harFile(name: string, ...entries: Record<string, unknown>[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(harOf(...entries)));
  return file;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runFixCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const PAGE = 'http://app.example:8080/';
const IMG = 'http://cdn.example:9090/img/logo.png';
const corpHar = () =>
  harFile(
    'corp.har',
    documentEntry(PAGE),
    entry({ url: IMG, page: PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Cross-Origin-Resource-Policy': 'same-origin' }, error: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin' }),
  );

describe('cors-lens fix beside CORS', () => {
  it.each(['express', 'flask', 'nginx', 'php'])('CORP block: the Cross-Origin-Resource-Policy header for %s, not a CORS config', async (server) => {
    const { code, out, err } = await run(corpHar(), '--request', IMG, '--server', server);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Cross-Origin-Resource-Policy');
    expect(out).toContain('cross-origin');
    expect(out).not.toContain('Access-Control-Allow-Origin');
  });

  it('CORP block on a stack without a CORP snippet: a clear error naming the ones there are', async () => {
    const { code, err } = await run(corpHar(), '--request', IMG, '--server', 'caddy');
    expect(code).toBe(2);
    expect(err).toMatch(/no Cross-Origin-Resource-Policy snippet for "caddy".*express, flask, nginx, php/);
  });

  it('Local Network Access: no server snippet; the page-side fixes instead', async () => {
    const url = 'http://localhost:3000/api';
    const file = harFile('lna.har', entry({ url, page: 'https://app.example.com/', error: 'net::ERR_FAILED' }));
    const { code, out, err } = await run(file, '--request', url, '--server', 'express');
    expect(out).toBe('');
    expect(code).toBe(2);
    expect(err).toMatch(/Local Network Access/);
    expect(err).toMatch(/targetAddressSpace/);
  });

  it('a preflight answered with a redirect (status 0 in the capture): the CORS config that answers OPTIONS itself', async () => {
    const api = 'http://api.example:9090/items';
    const file = harFile(
      'preflight-redirect.har',
      entry({ url: api, method: 'PUT', page: PAGE, requestHeaders: { 'Content-Type': 'application/json' }, error: 'net::ERR_FAILED' }),
      entry({
        url: api,
        method: 'OPTIONS',
        resourceType: 'preflight',
        page: PAGE,
        request: 'sent',
        requestHeaders: { 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
        error: 'net::ERR_INVALID_REDIRECT',
        initiator: { type: 'preflight', url: api, requestId: '3.1' },
      }),
    );
    const { code, out, err } = await run(file, '--request', api, '--server', 'express-plain');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('http://app.example:8080');
    expect(out).toMatch(/OPTIONS/);
    expect(out).toMatch(/204/);
  });
});

describe('CORP snippets keep a captured path inside its string', () => {
  // Characters a parsed URL path may hold (assertPath refuses the rest).
  const pathChar = fc.constantFrom(...'abc/._~-!$&\'()*+,;=:@%2F'.split(''), "'", '$', ';', '%27', '%0A', '%22');
  const path = fc.array(pathChar, { maxLength: 12 }).map((c) => `/${c.join('')}`);

  it('Express: the generated JavaScript parses and sets one header', () => {
    fc.assert(
      fc.property(path, (p) => {
        const { snippet } = resourcePolicySnippet('express', { path: p, reason: '' });
        const calls: string[] = [];
        const app = { use: (at: string) => calls.push(at) };
        new Function('app', snippet)(app);
        expect(calls).toEqual([p]);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('Flask: the generated Python parses with the path as one string', () => {
    const snippets = fc.sample(path, { numRuns: 40, seed: 2 }).map((p) => resourcePolicySnippet('flask', { path: p, reason: '' }).snippet);
    const program = `import ast, sys\nfor s in sys.stdin.read().split('\\0'):\n    ast.parse('app = None\\n' + s)\nprint('ok')`;
    const run = spawnSync('/usr/bin/python3', ['-c', program], { input: snippets.join('\0'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('ok');
  });

  it('PHP: php -l accepts it; Nginx: the location holds only plain characters', () => {
    const php = resourcePolicySnippet('php', { path: "/a'b$c", reason: '' }).snippet;
    const file = join(dir, 'corp.php');
    writeFileSync(file, php);
    const lint = spawnSync('php', ['-l', file], { encoding: 'utf8' });
    if (lint.error === undefined) expect(lint.status).toBe(0);
    for (const p of fc.sample(path, { numRuns: 100, seed: 3 })) {
      const nginx = resourcePolicySnippet('nginx', { path: p, reason: '' }).snippet;
      const location = nginx.split('\n').find((l) => l.startsWith('location'))!;
      expect(location).toMatch(/^location (= \/[A-Za-z0-9/._~!*'()@:+,=&-]*|\/) \{$/);
    }
    expect(resourcePolicyServers()).toEqual(['express', 'flask', 'nginx', 'php']);
  });

  it("Nginx: the exact location is the form the proof runs, so only it is marked verified; the fallback location / is not", () => {
    const exact = resourcePolicySnippet('nginx', { path: '/img/logo.png', reason: '' });
    expect(exact.snippet).toContain('location = /img/logo.png {');
    expect(exact.verified).toBe(true);
    const fallback = resourcePolicySnippet('nginx', { path: '/img/my%20logo.png', reason: '' });
    expect(fallback.snippet).toMatch(/^location \/ \{$/m);
    expect(fallback.verified).toBe(false);
    expect(Object.keys(fallback)).not.toContain('unproven');
  });
});
