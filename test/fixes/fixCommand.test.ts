/** `cors-lens fix` on a HAR that Chromium recorded in the lab: what a user types, what they read, what lands on disk. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFixCommand } from '../../src/cli/fixCommand.js';

const HAR = new URL('../fixtures/chromium/lab-2026-11-23.har', import.meta.url).pathname;
const harText = readFileSync(HAR, 'utf8');
const urlOf = (scenario: string): string => {
  const m = new RegExp(`"url": ?"(http://[^"]*/s/${scenario}\\?[^"]*)"`).exec(harText);
  if (!m?.[1]) throw new Error(`no ${scenario} in the fixture`);
  return m[1];
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runFixCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('cors-lens fix', () => {
  it('prints the snippet for a blocked request named by its URL', async () => {
    const { code, out, err } = await run(HAR, '--request', urlOf('fail-header-not-allowed'), '--server', 'express');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Express (cors)');
    expect(out).toContain('verified');
    expect(out).toContain('allowedHeaders: ["x-token"]');
    expect(out).toContain('Pitfalls:');
  });

  it('writes the runnable example into --out and prints the command with the port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-cli-'));
    dirs.push(dir);
    const { code, out } = await run('fix', HAR, '--request', urlOf('fail-preflight-status-404'), '--server', 'flask-plain', '--out', dir, '--port', '9123', '--origin', 'https://app.example.com');
    expect(code).toBe(0);
    const app = readFileSync(join(dir, 'app.py'), 'utf8');
    expect(app).toContain('port=9123');
    expect(app).toContain('"https://app.example.com"');
    // A plain path is printed as it is; test/security/shell-safety.test.ts pastes the quoted ones.
    expect(out).toContain(`cd ${dir} && python3 app.py`);
    expect(existsSync(join(dir, 'requirements.txt'))).toBe(true);
  });

  it('answers each mistake with one line and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [[HAR, '--request', 'http://nowhere.test/x', '--server', 'php'], /no request with id or URL/],
      [[HAR, '--request', urlOf('fail-allow-origin-missing'), '--server', 'tomcat'], /unknown server "tomcat"/],
      [[HAR, '--request', urlOf('fail-allow-origin-missing')], /say which server/],
      [[HAR, '--server', 'php'], /say which request/],
      [['--request', '1', '--server', 'php'], /name the HAR file/],
      [[HAR, '--request', urlOf('fail-allow-origin-missing'), '--server', 'php', '--port', '99999'], /--port must be/],
      [[HAR, '--request', urlOf('fail-allow-origin-missing'), '--server', 'php', '--origin', 'https://app.example.com/'], /not a serialized origin/],
      [['/no/such/file.har', '--request', '1', '--server', 'php'], /no such file/],
      // A flag where a value should be is a missing value, not a request URL called "--server"; so is the last word.
      [[HAR, '--request', '--server', 'php'], /--request needs a value/],
      [[HAR, '--server', 'php', '--request'], /--request needs a value/],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await run(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says there is nothing to fix for a request the browser allowed, unless --force', async () => {
    const url = urlOf('pass-simple-get');
    const plain = await run(HAR, '--request', url, '--server', 'nginx');
    expect(plain.code).toBe(0);
    expect(plain.out).toBe('');
    expect(plain.err).toMatch(/nothing to fix.*--force/);
    const forced = await run(HAR, '--request', url, '--server', 'nginx', '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('map $http_origin $cors_allow_origin');
  });
});

describe('cors-lens fix --dev-proxy (the API is not yours)', () => {
  it('prints the dev-server proxy for a request a CORS check blocked, and the server fix names it', async () => {
    const url = urlOf('fail-allow-origin-missing');
    const server = await run(HAR, '--request', url, '--server', 'express');
    expect(server.out).toMatch(/# The API is not yours\? In development: cors-lens fix '.*lab-2026-11-23\.har' --request \d+ --dev-proxy vite/);
    const { code, out, err } = await run(HAR, '--request', url, '--dev-proxy', 'vite');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^# Vite dev server \(vite\.config\.js\) — development only; verified/);
    expect(out).toContain(`target: ${JSON.stringify(new URL(url).origin)}`);
    expect(out).toContain('fetch("/api-proxy/s/fail-allow-origin-missing?');
  });

  it('refuses a tool it does not know, and a request no CORS check blocked', async () => {
    const unknown = await run(HAR, '--request', urlOf('fail-allow-origin-missing'), '--dev-proxy', 'parcel');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown --dev-proxy "parcel"; one of: vite, webpack, nextjs/);
    const allowed = await run(HAR, '--request', urlOf('pass-simple-get'), '--dev-proxy', 'vite');
    expect(allowed.code).toBe(0);
    expect(allowed.err).toMatch(/helps only a request a CORS check blocked \(this one is allowed\)/);
  });
});
