/** Origins as the browser serializes and compares them. */

/**
 * `scheme://host[:port]` with the default port omitted, `null` for an opaque origin (data:, file: in Chromium,
 * sandboxed documents), `undefined` when the string is not a URL at all.
 */
export function serializeOrigin(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.origin;
}

/** Same origin: both serialize to the same tuple origin (opaque origins are never same-origin with anything). */
export function isSameOrigin(a: string, b: string): boolean {
  const oa = a === 'null' ? 'null' : serializeOrigin(a) ?? a;
  const ob = b === 'null' ? 'null' : serializeOrigin(b) ?? b;
  return oa !== 'null' && oa === ob;
}

/**
 * Whether an Allow-Origin value parses as an absolute URL, which is Chromium's test (GURL validity) before it calls a
 * differing value "invalid" rather than "mismatch". `https://*.example.com` parses; `example.com` and `` do not.
 */
export function isValidAllowOriginUrl(value: string): boolean {
  if (value.length === 0) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The scheme of a URL without the colon, lower-case; `undefined` when it is not a URL. */
export function urlScheme(url: string): string | undefined {
  try {
    return new URL(url).protocol.slice(0, -1);
  } catch {
    return undefined;
  }
}

/** Whether the URL carries a username or password (`https://user:pass@host/`). */
export function urlHasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
