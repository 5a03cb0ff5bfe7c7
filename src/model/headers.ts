/**
 * Header access as Chromium reads it (`HttpResponseHeaders::GetNormalizedHeader`): names compared case-insensitively,
 * each line's value trimmed of SP/HT, several lines of one name joined with ", ". Firefox counts raw lines instead
 * (see `countHeaderLines`), which is how it spots several Access-Control-Allow-Origin lines.
 */
import { keepShape, Shape } from './shapeKeeper.js';
import type { HeaderLine, HeaderLines } from './exchange.js';

/** Trims the HTTP whitespace Chromium trims around a header value: space and horizontal tab only. */
export function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** The value of `name` as Chromium sees it, or `undefined` when no line carries that name. */
export function getNormalizedHeader(lines: HeaderLines, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let joined: string | undefined;
  for (const line of lines) {
    if (line[0].toLowerCase() !== wanted) continue;
    const value = trimHttpWhitespace(line[1]);
    joined = joined === undefined ? value : `${joined}, ${value}`;
  }
  return joined;
}

/** How many raw lines carry `name` (case-insensitive). */
export function countHeaderLines(lines: HeaderLines, name: string): number {
  const wanted = name.toLowerCase();
  let count = 0;
  for (const line of lines) if (line[0].toLowerCase() === wanted) count++;
  return count;
}

/** Lower-cased header names, remembered: the same few dozen names repeat across every entry of a capture. */
const lowerCaseNames = new Map<string, string>();
function lowerCaseName(name: string): string {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCaseNames.size < 4096) lowerCaseNames.set(name, lower);
  }
  return lower;
}

/**
 * A header list read the way Chromium reads it, without re-lower-casing names on every lookup: the lines' lower-case
 * names are computed once, on first use (many exchanges, same-origin or no-cors, never read their headers), and each
 * lookup compares them. An exchange's lists usually hold a few dozen lines and the checks ask for a handful of names, so
 * a scan beats building maps of every line; a list longer than `SCAN_LIMIT` (a hostile capture can hold 100,000 lines)
 * gets a map from lower-case name to line positions instead, so every lookup stays linear in the list overall.
 */
const SCAN_LIMIT = 64;

const NO_LINES: HeaderLines = Object.freeze([]) as unknown as HeaderLines;

/**
 * A header as a HAR holds it, `{ name, value }`, once the capture's reader has checked it: a non-empty string name and a
 * string, number or boolean value (src/capture/normalize.ts rejects an entry with any other line).
 */
export interface CheckedHarHeader {
  name: string;
  value: string | number | boolean;
}

export class HeaderIndex {
  /** The lines as `{ name, value }` objects of a checked HAR, read where they are (`ofCheckedHarHeaders`); else undefined. */
  private harHeaders: readonly CheckedHarHeader[] | undefined;
  private lowerNames: string[] | undefined;
  private uniqueNames: string[] | undefined;
  private uniqueValues: string[] | undefined;
  /** Lower-case name -> positions of its lines; built only for long lists. */
  private positions: Map<string, number[]> | undefined;
  /** Answers computed from this list by its readers (`remember`), by their key. */
  private answers: Map<string, unknown> | undefined;

  constructor(private readonly lines: HeaderLines) {
    this.harHeaders = undefined;
    keepShape(Shape.HeaderIndex, this);
  }

  /**
   * The index of a checked HAR's header objects, read in place: no `[name, value]` pair is made for a line. Only for
   * lines the capture's reader checked (`CheckedHarHeader`); anything else goes through `sanitizeHeaderLines` first.
   */
  static ofCheckedHarHeaders(headers: readonly CheckedHarHeader[]): HeaderIndex {
    const index = new HeaderIndex(NO_LINES);
    index.harHeaders = headers;
    return index;
  }

  /** How many lines the list holds. */
  get lineCount(): number {
    return this.harHeaders === undefined ? this.lines.length : this.harHeaders.length;
  }

  /** Line `i`'s name, as captured. */
  nameAt(i: number): string {
    return this.harHeaders === undefined ? this.lines[i]![0] : this.harHeaders[i]!.name;
  }

  /** Line `i`'s value, as captured (a HAR's number or boolean as a string). */
  valueAt(i: number): string {
    if (this.harHeaders === undefined) return this.lines[i]![1];
    const value = this.harHeaders[i]!.value;
    return typeof value === 'string' ? value : String(value);
  }

  private lower(): string[] {
    if (this.lowerNames === undefined) {
      const count = this.lineCount;
      const lower: string[] = new Array(count);
      for (let i = 0; i < count; i++) lower[i] = lowerCaseName(this.nameAt(i));
      this.lowerNames = lower;
    }
    return this.lowerNames;
  }

  /** For a long list, the positions of each name's lines (a Map: a name such as `__proto__` is only a key). */
  private byName(): Map<string, number[]> | undefined {
    if (this.lineCount <= SCAN_LIMIT) return undefined;
    if (this.positions === undefined) {
      const positions = new Map<string, number[]>();
      const lower = this.lower();
      for (let i = 0; i < lower.length; i++) {
        const at = positions.get(lower[i]!);
        if (at === undefined) positions.set(lower[i]!, [i]);
        else at.push(i);
      }
      this.positions = positions;
    }
    return this.positions;
  }

  /** Lower-case names in the order they first appear. */
  get names(): string[] {
    if (this.uniqueNames === undefined) this.group();
    return this.uniqueNames!;
  }

  /** The value of each of `names`, at the same position, as `get` gives it: the lines of one name read in one pass. */
  get namedValues(): string[] {
    if (this.uniqueValues === undefined) this.group();
    return this.uniqueValues!;
  }

  private group(): void {
    const lower = this.lower();
    const names: string[] = [];
    const values: string[] = [];
    // A short list (the usual one) finds a repeated name by scanning the names so far; a long one keeps a map.
    const at = lower.length > SCAN_LIMIT ? new Map<string, number>() : undefined;
    for (let i = 0; i < lower.length; i++) {
      const name = lower[i]!;
      const value = trimHttpWhitespace(this.valueAt(i));
      const position = at === undefined ? names.indexOf(name) : at.get(name) ?? -1;
      if (position < 0) {
        at?.set(name, names.length);
        names.push(name);
        values.push(value);
      } else values[position] = `${values[position]!}, ${value}`;
    }
    this.uniqueNames = names;
    this.uniqueValues = values;
  }

  /** Same as `getNormalizedHeader`. */
  get(name: string): string | undefined {
    const wanted = lowerCaseName(name);
    const byName = this.byName();
    if (byName !== undefined) {
      const at = byName.get(wanted);
      if (at === undefined) return undefined;
      if (at.length === 1) return trimHttpWhitespace(this.valueAt(at[0]!));
      return at.map((i) => trimHttpWhitespace(this.valueAt(i))).join(', ');
    }
    const lower = this.lower();
    let joined: string | undefined;
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] !== wanted) continue;
      const value = trimHttpWhitespace(this.valueAt(i));
      joined = joined === undefined ? value : `${joined}, ${value}`;
    }
    return joined;
  }

  has(name: string): boolean {
    const byName = this.byName();
    if (byName !== undefined) return byName.has(lowerCaseName(name));
    return this.lower().includes(lowerCaseName(name));
  }

  /**
   * What `compute` answers for this list, computed once per key while the index lives: the engine asks the same
   * question of one list several times per exchange (the preflight decision, then the names a preflight must allow).
   */
  remember<T>(key: string, compute: (index: HeaderIndex) => T): T {
    const answers = (this.answers ??= new Map());
    if (answers.has(key)) return answers.get(key) as T;
    const answer = compute(this);
    answers.set(key, answer);
    return answer;
  }

  /** Same as `countHeaderLines`. */
  count(name: string): number {
    const wanted = lowerCaseName(name);
    const byName = this.byName();
    if (byName !== undefined) return byName.get(wanted)?.length ?? 0;
    let count = 0;
    for (const lower of this.lower()) if (lower === wanted) count++;
    return count;
  }
}

/**
 * The key of the method by which a snapshot made from a checked capture (src/capture/pair.ts) gives the index of its
 * header lines without copying them into `[name, value]` pairs. Not part of the package's API.
 */
export const CHECKED_HEADER_INDEX: unique symbol = Symbol('the index of checked header lines');

interface WithCheckedHeaderIndex {
  [CHECKED_HEADER_INDEX]?: () => HeaderIndex;
}

/** The index a snapshot made from a checked capture gives of its lines; undefined for any other snapshot. */
function checkedHeaderIndexOf(snapshot: unknown): HeaderIndex | undefined {
  if (typeof snapshot !== 'object' || snapshot === null) return undefined;
  const own = (snapshot as WithCheckedHeaderIndex)[CHECKED_HEADER_INDEX];
  if (typeof own !== 'function') return undefined;
  const index = own.call(snapshot);
  return index instanceof HeaderIndex ? index : undefined;
}

/**
 * The index of a snapshot's header lines: the capture's own (`checkedHeaderIndexOf`), else one of its well-formed lines,
 * telling `dropped` how many malformed ones were left out (when any were).
 */
export function headerIndexOf(snapshot: { headers?: unknown }, dropped?: (count: number) => void): HeaderIndex {
  const checked = checkedHeaderIndexOf(snapshot);
  if (checked !== undefined) return checked;
  const sanitized = sanitizeHeaderLines(snapshot.headers);
  if (sanitized.dropped > 0) dropped?.(sanitized.dropped);
  return new HeaderIndex(sanitized.lines);
}

function isWellFormedTuple(item: unknown): boolean {
  return Array.isArray(item) && item.length === 2 && typeof item[0] === 'string' && item[0].length > 0 && typeof item[1] === 'string';
}

/**
 * Keeps only well-formed `[name, value]` pairs of strings from untrusted input; reports how many were dropped.
 * Accepts both tuples and HAR-style `{ name, value }` objects.
 */
export function sanitizeHeaderLines(input: unknown): { lines: HeaderLines; dropped: number } {
  if (!Array.isArray(input)) return { lines: [], dropped: input === undefined || input === null ? 0 : 1 };
  // The usual case, a capture's own tuples all well-formed: the list itself, not a copy.
  if ((input as unknown[]).every(isWellFormedTuple)) return { lines: input as HeaderLines, dropped: 0 };
  const lines: HeaderLine[] = [];
  let dropped = 0;
  for (const item of input as unknown[]) {
    let name: unknown;
    let value: unknown;
    if (Array.isArray(item)) {
      [name, value] = item as unknown[];
      // Well-formed tuples are kept as they are (no copy): captures hold thousands of them.
      if (typeof name === 'string' && name.length > 0 && typeof value === 'string' && item.length === 2) {
        lines.push(item as unknown as HeaderLine);
        continue;
      }
    }
    else if (item !== null && typeof item === 'object') {
      name = (item as { name?: unknown }).name;
      value = (item as { value?: unknown }).value;
    }
    if (typeof name === 'string' && name.length > 0 && typeof value === 'string') lines.push([name, value]);
    else if (typeof name === 'string' && name.length > 0 && typeof value === 'number') lines.push([name, String(value)]);
    else dropped++;
  }
  return { lines, dropped };
}
