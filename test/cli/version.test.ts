import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/model/toolVersion.js';
import { SPAWNS, runCli } from './run.js';

describe('cors-lens --version and --help', SPAWNS, () => {
  const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

  it('reports the version in package.json', () => {
    expect(TOOL_VERSION).toBe(packageVersion);
    const run = runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${packageVersion}\n`);
  });

  it('prints usage with the exit codes, and asks for a command when given none', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('cors-lens explain <file.har> [--json] [--only blocked|warnings|all] [--no-fail]');
    expect(help.stdout).toContain('Exit codes: 0 nothing blocked, 1 something blocked, 2 bad input or usage');
    const none = runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage:');
  });
});
