import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HAND = fileURLToPath(new URL('../fixtures/hand/', import.meta.url));

/** Each CLI run is a new Node process (seconds on a loaded two-core machine): room for several per test. */
export const SPAWNS = { timeout: 120_000 };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source through tsx, as a user would run the built one: a separate process, real exit code. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/cors-lens.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...env },
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts the process failed the way a user should see it: one clear line on stderr, no stack trace. */
export function oneLineError(run: CliRun): string {
  const lines = run.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(run.stderr)) throw new Error(`expected one stderr line, got:\n${run.stderr}`);
  return lines[0]!;
}
