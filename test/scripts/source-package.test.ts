/**
 * `npm run package` also writes what addons.mozilla.org asks of an add-on that ships minified code: the sources and the
 * steps that rebuild it. The archive is unpacked into an empty folder and built there with the steps SOURCE-BUILD.md
 * gives (`npm ci` replaced by the repository's node_modules); the result must be the same Firefox build, file for file,
 * as the working tree's sources give (slow: two extension builds).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../scripts/build-firefox.js';
import { packageSources, sourceFiles } from '../../scripts/package.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cors-lens-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const archive = join(dir, 'cors-lens-source.zip');
const instructionsPath = join(dir, 'SOURCE-BUILD.md');
let files: Record<string, Uint8Array> = {};

function buildFirefox(folder: string): void {
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(folder, 'node_modules'));
  // Without vitest's NODE_ENV=test, which would make Vite build the development JSX (absolute source paths included).
  const { NODE_ENV: _testEnv, ...env } = process.env;
  execFileSync('npm', ['run', '--silent', 'build:firefox'], { cwd: folder, stdio: 'pipe', env: { ...env, npm_config_loglevel: 'error' } });
}

describe('the source archive for store review', { timeout: 600_000 }, () => {
  beforeAll(() => {
    packageSources(ROOT, { archive, instructions: instructionsPath });
    files = unzipSync(readFileSync(archive));
  });

  it('holds the build configuration, the sources and SOURCE-BUILD.md, and no tests, build output or node_modules', () => {
    const names = Object.keys(files);
    for (const needed of ['SOURCE-BUILD.md', 'package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json', 'manifest.json', 'LICENSE', 'scripts/build-firefox.ts', 'extension/panel.html', 'extension/devtools.html', 'src/panel/App.tsx', 'public/icon-128.png']) {
      expect(names, needed).toContain(needed);
    }
    expect(names.filter((name) => /^(test|dist|node_modules|bench)\//.test(name))).toEqual([]);
    expect(names.length).toBe(sourceFiles(ROOT).length + 1);
  });

  it('gives the exact commands and the versions it was made with', () => {
    const text = strFromU8(files['SOURCE-BUILD.md']!);
    expect(text).toBe(readFileSync(instructionsPath, 'utf8'));
    expect(text).toContain('npm ci');
    expect(text).toContain('npm run build:firefox');
    expect(text).toContain(`Node.js ${process.version}`);
    expect(text).toMatch(/npm \d+\.\d+\.\d+/);
  });

  it('rebuilds, following SOURCE-BUILD.md, the same Firefox build as the working tree', () => {
    const unpacked = join(dir, 'unpacked');
    for (const [name, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), bytes);
    }
    // The reference: every file of the working tree a clone would have (tests and docs included), built the same way.
    const reference = join(dir, 'reference');
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
    for (const path of listed) {
      if (path === '' || path === 'node_modules' || !existsSync(join(ROOT, path))) continue;
      mkdirSync(dirname(join(reference, path)), { recursive: true });
      cpSync(join(ROOT, path), join(reference, path));
    }
    buildFirefox(unpacked);
    buildFirefox(reference);
    const built = listFiles(join(unpacked, 'dist/firefox'));
    expect(built).toContain('manifest.json');
    // A production build: no path of the machine that built it.
    for (const file of built) expect(readFileSync(join(unpacked, 'dist/firefox', file), 'latin1'), file).not.toContain(dir);
    expect(built).toEqual(listFiles(join(reference, 'dist/firefox')));
    for (const file of built) {
      expect(readFileSync(join(unpacked, 'dist/firefox', file)).equals(readFileSync(join(reference, 'dist/firefox', file))), file).toBe(true);
    }
  });
});
