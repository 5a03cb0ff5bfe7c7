// Exit 0 when node_modules holds exactly what package-lock.json pins, so `npm ci` would change nothing; 1 otherwise.
// Plain JavaScript: it runs before `npm ci`, when tsx may not be installed yet.
//
// npm writes node_modules/.package-lock.json (its "hidden lockfile") after every install: one entry per installed
// package, as package-lock.json has it. They match when every installed package is pinned with the same entry, and
// every pinned package is installed, except optional ones npm skips on this platform (esbuild's other-OS binaries).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function packagesOf(path) {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed.packages === 'object' ? parsed.packages : undefined;
  } catch {
    return undefined;
  }
}

function why() {
  const pinned = packagesOf(join(root, 'package-lock.json'));
  if (pinned === undefined) return 'package-lock.json is missing or unreadable';
  const installed = packagesOf(join(root, 'node_modules', '.package-lock.json'));
  if (installed === undefined) return 'nothing installed yet (no node_modules/.package-lock.json)';
  for (const [path, entry] of Object.entries(installed)) {
    if (pinned[path] === undefined) return `${path} is installed but not in package-lock.json`;
    if (JSON.stringify(pinned[path]) !== JSON.stringify(entry)) return `${path} differs from package-lock.json`;
  }
  for (const [path, entry] of Object.entries(pinned)) {
    if (path === '' || installed[path] !== undefined || entry.optional === true) continue;
    return `${path} is in package-lock.json but not installed`;
  }
  return undefined;
}

const reason = why();
if (reason !== undefined) {
  console.log(`setup: npm ci needed: ${reason}`);
  process.exit(1);
}
