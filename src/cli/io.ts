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

/**
 * Text from the network shown in a terminal: control characters (escape sequences included) are written out as
 * `\xNN` so a header value cannot move the cursor, recolour the screen or hide a line.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
