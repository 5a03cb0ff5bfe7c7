import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputSpool } from '../../src/cli/outputSpool.js';

/** About `chars` characters of report-like text with multi-byte characters that fall across piece boundaries. */
function pieces(chars: number): string[] {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const text = `\n\n#${i} GET https://api.example/items/${i} blocked — “Access-Control-Allow-Origin” 🚫 ${'x'.repeat(i % 97)}`;
    out.push(text);
    length += text.length;
  }
  return out;
}

async function copied(spool: OutputSpool): Promise<string> {
  const parts: string[] = [];
  await spool.copyTo((text) => void parts.push(text));
  return parts.join('');
}

describe('the output spool (explain holds its output until the totals are known)', () => {
  it('keeps an ordinary report in memory and gives it back as written', async () => {
    const spool = new OutputSpool();
    const written = pieces(200_000);
    for (const text of written) spool.write(text);
    expect(await copied(spool)).toBe(written.join(''));
    expect(spool.onDisk).toBe(false);
    spool.dispose();
  });

  it('past its memory limit moves to a temporary file, gives back every character in order, and deletes the file', async () => {
    const spool = new OutputSpool(2 * 1024 * 1024);
    const written = pieces(9 * 1024 * 1024);
    for (const text of written) spool.write(text);
    expect(spool.onDisk).toBe(true);
    const dir = (spool as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    expect(await copied(spool)).toBe(written.join(''));
    spool.dispose();
    expect(existsSync(dir)).toBe(false);
  });

  it('copies what it stored in the file out as UTF-8 bytes when the writer takes them, each piece a buffer of its own', async () => {
    const spool = new OutputSpool(2 * 1024 * 1024);
    const written = pieces(9 * 1024 * 1024);
    for (const text of written) spool.write(text);
    const texts: string[] = [];
    const buffers: Uint8Array[] = [];
    await spool.copyTo(
      (text) => void texts.push(text),
      (bytes) => void buffers.push(bytes),
    );
    expect(buffers.length).toBeGreaterThan(1);
    // Kept, not copied: a writer (a stream) may hold a buffer until it is flushed, so none may be reused.
    const whole = Buffer.concat([Buffer.from(texts.join(''), 'utf8'), ...buffers]);
    expect(whole.equals(Buffer.from(written.join(''), 'utf8'))).toBe(true);
    spool.dispose();
  });
});
