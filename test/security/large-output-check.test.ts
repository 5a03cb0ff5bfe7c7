/**
 * The corpus checker's way through output longer than one JavaScript string (`--json` on 150,000 entries writes 550 MB;
 * `npm run fuzz` runs it): the same checks in pieces, tried here on a real report cut into small pieces.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHarText } from '../../bench/generateHar.js';
import { main } from '../../src/cli/cors-lens.js';
import { decodePieces, findAcross, parseReport } from './hostileCli.js';

async function jsonReport(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-pieces-'));
  try {
    const har = join(dir, 'capture.har');
    writeFileSync(har, generateHarText({ entries: 60, seed: 11, headers: 'typical', mix: 'blocked-heavy' }));
    const out: string[] = [];
    await main(['explain', har, '--json'], { stdout: (t) => void out.push(t), stderr: () => undefined, isTTY: false, env: {}, cwd: dir });
    return Buffer.from(out.join(''), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('checking output in pieces', () => {
  it('reads a report cut into pieces as the whole: the same text, totals and number of exchanges', async () => {
    const bytes = await jsonReport();
    const whole = JSON.parse(bytes.toString('utf8')) as { totals: { exchanges: number }; exchanges: unknown[] };
    expect(whole.exchanges.length).toBeGreaterThan(10);
    const pieces = decodePieces(bytes, 997);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(bytes.toString('utf8'));
    expect(parseReport(pieces, bytes)).toEqual({ totals: whole.totals, exchanges: whole.exchanges.length });
  });

  it('still says when an exchange is not JSON, a byte is not UTF-8, or a match falls across two pieces', async () => {
    const bytes = await jsonReport();
    const broken = Buffer.from(bytes);
    const at = broken.indexOf(Buffer.from('"verdict": '), broken.length / 2);
    broken[at] = 0x7b; // `{` where a key's quote was
    expect(() => parseReport(decodePieces(broken, 997), broken)).toThrow();

    const invalid = Buffer.from(bytes);
    invalid[Math.floor(invalid.length / 2)] = 0xff;
    expect(() => decodePieces(invalid, 997)).toThrow();

    expect(findAcross(['… blocked \u001b', '[31m by …'], /\u001b\[31m/)?.match).toBe('\u001b[31m');
    expect(findAcross(['plain', 'text'], /\u001b/)).toBeUndefined();
  });
});
