/**
 * `prepack` (run by `npm pack` and `npm publish`): the package is built from the sources every time, so a fresh clone
 * packs a working package. The dist/ folders the package ships (package.json `files`) are emptied first, so nothing a
 * removed source file once compiled to is shipped, then `npm run build:lib` writes them again.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
for (const entry of files.filter((f) => f.startsWith('dist/'))) rmSync(join(root, entry), { recursive: true, force: true });

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', '--silent', 'build:lib'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('prepack: the library build failed (output above); nothing was packed.');
  process.exit(1);
}
