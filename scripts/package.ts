/**
 * `npm run package`: the store uploads, from the builds `npm run build:firefox` leaves in dist/.
 *   dist/cors-lens-chrome.zip          dist/extension, for the Chrome Web Store
 *   dist/cors-lens-firefox.zip         dist/firefox, for addons.mozilla.org
 *   dist/cors-lens-source.zip          the sources that build both, with SOURCE-BUILD.md at its root: the source code
 *   dist/SOURCE-BUILD.md               and build steps addons.mozilla.org asks for when an add-on ships minified code
 * manifest.json sits at the root of each extension zip, as both stores require. Entries are sorted and dated to a fixed
 * time, so the same build gives byte-identical zips. Zipped with fflate (pure JavaScript; no `zip` binary needed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  return zipFiles(dir, listFiles(dir));
}

/** The bytes of a zip of `paths` (relative to `dir`, `/`-separated), plus `extra` files given by content. */
function zipFiles(dir: string, paths: readonly string[], extra: Record<string, string> = {}): Uint8Array {
  const files: Zippable = {};
  for (const path of [...paths].sort()) {
    files[path] = [readFileSync(join(dir, path)), { level: STORED.test(path) ? 0 : 9, mtime: FIXED_DATE }];
  }
  for (const [path, text] of Object.entries(extra)) files[path] = [new TextEncoder().encode(text), { level: 9, mtime: FIXED_DATE }];
  return zipSync(files);
}

/**
 * What the extension build reads: `npm ci && npm run build:firefox` in a folder holding these (and nothing else of
 * the repository) writes dist/extension and dist/firefox. Folders are taken whole; test/, docs/ and bench/ are not
 * needed to build.
 */
export const SOURCE_ROOTS: readonly string[] = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.lib.json',
  'vite.config.ts',
  'manifest.json',
  'LICENSE',
  'README.md',
  'scripts/build-firefox.ts',
  'extension',
  'public',
  'src',
];

/**
 * The source files under SOURCE_ROOTS: the ones git tracks when `root` is a git checkout (so no editor or build
 * leftovers slip in), else every file there.
 */
export function sourceFiles(root: string): string[] {
  let tracked: Set<string> | undefined;
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SOURCE_ROOTS], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    tracked = new Set(listed.split('\0').filter((path) => path !== '' && existsSync(join(root, path))));
  } catch {
    tracked = undefined;
  }
  const files: string[] = [];
  for (const entry of SOURCE_ROOTS) {
    const full = join(root, entry);
    if (!existsSync(full)) throw new Error(`${entry} is missing: the source archive needs it`);
    const found = statSync(full).isDirectory() ? listFiles(full).map((path) => `${entry}/${path}`) : [entry];
    files.push(...found.filter((path) => tracked === undefined || tracked.has(path)));
  }
  return files.sort();
}

/** The operating system, as /etc/os-release names it (e.g. `Debian GNU/Linux 12 (bookworm)`), else Node's platform. */
function systemName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const name = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(release)?.[1];
    if (name) return name;
  } catch {
    /* not Linux, or no os-release */
  }
  return process.platform;
}

/** The build steps for a store reviewer, with the versions this archive was made with. */
export function sourceBuildInstructions(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; engines?: { node?: string } };
  let npmVersion = 'the npm that comes with it';
  try {
    npmVersion = `npm ${execFileSync('npm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    /* keep the generic wording */
  }
  return `# Building CORS Lens ${pkg.version} from this source archive

The add-on's JavaScript is bundled and minified by Vite (with the @crxjs/vite-plugin and @preact/preset-vite plugins);
these are the sources it is built from and the exact steps. Every tool comes from the npm registry at the versions
pinned in \`package-lock.json\`; nothing is downloaded by the build itself.

## Requirements

- ${systemName()} (where this archive was made; the steps use only Node.js and npm).
- Node.js ${process.version} (any release satisfying \`${pkg.engines?.node ?? '>=20'}\` works) and ${npmVersion}.
- \`NODE_ENV\` unset: the build tools are devDependencies, which \`npm ci\` leaves out under \`NODE_ENV=production\`.

## Steps

\`\`\`sh
unzip cors-lens-source.zip -d cors-lens-source
cd cors-lens-source
npm ci                   # installs the pinned build tools into node_modules/
npm run build:firefox    # vite build -> dist/extension, then scripts/build-firefox.ts -> dist/firefox
\`\`\`

\`dist/firefox/\` then holds exactly the files of the uploaded \`cors-lens-firefox.zip\` (and \`dist/extension/\` those of
the Chrome Web Store zip): \`unzip cors-lens-firefox.zip -d uploaded && diff -r uploaded dist/firefox\` prints nothing.

## What is where

- \`manifest.json\` — the extension manifest (Manifest V3; the Firefox build adds \`browser_specific_settings\`).
- \`extension/\` — the DevTools page and the panel's HTML and entry scripts.
- \`src/\` — the TypeScript sources: \`src/panel/\` the panel (Preact), the rest the engine it runs.
- \`public/\` — the icons, copied as they are.
- \`vite.config.ts\`, \`tsconfig.json\` — the build configuration; \`scripts/build-firefox.ts\` — the Firefox manifest step.
`;
}

export interface SourcePackage {
  archive: string;
  instructions: string;
}

/** Writes the source archive (SOURCE-BUILD.md at its root) and SOURCE-BUILD.md beside it; returns the archive's size. */
export function packageSources(root: string, to: SourcePackage = { archive: join(root, 'dist', 'cors-lens-source.zip'), instructions: join(root, 'dist', 'SOURCE-BUILD.md') }): { path: string; bytes: number }[] {
  const instructions = sourceBuildInstructions(root);
  const zip = zipFiles(root, sourceFiles(root), { 'SOURCE-BUILD.md': instructions });
  writeFileSync(to.archive, zip);
  writeFileSync(to.instructions, instructions);
  return [
    { path: to.archive, bytes: zip.length },
    { path: to.instructions, bytes: Buffer.byteLength(instructions) },
  ];
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
    for (const { path, bytes } of [...packageExtensions(), ...packageSources(root)]) {
      console.log(`package: ${relative(root, path)} (${(bytes / 1024).toFixed(1)} KiB)`);
    }
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
