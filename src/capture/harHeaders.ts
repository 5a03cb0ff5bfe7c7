/**
 * Header-line helpers for captured HAR data. Names compare case-insensitively; a name repeated on several lines is read
 * the way Chromium's `GetNormalizedHeader` reads it: each value trimmed of spaces and tabs, then joined with ", ".
 */
import type { HeaderLines } from '../model/exchange.js';
import { trimHttpWhitespace } from '../model/headers.js';
import { serializeOrigin } from '../model/origin.js';

/** The combined value of every line named `name`, or `null` when no line has that name. */
export function combinedHeaderValue(lines: HeaderLines, name: string): string | null {
  const wanted = name.toLowerCase();
  let combined: string | null = null;
  for (const [lineName, value] of lines) {
    if (lineName.toLowerCase() !== wanted) continue;
    const trimmed = trimHttpWhitespace(value);
    combined = combined === null ? trimmed : `${combined}, ${trimmed}`;
  }
  return combined;
}

export function hasHeader(lines: HeaderLines, name: string): boolean {
  const wanted = name.toLowerCase();
  return lines.some(([lineName]) => lineName.toLowerCase() === wanted);
}

/** The serialized origin of a URL (`null` for opaque origins such as `data:`), or `undefined` when it does not parse. */
export function originOfUrl(url: string): string | undefined {
  return serializeOrigin(url);
}

/** Splits a comma-separated header value into trimmed, non-empty items. */
export function splitList(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((item) => trimHttpWhitespace(item))
    .filter((item) => item !== '');
}
