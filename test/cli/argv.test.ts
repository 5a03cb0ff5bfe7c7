/**
 * One reader of command-line words for every command (src/cli/argv.ts): `--flag value` and `--flag=value` alike, and
 * what a word starting with `--` after a flag is, which differs by command.
 */
import { describe, expect, it } from 'vitest';
import { commandWords } from '../../src/cli/argv.js';
import { parseCheckArgs } from '../../src/cli/checkCommand.js';

function read(argv: string[], options: { nextFlagIsNoValue?: boolean } = {}): [string, string | null][] {
  const read: [string, string | null][] = [];
  for (const { flag, value } of commandWords(argv, (flag) => new Error(`${flag} needs a value`), options)) {
    read.push([flag, flag.startsWith('--') && flag !== '--json' ? value() : null]);
  }
  return read;
}

describe('command-line words', () => {
  it('takes a value after the flag or after "="', () => {
    expect(read(['--origin', 'https://a.example', '--only=blocked', '--json'])).toEqual([
      ['--origin', 'https://a.example'],
      ['--only', 'blocked'],
      ['--json', null],
    ]);
    expect(() => read(['--origin'])).toThrow('--origin needs a value');
  });

  it('reads a next word starting with "--" as the value, unless the command says it is the next flag', () => {
    expect(read(['--data', '--boundary'])).toEqual([['--data', '--boundary']]);
    expect(() => read(['--request', '--server', 'php'], { nextFlagIsNoValue: true })).toThrow('--request needs a value');
    expect(read(['--request=--odd'], { nextFlagIsNoValue: true })).toEqual([['--request', '--odd']]);
  });

  it('lets cors-lens check send a body that starts with "--" (a multipart boundary)', () => {
    const args = parseCheckArgs(['https://api.example/upload', '--origin', 'https://app.example', '--data', '--xyz\r\n']);
    expect(args.data).toBe('--xyz\r\n');
  });
});
