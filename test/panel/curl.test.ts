import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { curlForActual, curlForPreflight, shellQuote } from '../../src/explain/curl.js';
import { headerNotAllowedByPreflight, hostile, missingAllowOrigin } from './fixtures.js';

/** What a POSIX shell makes of a command line: the words it would pass to the program. */
function shellWords(commandLine: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `set -- ${commandLine.replace(/^curl/, '')}; for w in "$@"; do printf '%s\\0' "$w"; done`], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('gives the shell back exactly the value, whatever it holds', () => {
    const values = fc
      .sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 300, seed: 4 })
      .map((raw) => raw.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, ''));
    // One shell for all samples: each quoted value must come back as exactly one word, unchanged.
    expect(shellWords(values.map(shellQuote).join(' '))).toEqual(values);
  });

  it('keeps a value that tries to end the quote, substitute or chain commands as one inert word', () => {
    for (const value of [`'; touch /tmp/pwned; echo '`, '$(id)', '`id`', '"$HOME"', "a'b'c", '\\', '-o /etc/passwd']) {
      expect(shellWords(shellQuote(value))).toEqual([value]);
    }
  });

  it('replaces control and bidi characters so the pasted command reads as it runs', () => {
    expect(shellQuote('a\nb\rc\u202Ed\u2066e\u0000')).toBe(`'a\ufffdb\ufffdc\ufffdd\ufffde\ufffd'`);
  });
});

describe('curl for the preflight', () => {
  it('sends OPTIONS with the real Origin and the Access-Control-Request-* the browser sent', () => {
    const command = curlForPreflight(headerNotAllowedByPreflight('b'));
    expect(shellWords(command)).toEqual([
      '--globoff',
      '-i',
      '-X',
      'OPTIONS',
      'http://127.0.0.1:8002/b',
      '-H',
      'Origin: http://127.0.0.1:8001',
      '-H',
      'Access-Control-Request-Method: POST',
      '-H',
      'Access-Control-Request-Headers: content-type,x-token',
    ]);
  });

  it('derives the method and non-safelisted header names from the request when no preflight was captured', () => {
    const report = { ...missingAllowOrigin('p'), method: 'PUT', requestHeaders: [['Accept', '*/*'], ['X-Api-Key', 'k'], ['Content-Type', 'application/json']] as const };
    const words = shellWords(curlForPreflight(report));
    expect(words).toContain('Access-Control-Request-Method: PUT');
    // application/json is not a CORS-safelisted Content-Type, so content-type is listed too.
    expect(words).toContain('Access-Control-Request-Headers: content-type,x-api-key');
  });
});

describe('curl for the actual request', () => {
  it('sends the method, the captured headers and the page’s Origin, and leaves Host to curl', () => {
    const words = shellWords(curlForActual(headerNotAllowedByPreflight('b')));
    expect(words).toEqual([
      '--globoff',
      '-i',
      '-X',
      'POST',
      'http://127.0.0.1:8002/b',
      '-H',
      'Origin: http://127.0.0.1:8001',
      '-H',
      'Content-Type: application/json',
      '-H',
      'X-Token: abc',
    ]);
    expect(shellWords(curlForActual(missingAllowOrigin('a')))).not.toContain('Host: 127.0.0.1:8002');
  });

  it('keeps hostile header values and URLs inside their words', () => {
    const report = { ...hostile('h'), url: "-o/tmp/x'$(id)'", requestHeaders: [['X-Quote', `'; rm -rf ~; echo '`], ['X-Empty', '']] as const };
    const words = shellWords(curlForActual(report));
    expect(words).toEqual([
      '--globoff',
      '-i',
      '--url',
      "-o/tmp/x'$(id)'",
      '-H',
      'Origin: http://<img src=x onerror="globalThis.__pwned=1">',
      '-H',
      `X-Quote: '; rm -rf ~; echo '`,
      '-H',
      'X-Empty;',
    ]);
  });
});
