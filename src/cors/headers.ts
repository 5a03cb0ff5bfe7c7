/**
 * Header access as Chromium reads it (`HttpResponseHeaders::GetNormalizedHeader`): names compared case-insensitively,
 * each line's value trimmed of SP/HT, several lines of one name joined with ", ". Firefox counts raw lines instead
 * (see `countHeaderLines`), which is how it spots several Access-Control-Allow-Origin lines.
 */
import type { HeaderLine, HeaderLines } from './model.js';

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

/**
 * One pass over a header list, so an evaluation reads each header without re-scanning the lines: normalized values and
 * raw line counts by lower-case name, plus the names in first-seen order.
 */
export class HeaderIndex {
  private readonly values = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Lower-case names in the order they first appear. */
  readonly names: string[] = [];

  constructor(lines: HeaderLines) {
    for (const line of lines) {
      const name = line[0].toLowerCase();
      const value = trimHttpWhitespace(line[1]);
      const previous = this.values.get(name);
      if (previous === undefined) {
        this.values.set(name, value);
        this.counts.set(name, 1);
        this.names.push(name);
      } else {
        this.values.set(name, `${previous}, ${value}`);
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      }
    }
  }

  /** Same as `getNormalizedHeader`. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  /** Same as `countHeaderLines`. */
  count(name: string): number {
    return this.counts.get(name.toLowerCase()) ?? 0;
  }
}

/**
 * Keeps only well-formed `[name, value]` pairs of strings from untrusted input; reports how many were dropped.
 * Accepts both tuples and HAR-style `{ name, value }` objects.
 */
export function sanitizeHeaderLines(input: unknown): { lines: HeaderLine[]; dropped: number } {
  if (!Array.isArray(input)) return { lines: [], dropped: input === undefined || input === null ? 0 : 1 };
  const lines: HeaderLine[] = [];
  let dropped = 0;
  for (const item of input as unknown[]) {
    let name: unknown;
    let value: unknown;
    if (Array.isArray(item)) [name, value] = item as unknown[];
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
