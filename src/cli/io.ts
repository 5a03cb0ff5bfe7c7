/** What a CLI command may touch of the outside world; tests and `fix` receive the same shape. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal: colour is used only then, and never when NO_COLOR is set. */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Bad input or usage: reported as one line on stderr, exit code 2. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_BAD_INPUT = 2;

export function colourAllowed(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}

/** Captured text shown in a terminal: see ./terminalText.ts (one escaping function for every CLI output stream). */
export { terminalSafe } from './terminalText.js';
