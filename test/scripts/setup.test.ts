/**
 * The README's first command, `bash scripts/setup.sh`, runs `npm ci` only when node_modules does not already hold what
 * package-lock.json pins: always on a bare machine, again when the lockfile changed, never twice in a row for nothing.
 * Run on a copy of the repository's lockfile with a stand-in `npm` (and `apt-get`, `sudo`) first on PATH that records
 * how it was called and, for `npm ci`, installs as npm does: it writes node_modules/.package-lock.json.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cors-lens-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const project = join(dir, 'project');
const bin = join(dir, 'bin');
const calls = join(dir, 'calls.log');

mkdirSync(join(project, 'scripts'), { recursive: true });
for (const file of ['scripts/setup.sh', 'scripts/installed-matches-lock.mjs', 'package-lock.json', 'package.json']) copyFileSync(join(ROOT, file), join(project, file));
mkdirSync(bin);
// `npm ci` as far as this check can tell: the hidden lockfile npm writes, every pinned package except the optional ones
// for other platforms (which real npm skips here too).
const fakeNpm = `#!/bin/sh
echo "npm $*" >> ${JSON.stringify(calls)}
if [ "$1" = ci ]; then
  rm -rf node_modules && mkdir node_modules
  node -e '
    const lock = JSON.parse(require("fs").readFileSync("package-lock.json", "utf8"));
    const packages = {};
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && !entry.optional) packages[path] = entry;
    require("fs").writeFileSync("node_modules/.package-lock.json", JSON.stringify({ name: lock.name, lockfileVersion: 3, requires: true, packages }, null, 2));
  '
fi
`;
writeFileSync(join(bin, 'npm'), fakeNpm);
for (const tool of ['apt-get', 'sudo']) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${JSON.stringify(calls)}\n`);
for (const tool of ['npm', 'apt-get', 'sudo']) chmodSync(join(bin, tool), 0o755);

function setup(env: Record<string, string> = {}): { status: number | null; stdout: string; npmCalls: string[] } {
  rmSync(calls, { force: true });
  const run = spawnSync('bash', ['scripts/setup.sh'], { cwd: project, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ...env } });
  const logged = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  return { status: run.status, stdout: run.stdout + run.stderr, npmCalls: logged.filter((line) => line.startsWith('npm ')) };
}

describe('scripts/setup.sh and npm ci', { timeout: 60_000 }, () => {
  it('installs on a bare machine', () => {
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
    const run = setup();
    expect(run.status, run.stdout).toBe(0);
    expect(run.npmCalls).toEqual(['npm ci --no-audit --no-fund']);
    expect(run.stdout).toContain('npm ci needed: nothing installed yet');
  });

  it('skips npm ci the second time, when nothing changed', () => {
    const run = setup();
    expect(run.status, run.stdout).toBe(0);
    expect(run.npmCalls).toEqual([]);
    expect(run.stdout).toContain('setup: node_modules matches package-lock.json; npm ci skipped');
  });

  it('installs again when package-lock.json changed, and when asked to', () => {
    const lockPath = join(project, 'package-lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, { version?: string }> };
    const typescript = lock.packages['node_modules/typescript']!;
    typescript.version = `${typescript.version}-changed`;
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    const changed = setup();
    expect(changed.npmCalls).toEqual(['npm ci --no-audit --no-fund']);
    expect(changed.stdout).toContain('node_modules/typescript differs from package-lock.json');
    expect(setup().npmCalls).toEqual([]);
    expect(setup({ CORS_LENS_FORCE_NPM_CI: '1' }).npmCalls).toEqual(['npm ci --no-audit --no-fund']);
  });

  it('installs again when a pinned package is missing from node_modules', () => {
    const hiddenPath = join(project, 'node_modules', '.package-lock.json');
    const hidden = JSON.parse(readFileSync(hiddenPath, 'utf8')) as { packages: Record<string, unknown> };
    delete hidden.packages['node_modules/typescript'];
    writeFileSync(hiddenPath, JSON.stringify(hidden));
    const run = setup();
    expect(run.npmCalls).toEqual(['npm ci --no-audit --no-fund']);
    expect(run.stdout).toContain('node_modules/typescript is in package-lock.json but not installed');
  });
});
