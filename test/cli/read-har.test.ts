import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CliInputError } from '../../src/cli/io.js';
import { readHarFile } from '../../src/cli/readHar.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readHarFile', () => {
  it('refuses a file no JavaScript string can hold, before reading it', async () => {
    // A sparse 3 GB file: it takes no disk space, and the size alone decides.
    const path = join(dir, 'huge.har');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    const error = await readHarFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliInputError);
    expect((error as Error).message).toBe(
      `${path} is too large to read (3072 MB); the limit is about 512 MB of text. Split the capture or export fewer requests`,
    );
  });

  it('reads a HAR that starts with a byte-order mark', async () => {
    const path = join(dir, 'bom.har');
    writeFileSync(path, '\ufeff{"log":{"entries":[]}}');
    expect(await readHarFile(path)).toEqual({ log: { entries: [] } });
  });

  it('passes on the parser\'s reason when the JSON is broken but not cut short', async () => {
    const path = join(dir, 'broken.har');
    writeFileSync(path, '{"log": {"entries": [}, "x": 1}');
    const error = (await readHarFile(path).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/broken\.har is not valid JSON: Unexpected token/);
    expect(error.message).not.toContain('truncated');
  });
});

describe('readHarFile (used by fix) on the inputs explain reads', () => {
  it('refuses duplicate "log" keys instead of keeping the last one', async () => {
    const path = join(dir, 'two-logs.har');
    writeFileSync(path, '{"log": {"entries": [{"request": {}}]}, "log": {"entries": []}}');
    const error = (await readHarFile(path).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CliInputError);
    expect(error.message).toMatch(/two-logs\.har is not a HAR that can be read safely: it has two "log" fields/);
  });

  it('reads a gzip-compressed and a UTF-16 HAR', async () => {
    const har = { log: { entries: [{ request: { url: 'http://a.test/é' } }] } };
    const gz = join(dir, 'gz.har');
    writeFileSync(gz, gzipSync(JSON.stringify(har)));
    expect(await readHarFile(gz)).toEqual(har);
    const utf16 = join(dir, 'utf16.har');
    writeFileSync(utf16, Buffer.from(`\ufeff${JSON.stringify(har)}`, 'utf16le'));
    expect(await readHarFile(utf16)).toEqual(har);
  });
});
