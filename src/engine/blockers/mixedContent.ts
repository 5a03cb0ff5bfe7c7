/**
 * Mixed content: an https page requesting a plain-http (or ws:) URL that is not potentially trustworthy. Chromium
 * blocks it before it leaves; DevTools records status 0 and an empty `_error` (../shared/research/beside-cors.md §4).
 * `http://localhost` and loopback literals are potentially trustworthy and never mixed content; requests to a local
 * address go through Local Network Access instead (which fails with `net::ERR_FAILED`).
 */
import type { BlockerFinding } from '../../model/exchange.js';
import { isPotentiallyTrustworthyUrl } from './addressSpace.js';
import type { BlockerSignals } from './signals.js';

function schemeOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

export function detectMixedContent(s: BlockerSignals): BlockerFinding | undefined {
  if (s.status !== 0 || s.responseHeaderCount !== 0 || (s.netError !== '' && s.netError !== undefined)) return undefined;
  if (s.pageUrl === undefined || schemeOf(s.pageUrl) !== 'https:') return undefined;
  const scheme = schemeOf(s.url);
  if ((scheme !== 'http:' && scheme !== 'ws:') || isPotentiallyTrustworthyUrl(s.url)) return undefined;
  const finding: BlockerFinding = { family: 'mixed-content', kind: 'blocked', netError: s.netError ?? '', hop: s.hopIndex, values: { url: s.url, pageUrl: s.pageUrl } };
  if (s.page === undefined || !s.page.documentCaptured) {
    finding.missing = [
      'the page’s document entry: without it its full URL is unknown (its origin stands for it), and whether its Content-Security-Policy refused the URL first (an https page’s request to plain http is refused as mixed content otherwise)',
    ];
  }
  return finding;
}
