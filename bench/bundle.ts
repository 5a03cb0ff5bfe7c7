/**
 * Bundle benchmark: the gzipped size of what the built extension ships to the browser as code and markup (every .js,
 * .css and .html under dist/extension, each gzipped on its own at level 9 as a store or CDN would, then summed), against
 * a 30 KB budget. Icons and the manifest are not counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './inputs.js';
import { kb, type BenchRow } from './stats.js';

export const BUNDLE_BUDGET_BYTES = 30 * 1024;
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
