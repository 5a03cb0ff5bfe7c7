/**
 * `npm run package`: the store uploads, from the builds `npm run build:firefox` leaves in dist/.
 *   dist/cors-lens-chrome.zip    dist/extension, for the Chrome Web Store
 *   dist/cors-lens-firefox.zip   dist/firefox, for addons.mozilla.org
 * manifest.json sits at the root of each zip, as both stores require. Entries are sorted and dated to a fixed time, so
 * the same build gives byte-identical zips. Zipped with fflate (pure JavaScript; no `zip` binary needed).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { listFiles } from './build-firefox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** DOS time can't go before 1980; any fixed date keeps the output reproducible. */
const FIXED_DATE = new Date('1980-01-02T00:00:00Z');

/** Already-compressed formats are stored, everything else deflated. */
const STORED = /\.(png|jpe?g|gif|webp|woff2?|zip)$/i;

/** The bytes of a zip holding every file under `dir` (paths relative to it). */
export function zipFolder(dir: string): Uint8Array {
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir} has no manifest.json: build it first`);
  const files: Zippable = {};
  for (const path of listFiles(dir)) {
    files[path] = [readFileSync(join(dir, path)), { level: STORED.test(path) ? 0 : 9, mtime: FIXED_DATE }];
  }
  return zipSync(files);
}

export interface PackageTarget {
  from: string;
  to: string;
}

export function defaultTargets(distDir = join(root, 'dist')): PackageTarget[] {
  return [
    { from: join(distDir, 'extension'), to: join(distDir, 'cors-lens-chrome.zip') },
    { from: join(distDir, 'firefox'), to: join(distDir, 'cors-lens-firefox.zip') },
  ];
}

export function packageExtensions(targets: readonly PackageTarget[] = defaultTargets()): { path: string; bytes: number }[] {
  return targets.map(({ from, to }) => {
    const zip = zipFolder(from);
    writeFileSync(to, zip);
    return { path: to, bytes: zip.length };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const { path, bytes } of packageExtensions()) console.log(`package: ${relative(root, path)} (${(bytes / 1024).toFixed(1)} KiB)`);
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
