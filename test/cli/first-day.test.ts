/**
 * What a first day with the command line turned up (issue 17): ids as `explain` prints them, URLs without their query
 * string, merged repeats said and counted, and wording that says what happened. Run in-process through `main()`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cors-lens.js';
import type { CliIo } from '../../src/cli/io.js';
import { HAND } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-first-day-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LAB = new URL('../fixtures/chromium/lab-2026-11-23.har', import.meta.url).pathname;
const PREFLIGHT_FAILURES = join(HAND, 'chromium-preflight-failures.har');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io: CliIo & { out: string; err: string } = {
    out: '',
    err: '',
    stdout: (text) => void (io.out += text),
    stderr: (text) => void (io.err += text),
    isTTY: false,
    env: {},
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** `[#12 image from …]` → the exchange's block of lines in the text output. */
function blockOf(text: string, id: string): string {
  const blocks = text.split('\n\n');
  const block = blocks.find((b) => b.includes(`[#${id} `));
  if (block === undefined) throw new Error(`no exchange #${id} in:\n${text.slice(0, 2000)}`);
  return block;
}

describe('cors-lens fix --request accepts what explain prints', () => {
  it('takes the id with its # as explain labels it, and without', async () => {
    const explained = await cli('explain', PREFLIGHT_FAILURES);
    expect(explained.out).toContain('[#2 fetch from http://127.0.0.1:8001]');
    const withHash = await cli('fix', PREFLIGHT_FAILURES, '--request', '#2', '--server', 'express');
    const bare = await cli('fix', PREFLIGHT_FAILURES, '--request', '2', '--server', 'express');
    expect(withHash.err).toBe('');
    expect(withHash.code).toBe(0);
    // #2 is the POST whose x-token header the preflight did not allow.
    expect(withHash.out).toContain('allowedHeaders: ["x-token"]');
    expect(bare.out).toBe(withHash.out);
  });

  it('says a number that names no request is not an id it has', async () => {
    const run = await cli('fix', PREFLIGHT_FAILURES, '--request', '#9', '--server', 'express');
    expect(run.code).toBe(2);
    expect(run.err).toBe('cors-lens fix: no request #9 in the HAR (3 exchanges; cors-lens explain lists them with their ids)\n');
  });

  it('takes a URL without its query string when it names one request', async () => {
    const run = await cli('fix', PREFLIGHT_FAILURES, '--request', 'http://127.0.0.1:8002/s6', '--server', 'express');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('"DELETE"');
  });

  it('lists the candidates when a URL without its query string names several', async () => {
    const run = await cli('fix', LAB, '--request', 'http://127.0.0.1:36771/s/preflight-cache-hit', '--server', 'express');
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    const line = run.err.trimEnd();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^cors-lens fix: 2 requests match "http:\/\/127\.0\.0\.1:36771\/s\/preflight-cache-hit"; name one with --request <id>: /);
    expect(line.match(/#\d+ PUT http:\/\/127\.0\.0\.1:36771\/s\/preflight-cache-hit\?\S+ \(allowed\)/g)).toHaveLength(2);
  });

  it('says a malformed --origin is malformed, not that there is nothing to fix', async () => {
    const run = await cli('fix', PREFLIGHT_FAILURES, '--request', '2', '--server', 'express', '--origin', 'app.example.com');
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^cors-lens fix: --origin "app\.example\.com" is malformed: /);
    expect(run.err).not.toContain('nothing to fix');
  });

  it('says "nothing to fix" once for an allowed request', async () => {
    const run = await cli('fix', join(HAND, 'chromium-repeated.har'), '--request', '1', '--server', 'express');
    expect(run.code).toBe(0);
    expect(run.err.match(/nothing to fix/g)).toHaveLength(1);
    expect(run.err).toContain('--force');
  });
});

describe('cors-lens explain says when identical entries were merged', () => {
  it('counts the repeats per exchange and in the totals, in JSON and in text', async () => {
    const har = JSON.parse(readFileSync(PREFLIGHT_FAILURES, 'utf8')) as { log: { entries: unknown[] } };
    const original = har.log.entries;
    // Every entry four times over, as a HAR concatenated from overlapping exports holds them.
    har.log.entries = [...original, ...original, ...original, ...original];
    const path = join(dir, 'repeated.har');
    writeFileSync(path, JSON.stringify(har));

    const json = await cli('explain', path, '--json', '--no-fail');
    const report = JSON.parse(json.out);
    expect(report.totals.exchanges).toBe(3);
    expect(report.totals.entries).toBe(original.length * 4);
    expect(report.totals.repeatsMerged).toBe(original.length * 3);
    // Each exchange is a preflight and its request: both repeated three more times.
    expect(report.exchanges.map((e: { repeatsMerged?: number }) => e.repeatsMerged)).toEqual([6, 6, 6]);

    const text = await cli('explain', path, '--no-fail');
    const entries = original.length * 4;
    expect(text.out.split('\n')[0]).toBe(
      `${entries} entries, 3 exchanges (${original.length * 3} identical repeats merged) in ${path} (Chromium DevTools HAR export, Chromium rules): 3 blocked`,
    );
    expect(blockOf(text.out, '1')).toContain('repeats:   6 more identical entries (same start time, method, URL, status and duration) merged into this exchange');
  });

  it('says nothing about repeats when there were none', async () => {
    const json = JSON.parse((await cli('explain', PREFLIGHT_FAILURES, '--json')).out);
    expect(json.totals.repeatsMerged).toBe(0);
    expect(json.exchanges.every((e: object) => !('repeatsMerged' in e))).toBe(true);
    const text = await cli('explain', PREFLIGHT_FAILURES);
    expect(text.out).not.toMatch(/repeat/);
  });

  it('uses thousands separators for large counts', async () => {
    const har = JSON.parse(readFileSync(join(HAND, 'chromium-repeated.har'), 'utf8')) as { log: { entries: unknown[] } };
    const one = har.log.entries[0];
    har.log.entries = Array.from({ length: 1200 }, () => one);
    const path = join(dir, 'many.har');
    writeFileSync(path, JSON.stringify(har));
    const text = await cli('explain', path, '--no-fail');
    expect(text.out.split('\n')[0]).toMatch(/^1,200 entries, 1 exchange \(1,199 identical repeats merged\) in /);
  });
});

describe('cors-lens explain ends with its totals and the fix command', () => {
  it('closes with the totals and the command that fixes the first blocked request, which works', async () => {
    const run = await cli('explain', LAB);
    expect(run.code).toBe(1);
    const lines = run.out.trimEnd().split('\n');
    const header = lines[0]!;
    const totals = lines.find((l) => l.startsWith('Totals: '));
    expect(totals).toBeDefined();
    // The same counts as the header.
    expect(totals!.replace(/^Totals: /, '').split('; ')[1]).toBe(header.split('): ')[1]);
    const fixLine = lines.find((l) => l.startsWith('Fix #'));
    expect(fixLine).toBeDefined();
    // The lab's Node server names no stack: the command says Express stands in.
    expect(lines.at(-1)).toBe('  the responses do not name their stack: put yours after --server (cors-lens fix --help lists them)');
    const command = /: cors-lens (fix .*)$/.exec(fixLine!)![1]!;
    const id = /--request (\d+)/.exec(command)![1]!;
    // The first blocked exchange in the output is the one named.
    const firstBlocked = lines.find((l) => l.startsWith('BLOCKED'))!;
    expect(firstBlocked).toContain(`[#${id} `);
    const fix = await cli(...command.split(' '));
    expect(fix.err).toBe('');
    expect(fix.code).toBe(0);
    expect(fix.out).toMatch(/^# /);
  });

  it('prints only the totals when nothing is blocked', async () => {
    const run = await cli('explain', join(HAND, 'chromium-repeated.har'));
    expect(run.out.trimEnd().split('\n').at(-1)).toBe('Totals: 2 exchanges; 2 allowed');
    expect(run.out).not.toContain('cors-lens fix');
  });
});

describe('wording', () => {
  it('gives one missing line where the Playwright capture had two saying the same', async () => {
    const run = await cli('explain', join(HAND, 'playwright.har'), '--no-fail');
    for (const block of run.out.split('\n\n').filter((b) => b.startsWith('BLOCKED'))) {
      const missing = block.split('\n').filter((l) => l.trimStart().startsWith('missing:'));
      expect(missing.filter((l) => /failing check cannot be named/.test(l)), block).toHaveLength(1);
    }
  });

  it('does not tell an image or a module script what fetch() and XMLHttpRequest do', async () => {
    const run = await cli('explain', LAB, '--no-fail');
    const image = blockOf(run.out, '12');
    const script = blockOf(run.out, '13');
    expect(image).toMatch(/^ALLOWED .*\[#12 image /);
    expect(script).toMatch(/^ALLOWED .*\[#13 script /);
    for (const block of [image, script, blockOf(run.out, '46'), blockOf(run.out, '47')]) expect(block).not.toMatch(/fetch\(\)|XMLHttpRequest/);
    expect(image).toContain('an image with crossorigin="anonymous" sends no credentials to another origin');
    expect(script).toContain('a module script, or a script with crossorigin="anonymous", sends no credentials to another origin');
  });

  it("prints Firefox's reason before Chrome's line for a Firefox capture, and Chrome's first for a Chromium one", async () => {
    const firefox = await cli('explain', join(HAND, 'firefox.har'), '--no-fail', '--only', 'blocked');
    const chromium = await cli('explain', PREFLIGHT_FAILURES, '--no-fail');
    const order = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^ {2}(chrome|firefox):/.test(l))
        .map((l) => l.trim().split(':')[0]);
    const firefoxOrder = order(firefox.out);
    expect(firefoxOrder.length).toBeGreaterThan(0);
    for (let i = 0; i < firefoxOrder.length; i += 2) expect(firefoxOrder.slice(i, i + 2)).toEqual(['firefox', 'chrome']);
    const chromiumOrder = order(chromium.out);
    for (let i = 0; i < chromiumOrder.length; i += 2) expect(chromiumOrder.slice(i, i + 2)).toEqual(['chrome', 'firefox']);
  });

  it('has an example in the --help of each command', async () => {
    for (const argv of [['--help'], ['explain', '--help'], ['fix', '--help']]) {
      const run = await cli(...argv);
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.out, argv.join(' ')).toMatch(/Examples?:\n {2}cors-lens (explain|fix) \S+\.har/);
    }
  });
});
