/**
 * The package as a user gets it (slow: builds, packs and installs): `npm pack`, install the tarball into an empty
 * project, then `import { explainHar } from 'cors-lens'` from a plain .mjs and run the installed `cors-lens` bin.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND, ROOT } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

describe('the packed cors-lens package', { timeout: 300_000 }, () => {
  beforeAll(() => {
    npm(['run', 'build:lib'], ROOT);
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as { filename: string }[];
    const tarball = join(dir, packed[0]!.filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], dir);
  }, 300_000);

  it('is importable as ESM from Node and explains a HAR', () => {
    const script = join(dir, 'use.mjs');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
import { explainHar, HarFormatError, createExchangeStore, checkCors } from 'cors-lens';
const har = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const report = explainHar(har);
let formatError = '';
try { explainHar({ not: 'a har' }); } catch (error) { formatError = error instanceof HarFormatError ? error.message : 'wrong error'; }
console.log(JSON.stringify({
  schemaVersion: report.schemaVersion,
  tool: report.tool,
  source: report.source,
  urls: report.exchanges.map((e) => e.url),
  formatError,
  store: typeof createExchangeStore,
  check: typeof checkCors,
}));
`,
    );
    const out = execFileSync(process.execPath, [script, join(HAND, 'chromium-preflight-failures.har')], { cwd: dir, encoding: 'utf8' });
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(out)).toEqual({
      schemaVersion: 1,
      tool: { name: 'cors-lens', version },
      source: 'chromium-har-export',
      urls: ['http://127.0.0.1:8002/s4?n=mwtazmzg', 'http://127.0.0.1:8002/s5?n=mwtazmzg', 'http://127.0.0.1:8002/s6?n=mwtazmzg'],
      formatError: 'not a HAR: no "log" object at the top level',
      store: 'function',
      check: 'function',
    });
  });

  it('installs a working cors-lens command', () => {
    const bin = join(dir, 'node_modules', '.bin', 'cors-lens');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const run = spawnSync(bin, ['explain', join(HAND, 'chromium-preflight-failures.har'), '--json', '--no-fail'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).totals.exchanges).toBe(3);
  });
});
