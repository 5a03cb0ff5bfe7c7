/** The explain command run in-process through `main()` with a recording CliIo: argument parsing and filters. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialedEchoEntry } from '../capture/helpers.js';
import { main } from '../../src/cli/cors-lens.js';
import { parseExplainArgs } from '../../src/cli/explainCommand.js';
import type { CliIo } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-inproc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    isTTY: false,
    env: {},
    cwd: dir,
  };
  return io;
}


describe('parseExplainArgs', () => {
  it('reads every option in both spellings', () => {
    expect(parseExplainArgs(['a.har'])).toEqual({ file: 'a.har', json: false, only: 'all', fail: true, rules: 'auto' });
    expect(parseExplainArgs(['--json', '--only=warnings', 'a.har', '--no-fail', '--rules', 'firefox'])).toEqual({
      file: 'a.har',
      json: true,
      only: 'warnings',
      fail: false,
      rules: 'firefox',
    });
  });

  it('rejects what it does not know, in one line', () => {
    expect(() => parseExplainArgs(['a.har', 'b.har'])).toThrow('explain takes one HAR file, got 2: a.har b.har');
    expect(() => parseExplainArgs(['a.har', '--rules', 'safari'])).toThrow('--rules takes chromium, firefox, auto, not "safari"');
    expect(() => parseExplainArgs(['a.har', '--only'])).toThrow('--only needs a value');
  });
});

describe('cors-lens explain --only warnings', () => {
  it('keeps only exchanges with risk warnings, and counts them in totals', async () => {
    const path = join(dir, 'echo.har');
    const plain = { ...credentialedEchoEntry('http://one.test', 500), request: { method: 'GET', url: 'http://api.test/plain', headers: [] } };
    writeFileSync(path, JSON.stringify({ log: { entries: [credentialedEchoEntry('http://one.test', 0), credentialedEchoEntry('http://two.test', 100), plain] } }));
    const io = recordingIo();
    const code = await main(['explain', path, '--json', '--only', 'warnings'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.out);
    expect(report.totals.exchanges).toBe(3);
    expect(report.totals.warnings).toBe(2);
    expect(report.exchanges.map((e: { url: string }) => e.url)).toEqual(['http://api.test/account?n=0', 'http://api.test/account?n=100']);
    const text = recordingIo();
    await main(['explain', path, '--only', 'warnings'], text);
    expect(text.out).toMatch(/\n {2}warning: +\[(high|medium|low)\] /);
  });
});
