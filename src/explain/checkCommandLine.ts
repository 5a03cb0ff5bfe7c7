/**
 * "Copy as cors-lens check": the `cors-lens check` command that re-sends one exchange's request (its URL, the page's
 * origin, method, the headers the page set, credentials and kind) and expects it allowed, so the request being debugged
 * can be re-checked from a terminal after the server changes. Every word is POSIX single-quoted (`shellQuote`): a
 * hostile header value or URL cannot end the word.
 */
import { isForbiddenRequestHeader } from '../engine/requestClassification.js';
import { shellQuote } from './curl.js';
import type { ExchangeReport } from './report.js';

/** Headers a capture shows that the browser adds itself (check adds its own), beside the forbidden ones. */
const ADDED_BY_THE_BROWSER = new Set(['priority', 'accept-language', 'user-agent']);
const KIND_OPTIONS: Readonly<Partial<Record<ExchangeReport['kind'], string>>> = { xhr: 'xhr', font: 'font', image: 'image', script: 'script' };
/** What `--origin` gets when the capture does not name the page's origin: `check` refuses it and says why. */
export const UNKNOWN_ORIGIN_PLACEHOLDER = 'PAGE-ORIGIN';

function originOf(report: ExchangeReport): string {
  if (report.initiatorOrigin !== null) return report.initiatorOrigin;
  const header = report.requestHeaders.find(([name]) => name.toLowerCase() === 'origin');
  return header?.[1] ?? UNKNOWN_ORIGIN_PLACEHOLDER;
}

function withCredentials(report: ExchangeReport): boolean {
  const assumed = report.assumptions.find((a) => a.about === 'credentials');
  if (assumed !== undefined) return assumed.value === 'include';
  return !report.requestHeadersProvisional && report.requestHeaders.some(([name]) => name.toLowerCase() === 'cookie');
}

/** The command line, one option per line joined with ` \` continuations. */
export function corsLensCheckCommand(report: ExchangeReport): string {
  const parts = ['cors-lens check', shellQuote(report.url), `--origin ${shellQuote(originOf(report))}`];
  if (report.method !== 'GET') parts.push(`--method ${shellQuote(report.method)}`);
  const kind = KIND_OPTIONS[report.kind];
  // A font, image or script load carries no header set by script: what the capture shows is the browser's.
  const scriptHeaders = kind === undefined || kind === 'xhr' ? report.requestHeaders : [];
  for (const [name, value] of scriptHeaders) {
    const lower = name.toLowerCase();
    if (isForbiddenRequestHeader(name, value, report.rules) || ADDED_BY_THE_BROWSER.has(lower)) continue;
    if (lower === 'accept' && value === '*/*') continue;
    if (lower === 'content-type') parts.push(`--content-type ${shellQuote(value)}`);
    else parts.push(`--header ${shellQuote(`${name}: ${value}`)}`);
  }
  if (withCredentials(report) && kind !== 'font') parts.push('--credentials');
  if (kind !== undefined) parts.push(`--kind ${kind}`);
  parts.push('--expect allowed');
  return parts.join(' \\\n  ');
}
