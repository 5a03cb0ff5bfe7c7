/**
 * Access-Control-Allow-Methods / -Allow-Headers parsing (Chromium `ParseAccessControlAllowList`): split on commas,
 * trim SP/HT, skip empty items, and reject the whole header if any item is not an HTTP token.
 */
import { trimHttpWhitespace } from '../model/headers.js';

const TOKEN_CHAR = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) table[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) table[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = 1;
  for (const ch of "!#$%&'*+-.^_`|~") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** RFC 9110 token: one or more tchar. */
export function isHttpToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || TOKEN_CHAR[c] !== 1) return false;
  }
  return true;
}

export type AllowListParse = { ok: true; items: string[] } | { ok: false; invalidItem: string };

/** Parses an allow-list header value; an absent header is an empty list. Items keep their case. */
export function parseAllowList(value: string | undefined): AllowListParse {
  if (value === undefined) return { ok: true, items: [] };
  const items: string[] = [];
  for (const raw of value.split(',')) {
    const item = trimHttpWhitespace(raw);
    if (item.length === 0) continue;
    if (!isHttpToken(item)) return { ok: false, invalidItem: item };
    items.push(item);
  }
  return { ok: true, items };
}
