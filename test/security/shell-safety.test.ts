/**
 * Every command the tool prints is safe to paste (issue 21, item 6): pasted into a POSIX shell, it passes exactly the
 * captured values to the program and runs nothing else. Checked by pasting into `sh -c` (and bash when installed)
 * with stub programs on PATH that record their argv and working folder, in a folder holding files a glob could
 * match, and a canary: no PWNED-* file may appear.
 *
 * - "Copy as curl" (src/explain/curl.ts): `--globoff`, every value one single-quoted word;
 * - `cors-lens fix --out DIR` prints `cd <DIR> && <command>`: DIR one single-quoted word (it was JSON-quoted, so
 *   `$(…)` and backticks in a folder name ran on paste).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curlForActual, curlForPreflight } from '../../src/explain/curl.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { runFixCommand } from '../../src/cli/fixCommand.js';
import { API, SHELL_PAYLOADS, blockedEntry, harLog, preflightEntry, ORIGIN } from './corpus.js';
import { makeFolder } from './hostileCli.js';

const { folder, remove } = makeFolder();
afterAll(remove);
const bin = join(folder, 'bin');
const work = join(folder, 'work');
mkdirSync(bin);
mkdirSync(work);
// Files a glob or brace expansion would pick up if a value were left unquoted.
for (const name of ['a', 'b', '1', '2', 'c']) writeFileSync(join(work, name), '');
const record = join(folder, 'argv');
for (const program of ['curl', 'npm', 'node']) {
  const stub = join(bin, program);
  writeFileSync(stub, `#!/bin/sh\n{ printf '%s\\0' '@@call' "$(pwd -P)" "${program}"; for a in "$@"; do printf '%s\\0' "$a"; done; } >> '${record}'\n`);
  chmodSync(stub, 0o755);
}
const shells = ['/bin/sh', ...(existsSync('/bin/bash') ? ['/bin/bash'] : [])];

/** Pastes `command` into each shell; returns what each stub was called with (working folder, program, then argv). */
function paste(command: string, shell: string): string[][] {
  writeFileSync(record, '');
  execFileSync(shell, ['-c', command], { cwd: work, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: folder } });
  const calls: string[][] = [];
  const words = readFileSync(record, 'utf8').split('\0').slice(0, -1);
  for (const word of words) {
    if (word === '@@call') calls.push([]);
    else calls.at(-1)!.push(word);
  }
  return calls;
}

function nothingRan(): void {
  const canaries = [...readdirSync(work), ...readdirSync(folder)].filter((name) => name.startsWith('PWNED'));
  expect(canaries).toEqual([]);
}

describe('Copy as curl, pasted into a shell', () => {
  const url = `${API}/items?filter[status]=open&range=[1-100000]&pick={a,b}&q=$(touch PWNED-url)\`touch PWNED-bt\`!!*`;
  const headers = SHELL_PAYLOADS.map((payload, i) => [`X-Payload-${i}`, payload] as const);
  const har = harLog([
    preflightEntry(url, {
      requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', headers.map(([n]) => n.toLowerCase()).join(',')]],
      responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]],
    }),
    blockedEntry({ url, method: 'PUT', requestHeaders: [...headers, ['X-Newline', 'a\ntouch PWNED-newline'], ['@evil', 'reads a file']] }),
  ]);
  const report = explainHar(har).exchanges[0]!;

  for (const shell of shells) {
    it(`the actual request: curl gets --globoff, the URL and every header exactly, and nothing else runs (${shell})`, () => {
      const [call, ...more] = paste(curlForActual(report), shell);
      expect(more).toEqual([]);
      const [, program, ...argv] = call!;
      expect(program).toBe('curl');
      expect(argv.slice(0, 5)).toEqual(['--globoff', '-i', '-X', 'PUT', report.url]);
      expect(report.url).toContain('[1-100000]');
      const sent = argv.filter((_, i) => argv[i - 1] === '-H');
      for (const [name, value] of headers) expect(sent).toContain(`${name}: ${value}`);
      // A line break cannot be sent in a header: shown as U+FFFD, and the rest stays inside the word.
      expect(sent).toContain('X-Newline: a\ufffdtouch PWNED-newline');
      // A name curl would read as `@file` is not a header a browser can send: left out.
      expect(sent.some((word) => word.startsWith('@'))).toBe(false);
      nothingRan();
    });

    it(`the preflight: OPTIONS with the same URL and the captured Access-Control-Request-* (${shell})`, () => {
      const [call, ...more] = paste(curlForPreflight(report), shell);
      expect(more).toEqual([]);
      const [, program, ...argv] = call!;
      expect(program).toBe('curl');
      expect(argv.slice(0, 5)).toEqual(['--globoff', '-i', '-X', 'OPTIONS', report.url]);
      expect(argv).toContain('Access-Control-Request-Method: PUT');
      nothingRan();
    });
  }
});

describe('cors-lens fix --out, the printed command pasted into a shell', () => {
  const har = join(folder, 'blocked.har');
  writeFileSync(har, readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hand', 'chromium-preflight-failures.har')));

  async function fixOut(outDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runFixCommand([har, '--request', '1', '--server', 'express', '--out', outDir], {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      cwd: folder,
    });
    return { code, stdout, stderr };
  }

  const names = ['out $(touch PWNED-subst)', 'out `touch PWNED-bt`', "it's !! here", 'glob [1-3] {a,b} *', 'dollar $HOME ~', '-starts-with-dash'];
  for (const name of names) {
    it(`a folder named ${JSON.stringify(name)}: cd lands in it, and only the example's own commands run`, async () => {
      const outDir = join(folder, name);
      const run = await fixOut(outDir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const line = run.stdout.split('\n').find((l) => l.startsWith('  cd '));
      expect(line).toBeDefined();
      for (const shell of shells) {
        const calls = paste(line!, shell);
        expect(calls.map(([, program]) => program)).toEqual(['npm', 'node']);
        for (const [cwd] of calls) expect(cwd).toBe(realpathSync(outDir));
        nothingRan();
      }
    });
  }

  it('a folder name with a control character gets no cd line (it could not be printed as it is), and says so', async () => {
    const outDir = join(folder, 'esc\u001b]0;title\u0007dir');
    const run = await fixOut(outDir);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(run.stdout).not.toMatch(/^ {2}cd /m);
    expect(run.stdout).toContain('no cd command is printed');
    expect(existsSync(join(outDir, 'server.js'))).toBe(true);
  });
});
