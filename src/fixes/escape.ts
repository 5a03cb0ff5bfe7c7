/**
 * Validation and escaping of captured values (origins, header names, methods, paths) before they are placed in a
 * generated snippet. Two layers: values are validated first (an origin must be a serialized origin, a header name or
 * method an HTTP token) and refused when they fail; then every value is escaped for the target language or config
 * format, so even a value that slipped past validation cannot end a string, start a new statement or add a header line.
 */

/** A captured value that cannot be placed in a snippet; the message says which value and why. */
export class FixInputError extends Error {
  override name = 'FixInputError';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token: what a header name or a method must be. */
export function isHttpToken(value: string): boolean {
  return TOKEN.test(value);
}

export function assertHeaderName(value: string): string {
  if (!isHttpToken(value)) throw new FixInputError(`not a valid header name: ${JSON.stringify(value)}`);
  return value;
}

export function assertMethod(value: string): string {
  if (!isHttpToken(value)) throw new FixInputError(`not a valid HTTP method: ${JSON.stringify(value)}`);
  const upper = value.toUpperCase();
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') {
    throw new FixInputError(`${value} is a forbidden method: browsers never send it, no server config can allow it`);
  }
  return value;
}

// DNS names (letters, digits, hyphen, underscore, dots), IPv4, or a bracketed IPv6 literal.
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$|^\[[0-9a-f:.]+\]$/;

/**
 * Checks that `value` is a serialized origin `scheme://host[:port]` exactly as a browser sends it in `Origin`
 * (lower-case scheme and host, no default port, no path, no trailing slash, no wildcard). Returns it unchanged or throws
 * a FixInputError that says what is wrong and, when it can, the serialized form.
 */
export function assertSerializedOrigin(value: string): string {
  if (value === 'null') {
    throw new FixInputError(
      'the origin is "null" (a sandboxed frame, a file: page or a cross-origin redirect): allowing "null" would allow every such page; serve the page from a real origin instead',
    );
  }
  if (value.includes('*')) throw new FixInputError(`an origin cannot contain a wildcard: ${JSON.stringify(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FixInputError(`not an origin (expected scheme://host[:port]): ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FixInputError(`only http and https origins can be allowed by CORS: ${JSON.stringify(value)}`);
  }
  if (url.username || url.password) throw new FixInputError(`an origin has no user name or password: ${JSON.stringify(value)}`);
  if (!HOST.test(url.hostname)) throw new FixInputError(`not a host name an origin can hold: ${JSON.stringify(value)}`);
  const serialized = url.origin;
  if (serialized !== value) {
    throw new FixInputError(
      `not a serialized origin: ${JSON.stringify(value)} (browsers send ${JSON.stringify(serialized)}: no path, no trailing slash, lower-case, default port omitted)`,
    );
  }
  return value;
}

/** A URL path as the URL parser leaves it (percent-encoded); refused when it holds characters no parsed path has. */
export function assertPath(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || /[\u0000-\u0020\u007f"<>\\^`{|}]/.test(value) || /[^\u0000-\u007f]/.test(value)) {
    throw new FixInputError(`not a URL path: ${JSON.stringify(value)}`);
  }
  return value;
}

function refuseLoneSurrogates(value: string): void {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) throw new FixInputError('value holds a lone surrogate: not valid Unicode');
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** A JavaScript/TypeScript string literal (double quotes). */
export function jsString(value: string): string {
  refuseLoneSurrogates(value);
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A Python 3 string literal (double quotes), non-printable and non-ASCII characters escaped. */
export function pythonString(value: string): string {
  refuseLoneSurrogates(value);
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + '"';
}

/** A PHP single-quoted string: only `\` and `'` are special there, nothing is interpolated. */
export function phpString(value: string): string {
  refuseLoneSurrogates(value);
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** A Go interpreted string literal. */
export function goString(value: string): string {
  refuseLoneSurrogates(value);
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + '"';
}

/**
 * A Java string literal. Java turns `\uXXXX` into characters before it reads the source, so a line break or quote is
 * never written as a Unicode escape (it would end the literal): control characters use octal escapes.
 */
export function javaString(value: string): string {
  refuseLoneSurrogates(value);
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += `\\u${hex(code, 4)}`;
  }
  return out + '"';
}

/** A C# regular string literal. */
export function csharpString(value: string): string {
  refuseLoneSurrogates(value);
  let out = '"';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else out += `\\u${hex(code, 4)}`;
  }
  return out + '"';
}

/**
 * An nginx quoted string. `\` and `"` are escaped; nginx has no escape for `$` (it starts a variable), so each `$`
 * becomes `${cors_dollar}`, a variable that the generated config defines as a literal `$` (see NGINX_DOLLAR_GEO).
 * Control characters are refused: nothing captured and validated holds one.
 */
export function nginxString(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new FixInputError(`control character in ${JSON.stringify(value)}`);
  refuseLoneSurrogates(value);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$/g, '${cors_dollar}')}"`;
}

/** Defines `$cors_dollar` as a literal `$`; needed when an nginxString holds a `$`. Goes in the `http` block. */
export const NGINX_DOLLAR_GEO = 'geo $cors_dollar { default "$"; }';

/** True when the nginx config needs NGINX_DOLLAR_GEO. */
export function nginxNeedsDollar(values: readonly string[]): boolean {
  return values.some((v) => v.includes('$'));
}

/**
 * A Caddyfile quoted token. Caddy reads `{…}` as placeholders and has no escape for a lone backslash, so values with
 * braces, double quotes, backslashes or control characters are refused (no validated origin, header name or method has one).
 */
export function caddyString(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f"\\{}]/.test(value)) throw new FixInputError(`cannot be written in a Caddyfile: ${JSON.stringify(value)}`);
  refuseLoneSurrogates(value);
  return `"${value}"`;
}

/**
 * An Apache directive argument in double quotes, as a mod_headers value: `%` starts a format specifier there (written
 * `%%`), and quotes, backslashes (line continuation), `${` (define expansion) and control characters are refused.
 */
export function apacheHeaderValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f"\\]/.test(value) || value.includes('${')) {
    throw new FixInputError(`cannot be written in an Apache config: ${JSON.stringify(value)}`);
  }
  refuseLoneSurrogates(value);
  return `"${value.replace(/%/g, '%%')}"`;
}

/** A single-quoted string inside an Apache `<If>` expression (ap_expr): `\` and `'` escaped with a backslash. */
export function apacheExprString(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f"\\']/.test(value) || value.includes('%{') || value.includes('${')) {
    throw new FixInputError(`cannot be written in an Apache expression: ${JSON.stringify(value)}`);
  }
  return `'${value}'`;
}

/** A YAML/JSON-compatible double-quoted scalar (used for comments-free config values). */
export function jsonString(value: string): string {
  refuseLoneSurrogates(value);
  return JSON.stringify(value);
}
