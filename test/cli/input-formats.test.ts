/**
 * `cors-lens explain` on the inputs a HAR arrives as: standard input (`-`), a FIFO, /dev/stdin, gzip, UTF-16, and
 * formats it refuses by name. Each is compared with the same HAR read as a plain UTF-8 file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { HAND, ROOT, SPAWNS, oneLineError, runCli, type CliRun } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HAR = join(HAND, 'chromium-preflight-failures.har');
const harBytes = readFileSync(HAR);

function write(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The CLI with `input` on its standard input. */
function runWithStdin(args: string[], input: Buffer): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cors-lens.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON report minus nothing: inputs that differ only in how they were stored must give the same bytes. */
const reference = runCli(['explain', HAR, '--json']);

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const little = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  return bigEndian ? Buffer.from(little).swap16() : little;
}

describe('cors-lens explain: where the HAR comes from', SPAWNS, () => {
  it('the reference run blocks something (exit 1) and prints a report', () => {
    expect(reference.code).toBe(1);
    expect(JSON.parse(reference.stdout).totals.blocked).toBeGreaterThan(0);
  });

  it('"-" reads standard input', () => {
    const run = runWithStdin(['explain', '-', '--json'], harBytes);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(reference.stdout);
    const text = runWithStdin(['explain', '-'], harBytes);
    expect(text.stdout).toMatch(/^\d+ exchanges in standard input \(/);
  });

  it('/dev/stdin is read like a file, not taken as empty', () => {
    const run = runWithStdin(['explain', '/dev/stdin', '--json'], harBytes);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(reference.stdout);
  });

  it("a FIFO is read as it is written", { timeout: 60_000 }, async () => {
    const fifo = join(dir, 'capture.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cors-lens.ts', 'explain', fifo, '--json'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The writer opens the FIFO after the reader: the CLI must wait for the bytes, not see an empty file.
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const writer = spawn('sh', ['-c', `sleep 1; cat "${HAR}" > "${fifo}"`]);
    const written = new Promise((resolve) => writer.once('close', resolve));
    const [code] = await Promise.all([exited, written]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toBe(reference.stdout);
  });

  it('a gzip-compressed HAR is decompressed as it is read (recognised by its bytes, whatever its name)', () => {
    const run = runCli(['explain', write('capture.har', gzipSync(harBytes)), '--json']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(reference.stdout);
    const piped = runWithStdin(['explain', '-', '--json'], gzipSync(harBytes));
    expect(piped.stdout).toBe(reference.stdout);
  });

  it('a damaged gzip file gets one line', () => {
    const damaged = gzipSync(harBytes).subarray(0, 200);
    const run = runCli(['explain', write('damaged.har.gz', damaged)]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/damaged\.har\.gz is not a valid gzip file: |damaged\.har\.gz is not valid JSON \(the file looks truncated\)/);
  });

  it('UTF-16, little- or big-endian, with or without a byte-order mark, is decoded', () => {
    const text = harBytes.toString('utf8');
    for (const [bigEndian, bom] of [
      [false, true],
      [true, true],
      [false, false],
      [true, false],
    ] as const) {
      const run = runCli(['explain', write(`utf16-${bigEndian}-${bom}.har`, utf16(text, bigEndian, bom)), '--json']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(reference.stdout);
    }
  });

  it('a UTF-8 byte-order mark is dropped', () => {
    const run = runCli(['explain', write('bom.har', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), harBytes])), '--json']);
    expect(run.stdout).toBe(reference.stdout);
  });

  it('formats it cannot read are named in one line: zip, UTF-32, bzip2', () => {
    const zip = runCli(['explain', write('capture.zip', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40)]))]);
    expect(zip.code).toBe(2);
    expect(oneLineError(zip)).toMatch(/capture\.zip is a zip archive \(unzip it and pass the \.har inside\), not a HAR file$/);
    const utf32 = runCli(['explain', write('utf32.har', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('{\0\0\0')]))]);
    expect(oneLineError(utf32)).toMatch(/utf32\.har is UTF-32 text \(save it as UTF-8\), not a HAR file$/);
    const bzip2 = runCli(['explain', write('capture.har.bz2', Buffer.from('BZh91AY&SY'))]);
    expect(oneLineError(bzip2)).toMatch(/is bzip2-compressed/);
  });

  it('a device that never ends with a HAR fails at its first byte instead of reading forever', () => {
    const run = runCli(['explain', '/dev/zero']);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('cors-lens: /dev/zero is not valid JSON: it starts with byte 0x00, not "{"');
  });

  it('empty standard input is named', () => {
    const run = runWithStdin(['explain', '-'], Buffer.alloc(0));
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe('cors-lens: standard input is empty, not a HAR file');
  });

  it('duplicate "log" keys are refused, not read as the last one', () => {
    const entries = JSON.parse(harBytes.toString('utf8')).log.entries;
    const text = `{"log": ${JSON.stringify({ entries })}, "log": {"entries": []}}`;
    const run = runCli(['explain', write('two-logs.har', text)]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/two-logs\.har is not a HAR that can be read safely: it has two "log" fields/);
  });

  it('a response body is skipped, not decoded: the verdicts are those of the HAR without it', () => {
    const har = JSON.parse(harBytes.toString('utf8'));
    for (const entry of har.log.entries) entry.response.content.text = 'x'.repeat(200_000);
    const withBodies = runCli(['explain', write('bodies.har', JSON.stringify(har)), '--json']);
    expect(withBodies.stdout).toBe(reference.stdout);
  });
});
