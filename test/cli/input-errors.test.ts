import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAND, SPAWNS, oneLineError, runCli } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('cors-lens explain: bad input gets one clear line on stderr and exit code 2', SPAWNS, () => {
  it('a missing file', () => {
    const run = runCli(['explain', join(dir, 'missing.har')]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toBe(`cors-lens: ${join(dir, 'missing.har')}: no such file`);
    expect(run.stdout).toBe('');
  });

  it('a truncated file', () => {
    const full = JSON.stringify({ log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'http://a.test/' } }] } });
    const run = runCli(['explain', write('truncated.har', full.slice(0, full.length / 2))]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/truncated\.har is not valid JSON \(the file looks truncated\)/);
  });

  it('a file that is not JSON', () => {
    const run = runCli(['explain', write('page.har', '<html>not a har</html>')]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/page\.har is not valid JSON: /);
  });

  it('JSON that is not a HAR', () => {
    const run = runCli(['explain', write('list.json', '[1, 2, 3]')]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/list\.json is not a HAR: the top level is an array/);
    const noEntries = runCli(['explain', write('no-entries.json', '{"log": {"version": "1.2"}}')]);
    expect(oneLineError(noEntries)).toMatch(/no-entries\.json is not a HAR: "log\.entries" is not an array/);
  });

  it('an empty file, and a directory', () => {
    expect(oneLineError(runCli(['explain', write('empty.har', '')]))).toMatch(/empty\.har is empty/);
    expect(oneLineError(runCli(['explain', dir]))).toMatch(/is a directory/);
  });

  it('usage mistakes', () => {
    expect(oneLineError(runCli(['explain']))).toBe('cors-lens: explain needs a HAR file: cors-lens explain <file.har>');
    expect(oneLineError(runCli(['explain', 'x.har', '--only', 'red']))).toBe(
      'cors-lens: --only takes blocked, warnings, all, not "red"',
    );
    expect(oneLineError(runCli(['explain', 'x.har', '--colour']))).toBe('cors-lens: unknown option --colour (see cors-lens --help)');
    expect(runCli(['frobnicate']).code).toBe(2);
  });

  it('a HAR whose every entry is malformed names the first bad entry', () => {
    const har = { log: { entries: [{ response: { status: 200 } }, { request: { method: 'GET' } }] } };
    const run = runCli(['explain', write('all-bad.har', JSON.stringify(har))]);
    expect(run.code).toBe(2);
    expect(oneLineError(run)).toMatch(/all-bad\.har has no readable entry: entry 0 has no request object/);
  });
});

describe('cors-lens explain: malformed entries among good ones are skipped, the rest explained', SPAWNS, () => {
  it('entries missing request and non-string header values', () => {
    const fixture = JSON.parse(readFileSync(join(HAND, 'chromium-response-check.har'), 'utf8')) as { log: { entries: unknown[] } };
    const good = fixture.log.entries[0];
    const har = {
      log: {
        entries: [
          { response: { status: 200 } },
          good,
          { request: { method: 'GET', url: 'http://a.test/', headers: [{ name: 'X-A', value: null }] } },
        ],
      },
    };
    const run = runCli(['explain', write('mixed.har', JSON.stringify(har)), '--json']);
    expect(run.code === 0 || run.code === 1).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `cors-lens: skipped entry 0 of ${join(dir, 'mixed.har')}: has no request object`,
      `cors-lens: skipped entry 2 of ${join(dir, 'mixed.har')}: request.headers[0].value (X-A) is not a string`,
    ]);
    const report = JSON.parse(run.stdout);
    expect(report.exchanges).toHaveLength(1);
    expect(report.skippedEntries).toEqual([
      { index: 0, reason: 'has no request object' },
      { index: 2, reason: 'request.headers[0].value (X-A) is not a string' },
    ]);
  });
});

describe('cors-lens explain: a 100 MB HAR', () => {
  it('is read and explained without falling over', { timeout: 180_000 }, () => {
    const path = join(dir, 'big.har');
    const fd = openSync(path, 'w');
    writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[');
    const base = Date.parse('2026-11-20T10:00:00.000Z');
    const padding = 'x'.repeat(1_500);
    let bytes = 0;
    let count = 0;
    while (bytes < 100 * 1024 * 1024) {
      const entry = JSON.stringify({
        _resourceType: 'fetch',
        _initiator: { type: 'script' },
        startedDateTime: new Date(base + count * 7).toISOString(),
        time: 3,
        request: {
          method: 'GET',
          url: `http://api.test/item/${count}`,
          headers: [
            { name: 'Host', value: 'api.test' },
            { name: 'Origin', value: 'http://app.test' },
            { name: 'Sec-Fetch-Mode', value: 'cors' },
          ],
        },
        response: {
          status: 200,
          statusText: 'OK',
          headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
          content: { size: padding.length, mimeType: 'text/plain', text: padding },
        },
      });
      const chunk = (count === 0 ? '' : ',') + entry;
      writeSync(fd, chunk);
      bytes += chunk.length;
      count++;
    }
    writeSync(fd, ']}}');
    closeSync(fd);
    const run = runCli(['explain', path, '--json', '--only', 'blocked']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.totals.exchanges).toBe(count);
    expect(report.exchanges).toEqual([]);
  });
});
