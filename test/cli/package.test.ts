/**
 * The package as a user gets it (slow: copies the repository, packs and installs twice). The repository's files as a
 * fresh clone has them (tracked and not ignored: no dist/, no build output) are copied to a temporary folder, `npm pack`
 * runs there (its `prepack` must build the library), and the tarball is installed into two scratch projects: a
 * CommonJS one as `npm init -y` makes it, which `require`s the package, and an ESM one, which `import`s it. Both run
 * `npx cors-lens`, and the docs the package's README links to must be in the package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAND, ROOT } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clone = join(dir, 'clone');
const cjsProject = join(dir, 'cjs-consumer');
const esmProject = join(dir, 'esm-consumer');
let packedFiles: string[] = [];
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });
}

/** The files a clone of the working tree holds: tracked or new, never ignored (so no dist/ and no node_modules). */
function copyAsClone(to: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  for (const path of listed) {
    // node_modules may be a symlink here (worktrees), which a directory-only ignore rule does not match.
    if (path === '' || path === 'node_modules' || !existsSync(join(ROOT, path))) continue;
    mkdirSync(dirname(join(to, path)), { recursive: true });
    cpSync(join(ROOT, path), join(to, path));
  }
  // `npm ci` would install the same packages; the ones already here are reused.
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(to, 'node_modules'));
}

const SAMPLE = join(HAND, 'chromium-preflight-failures.har');
const SAMPLE_URLS = ['http://127.0.0.1:8002/s4?n=mwtazmzg', 'http://127.0.0.1:8002/s5?n=mwtazmzg', 'http://127.0.0.1:8002/s6?n=mwtazmzg'];

describe('the packed cors-lens package, from a fresh clone', { timeout: 600_000 }, () => {
  beforeAll(() => {
    copyAsClone(clone);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], clone)) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0]!.files.map((f) => f.path);
    const tarball = join(dir, packed[0]!.filename);
    for (const [project, manifest] of [
      // What `npm init -y` writes: no "type", so .js files are CommonJS.
      [cjsProject, { name: 'cjs-consumer', version: '1.0.0', main: 'index.js', license: 'ISC' }],
      [esmProject, { name: 'esm-consumer', version: '1.0.0', private: true, type: 'module' }],
    ] as const) {
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
      npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
    }
  }, 600_000);

  it('holds the built library and CLI, the LICENSE and the docs the README links to', () => {
    expect(packedFiles).toContain('dist/lib/index.js');
    expect(packedFiles).toContain('dist/lib/index.d.ts');
    expect(packedFiles).toContain('dist/cli/cors-lens.js');
    expect(packedFiles).toContain('dist/cli/fixCommand.js');
    expect(packedFiles).toContain('LICENSE');
    expect(packedFiles).toContain('README.md');
    const installed = join(cjsProject, 'node_modules', 'cors-lens');
    const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { license: string };
    expect(manifest.license).toBe('MIT');
    expect(license).toMatch(/^MIT License/);
    // Every relative link in the shipped README and docs names a file the package holds.
    const linking = ['README.md', ...packedFiles.filter((f) => f.startsWith('docs/'))];
    const links = linking.flatMap((file) =>
      [...readFileSync(join(installed, file), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !/^[a-z]+:/i.test(target))
        .map((target) => ({ file, target: join(dirname(file), target) })),
    );
    expect(links.map((l) => l.target)).toContain('docs/report-schema.md');
    for (const { file, target } of links) expect(existsSync(join(installed, target)), `${file} links to ${target}`).toBe(true);
    // The CLI's help names the schema doc: it ships too.
    expect(packedFiles).toContain('docs/report-schema.md');
  });

  it('is require()-able from a CommonJS project and explains a HAR', () => {
    writeFileSync(
      join(cjsProject, 'index.js'),
      `const { readFileSync } = require('node:fs');
const { explainHar, HarFormatError, checkCors } = require('cors-lens');
const report = explainHar(JSON.parse(readFileSync(process.argv[2], 'utf8')));
let formatError = '';
try { explainHar({ not: 'a har' }); } catch (error) { formatError = error instanceof HarFormatError ? error.message : 'wrong error'; }
console.log(JSON.stringify({ tool: report.tool, urls: report.exchanges.map((e) => e.url), formatError, check: typeof checkCors }));
`,
    );
    const run = spawnSync(process.execPath, ['index.js', SAMPLE], { cwd: cjsProject, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      tool: { name: 'cors-lens', version },
      urls: SAMPLE_URLS,
      formatError: 'not a HAR: no "log" object at the top level',
      check: 'function',
    });
  });

  it('is importable from an ESM project and explains a HAR', () => {
    writeFileSync(
      join(esmProject, 'index.js'),
      `import { readFileSync } from 'node:fs';
import { explainHar, createExchangeStore, checkCors } from 'cors-lens';
const report = explainHar(JSON.parse(readFileSync(process.argv[2], 'utf8')));
console.log(JSON.stringify({ schemaVersion: report.schemaVersion, source: report.source, urls: report.exchanges.map((e) => e.url), store: typeof createExchangeStore, check: typeof checkCors }));
`,
    );
    const run = spawnSync(process.execPath, ['index.js', SAMPLE], { cwd: esmProject, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ schemaVersion: 1, source: 'chromium-har-export', urls: SAMPLE_URLS, store: 'function', check: 'function' });
  });

  it('runs as `npx cors-lens` in both projects', () => {
    for (const project of [cjsProject, esmProject]) {
      const help = spawnSync('npx', ['--no-install', 'cors-lens', '--help'], { cwd: project, encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('cors-lens explain');
      const run = spawnSync('npx', ['--no-install', 'cors-lens', 'explain', SAMPLE, '--json', '--no-fail'], { cwd: project, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout).totals.exchanges).toBe(3);
      const fix = spawnSync('npx', ['--no-install', 'cors-lens', 'fix', '--help'], { cwd: project, encoding: 'utf8' });
      expect(fix.status).toBe(0);
      expect(fix.stdout).toContain('--server');
    }
  });
});
