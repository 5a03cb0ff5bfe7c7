/**
 * An engine `BlockerFinding` in words (`BlockerReport`): the family's texts (blockerTexts.ts) filled with this
 * request's values, and Chrome's console line only where Chrome's words for it are known and every value in them is.
 */
import type { BlockerFinding, CapturedExchange, EngineResult, NotReallyCors } from '../model/exchange.js';
import { CSP_CONSOLE, blockerTextFor } from './blockerTexts.js';
import { CHROME_KIND_WORDS, fillTemplate } from './checkTexts.js';
import type { BlockerReport } from './report.js';

const UNFILLED = /\{[a-z]+\}/;

function textValues(exchange: CapturedExchange, finding: BlockerFinding): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(finding.values)) values[key.toLowerCase()] = value;
  const first = exchange.hops[0]?.request.url;
  const url = values.url ?? exchange.hops[finding.hop]?.request.url ?? first ?? '';
  values.url = url;
  values.kindword = CHROME_KIND_WORDS[exchange.kind] ?? 'resource';
  values.mixedword = exchange.kind === 'xhr' ? 'XMLHttpRequest endpoint' : 'resource';
  if (exchange.initiatorOrigin !== undefined) values.origin = exchange.initiatorOrigin;
  values.redirected = finding.hop > 0 && first !== undefined && first !== url ? `(redirected from '${first}') ` : '';
  if (finding.netError !== undefined && finding.netError !== '') values.neterror = finding.netError;
  const onPreflight = values.failedrequest === 'preflight' || values.blockedrequest === 'preflight';
  values.onpreflight = onPreflight ? ' (on its preflight, the OPTIONS request)' : '';
  values.tolocation = values.location !== undefined ? ` to ${values.location}` : '';
  const afterHeaders = values.received === 'headers';
  values.afterheaders = afterHeaders ? ' after the response headers arrived' : '';
  values.afterheadersexplained = afterHeaders ? ` (status ${values.status ?? '?'} and its headers had arrived, so the CORS headers may even be right)` : '';
  values.afterheadersshort = afterHeaders ? ', after the headers arrived' : '';
  values.ortargetspace =
    finding.family === 'local-network-access' && finding.chromeCorsError === undefined
      ? '; or the page passed fetch(url, { targetAddressSpace }) with another space than the server is in (Chrome then reports InvalidLocalNetworkAccess; the capture cannot tell the two apart)'
      : '';
  const answered = values.status !== undefined && values.status !== '0';
  values.wsstatus = answered ? ` (${values.status})` : '';
  values.wsanswer = answered ? `it answered ${values.status}` : 'no answer is recorded';
  values.pageurl ??= values.pageorigin ?? '(the page)';
  values.pageorigin ??= exchange.initiatorOrigin ?? '(the page’s origin)';
  return values;
}

/** Chrome's line, or null where Chrome prints none or a value it names is not in the capture. */
function consoleLine(template: string | null, exchange: CapturedExchange, finding: BlockerFinding, values: Record<string, string>, result: EngineResult): string | null {
  if (finding.kind === 'preflight-redirect') return result.failure?.consoleMessage ?? null;
  if (finding.family === 'local-network-access' && (finding.chromeCorsError === undefined || values.targetspace === 'unknown' || values.origin === undefined)) return null;
  if (finding.family === 'csp' && finding.kind === 'request') {
    const csp = CSP_CONSOLE[exchange.kind];
    return csp === undefined || values.directive !== values.effectivedirective ? null : fillTemplate(csp, values);
  }
  if (template === null) return null;
  if (values.failedrequest === 'preflight' || values.blockedrequest === 'preflight') return null;
  if (finding.family === 'mixed-content' && exchange.page?.documentCaptured !== true) return null;
  const line = fillTemplate(template, values);
  return UNFILLED.test(line) ? null : line;
}

export function blockerReportOf(exchange: CapturedExchange, result: EngineResult): BlockerReport | null {
  const finding = result.blocker;
  if (finding === undefined) return null;
  const text = blockerTextFor(finding.family, finding.kind);
  const values = textValues(exchange, finding);
  const report: BlockerReport = {
    family: finding.family,
    kind: finding.kind,
    badge: text.badge,
    headline: fillTemplate(text.headline, values),
    explanation: fillTemplate(text.explanation, values),
    consoleMessage: consoleLine(text.console, exchange, finding, values, result),
    fixHint: fillTemplate(text.fix, values),
    fixSide: text.fixSide,
    values: { ...finding.values },
  };
  if (finding.netError !== undefined) report.netError = finding.netError;
  if (finding.chromeCorsError !== undefined) report.chromeCorsError = finding.chromeCorsError;
  return report;
}

/** The "not really CORS" reading a blocker gives, for the surfaces that show that line. */
export function notReallyCorsOf(blocker: BlockerReport): NotReallyCors {
  const kind = blocker.family === 'network' || blocker.family === 'aborted' ? 'network-failure' : blocker.family === 'redirect' ? 'unexpected-redirect' : 'blocked-beside-cors';
  return { kind, message: `${blocker.headline} ${blocker.explanation}` };
}
