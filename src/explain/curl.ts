/**
 * "Copy as curl" for one exchange: the preflight the browser sent (or would send) and the actual request, both with
 * the page's real Origin, so the server's answer can be checked from a terminal.
 *
 * Every value is a POSIX single-quoted word: `'` becomes `'\''`, nothing else is special inside single quotes, so a
 * hostile header value or URL cannot end the word (`$(…)`, backticks, `!`, globs and braces stay literal). Control and
 * bidi characters are replaced by U+FFFD so a pasted command reads the way it runs. curl itself is told not to read
 * anything in a value as its own syntax: `--globoff` (a captured `?filter[status]=open` is sent as it is, and
 * `[1-100000]` does not become 100,000 requests), `--url` for a URL that starts with `-`, and no `-H` word that starts
 * with `@` (curl would read headers from that file): only header names that are HTTP tokens are copied.
 */
import { corsUnsafeRequestHeaderNames } from '../engine/requestClassification.js';
import type { ExchangeReport } from './report.js';

/** Quotes one word for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${visible(value).replace(/'/g, `'\\''`)}'`;
}

// C0 controls except tab, DEL, C1 controls, and the Unicode bidi/isolate controls and line/paragraph separators.
const INVISIBLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function visible(value: string): string {
  return value.replace(INVISIBLE, '\ufffd');
}

/** Request headers the browser or curl sets itself, or that would change what curl prints. */
/** An HTTP token (RFC 9110 `tchar`s): what a browser can send as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const LEFT_TO_CURL = new Set(['host', 'content-length', 'connection', 'origin', 'accept-encoding', 'keep-alive', 'te', 'upgrade']);

function originOf(report: ExchangeReport): string | undefined {
  if (report.initiatorOrigin) return report.initiatorOrigin;
  const header = report.requestHeaders.find(([name]) => name.toLowerCase() === 'origin');
  return header?.[1];
}

function urlWord(url: string): string {
  // A URL that looks like an option must not be read as one.
  return url.startsWith('-') ? `--url ${shellQuote(url)}` : shellQuote(url);
}

function join(parts: string[]): string {
  return parts.join(' \\\n  ');
}

/** The OPTIONS request the browser sends before the actual one, with its Origin and Access-Control-Request-* headers. */
export function curlForPreflight(report: ExchangeReport): string {
  const origin = originOf(report);
  const method = report.preflight?.requestMethod ?? report.method;
  // The captured preflight's own list when there is one; else the names the browser would have listed.
  const headerNames =
    report.preflight?.requestHeaders ?? corsUnsafeRequestHeaderNames(report.requestHeaders, report.rules, { fromCapture: true });
  const parts = ['curl --globoff -i -X OPTIONS', urlWord(report.url)];
  if (origin !== undefined) parts.push(`-H ${shellQuote(`Origin: ${origin}`)}`);
  parts.push(`-H ${shellQuote(`Access-Control-Request-Method: ${method}`)}`);
  if (headerNames.length > 0) parts.push(`-H ${shellQuote(`Access-Control-Request-Headers: ${headerNames.join(',')}`)}`);
  return join(parts);
}

/** The actual request with its captured headers and the page's real Origin. The body is not in the report. */
export function curlForActual(report: ExchangeReport): string {
  const origin = originOf(report);
  const parts = ['curl --globoff -i'];
  if (report.method !== 'GET') parts.push(`-X ${shellQuote(report.method)}`);
  parts.push(urlWord(report.url));
  if (origin !== undefined) parts.push(`-H ${shellQuote(`Origin: ${origin}`)}`);
  for (const [name, value] of report.requestHeaders) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || LEFT_TO_CURL.has(lower)) continue;
    // curl drops a header given as `Name:`; `Name;` sends it empty.
    parts.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  return join(parts);
}
