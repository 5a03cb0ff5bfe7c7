/**
 * Output held back until it can be written: `explain` prints its totals first (in the text header and in the JSON's
 * `totals`, before `exchanges`), and they are known only once the last entry is read. The exchanges' text waits here:
 * in memory up to `memoryLimit` characters, past that in a temporary file (deleted when done), so the output of a HAR of
 * any size costs bounded memory. Then it is copied out with back-pressure.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Text is gathered into pieces of about this many characters before it is stored. */
const PIECE = 1 << 20;
/** Characters kept in memory before the spool moves to a temporary file. */
export const DEFAULT_SPOOL_MEMORY = 4 * 1024 * 1024;

export class OutputSpool {
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly pieces: string[] = [];
  private inMemory = 0;
  private dir: string | undefined;
  private fd: number | undefined;
  private fileBytes = 0;

  constructor(private readonly memoryLimit = DEFAULT_SPOOL_MEMORY) {}

  /** Whether the spool has moved to a temporary file. */
  get onDisk(): boolean {
    return this.fd !== undefined;
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= PIECE) this.seal();
  }

  private seal(): void {
    if (this.pendingLength === 0) return;
    const piece = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (this.fd === undefined && this.inMemory + piece.length <= this.memoryLimit) {
      this.pieces.push(piece);
      this.inMemory += piece.length;
      return;
    }
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'cors-lens-'));
      this.fd = openSync(join(this.dir, 'output'), 'w+', 0o600);
    }
    const bytes = Buffer.from(piece, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, this.fileBytes + written);
    this.fileBytes += bytes.length;
  }

  /**
   * Everything written so far, in order, to `write` (awaited: the reader sets the pace). What went to the temporary file
   * goes to `writeBytes` as it is stored, UTF-8, when given (each piece a buffer of its own, which the writer may keep),
   * and is decoded for `write` otherwise.
   */
  async copyTo(write: (text: string) => unknown, writeBytes?: (bytes: Uint8Array) => unknown): Promise<void> {
    this.seal();
    for (let i = 0; i < this.pieces.length; i++) {
      const piece = this.pieces[i]!;
      this.pieces[i] = '';
      await write(piece);
    }
    this.pieces.length = 0;
    if (this.fd === undefined) return;
    const decoder = new StringDecoder('utf8');
    let position = 0;
    while (position < this.fileBytes) {
      const buffer = Buffer.allocUnsafe(Math.min(PIECE, this.fileBytes - position));
      const read = readSync(this.fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      position += read;
      if (writeBytes !== undefined) {
        await writeBytes(buffer.subarray(0, read));
        continue;
      }
      const text = decoder.write(buffer.subarray(0, read));
      if (text.length > 0) await write(text);
    }
    const rest = decoder.end();
    if (rest.length > 0) await write(rest);
  }

  /** Frees the memory and deletes the temporary file. */
  dispose(): void {
    this.pending = [];
    this.pieces.length = 0;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
