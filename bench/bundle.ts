/**
 * Bundle benchmark: the gzipped size of what the built extension ships to the browser as code and markup (every .js,
 * .css and .html under dist/extension, each gzipped on its own at level 9 as a store or CDN would, then summed), against
 * a guard against growth at 80 KB (issue 19 withdrew the 30 KB budget: the panel loads from disk). Icons and the manifest
 * are not counted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';
import { ROOT } from './inputs.js';
import { kb, type BenchRow } from './stats.js';

export const BUNDLE_BUDGET_BYTES = 80 * 1024;
const COUNTED = /\.(js|mjs|css|html)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export function measureBundle(dir = join(ROOT, 'dist/extension')): BundleFile[] {
  return filesUnder(dir)
    .filter((path) => COUNTED.test(path))
    .map((path) => {
      const content = readFileSync(path);
      return { file: relative(dir, path), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

export function benchBundle(dir = join(ROOT, 'dist/extension')): { rows: BenchRow[]; notes: string[]; files: BundleFile[]; gzipBytes: number } {
  let files: BundleFile[];
  try {
    files = measureBundle(dir);
  } catch {
    throw new Error(`no built extension at ${dir}: run npm run build first`);
  }
  if (files.length === 0) throw new Error(`no .js/.css/.html under ${dir}: run npm run build first`);
  const gzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
  const rows: BenchRow[] = files.map((f) => ({ bench: 'bundle', measure: `  ${f.file} (${kb(f.bytes)} raw)`, value: `${kb(f.gzipBytes)} gz` }));
  rows.push({ bench: 'bundle', measure: 'JS + CSS + HTML, gzipped', value: kb(gzipBytes), budget: `≤ ${kb(BUNDLE_BUDGET_BYTES)}`, ok: gzipBytes <= BUNDLE_BUDGET_BYTES });
  return { rows, notes: [], files, gzipBytes };
}

/** One source module's share of a built chunk: minified bytes, gzipped on their own, and what the chunk saves without them. */
export interface ModuleShare {
  chunk: string;
  source: string;
  bytes: number;
  /** This module's minified bytes gzipped on their own (counts what it shares with other modules again). */
  gzipAlone: number;
  /** Gzipped chunk minus the gzipped chunk with this module's bytes cut out: what removing it would save. */
  gzipMarginal: number;
}

const gzipLength = (text: string): number => gzipSync(text, { level: 9 }).length;

/**
 * Attributes every byte of each built .js file in `dir` to the source its source map names for it (a byte goes to the
 * last mapping at or before it, so a multi-line template literal counts for the module it belongs to; bytes before the
 * first mapping are the bundler's runtime).
 */
export function moduleShares(dir: string): ModuleShare[] {
  const shares: ModuleShare[] = [];
  for (const path of filesUnder(dir).filter((p) => /\.(js|mjs)$/.test(p))) {
    let rawMap: string;
    try {
      rawMap = readFileSync(`${path}.map`, 'utf8');
    } catch {
      continue;
    }
    const code = readFileSync(path, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '');
    const lineStarts = [0];
    for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
    const marks: [number, string][] = [];
    new SourceMapConsumer(JSON.parse(rawMap)).eachMapping((m) => {
      const offset = (lineStarts[m.generatedLine - 1] ?? code.length) + m.generatedColumn;
      marks.push([offset, m.source ? displaySource(m.source) : '(no source)']);
    });
    marks.sort((a, b) => a[0] - b[0]);
    const pieces: [string, string][] = [];
    let at = 0;
    let source = '(bundler runtime)';
    for (const [offset, next] of marks) {
      if (offset > at) pieces.push([source, code.slice(at, offset)]);
      at = Math.max(at, offset);
      source = next;
    }
    pieces.push([source, code.slice(at)]);
    const whole = gzipLength(code);
    const chunk = relative(dir, path).replace(/-[\w-]{8}(\.js)$/, '$1');
    for (const name of new Set(pieces.map(([s]) => s))) {
      const own = pieces.filter(([s]) => s === name).map(([, t]) => t).join('');
      const rest = pieces.filter(([s]) => s !== name).map(([, t]) => t).join('');
      shares.push({ chunk, source: name, bytes: own.length, gzipAlone: gzipLength(own), gzipMarginal: whole - gzipLength(rest) });
    }
  }
  return shares.sort((a, b) => b.gzipMarginal - a.gzipMarginal);
}

function displaySource(source: string): string {
  const nodeModules = source.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return source.slice(nodeModules);
  return relative(ROOT, resolve(ROOT, source.replace(/^(\.\.\/)+/, '/'))).replace(/^(\.\.\/)+/, '');
}

/** Builds the extension with source maps into a temporary folder (vite.config.ts otherwise as is) and returns the shares. */
export async function buildAndShare(): Promise<{ shares: ModuleShare[]; files: BundleFile[] }> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'cors-lens-bundle-'));
  try {
    await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: 'hidden' } });
    return { shares: moduleShares(outDir), files: measureBundle(outDir) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

// `npx tsx bench/bundle.ts` prints the per-module table as Markdown (docs/performance.md, "Bundle").
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { shares, files } = await buildAndShare();
  const total = files.reduce((n, f) => n + f.gzipBytes, 0);
  const lines = [
    '| module | chunk | minified | gz alone | gz saved without it |',
    '|---|---|--:|--:|--:|',
    ...shares.map((s) => `| ${s.source} | ${s.chunk} | ${kb(s.bytes)} | ${kb(s.gzipAlone)} | ${kb(s.gzipMarginal)} |`),
    '',
    ...files.map((f) => `- ${f.file.replace(/-[\w-]{8}(\.\w+)$/, '$1')}: ${kb(f.bytes)} raw, ${kb(f.gzipBytes)} gz`),
    `- total (JS + CSS + HTML, each gzipped -9): ${kb(total)} (${total} bytes)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
