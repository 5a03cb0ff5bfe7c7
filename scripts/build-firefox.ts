/**
 * `npm run build:firefox`: the Firefox build of the extension, made from the Chrome build (`dist/extension`, written by
 * `vite build` from the same sources) into `dist/firefox`. Only the manifest differs: Firefox needs an add-on id in
 * `browser_specific_settings.gecko` and ignores Chrome-only keys; crxjs' Chrome-only manifest output (dynamic-URL
 * resources, a service-worker background) is rewritten. The pages and scripts are copied unchanged. The build fails on
 * what no rewrite can fix: a permission (CORS Lens needs none) or a page that refers to a file the build lacks.
 *
 *   tsx scripts/build-firefox.ts [fromDir] [toDir]     defaults: dist/extension dist/firefox
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The add-on id AMO and `about:debugging` know the extension by; it must never change once published. */
export const FIREFOX_ADDON_ID = 'cors-lens@cors-lens.dev';
/**
 * Firefox 140 (an ESR) is the first to read `data_collection_permissions`, which AMO asks every new add-on for; the
 * rest (MV3, `devtools_page`, `devtools.network.getHAR`) is older.
 */
export const FIREFOX_MIN_VERSION = '140.0';

type Json = Record<string, unknown>;

/** Manifest keys only Chrome reads; Firefox warns about each in `about:debugging` and AMO's linter flags them. */
const CHROME_ONLY_KEYS = ['minimum_chrome_version', 'key', 'update_url', 'offline_enabled', 'externally_connectable'];

export class FirefoxBuildError extends Error {
  override readonly name = 'FirefoxBuildError';
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Firefox manifest for a built Chrome manifest. Pure; throws FirefoxBuildError for what Firefox cannot load. */
export function firefoxManifest(chrome: Json): Json {
  if (chrome.manifest_version !== 3) throw new FirefoxBuildError('expected a Manifest V3 extension');
  if (typeof chrome.devtools_page !== 'string') throw new FirefoxBuildError('the manifest has no devtools_page');
  for (const key of ['permissions', 'host_permissions', 'optional_permissions', 'optional_host_permissions']) {
    const value = chrome[key];
    if (Array.isArray(value) && value.length > 0) {
      throw new FirefoxBuildError(`the manifest asks for ${key} (${value.join(', ')}); CORS Lens needs none`);
    }
  }
  const manifest: Json = {};
  for (const [key, value] of Object.entries(chrome)) {
    if (CHROME_ONLY_KEYS.includes(key)) continue;
    if (key === 'background') {
      manifest.background = firefoxBackground(value);
      continue;
    }
    if (key === 'web_accessible_resources' && Array.isArray(value)) {
      // crxjs marks its resources `use_dynamic_url`, a Chrome-only field.
      manifest.web_accessible_resources = value.map((entry: unknown) => {
        if (!isRecord(entry)) return entry;
        const { use_dynamic_url: _dropped, ...rest } = entry;
        return rest;
      });
      continue;
    }
    manifest[key] = value;
  }
  const existing = isRecord(chrome.browser_specific_settings) ? chrome.browser_specific_settings : {};
  const gecko = isRecord(existing.gecko) ? existing.gecko : {};
  manifest.browser_specific_settings = {
    ...existing,
    gecko: {
      id: FIREFOX_ADDON_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // The panel sends nothing anywhere: say so, as AMO requires of new add-ons.
      data_collection_permissions: { required: ['none'] },
      ...gecko,
    },
  };
  return manifest;
}

/** Firefox MV3 runs background scripts as event pages, not service workers. */
function firefoxBackground(background: unknown): unknown {
  if (!isRecord(background) || typeof background.service_worker !== 'string') return background;
  const { service_worker: worker, ...rest } = background;
  return { ...rest, scripts: [worker] };
}

/** Files under `dir`, as paths relative to it with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Problems Firefox would have with the built pages (an empty list when there are none): a page that refers to a file
 * the build lacks. (Scripts may use `chrome.*`: Firefox provides that namespace too, and the shell feature-tests the
 * few Chrome-only calls it makes.)
 */
export function firefoxLoadProblems(dir: string): string[] {
  const problems: string[] = [];
  for (const file of listFiles(dir)) {
    if (!file.endsWith('.html')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    {
      for (const m of text.matchAll(/\b(?:src|href)="([^"]+)"/g)) {
        const ref = m[1]!;
        if (/^(?:[a-z]+:|#|data:)/i.test(ref)) continue;
        const target = ref.startsWith('/') ? join(dir, ref) : join(dir, dirname(file), ref);
        if (!existsSync(target)) problems.push(`${file}: refers to ${ref}, which is not in the build`);
      }
    }
  }
  return problems;
}

/** Copies the Chrome build to `toDir` with the Firefox manifest; returns that manifest. */
export function buildFirefoxExtension(fromDir: string, toDir: string): Json {
  const manifestPath = join(fromDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new FirefoxBuildError(`${manifestPath} is missing: build the extension first (npm run build:extension)`);
  }
  const manifest = firefoxManifest(JSON.parse(readFileSync(manifestPath, 'utf8')) as Json);
  const problems = firefoxLoadProblems(fromDir);
  if (problems.length > 0) throw new FirefoxBuildError(`the build would not work in Firefox:\n  ${problems.join('\n  ')}`);
  rmSync(toDir, { recursive: true, force: true });
  cpSync(fromDir, toDir, { recursive: true });
  writeFileSync(join(toDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const from = resolve(root, process.argv[2] ?? 'dist/extension');
  const to = resolve(root, process.argv[3] ?? 'dist/firefox');
  try {
    buildFirefoxExtension(from, to);
    console.log(`build:firefox: ${relative(root, to)} (add-on id ${FIREFOX_ADDON_ID}, Firefox ${FIREFOX_MIN_VERSION}+)`);
  } catch (e) {
    console.error(`build:firefox: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
