/**
 * Lookups keyed by captured strings. A header name, resource type or any other string from a capture can be
 * `__proto__`, `constructor` or `toString`: on a plain object those find `Object.prototype`'s members, so a table
 * keyed by such strings is read with `lookupOwn` (own properties only), or is a `Map`.
 */
export function lookupOwn<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
