/**
 * The Firefox build and the store zips: what a reviewer on AMO or the Chrome Web Store, and Firefox itself, read first.
 * Runs on the real build (`npm test` builds dist/extension first) into temporary folders.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIREFOX_ADDON_ID,
  FirefoxBuildError,
  buildFirefoxExtension,
  firefoxLoadProblems,
  firefoxManifest,
  listFiles,
} from '../../scripts/build-firefox.js';
import { packageExtensions, zipFolder } from '../../scripts/package.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const chromeBuild = join(root, 'dist/extension');

const chromeManifest = {
  manifest_version: 3,
  name: 'CORS Lens',
  version: '1.2.3',
  devtools_page: 'extension/devtools.html',
  minimum_chrome_version: '116',
  icons: { '16': 'icon-16.png' },
};

describe('the Firefox manifest', () => {
  it('names the add-on for Gecko and keeps the DevTools page, the icons and the version', () => {
    const m = firefoxManifest(chromeManifest);
    expect(m.browser_specific_settings).toEqual({
      gecko: { id: FIREFOX_ADDON_ID, strict_min_version: expect.stringMatching(/^\d+\.0$/), data_collection_permissions: { required: ['none'] } },
    });
    expect(m.devtools_page).toBe('extension/devtools.html');
    expect(m.version).toBe('1.2.3');
    expect(m.icons).toEqual({ '16': 'icon-16.png' });
  });

  it('drops keys only Chrome reads', () => {
    expect(firefoxManifest(chromeManifest)).not.toHaveProperty('minimum_chrome_version');
  });

  it('asks for no permission, and refuses a build that would', () => {
    const m = firefoxManifest(chromeManifest);
    for (const key of ['permissions', 'host_permissions', 'optional_permissions', 'optional_host_permissions']) expect(m).not.toHaveProperty(key);
    expect(() => firefoxManifest({ ...chromeManifest, permissions: ['tabs'] })).toThrow(FirefoxBuildError);
    expect(() => firefoxManifest({ ...chromeManifest, host_permissions: ['<all_urls>'] })).toThrow(/host_permissions/);
  });

  it("turns crxjs' Chrome-only output into what Firefox reads", () => {
    const m = firefoxManifest({
      ...chromeManifest,
      background: { service_worker: 'sw.js', type: 'module' },
      web_accessible_resources: [{ resources: ['assets/*'], matches: ['<all_urls>'], use_dynamic_url: true }],
    });
    expect(m.background).toEqual({ scripts: ['sw.js'], type: 'module' });
    expect(m.web_accessible_resources).toEqual([{ resources: ['assets/*'], matches: ['<all_urls>'] }]);
  });

  it('refuses what is no DevTools extension', () => {
    expect(() => firefoxManifest({ ...chromeManifest, manifest_version: 2 })).toThrow(/Manifest V3/);
    const { devtools_page: _none, ...noDevtools } = chromeManifest;
    expect(() => firefoxManifest(noDevtools)).toThrow(/devtools_page/);
  });
});

describe('building dist/firefox from the Chrome build', () => {
  let out: string;
  let firefoxDir: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cors-lens-firefox-build-'));
    firefoxDir = join(out, 'firefox');
    buildFirefoxExtension(chromeBuild, firefoxDir);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds the same pages and scripts, with the Firefox manifest', () => {
    expect(listFiles(firefoxDir)).toEqual(listFiles(chromeBuild));
    for (const file of listFiles(firefoxDir).filter((f) => f !== 'manifest.json')) {
      expect(readFileSync(join(firefoxDir, file)).equals(readFileSync(join(chromeBuild, file))), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(firefoxDir, 'manifest.json'), 'utf8')) as Record<string, any>;
    expect(manifest.browser_specific_settings.gecko.id).toBe(FIREFOX_ADDON_ID);
    expect(manifest).not.toHaveProperty('permissions');
    expect(manifest).not.toHaveProperty('host_permissions');
  });

  it('has nothing Firefox cannot load: every page reference resolves', () => {
    expect(firefoxLoadProblems(firefoxDir)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(firefoxDir, 'manifest.json'), 'utf8')) as { devtools_page: string };
    expect(listFiles(firefoxDir)).toContain(manifest.devtools_page);
  });

  it('would report a page that refers to a missing file', () => {
    const broken = join(out, 'broken');
    buildFirefoxExtension(chromeBuild, broken);
    writeFileSync(join(broken, 'extension/extra.html'), '<script src="/assets/gone.js"></script><link rel="stylesheet" href="../assets/gone.css">');
    const problems = firefoxLoadProblems(broken);
    expect(problems).toContain('extension/extra.html: refers to /assets/gone.js, which is not in the build');
    expect(problems).toContain('extension/extra.html: refers to ../assets/gone.css, which is not in the build');
    expect(problems).toHaveLength(2);
  });

  it('fails with a clear message when the Chrome build is missing', () => {
    expect(() => buildFirefoxExtension(join(out, 'nothing'), join(out, 'nowhere'))).toThrow(/npm run build:extension/);
  });

  it('packages both builds as store zips with manifest.json at the root, reproducibly', () => {
    const [chrome, firefox] = packageExtensions([
      { from: chromeBuild, to: join(out, 'chrome.zip') },
      { from: firefoxDir, to: join(out, 'firefox.zip') },
    ]);
    for (const [zipPath, dir] of [
      [chrome!.path, chromeBuild],
      [firefox!.path, firefoxDir],
    ] as const) {
      const entries = unzipSync(readFileSync(zipPath));
      expect(Object.keys(entries).sort()).toEqual(listFiles(dir));
      for (const [name, bytes] of Object.entries(entries)) expect(Buffer.from(bytes).equals(readFileSync(join(dir, name))), name).toBe(true);
    }
    const firefoxZipManifest = JSON.parse(strFromU8(unzipSync(readFileSync(firefox!.path))['manifest.json']!)) as Record<string, any>;
    expect(firefoxZipManifest.browser_specific_settings.gecko.id).toBe(FIREFOX_ADDON_ID);
    expect(Buffer.from(zipFolder(firefoxDir)).equals(readFileSync(firefox!.path))).toBe(true);
  });
});

describe('npm scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  /** The shell commands `npm run <name>` ends up running, `npm run` steps expanded. */
  const commandsOf = (name: string): string[] =>
    (scripts[name] ?? '').split('&&').flatMap((step) => {
      const nested = /^npm run (\S+)$/.exec(step.trim());
      return nested ? commandsOf(nested[1]!) : [step.trim()];
    });

  it('`npm run build` (and so `npm test`) builds the Chrome extension and then the Firefox one from it', () => {
    const build = commandsOf('build');
    const chrome = build.indexOf('vite build');
    const firefox = build.findIndex((c) => c.includes('scripts/build-firefox.ts'));
    expect(chrome).toBeGreaterThanOrEqual(0);
    expect(firefox).toBeGreaterThan(chrome);
    expect(commandsOf('test').join(' && ')).toContain(build.join(' && '));
  });
});
