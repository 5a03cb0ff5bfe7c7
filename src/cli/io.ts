/** What a CLI command may touch of the outside world; tests and `fix` receive the same shape. */
export interface CliIo {
  /**
   * Writes to standard output. A promise means "wait before writing more" (the reader is slower than we are); it rejects
   * with `OutputClosedError` once the reader has gone (`| head`).
   */
  stdout: (text: string) => unknown;
  /**
   * The same stream taking UTF-8 bytes, when it can (the real standard output): `explain` then copies what it held in
   * a temporary file straight out, without decoding it to text and encoding it again. Absent, bytes go through `stdout`
   * as text.
   */
  stdoutBytes?: (bytes: Uint8Array) => unknown;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal: colour is used only then, and never when NO_COLOR is set. */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Standard input, read for the file name `-` (process.stdin when absent). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Standard output closed before everything was written (`cors-lens explain x.har | head`): nothing more to do. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

/**
 * `CliIo.stdout` over a Node stream, with back-pressure: each write returns at once while the stream takes the text,
 * and a promise that settles on `drain` when its buffer is full, so output never piles up in memory (the cause of
 * `write ENOBUFS` and of the heap running out on `| cat`). After an error (EPIPE once the reader is gone) every write
 * rejects with `OutputClosedError`, so the command stops instead of serializing the rest for nobody.
 */
export function streamWriter(stream: NodeJS.WritableStream): (chunk: string | Uint8Array) => void | Promise<void> {
  let closed: OutputClosedError | undefined;
  let waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const settle = (error?: OutputClosedError) => {
    const pending = waiting;
    waiting = [];
    for (const { resolve, reject } of pending) {
      if (error === undefined) resolve();
      else reject(error);
    }
  };
  stream.on('error', (error: NodeJS.ErrnoException) => {
    closed ??= new OutputClosedError(`standard output closed (${error.code ?? error.message})`);
    settle(closed);
  });
  stream.on('drain', () => settle());
  // A caller that does not wait (a one-line message) must not turn a closed pipe into an unhandled rejection.
  const quietly = (promise: Promise<void>) => {
    promise.catch(() => undefined);
    return promise;
  };
  return (chunk) => {
    if (closed !== undefined) return quietly(Promise.reject(closed));
    let more: boolean;
    try {
      more = stream.write(chunk);
    } catch (error) {
      closed ??= new OutputClosedError(`standard output closed (${error instanceof Error ? error.message : String(error)})`);
      return quietly(Promise.reject(closed));
    }
    if (more) return undefined;
    return quietly(new Promise<void>((resolve, reject) => waiting.push({ resolve, reject })));
  };
}

/** Bad input or usage: reported as one line on stderr, exit code 2. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_BAD_INPUT = 2;
/** A bug of ours (one line on stderr; the stack with CORS_LENS_DEBUG=1). */
export const EXIT_INTERNAL = 3;

export function colourAllowed(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}

/** Captured text shown in a terminal: see ./terminalText.ts (one escaping function for every CLI output stream). */
export { terminalSafe } from './terminalText.js';
