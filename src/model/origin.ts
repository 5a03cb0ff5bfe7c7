/** Origins as the browser serializes and compares them. */

/**
 * `scheme://host[:port]` with the default port omitted, `null` for an opaque origin (data:, file: in Chromium,
 * sandboxed documents), `undefined` when the string is not a URL at all.
 */
export function serializeOrigin(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  let origin = recentOrigins.get(url);
  if (origin !== undefined || recentOrigins.has(url)) return origin;
  origin = olderOrigins.get(url);
  if (origin === undefined && !olderOrigins.has(url)) origin = parseOrigin(url);
  if (recentOrigins.size >= REMEMBERED_URLS) {
    olderOrigins = recentOrigins;
    recentOrigins = new Map();
  }
  recentOrigins.set(url, origin);
  return origin;
}

/**
 * The origins of the URLs seen last: one exchange asks for the origin of the same URL string several times (reading
 * the entry, pairing, the engine, the report), often thousands of entries apart (a HAR is read whole before pairing),
 * and a capture repeats URLs. Two generations, so a full memo never forgets everything at once: when the recent one is
 * full it becomes the older one, and a URL found there moves back to the recent one. At most 2 × `REMEMBERED_URLS`.
 */
let recentOrigins = new Map<string, string | undefined>();
let olderOrigins = new Map<string, string | undefined>();
const REMEMBERED_URLS = 16_384;

function parseOrigin(url: string): string | undefined {
  const fast = fastHttpOrigin(url);
  if (fast !== undefined) return fast;
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
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

export function urlScheme(url: string): string | undefined {
  const origin = serializeOrigin(url);
  if (origin === undefined) return undefined;
  // The common spellings without the regex.
  if (url.startsWith('https://')) return 'https';
  if (url.startsWith('http://')) return 'http';
  const m = SCHEME.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
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

/** `http(s)://host[:port]` followed by `/`, `?`, `#` or the end, with a plain lower-case host whose last label is a name. */
const PLAIN_HTTP_URL = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?(?=[/?#]|$)/;
const NAMED_LAST_LABEL = /[a-z]/;

/**
 * The origin of the common URL shape without a full URL parse (the engine serializes every hop's URL). Anything
 * unusual (upper case, IP-like or punycode hosts, userinfo, odd ports) returns `undefined` and goes to `new URL`.
 */
function fastHttpOrigin(url: string): string | undefined {
  const m = PLAIN_HTTP_URL.exec(url);
  if (!m) return undefined;
  const scheme = m[1]!;
  const host = m[2]!;
  const lastDot = host.lastIndexOf('.');
  const lastLabel = lastDot < 0 ? host : host.slice(lastDot + 1);
  if (!NAMED_LAST_LABEL.test(lastLabel) || host.includes('xn--') || host.startsWith('-') || host.includes('.-') || host.includes('-.')) {
    return undefined;
  }
  const portText = m[3];
  if (portText === undefined) return `${scheme}://${host}`;
  const port = Number(portText);
  if (port > 65535) return undefined;
  const defaultPort = scheme === 'http' ? 80 : 443;
  return port === defaultPort ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
}
