/**
 * The CLI's input: a HAR file, standard input (`-`), a FIFO or a device such as /dev/stdin, read as a stream of
 * UTF-8 chunks whatever it was saved as. gzip is recognised by its magic bytes and decompressed as it is read; a UTF-8
 * byte-order mark is dropped; UTF-16 (with a byte-order mark, or recognised by the NUL bytes of its ASCII characters) is
 * decoded; other archive formats and UTF-32 are named in a one-line refusal. Every failure is a `CliInputError`.
 *
 * `explain` gives the chunks to the incremental reader (./harScanner.ts); `readHarFile` (used by `fix`) joins them
 * into one string for `JSON.parse`, refusing past the longest string V8 can hold before reading further.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { HarScanError, HarScanner } from './harScanner.js';
import { CliInputError, terminalSafe } from './io.js';

/** Bytes per read from a file: few reads, and a bounded amount held at a time. */
const READ_CHUNK = 1 << 20;

export interface HarInput {
  /** How messages name the input: the path as given, or "standard input". */
  label: string;
  /** The input as UTF-8, in chunks, without a byte-order mark. */
  chunks: AsyncIterable<Buffer>;
  /** What was undone on the way: gzip, UTF-16. */
  decoded: string[];
  /** A regular file: it can be read again from the start. */
  rereadable: boolean;
}

export interface InputSources {
  /** Standard input, for `-` (process.stdin by default). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function readError(label: string, error: unknown): CliInputError {
  if (error instanceof CliInputError) return error;
  const code = codeOf(error);
  if (code === 'ENOENT') return new CliInputError(`${label}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new CliInputError(`${label}: permission denied`);
  if (code === 'EISDIR') return new CliInputError(`${label} is a directory, not a HAR file`);
  const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new CliInputError(`${label}: cannot be read (${terminalSafe(code ?? detail)})`);
}

/** Chunks of a readable stream, with its errors turned into one-line messages. */
async function* chunksOf(stream: NodeJS.ReadableStream, label: string, what = ''): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  } catch (error) {
    if (what !== '' && !(error instanceof CliInputError)) {
      const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      throw new CliInputError(`${label} is not a valid ${what} file: ${terminalSafe(detail)}`);
    }
    throw readError(label, error);
  }
}

/** The first `count` bytes (fewer at the end of the input) and an iterator of everything, those bytes included. */
async function peek(source: AsyncIterable<Buffer>, count: number): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    if (next.value.length === 0) continue;
    seen.push(next.value);
    length += next.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  return { head: Buffer.concat(seen).subarray(0, count), all: all() };
}

/** UTF-16 in, UTF-8 out, across chunk boundaries (a character or surrogate pair may be split). */
async function* utf16ToUtf8(source: AsyncIterable<Buffer>, bigEndian: boolean, skip: number): AsyncGenerator<Buffer> {
  const decoder = new StringDecoder('utf16le');
  let odd: Buffer | undefined;
  let toSkip = skip;
  for await (let chunk of source) {
    if (toSkip > 0) {
      const cut = Math.min(toSkip, chunk.length);
      chunk = chunk.subarray(cut);
      toSkip -= cut;
    }
    if (odd !== undefined) {
      chunk = Buffer.concat([odd, chunk]);
      odd = undefined;
    }
    if (bigEndian) {
      const even = chunk.length & ~1;
      if (even < chunk.length) odd = Buffer.from(chunk.subarray(even));
      chunk = Buffer.from(chunk.subarray(0, even)).swap16();
    }
    const text = decoder.write(chunk);
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.end();
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}

async function* skipBytes(source: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of source) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

const REFUSED_FORMATS: readonly { magic: number[]; name: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive (unzip it and pass the .har inside)' },
  { magic: [0x42, 0x5a, 0x68], name: 'bzip2-compressed (decompress it first: bunzip2 -k)' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed (decompress it first: unxz -k)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed (decompress it first: unzstd)' },
  { magic: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 text (save it as UTF-8)' },
  { magic: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 text (save it as UTF-8)' },
];

function startsWith(head: Buffer, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((byte, i) => head[i] === byte);
}

/** JSON's first character in UTF-16 without a byte-order mark: `{`, `[` or white space, beside a NUL byte. */
function looksLikeUtf16(head: Buffer, bigEndian: boolean): boolean {
  if (head.length < 4) return false;
  const isJsonStart = (byte: number) => byte === 0x7b || byte === 0x5b || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
  return bigEndian ? head[0] === 0 && isJsonStart(head[1]!) && head[2] === 0 : isJsonStart(head[0]!) && head[1] === 0 && head[3] === 0;
}

/** Undoes gzip and text encodings until UTF-8 without a byte-order mark is left. */
async function decode(source: AsyncIterable<Buffer>, label: string, decoded: string[]): Promise<AsyncIterable<Buffer>> {
  const { head, all } = await peek(source, 8);
  if (head.length === 0) throw new CliInputError(`${label} is empty, not a HAR file`);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    if (decoded.includes('gzip')) throw new CliInputError(`${label} is gzip-compressed twice; decompress it first`);
    decoded.push('gzip');
    const gunzip = createGunzip();
    // The compressed chunks go in as gunzip asks for them (back-pressure through the pipe).
    const feed = (async () => {
      try {
        for await (const chunk of all) {
          if (!gunzip.write(chunk)) await new Promise((resolve) => gunzip.once('drain', resolve));
        }
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    })();
    void feed;
    return decode(chunksOf(gunzip, label, 'gzip'), label, decoded);
  }
  for (const format of REFUSED_FORMATS) {
    if (startsWith(head, format.magic)) throw new CliInputError(`${label} is ${format.name}, not a HAR file`);
  }
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return skipBytes(all, 3);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    const bigEndian = head[0] === 0xfe;
    decoded.push(bigEndian ? 'UTF-16BE' : 'UTF-16LE');
    return utf16ToUtf8(all, bigEndian, 2);
  }
  if (looksLikeUtf16(head, false) || looksLikeUtf16(head, true)) {
    const bigEndian = head[0] === 0;
    decoded.push(bigEndian ? 'UTF-16BE' : 'UTF-16LE');
    return utf16ToUtf8(all, bigEndian, 0);
  }
  return all;
}

/** Opens a HAR for reading: `-` is standard input; anything else a path (a file, a FIFO, /dev/stdin). */
export async function openHarInput(path: string, sources: InputSources = {}): Promise<HarInput> {
  const decoded: string[] = [];
  // Standard input by name: when it is a socket (as a parent process may give it), opening it by path fails (ENXIO).
  if (path === '-' || /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(path)) {
    const stdin = sources.stdin ?? process.stdin;
    if (stdin.isTTY === true) throw new CliInputError('standard input is a terminal: pipe a HAR into it (cors-lens explain - < file.har)');
    const label = path === '-' ? 'standard input' : path;
    return { label, chunks: await decode(chunksOf(stdin, label), label, decoded), decoded, rereadable: false };
  }
  let regular: boolean;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliInputError(`${path} is a directory, not a HAR file`);
    regular = info.isFile();
    // A regular file's size is known: an empty one is refused before it is opened. (A FIFO or a device says 0.)
    if (regular && info.size === 0) throw new CliInputError(`${path} is empty, not a HAR file`);
  } catch (error) {
    throw readError(path, error);
  }
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  return { label: path, chunks: await decode(chunksOf(stream, path), path, decoded), decoded, rereadable: regular };
}

/**
 * The whole HAR parsed at once (for `fix`). Refuses a file no JavaScript string can hold as soon as that is certain: a
 * regular file whose size rules it out before reading, any other input once more text than that has arrived.
 */
export async function readHarFile(path: string, sources: InputSources = {}): Promise<unknown> {
  const limit = bufferConstants.MAX_STRING_LENGTH;
  const tooLarge = (size: string) =>
    new CliInputError(`${path} is too large to read (${size}); the limit is about ${megabytes(limit)} of text. Split the capture or export fewer requests`);
  if (path !== '-') {
    try {
      const info = await stat(path);
      // UTF-8 takes at most 3 bytes per UTF-16 unit of the string it becomes: past 3× the limit, no content fits.
      if (info.isFile() && info.size > limit * 3) throw tooLarge(megabytes(info.size));
    } catch (error) {
      throw readError(path, error);
    }
  }
  const input = await openHarInput(path, sources);
  // Decoded chunk by chunk, so the length of the text is known as it grows and reading stops once it cannot fit.
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let length = 0;
  let bytes = 0;
  // The structure is followed as the bytes arrive, for what JSON.parse would hide: a second "log" (or "log.entries")
  // replaces the first without a word. Other findings are left to JSON.parse's own message below.
  let structure: HarScanner | undefined = new HarScanner({ logField() {}, entry() {}, oversizedEntry() {} });
  const follow = (chunk: Buffer) => {
    try {
      structure?.push(chunk);
    } catch (error) {
      structure = undefined;
      if (error instanceof HarScanError && error.message.includes('read safely')) throw new CliInputError(`${input.label} is ${terminalSafe(error.message)}`);
    }
  };
  for await (const chunk of input.chunks) {
    follow(chunk);
    bytes += chunk.length;
    const part = decoder.write(chunk);
    length += part.length;
    if (length > limit) throw tooLarge(`more than ${megabytes(bytes)}`);
    parts.push(part);
  }
  parts.push(decoder.end());
  const text = parts.join('');
  parts.length = 0;
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // The parser stopped at the very end of the text: the file was cut short (an interrupted save or copy).
    const position = /at position (\d+)/.exec(detail);
    const atEnd = /end of (JSON )?(input|data)/i.test(detail) || (position !== null && Number(position[1]) >= text.trimEnd().length - 1);
    const truncated = atEnd ? ' (the file looks truncated)' : '';
    throw new CliInputError(`${path} is not valid JSON${truncated}: ${terminalSafe(detail.split('\n')[0]!)}`);
  }
}
