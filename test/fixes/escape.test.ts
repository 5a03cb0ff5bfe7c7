/**
 * Hostile values from a capture (quotes, newlines, `$`, `;`, backslashes, `${}`, `<?php`) cannot break out of the
 * generated snippets: invalid values are refused, valid ones are escaped so each language reads back the same string,
 * and the generated files still parse (JS with `new Function`, Python with `ast.parse`, PHP with `php -l`, nginx with
 * `nginx -t`) with no extra header line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FixInputError,
  assertHeaderName,
  assertSerializedOrigin,
  jsString,
  nginxString,
  phpString,
  pythonString,
  NGINX_DOLLAR_GEO,
} from '../../src/fixes/escape.js';
import { generateFix } from '../../src/fixes/index.js';
import type { CorsPolicy, ServerId } from '../../src/fixes/model.js';
import ts from 'typescript';
import { csharpString, javaString } from '../../src/fixes/escape.js';
import { freePort } from '../support/ports.js';

const PYTHON = '/usr/bin/python3';
const NGINX = '/usr/sbin/nginx';
const SEED = 20261123;

const NASTY = ['"', "'", '\n', '\r', '$', ';', '\\', '${x}', '<?php', '?>', '`', '{', '}', '%', '\u2028', '</script>', '#', ' ', '\t', '\0'];
/** Strings built from pieces that end strings, start variables or comments, or split lines. */
const hostileString = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 8 })
  .map((parts) => parts.join(''));
const TOKEN_CHARS = "!#$%&'*+-.^_`|~abcXYZ019".split('');
/** Valid header names and methods that still hold `$`, quotes, backticks, `|`, `%`, `&`. */
const hostileToken = fc.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 1, maxLength: 10 }).map((c) => c.join(''));

function runPython(script: string, input: string): string {
  return execFileSync(PYTHON, ['-c', script], { input, encoding: 'utf8' });
}

function hostilePolicy(headers: string[], method: string): CorsPolicy {
  return {
    origins: ['http://localhost:5173', 'https://app.example.com'],
    credentials: true,
    methods: [method],
    requestHeaders: headers,
    exposeHeaders: headers.slice(0, 1),
    path: '/api/it$em;s',
    maxAgeSeconds: 600,
    preflight: true,
    requestMethod: method,
  };
}

describe('validation refuses what cannot be an origin or a header name', () => {
  it('a hostile origin is refused unless it is a plain serialized origin', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, hostileString.map((s) => `http://a${s}.test`), hostileString.map((s) => `https://x.test${s}`)), (value) => {
        let accepted: string | undefined;
        try {
          accepted = assertSerializedOrigin(value);
        } catch (e) {
          expect(e).toBeInstanceOf(FixInputError);
          return;
        }
        expect(accepted).toMatch(/^https?:\/\/[a-z0-9._\-[\]:]+$/);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a header name with anything but token characters is refused', () => {
    fc.assert(
      fc.property(hostileString, (value) => {
        let accepted = true;
        try {
          assertHeaderName(value);
        } catch (e) {
          expect(e).toBeInstanceOf(FixInputError);
          accepted = false;
        }
        expect(accepted).toBe(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('escaped literals read back as the same string', () => {
  const samples = fc.sample(fc.oneof(hostileString, fc.string({ unit: 'grapheme', maxLength: 12 })), { seed: SEED, numRuns: 200 });

  it('JavaScript', () => {
    for (const s of samples) expect(new Function(`return ${jsString(s)};`)()).toBe(s);
  });

  it('Python', () => {
    const literals = samples.map(pythonString);
    const out = runPython('import ast,json,sys; print(json.dumps([ast.literal_eval(l) for l in json.load(sys.stdin)]))', JSON.stringify(literals));
    expect(JSON.parse(out)).toEqual(samples);
  });

  it('PHP single-quoted strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-php-'));
    try {
      // php's json_encode needs valid UTF-8: compare bytes as hex instead.
      const file = join(dir, 'check.php');
      writeFileSync(file, `<?php\n$v = [${samples.map(phpString).join(',\n')}];\necho json_encode(array_map('bin2hex', $v));\n`);
      const out = execFileSync('php', [file], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual(samples.map((s) => Buffer.from(s, 'utf8').toString('hex')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generated snippets for hostile header names and methods', () => {
  const cases = fc.sample(fc.tuple(fc.uniqueArray(hostileToken, { minLength: 1, maxLength: 3 }), hostileToken), { seed: SEED, numRuns: 25 });
  const fixesFor = (server: ServerId) => cases.map(([headers, method]) => ({ headers, method, fix: generateFix(server, hostilePolicy(headers, method), { port: 18080 }) }));

  it('Express files parse as JavaScript', () => {
    for (const server of ['express', 'express-plain'] as const) {
      for (const { fix } of fixesFor(server)) {
        for (const f of fix.example.files.filter((f) => f.path.endsWith('.js'))) expect(() => new Function(f.content), f.content).not.toThrow();
        expect(() => new Function('app', 'require', fix.snippet)).not.toThrow();
      }
    }
  });

  it('Flask, FastAPI and Django files parse as Python', () => {
    const sources = (['flask', 'flask-plain', 'fastapi', 'django'] as const).flatMap((server) => fixesFor(server).map(({ fix }) => fix.example.files.find((f) => f.path === 'app.py')!.content));
    const out = runPython(
      'import ast,json,sys\nbad=[]\nfor s in json.load(sys.stdin):\n  try: ast.parse(s)\n  except SyntaxError as e: bad.append(str(e))\nprint(json.dumps(bad))',
      JSON.stringify(sources),
    );
    expect(JSON.parse(out)).toEqual([]);
  });

  it('PHP front controllers pass php -l, with one header() per header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-phpl-'));
    try {
      fixesFor('php').forEach(({ fix }, i) => {
        const file = join(dir, `index${i}.php`);
        writeFileSync(file, fix.example.files[0]!.content);
        const lint = spawnSync('php', ['-l', file], { encoding: 'utf8' });
        expect(lint.status, lint.stdout + lint.stderr).toBe(0);
        expect(fix.snippet.match(/header\(/g)?.length).toBe(8);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(NGINX))('nginx configs pass nginx -t, with the same add_header lines whatever the values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-nginx-t-'));
    try {
      for (const { fix } of fixesFor('nginx')) {
        const conf = fix.example.files[0]!.content;
        writeFileSync(join(dir, 'nginx.conf'), conf);
        const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { encoding: 'utf8' });
        expect(check.status, `${check.stderr}\n${conf}`).toBe(0);
        expect(conf.match(/^\s*add_header /gm)?.length, conf).toBe(10);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(NGINX))('nginx sends a hostile-but-valid value back byte for byte', async () => {
    const values = ["x-$uri'|`%&*+^~!#", 'a$b$$c', "x-${host}", 'ab"c\\d', "semi;colon{}"];
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-nginx-run-'));
    // nginx binds it itself: a port no other test's listen(0) can take meanwhile.
    const server = await freePort();
    const locations = values.map((v, i) => `location = /v${i} { add_header X-Value ${nginxString(v)} always; return 204; }`).join('\n');
    writeFileSync(join(dir, 'nginx.conf'), `pid nginx.pid; error_log stderr; events {} http { access_log off; client_body_temp_path tmp; proxy_temp_path tmp; ${NGINX_DOLLAR_GEO} server { listen 127.0.0.1:${server}; ${locations} } }`);
    const { spawn } = await import('node:child_process');
    const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'], { detached: true, stdio: 'ignore' });
    try {
      let got: string[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          got = await Promise.all(values.map(async (_, i) => (await fetch(`http://127.0.0.1:${server}/v${i}`)).headers.get('x-value') ?? ''));
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(got).toEqual(values);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Next.js route handlers parse as TypeScript', () => {
    for (const { fix } of fixesFor('nextjs')) {
      const route = fix.example.files.find((f) => f.path.endsWith('route.ts'))!;
      const source = ts.createSourceFile('route.ts', route.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const diagnostics = (source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;
      expect(diagnostics, route.content).toEqual([]);
    }
  });

  it.skipIf(spawnSync('gofmt', ['-h'], { stdio: 'ignore' }).error !== undefined)('Go files parse (gofmt -e)', () => {
    for (const { fix } of fixesFor('go')) {
      const check = spawnSync('gofmt', ['-e', '-l'], { input: fix.example.files[0]!.content, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
  });

  it.skipIf(!existsSync('/usr/sbin/apache2'))('Apache configs pass apache2 -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-apache-t-'));
    try {
      for (const { fix } of fixesFor('apache').slice(0, 8)) {
        for (const f of fix.example.files) writeFileSync(join(dir, f.path), f.content);
        const check = spawnSync('/usr/sbin/apache2', ['-t', '-d', dir, '-f', join(dir, 'httpd.conf')], { encoding: 'utf8', cwd: dir, env: { ...process.env, PWD: dir } });
        expect(check.status, `${check.stderr}\n${fix.example.files[0]!.content}`).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(spawnSync('caddy', ['version'], { stdio: 'ignore' }).error !== undefined)('Caddyfiles adapt (caddy adapt)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-fix-caddy-'));
    try {
      for (const { fix } of fixesFor('caddy').slice(0, 8)) {
        writeFileSync(join(dir, 'Caddyfile'), fix.example.files[0]!.content);
        const check = spawnSync('caddy', ['adapt', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8' });
        expect(check.status, check.stderr).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Java and C# literals stay single, well-formed literals', () => {
    const javaLiteral = /^"(?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\[btnfr"\\]|\\[0-7]{3}|\\u[0-9a-f]{4})*"$/;
    const csharpLiteral = /^"(?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\["\\]|\\u[0-9a-f]{4})*"$/;
    for (const s of fc.sample(hostileString, { seed: SEED, numRuns: 300 })) {
      expect(javaString(s)).toMatch(javaLiteral);
      expect(csharpString(s)).toMatch(csharpLiteral);
      expect(javaString(s)).not.toMatch(/\\u000[ad]|\\u0022|\\u005c/i);
    }
  });
});
