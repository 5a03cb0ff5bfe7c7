/**
 * Benchmark inputs, generated once per generator version into a temp dir and reused: the file name carries a hash of
 * the generator's source and the options, so a changed generator never reuses a stale file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHarText, writeHarFile, type GenerateOptions } from './generateHar.js';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
export const INPUT_DIR = process.env.CORS_LENS_BENCH_DIR ?? join(tmpdir(), 'cors-lens-bench');

/** The engine and panel input: 10,000 entries, typical headers. */
export const ENGINE_INPUT: GenerateOptions = { entries: 10_000, seed: 0x0c0a5, headers: 'typical' };
/** The CLI input: the same generator with production-sized headers, enough entries for about 100 MB. */
export const CLI_INPUT: GenerateOptions = { entries: 17_500, seed: 0x0c0a5, headers: 'heavy' };
/** Blocked-heavy: about half the exchanges blocked, 10,000 entries (the engine's second case). */
export const BLOCKED_INPUT: GenerateOptions = { entries: 10_000, seed: 0x0c0a5, headers: 'typical', mix: 'blocked-heavy' };
/** Blocked-heavy with production-sized headers, about 50 MB (the CLI's second case). */
export const BLOCKED_CLI_INPUT: GenerateOptions = { entries: 9_000, seed: 0x0c0a5, headers: 'heavy', mix: 'blocked-heavy' };

function generatorHash(options: GenerateOptions): string {
  const source = readFileSync(join(BENCH_DIR, 'generateHar.ts'), 'utf8');
  return createHash('sha256').update(source).update(JSON.stringify(options)).digest('hex').slice(0, 12);
}

/** Path of the generated HAR for these options, writing it first when missing. */
export function harInput(name: string, options: GenerateOptions): { path: string; bytes: number } {
  mkdirSync(INPUT_DIR, { recursive: true });
  const path = join(INPUT_DIR, `${name}-${options.entries}-${generatorHash(options)}.har`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, generateHarText(options));
    renameSync(partial, path);
  }
  return { path, bytes: statSync(path).size };
}

/** A HAR of about `megabytes` MB with the CLI input's entries (5.8 KB each), written entry by entry; reused like the others. */
export function largeHarInput(megabytes: number): { path: string; bytes: number; entries: number } {
  mkdirSync(INPUT_DIR, { recursive: true });
  const options: GenerateOptions = { ...CLI_INPUT, entries: Math.round((megabytes * 1024 * 1024) / 5_776) };
  const path = join(INPUT_DIR, `large-${options.entries}-${generatorHash(options)}.har`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeHarFile(partial, options);
    renameSync(partial, path);
  }
  return { path, bytes: statSync(path).size, entries: options.entries };
}
