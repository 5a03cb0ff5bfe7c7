/**
 * Cross-Origin-Resource-Policy and the page's Cross-Origin-Embedder-Policy: not CORS. They apply to no-cors loads
 * (images, scripts, `fetch(…, {mode: 'no-cors'})`); Chromium refuses the response after it arrived and records
 * `net::ERR_BLOCKED_BY_RESPONSE.<reason>` with the real status and headers (../shared/research/beside-cors.md §2).
 */
import type { BlockerFinding } from '../../model/exchange.js';
import { responseHeader, type BlockerSignals } from './signals.js';

const BLOCKED_BY_RESPONSE = 'net::ERR_BLOCKED_BY_RESPONSE';

/** Chromium's `ERR_BLOCKED_BY_RESPONSE` reasons → family and kind. */
const REASONS: Readonly<Record<string, { family: 'corp' | 'coep'; kind: string }>> = {
  NotSameOrigin: { family: 'corp', kind: 'not-same-origin' },
  NotSameSite: { family: 'corp', kind: 'not-same-site' },
  NotSameOriginAfterDefaultedToSameOriginByCoep: { family: 'coep', kind: 'require-corp' },
  NotSameOriginAfterDefaultedToSameOriginByDip: { family: 'coep', kind: 'document-isolation-policy' },
  NotSameOriginAfterDefaultedToSameOriginByCoepAndDip: { family: 'coep', kind: 'require-corp' },
  CoepFrameResourceNeedsCoepHeader: { family: 'coep', kind: 'frame-needs-coep' },
  CoopSandboxedIFrameCannotNavigateToCoopPage: { family: 'coep', kind: 'coop-sandboxed-frame' },
};

export function detectCrossOriginResourcePolicy(s: BlockerSignals): BlockerFinding | undefined {
  const error = s.netError;
  if (error === undefined || !error.startsWith(`${BLOCKED_BY_RESPONSE}.`)) return undefined;
  const reason = REASONS[error.slice(BLOCKED_BY_RESPONSE.length + 1)];
  if (reason === undefined) return undefined;
  const values: Record<string, string> = { url: s.url };
  const corp = responseHeader(s.hop, 'cross-origin-resource-policy');
  values.corp = corp ?? '(absent)';
  if (s.pageOrigin !== undefined) values.pageOrigin = s.pageOrigin;
  if (reason.family === 'coep') values.coep = s.page?.coep ?? 'require-corp';
  const finding: BlockerFinding = { family: reason.family, kind: reason.kind, netError: error, hop: s.hopIndex, values };
  if (reason.family === 'coep' && s.page?.coep === undefined) {
    finding.missing = ['the page’s Cross-Origin-Embedder-Policy header: its document entry is not in the capture (Chromium’s error names require-corp)'];
  }
  return finding;
}
