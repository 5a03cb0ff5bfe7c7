/**
 * Reads a HAR incrementally: UTF-8 bytes go in chunk by chunk, parsed entries come out one at a time. Only the
 * structure around `log.entries` is followed byte by byte (the top object, `log`, the entries array); each entry (and
 * each other field of `log`) is cut out of the bytes and given to `JSON.parse` on its own, so no string ever holds the
 * whole file and a HAR of any size is read with memory bounded by its largest entry.
 *
 * Request and response bodies (`request.postData.text`, `response.content.text`) are cut out of an entry's bytes
 * without being decoded (they become `""`): the engine reads neither, and they are most of a HAR saved "with content".
 * An entry larger than `maxEntryBytes` without them is not parsed: it is reported with its size.
 *
 * Measured against the streaming JSON libraries on the engine bench's 42 MB HAR (read + every entry as an object):
 * `JSON.parse` of the whole text 0.72 s, @streamparser/json 0.0.26 3.2 s, stream-json 3.8.0 9.5 s; this scanner is
 * within a few percent of `JSON.parse` (docs/performance.md).
 *
 * Why one file over 400 lines: it is one byte-level state machine over the HAR's structure; its states only make
 * sense together.
 */

/** The input is not a HAR, or not JSON: one line, without the file's name (the caller adds it). */
export class HarScanError extends Error {
  override readonly name = 'HarScanError';
}

export interface HarScanHandlers {
  /** A field of `log` other than `entries` (only `creator` and `pages` are parsed); `afterEntries` when it came after them. */
  logField(name: 'creator' | 'pages', value: unknown, afterEntries: boolean): void;
  /** Entry `index` of `log.entries`, parsed; `bytes` is its size as read (bodies excluded). */
  entry(index: number, value: unknown, bytes: number): void;
  /** Entry `index` was larger than the limit without its bodies and was not parsed. */
  oversizedEntry(index: number, bytes: number): void;
}

export interface HarScanOptions {
  /** An entry larger than this (bodies excluded) is not parsed. Default 64 MB. */
  maxEntryBytes?: number;
}

export const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Where the outer parser stands. */
const enum Outer {
  /** Before the top-level value. */
  Start,
  /** In an object (the top one, or `log`): a key or the closing brace. */
  KeyOrEnd,
  /** In an object, after a comma: a key. */
  Key,
  /** Reading a key's characters. */
  KeyText,
  Colon,
  /** The value of the key just read. */
  Value,
  /** After a value in an object: a comma or the closing brace. */
  CommaOrEnd,
  /** In `log.entries`: an entry or `]`. */
  EntryOrEnd,
  /** In `log.entries`, after a comma: an entry. */
  Entry,
  /** After an entry: a comma or `]`. */
  EntryCommaOrEnd,
  /** A value is being captured (`capture` says what for). */
  Capturing,
  /** After the top-level object: only white space. */
  Done,
}

/** Which object the outer parser is in. */
const enum Level {
  Top,
  Log,
}

/** What a captured value becomes. */
const enum Purpose {
  Entry,
  Creator,
  Pages,
  /** Another field: read past, not kept. */
  Skip,
}

/** The body paths, as (key at depth 1, key at depth 2): their `text` at depth 3 is cut out. */
const RESPONSE = 1;
const REQUEST = 2;

function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

const EMPTY_STRING = Buffer.from('""');
/**
 * Entries up to this size take the fast way (`indentedEntry`), bodies included, which are then dropped; a larger entry
 * is scanned byte by byte and its bodies cut out of the bytes without being decoded.
 */
const FAST_ENTRY_BYTES = 64 * 1024;

/** What the byte scanner does to bodies, done to a parsed entry: `request.postData.text`, `response.content.text` → "". */
function dropBodies(entry: unknown): void {
  if (typeof entry !== 'object' || entry === null) return;
  const { request, response } = entry as { request?: { postData?: { text?: unknown } }; response?: { content?: { text?: unknown } } };
  const postData = typeof request === 'object' && request !== null ? request.postData : undefined;
  if (typeof postData === 'object' && postData !== null && !Array.isArray(postData) && typeof postData.text === 'string') postData.text = '';
  const content = typeof response === 'object' && response !== null ? response.content : undefined;
  if (typeof content === 'object' && content !== null && !Array.isArray(content) && typeof content.text === 'string') content.text = '';
}

export class HarScanner {
  private outer = Outer.Start;
  private level = Level.Top;
  private readonly maxEntryBytes: number;
  /** Bytes of the input consumed before the current chunk. */
  private offset = 0;

  // The key being read by the outer parser.
  private keyBytes: number[] = [];
  private keyEscaped = false;
  private key = '';
  private readonly seenTopKeys = new Set<string>();
  private readonly seenLogKeys = new Set<string>();
  /** `true` once `log.entries` (or a bare log's top-level `entries`) has been read to its end. */
  private entriesDone = false;
  private entriesStarted = false;
  /** The top-level object is itself the log (`getHAR()`'s shape: `{ entries: [...] }` without `log`). */
  private bareLog = false;
  private entryIndex = 0;
  /** `creator` and `pages` read at the top level before it is known whether the top level is a bare log. */
  private pendingTopFields: ['creator' | 'pages', unknown][] = [];

  // The value being captured.
  private purpose = Purpose.Skip;
  private segments: Buffer[] = [];
  private segmentStart = 0;
  private kept = 0;
  private oversized = false;
  private valueStart = 0;
  private depth = 0;
  private inString = false;
  /** The previous byte in the string was a backslash. */
  private escaped = false;
  /** A number, `true`, `false` or `null`: ends at a delimiter. */
  private primitive = false;
  // For cutting bodies out of entries: the container types (1 object, 2 array) down to depth 3, the key state.
  private readonly containers = new Uint8Array(4);
  private expectKey = false;
  private stringIsKey = false;
  private stringStart = 0;
  private keyCarry: number[] | undefined;
  /** The key just read at depth 1..3 matches the body path so far. */
  private keyMatches = false;
  /** RESPONSE or REQUEST once inside `response` / `request`; then 2 inside `content` / `postData`. */
  private branch = 0;
  private matched = 0;
  /** Inside a body string being cut out. */
  private cutting = false;

  constructor(
    private readonly handlers: HarScanHandlers,
    options: HarScanOptions = {},
  ) {
    this.maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  }

  /** Reads the next chunk of the input (UTF-8, without a byte-order mark). */
  push(chunk: Buffer): void {
    let i = 0;
    const end = chunk.length;
    while (i < end) {
      if (this.outer === Outer.Capturing) {
        i = this.capture(chunk, i, end);
        continue;
      }
      const c = chunk[i]!;
      if (this.outer === Outer.KeyText) {
        i = this.readKey(chunk, i, end);
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === OPEN_BRACE && (this.outer === Outer.EntryOrEnd || this.outer === Outer.Entry)) {
        const next = this.indentedEntry(chunk, i, end);
        if (next > 0) {
          i = next;
          continue;
        }
      }
      this.step(c, chunk, i);
      i++;
    }
    if (this.outer === Outer.Capturing && !this.oversized && this.segmentStart < end) {
      this.keep(chunk.subarray(this.segmentStart, end));
    }
    this.segmentStart = 0;
    this.offset += end;
  }

  /**
   * The fast way through an entry of a pretty-printed HAR (as browsers save them): a raw line break never occurs inside
   * a JSON string, so an entry whose `{` starts a line indented by n spaces ends at the first line that is n spaces and
   * `}`, found by the native byte search instead of byte by byte. `JSON.parse` of that slice succeeding proves it (the
   * slice then is one object, whose first brace closes at its last byte). Anything else (no line break before the
   * entry, its end beyond this chunk or past `FAST_ENTRY_BYTES`, a slice that does not parse) returns -1 and the entry
   * is scanned byte by byte.
   */
  private indentedEntry(chunk: Buffer, start: number, end: number): number {
    let k = start - 1;
    while (k >= 0 && chunk[k] === 0x20) k--;
    if (k < 0 || chunk[k] !== 0x0a) return -1;
    const indent = start - 1 - k;
    // Each `}` (memchr, the fastest native search) until one stands alone after a line break and exactly `indent` spaces.
    const limit = Math.min(end, start + FAST_ENTRY_BYTES);
    let brace = start;
    let after = -1;
    while ((brace = chunk.indexOf(CLOSE_BRACE, brace + 1)) >= 0 && brace < limit) {
      if (chunk[brace - indent - 1] !== 0x0a) continue;
      let spaces = 0;
      while (spaces < indent && chunk[brace - 1 - spaces] === 0x20) spaces++;
      if (spaces === indent) {
        after = brace + 1;
        break;
      }
    }
    if (after < 0) return -1;
    let value: unknown;
    try {
      value = JSON.parse(chunk.toString('utf8', start, after));
    } catch {
      return -1;
    }
    // A body small enough to come this way was parsed with its entry; it is not kept either.
    dropBodies(value);
    const index = this.entryIndex++;
    this.outer = Outer.EntryCommaOrEnd;
    this.handlers.entry(index, value, after - start);
    return after;
  }

  /** The input ended: throws when the HAR is incomplete. */
  end(): void {
    if (this.outer === Outer.Start) throw new HarScanError('empty (no JSON in it), not a HAR file');
    if (this.outer !== Outer.Done) {
      const where = this.entriesStarted && !this.entriesDone ? ` inside log.entries, after ${this.entryIndex} complete entries` : '';
      throw new HarScanError(`not valid JSON (the file looks truncated): it ends${where} before the top-level object closes`);
    }
    if (!this.entriesStarted) {
      throw new HarScanError(this.bareLog || this.seenLogKeys.size > 0 || this.seenTopKeys.has('log') ? 'not a HAR: "log.entries" is not an array' : 'not a HAR: no "log" object at the top level');
    }
  }

  private fail(message: string, at: number): never {
    throw new HarScanError(`not valid JSON: ${message} at byte ${at}`);
  }

  /** One structural byte of the outer parser (not white space). */
  private step(c: number, chunk: Buffer, i: number): void {
    const at = this.offset + i;
    switch (this.outer) {
      case Outer.Start:
        if (c === OPEN_BRACE) {
          this.outer = Outer.KeyOrEnd;
          return;
        }
        if (c === OPEN_BRACKET) throw new HarScanError('not a HAR: the top level is an array, not an object with "log"');
        if (c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
          throw new HarScanError('not a HAR: the top level is not an object with "log"');
        }
        throw new HarScanError(`not valid JSON: it starts with ${describeByte(c)}, not "{"`);
      case Outer.KeyOrEnd:
      case Outer.Key:
        if (c === QUOTE) {
          this.outer = Outer.KeyText;
          this.keyBytes = [];
          this.keyEscaped = false;
          return;
        }
        if (c === CLOSE_BRACE && this.outer === Outer.KeyOrEnd) {
          this.closeObject();
          return;
        }
        this.fail(`expected a key, found ${describeByte(c)}`, at);
        break;
      case Outer.Colon:
        if (c !== COLON) this.fail(`expected ":" after "${this.key.slice(0, 40)}", found ${describeByte(c)}`, at);
        this.outer = Outer.Value;
        return;
      case Outer.Value:
        this.startValue(c, chunk, i);
        return;
      case Outer.CommaOrEnd:
        if (c === COMMA) {
          this.outer = Outer.Key;
          return;
        }
        if (c === CLOSE_BRACE) {
          this.closeObject();
          return;
        }
        this.fail(`expected "," or "}", found ${describeByte(c)}`, at);
        break;
      case Outer.EntryOrEnd:
      case Outer.Entry:
        if (c === CLOSE_BRACKET && this.outer === Outer.EntryOrEnd) {
          this.entriesDone = true;
          this.outer = Outer.CommaOrEnd;
          return;
        }
        this.startCapture(Purpose.Entry, c, chunk, i);
        return;
      case Outer.EntryCommaOrEnd:
        if (c === COMMA) {
          this.outer = Outer.Entry;
          return;
        }
        if (c === CLOSE_BRACKET) {
          this.entriesDone = true;
          this.outer = Outer.CommaOrEnd;
          return;
        }
        this.fail(`expected "," or "]" after entry ${this.entryIndex - 1}, found ${describeByte(c)}`, at);
        break;
      case Outer.Done:
        this.fail(`unexpected ${describeByte(c)} after the end of the top-level object`, at);
        break;
      default:
        break;
    }
  }

  private closeObject(): void {
    if (this.level === Level.Log) {
      this.level = Level.Top;
      this.outer = Outer.CommaOrEnd;
    } else {
      this.outer = Outer.Done;
    }
  }

  private readKey(chunk: Buffer, i: number, end: number): number {
    while (i < end) {
      const c = chunk[i++]!;
      if (this.keyEscaped) {
        this.keyEscaped = false;
        if (this.keyBytes.length < 256) this.keyBytes.push(BACKSLASH, c);
        continue;
      }
      if (c === BACKSLASH) {
        this.keyEscaped = true;
        continue;
      }
      if (c === QUOTE) {
        this.finishKey();
        return i;
      }
      if (this.keyBytes.length < 256) this.keyBytes.push(c);
    }
    return i;
  }

  private finishKey(): void {
    const raw = `"${Buffer.from(this.keyBytes).toString('utf8')}"`;
    let key: string;
    try {
      key = JSON.parse(raw) as string;
    } catch {
      key = raw;
    }
    this.key = key;
    this.outer = Outer.Colon;
    const seen = this.level === Level.Top ? this.seenTopKeys : this.seenLogKeys;
    if (seen.has(key) && (key === 'log' || key === 'entries' || key === 'creator' || key === 'pages')) {
      const what = this.level === Level.Top ? `"${key}"` : `"log.${key}"`;
      throw new HarScanError(
        `not a HAR that can be read safely: it has two ${what} fields (a JSON reader keeps only the last, which would silently drop what the first holds)`,
      );
    }
    seen.add(key);
    if (this.level === Level.Top && key === 'log') this.pendingTopFields = [];
    if (this.level === Level.Top && key === 'log' && this.bareLog) {
      throw new HarScanError('not a HAR that can be read safely: it has both a "log" object and top-level "entries"');
    }
    if (this.level === Level.Top && key === 'entries' && this.seenTopKeys.has('log')) {
      throw new HarScanError('not a HAR that can be read safely: it has both a "log" object and top-level "entries"');
    }
  }

  private startValue(c: number, chunk: Buffer, i: number): void {
    const key = this.key;
    if (this.level === Level.Top && key === 'log') {
      if (c !== OPEN_BRACE) throw new HarScanError('not a HAR: no "log" object at the top level');
      this.level = Level.Log;
      this.outer = Outer.KeyOrEnd;
      return;
    }
    const logLevel = this.level === Level.Log || (this.level === Level.Top && key === 'entries');
    if (logLevel && key === 'entries') {
      if (c !== OPEN_BRACKET) throw new HarScanError('not a HAR: "log.entries" is not an array');
      this.entriesStarted = true;
      if (this.level === Level.Top) {
        this.bareLog = true;
        for (const [name, value] of this.pendingTopFields) this.handlers.logField(name, value, false);
        this.pendingTopFields = [];
      }
      this.outer = Outer.EntryOrEnd;
      return;
    }
    // At the top level, `creator` and `pages` belong to a bare log (`{ entries, creator, pages }`): kept until it is one.
    const purpose = key === 'creator' ? Purpose.Creator : key === 'pages' ? Purpose.Pages : Purpose.Skip;
    this.startCapture(purpose, c, chunk, i);
  }

  private startCapture(purpose: Purpose, c: number, chunk: Buffer, i: number): void {
    this.purpose = purpose;
    this.outer = Outer.Capturing;
    this.segments = [];
    this.segmentStart = i;
    this.kept = 0;
    this.oversized = false;
    this.valueStart = this.offset + i;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.primitive = false;
    this.expectKey = false;
    this.stringIsKey = false;
    this.keyMatches = false;
    this.branch = 0;
    this.matched = 0;
    this.cutting = false;
    this.keyCarry = undefined;
    // The first byte is consumed here: the scan goes on from the next one.
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.depth = 1;
      this.containers[1] = c === OPEN_BRACE ? 1 : 2;
      this.expectKey = c === OPEN_BRACE;
    } else if (c === QUOTE) {
      this.inString = true;
    } else {
      this.primitive = true;
    }
  }

  /** Keeps a piece of the value being captured, unless it has outgrown the limit. */
  private keep(piece: Buffer): void {
    if (this.oversized) return;
    this.kept += piece.length;
    if (this.kept > this.maxEntryBytes && this.purpose !== Purpose.Skip) {
      this.oversized = true;
      this.segments = [];
      return;
    }
    if (this.purpose === Purpose.Skip) return;
    this.segments.push(piece);
  }

  /**
   * Scans the captured value from `i`; returns where it stopped (the end of the chunk, or just past the value). The hot
   * loop of the reader: every byte of every entry passes here once.
   */
  private capture(chunk: Buffer, i: number, end: number): number {
    if (this.primitive) {
      for (; i < end; i++) {
        const c = chunk[i]!;
        if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isSpace(c)) {
          this.finishCapture(chunk, i);
          return i;
        }
      }
      return i;
    }
    let depth = this.depth;
    let inString = this.inString;
    /** Key tracking (for cutting bodies) happens only in entries, and only down to depth 3. */
    const tracking = this.purpose === Purpose.Entry;
    while (i < end) {
      if (inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
        }
        // Inside a string: to the next quote that no backslash escapes (a quote is escaped when an odd number of
        // backslashes precede it), found by the native byte search.
        const from = i;
        let quote = chunk.indexOf(QUOTE, i);
        while (quote >= 0) {
          let backslashes = 0;
          while (quote - backslashes - 1 >= from && chunk[quote - backslashes - 1] === BACKSLASH) backslashes++;
          if ((backslashes & 1) === 0) break;
          quote = chunk.indexOf(QUOTE, quote + 1);
        }
        if (quote < 0) {
          // The string goes on in the next chunk: whether its first byte is escaped depends on the backslashes here.
          let backslashes = 0;
          while (end - backslashes - 1 >= from && chunk[end - backslashes - 1] === BACKSLASH) backslashes++;
          this.escaped = (backslashes & 1) === 1;
          i = end;
          break;
        }
        i = quote + 1;
        inString = false;
        if (this.cutting) {
          // The body's closing quote: the kept bytes resume after it.
          this.cutting = false;
          this.segmentStart = i;
        } else if (this.stringIsKey) {
          this.stringIsKey = false;
          this.keyMatches = this.matchKey(chunk, quote, depth);
        }
        if (depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.finishCapture(chunk, i);
          return i;
        }
        continue;
      }
      const c = chunk[i++]!;
      if (c === 0x20 || c === 0x0a) continue;
      if (c === QUOTE) {
        inString = true;
        if (tracking && depth <= 3) {
          if (this.expectKey) {
            this.stringIsKey = true;
            this.stringStart = i;
            this.keyCarry = undefined;
          } else if (this.keyMatches && this.matched === 2 && depth === 3) {
            // `request.postData.text` or `response.content.text`: cut from the opening quote.
            this.keyMatches = false;
            this.cutting = true;
            if (!this.oversized && i - 1 > this.segmentStart) this.keep(chunk.subarray(this.segmentStart, i - 1));
            this.keep(EMPTY_STRING);
            this.segmentStart = end;
          }
          this.expectKey = false;
        }
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        if (tracking && depth <= 3) {
          this.containers[depth] = c === OPEN_BRACE ? 1 : 2;
          if (c === OPEN_BRACE && this.keyMatches && depth === this.matched + 2) this.matched++;
          this.expectKey = c === OPEN_BRACE;
          this.keyMatches = false;
        }
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (tracking && depth <= 2) {
          if (this.matched >= depth && this.matched > 0) {
            this.matched = depth > 0 ? depth - 1 : 0;
            if (this.matched === 0) this.branch = 0;
          }
          this.keyMatches = false;
          this.expectKey = false;
        }
        if (depth === 0) {
          this.depth = 0;
          this.inString = false;
          this.finishCapture(chunk, i);
          return i;
        }
        continue;
      }
      if (tracking && depth <= 3) {
        if (c === COMMA) {
          this.expectKey = this.containers[depth] === 1;
          this.keyMatches = false;
        } else if (c !== COLON && c !== 0x0d && c !== 0x09) {
          this.keyMatches = false;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    if (inString && this.stringIsKey && i >= end) {
      // A key split between chunks: keep its first bytes for the comparison.
      const carry = this.keyCarry ?? [];
      for (let k = this.stringStart; k < end && carry.length < 16; k++) carry.push(chunk[k]!);
      this.keyCarry = carry;
      this.stringStart = 0;
    }
    if (this.cutting) this.segmentStart = end;
    return i;
  }

  /** Whether the key ending at `close` (its closing quote) continues the path to a body at this depth. */
  private matchKey(chunk: Buffer, close: number, depth: number): boolean {
    if (depth > 3) return false;
    const wanted =
      depth === 1
        ? this.matched === 0
          ? ['response', 'request']
          : []
        : depth === 2
          ? this.matched === 1
            ? [this.branch === RESPONSE ? 'content' : 'postData']
            : []
          : this.matched === 2
            ? ['text']
            : [];
    if (wanted.length === 0) return false;
    const carry = this.keyCarry;
    this.keyCarry = undefined;
    const length = (carry?.length ?? 0) + (close - this.stringStart);
    for (const name of wanted) {
      if (name.length !== length) continue;
      let same = true;
      for (let k = 0; k < length && same; k++) {
        const byte = carry !== undefined && k < carry.length ? carry[k]! : chunk[this.stringStart + k - (carry?.length ?? 0)]!;
        same = byte === name.charCodeAt(k);
      }
      if (!same) continue;
      if (depth === 1) this.branch = name === 'response' ? RESPONSE : REQUEST;
      return true;
    }
    return false;
  }

  private finishCapture(chunk: Buffer, end: number): void {
    if (!this.oversized && end > this.segmentStart) this.keep(chunk.subarray(this.segmentStart, end));
    this.segmentStart = end;
    const purpose = this.purpose;
    const bytes = this.kept;
    const segments = this.segments;
    this.segments = [];
    if (purpose === Purpose.Entry) {
      const index = this.entryIndex++;
      this.outer = Outer.EntryCommaOrEnd;
      if (this.oversized) {
        this.handlers.oversizedEntry(index, bytes);
        return;
      }
      this.handlers.entry(index, this.parse(segments, `entry ${index}`), bytes);
      return;
    }
    this.outer = Outer.CommaOrEnd;
    if (purpose === Purpose.Skip) return;
    if (this.oversized) throw new HarScanError(`not a HAR that can be read: "log.${purpose === Purpose.Creator ? 'creator' : 'pages'}" is larger than ${Math.round(this.maxEntryBytes / 1024 / 1024)} MB`);
    const name = purpose === Purpose.Creator ? 'creator' : 'pages';
    const value = this.parse(segments, `log.${name}`);
    if (this.level === Level.Top && !this.bareLog) this.pendingTopFields.push([name, value]);
    else this.handlers.logField(name, value, this.entriesStarted);
  }

  private parse(segments: Buffer[], what: string): unknown {
    const bytes = segments.length === 1 ? segments[0]! : Buffer.concat(segments);
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      throw new HarScanError(`not valid JSON in ${what} (from byte ${this.valueStart}): ${detail}`);
    }
  }
}
