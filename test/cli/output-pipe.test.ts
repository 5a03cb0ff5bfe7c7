/**
 * `cors-lens explain` writing into a pipe: it waits for a slow reader instead of piling the output up in memory
 * (`| cat` on a large report died with `write ENOBUFS` or ran out of heap), and stops as soon as the reader has gone
 * (`| head -c 100` kept working for 19 s), with the exit code it documents (docs/cli.md, "Exit codes").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateHarText } from '../../bench/generateHar.js';
import { main } from '../../src/cli/cors-lens.js';
import { OutputClosedError, streamWriter, type CliIo } from '../../src/cli/io.js';
import { DEFAULT_SPOOL_MEMORY } from '../../src/cli/outputSpool.js';
import { Writable } from 'node:stream';
import { HAND, ROOT, SPAWNS, runCli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A HAR large enough that its report is many pipe buffers long, with blocked requests in it. */
const bigHar = join(dir, 'big.har');
writeFileSync(bigHar, generateHarText({ entries: 3_000, seed: 7, headers: 'heavy' }));

function io(stdout: CliIo['stdout']): CliIo & { err: string } {
  const result = { stdout, stderr: (text: string) => void (result.err += text), err: '', isTTY: false, env: {}, cwd: ROOT };
  return result;
}

describe('explain output and the reader', () => {
  it('waits for each write the output asks it to wait for, and writes the same bytes', async () => {
    const expected = runCli(['explain', join(HAND, 'chromium-redirect-chain.har'), '--json']).stdout;
    let pending = false;
    let overlapping = 0;
    let written = '';
    const slow = io((text) => {
      if (pending) overlapping++;
      written += text;
      pending = true;
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          pending = false;
          resolve();
        }, 2),
      );
    });
    const code = await main(['explain', join(HAND, 'chromium-redirect-chain.har'), '--json'], slow);
    expect(overlapping).toBe(0);
    expect(written).toBe(expected);
    expect(code).toBe(runCli(['explain', join(HAND, 'chromium-redirect-chain.har'), '--json']).code);
  }, 60_000);

  it('stops writing once the reader has gone, and keeps the documented exit code', async () => {
    let writes = 0;
    const gone = io(() => {
      writes++;
      return Promise.reject(new OutputClosedError('standard output closed (EPIPE)'));
    });
    const code = await main(['explain', bigHar, '--json'], gone);
    expect(writes).toBe(1);
    expect(code).toBe(1);
    expect(gone.err).not.toMatch(/internal error|EPIPE/);
  }, 120_000);

  it('streamWriter: a promise when the stream is full, settled on drain; a rejection after an error', async () => {
    const chunks: string[] = [];
    let release: (() => void) | undefined;
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        release = callback;
      },
    });
    const write = streamWriter(stream);
    expect(write('x'.repeat(64))).toBeInstanceOf(Promise);
    let drained = false;
    const waiting = (write('more') as Promise<void>).then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(drained).toBe(false);
    release!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    release!();
    await waiting;
    expect(chunks.join('')).toBe(`${'x'.repeat(64)}more`);
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(write('after')).rejects.toBeInstanceOf(OutputClosedError);
  });
});

interface PipeRun {
  code: number | null;
  stderr: string;
  received: number;
}

/** The built-from-source CLI with its stdout read by `reader`. */
function runIntoPipe(args: string[], reader: (stdout: NodeJS.ReadableStream, child: ReturnType<typeof spawn>) => void): Promise<PipeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cors-lens.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    const run = { received: 0 };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    reader(child.stdout, child);
    child.stdout.on('data', (chunk: Buffer) => (run.received += chunk.length));
    child.once('close', (code) => resolve({ code, stderr, received: run.received }));
  });
}

describe('explain into a real pipe', SPAWNS, () => {
  const full = runCli(['explain', bigHar, '--json']);

  it('the input blocks something, and its report is many pipe buffers long, past what explain holds in memory', () => {
    expect(full.code).toBe(1);
    expect(full.stdout.length).toBeGreaterThan(2_000_000);
    // So the tests below also read what went through the temporary file, copied out as bytes.
    expect(full.stdout.length).toBeGreaterThan(DEFAULT_SPOOL_MEMORY);
  });

  it('`| head -c 100`: the process ends once the reader closes, exit code 1 as documented, no stack trace', async () => {
    for (const args of [['explain', bigHar, '--json'], ['explain', bigHar]]) {
      const run = await runIntoPipe(args, (stdout) => {
        let seen = 0;
        stdout.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen >= 100) (stdout as NodeJS.ReadableStream & { destroy: () => void }).destroy();
        });
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.received).toBeLessThan(full.stdout.length);
    }
  });

  it('a slow reader gets the whole report, byte for byte', async () => {
    let text = '';
    const run = await runIntoPipe(['explain', bigHar, '--json'], (stdout) => {
      const readable = stdout as NodeJS.ReadableStream & { pause: () => void; resume: () => void };
      readable.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        readable.pause();
        setTimeout(() => readable.resume(), 1);
      });
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(Buffer.from(text, 'latin1').toString('utf8')).toBe(full.stdout);
  });
});

void readFileSync;
