/**
 * Reading a HAR file for the CLI: one string, one JSON.parse (a 100 MB HAR parses in about a second), with every way it
 * can fail turned into a one-line `CliInputError`.
 */
import { constants as bufferConstants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CliInputError } from './io.js';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export async function readHarFile(path: string): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliInputError(`${path} is a directory, not a HAR file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    const code = codeOf(error);
    if (code === 'ENOENT') throw new CliInputError(`${path}: no such file`);
    if (code === 'EACCES') throw new CliInputError(`${path}: permission denied`);
    throw new CliInputError(`${path}: cannot be read (${code ?? String(error)})`);
  }
  if (size === 0) throw new CliInputError(`${path} is empty, not a HAR file`);
  // A UTF-8 file longer than this many bytes cannot become one JavaScript string, whatever it holds.
  const tooLarge = `${path} is too large to read (${megabytes(size)}); the limit is about ${megabytes(bufferConstants.MAX_STRING_LENGTH)} of text. Split the capture or export fewer requests`;
  if (size > bufferConstants.MAX_STRING_LENGTH * 4) throw new CliInputError(tooLarge);

  let text: string;
  try {
    // The bytes in one read, then one decode: on a 100 MB HAR this takes about 0.8 s where `readFile(path, 'utf8')`
    // (chunk by chunk through a StringDecoder) and `readFileSync(path, 'utf8')` (V8's own UTF-8 reader) take 1.3 s.
    // The CLI reads one file and has nothing else to do meanwhile.
    text = readFileSync(path).toString('utf8');
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ERR_STRING_TOO_LONG' || code === 'ERR_FS_FILE_TOO_LARGE' || error instanceof RangeError) {
      throw new CliInputError(tooLarge);
    }
    throw new CliInputError(`${path}: cannot be read (${code ?? String(error)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // The parser stopped at the very end of the text: the file was cut short (an interrupted save or copy).
    const position = /at position (\d+)/.exec(detail);
    const atEnd = /end of (JSON )?(input|data)/i.test(detail) || (position !== null && Number(position[1]) >= text.trimEnd().length - 1);
    const truncated = atEnd ? ' (the file looks truncated)' : '';
    throw new CliInputError(`${path} is not valid JSON${truncated}: ${detail.split('\n')[0]}`);
  }
}
