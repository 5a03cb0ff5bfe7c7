/**
 * The engine on real captures of the failures beside textbook CORS: the lab's DevTools HAR of
 * test/lab/beside-scenarios.ts (test/fixtures/chromium/beside-cors-<date>.har, `npm run lab:capture:beside`), explained
 * by `explainHar`, compared request by request with what Chromium reported over CDP in the same run
 * (beside-cors-<date>.verdicts.json). No verdict is written down here: each expectation is read off Chromium's own
 * report for that request (see `browserDecision` and `browserFamily`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/engine/index.js';
import { explainHar, type ExchangeReport } from '../../src/lib/index.js';
import type { BrowserVerdict } from '../support/cors-oracle.js';
import type { VerdictsFile } from '../support/har-fixtures.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/chromium');
const capture = readdirSync(fixtures)
  .filter((f) => /^beside-cors-\d{4}-\d{2}-\d{2}\.har$/.test(f))
  .sort()
  .at(-1);

/** The CorsError names of Local Network Access (Chromium 142+). */
const LOCAL_NETWORK_ACCESS_ERRORS = new Set(['LocalNetworkAccessPermissionDenied', 'InsecureLocalNetwork', 'InvalidLocalNetworkAccess']);

/**
 * What Chromium decided, from what it reported: `allowed` when the load finished; `blocked` when it reported a CORS
 * error, a `blockedReason` (CSP, mixed content, DevTools, an extension, CORP/COEP), a `net::ERR_BLOCKED_BY_*` error,
 * or a DevTools issue saying it blocked the response (ORB on a no-cors fetch, which DevTools records as ERR_ABORTED);
 * otherwise the request died without the browser refusing it: `network-error` (connection refused/reset/empty, too
 * many redirects, an unsafe redirect, a manual redirect's next hop, a page abort).
 */
export function browserDecision(v: BrowserVerdict): 'allowed' | 'blocked' | 'network-error' {
  if (v.outcome === 'loaded') return 'allowed';
  if (v.outcome === 'blocked' || v.corsError) return 'blocked';
  if (v.blockedReason) return 'blocked';
  if (v.errorText?.startsWith('net::ERR_BLOCKED_BY_')) return 'blocked';
  if ((v.issues ?? []).some((i) => i.includes('ResponseWasBlockedByORB') && !i.endsWith('(warning)'))) return 'blocked';
  return 'network-error';
}

/** The family (BlockerFamily) Chromium's report points at, or null when nothing beside the CORS checks stopped it. */
export function browserFamily(v: BrowserVerdict): string | null {
  if (v.outcome === 'loaded') return null;
  if (v.corsError) {
    if (LOCAL_NETWORK_ACCESS_ERRORS.has(v.corsError)) return 'local-network-access';
    if (v.corsError === 'PreflightDisallowedRedirect') return 'redirect';
    return null; // a CORS check
  }
  switch (v.blockedReason) {
    case 'csp':
      return 'csp';
    case 'mixed-content':
      return 'mixed-content';
    case 'inspector':
      return 'devtools';
    case 'corp-not-same-origin':
    case 'corp-not-same-site':
      return 'corp';
    case 'corp-not-same-origin-after-defaulted-to-same-origin-by-coep':
      return 'coep';
  }
  const error = v.errorText ?? '';
  if (error === 'net::ERR_BLOCKED_BY_CLIENT') return 'extension';
  if (error === 'net::ERR_BLOCKED_BY_ORB' || (v.issues ?? []).some((i) => i.includes('ResponseWasBlockedByORB'))) return 'orb';
  if (/^net::ERR_(CONNECTION_(REFUSED|RESET|CLOSED)|EMPTY_RESPONSE)$/.test(error)) return 'network';
  if (error === 'net::ERR_TOO_MANY_REDIRECTS' || error === 'net::ERR_UNSAFE_REDIRECT') return 'redirect';
  if (error === 'net::ERR_ABORTED') return v.urls.length > 1 && v.statuses.some((s) => s >= 300 && s < 400) ? 'redirect' : 'aborted';
  return 'unrecognised';
}

interface Row {
  scenario: string;
  browser: BrowserVerdict | undefined;
  exchange: ExchangeReport | undefined;
}

function lineUp(exchanges: readonly ExchangeReport[], verdicts: VerdictsFile): { rows: Row[]; refusedBeforeAnyRequest: string[] } {
  const rows: Row[] = [];
  const refusedBeforeAnyRequest: string[] = [];
  for (const [scenario, { url }] of Object.entries(verdicts.scenarios)) {
    const browser = verdicts.verdicts[url] ?? [];
    const mine = exchanges.filter((e) => e.url === url);
    if (browser.length === 0 && mine.length === 0) {
      refusedBeforeAnyRequest.push(scenario);
      continue;
    }
    for (let i = 0; i < Math.max(browser.length, mine.length, 1); i++) {
      rows.push({ scenario: `${scenario}${browser.length > 1 ? `#${i + 1}` : ''}`, browser: browser[i], exchange: mine[i] });
    }
  }
  return { rows, refusedBeforeAnyRequest };
}

/** The CorsError the report names (on the failed check, or on the blocker for Local Network Access). */
const reportedCorsError = (e: ExchangeReport): string | null => e.failure?.chromeCorsError ?? e.blocker?.chromeCorsError ?? null;
/** The console line the report shows as Chrome's. */
const reportedConsoleLine = (e: ExchangeReport): string | null => e.failure?.consoleMessage ?? e.blocker?.consoleMessage ?? null;

/** Every way the report differs from Chromium for one request (empty when it agrees). */
export function differences(v: BrowserVerdict | undefined, e: ExchangeReport | undefined): string[] {
  if (!v) return ['no request in Chromium, but the report has an exchange'];
  if (!e) return ['no exchange in the report'];
  const out: string[] = [];
  const decision = browserDecision(v);
  if (e.verdict !== decision) out.push(`verdict ${e.verdict}, Chromium ${decision}`);

  const corsError = reportedCorsError(e);
  if (corsError !== (v.corsError ?? null)) out.push(`CorsError ${corsError ?? '(none)'}, Chromium ${v.corsError ?? '(none)'}`);
  if (e.failure && e.blocker?.chromeCorsError && e.failure.chromeCorsError !== e.blocker.chromeCorsError) {
    out.push(`the failure says ${e.failure.chromeCorsError}, the blocker ${e.blocker.chromeCorsError}`);
  }
  if (v.corsError && e.failure && e.failure.failedParameter !== (v.failedParameter ?? '')) {
    out.push(`failedParameter "${e.failure.failedParameter}", Chromium "${v.failedParameter ?? ''}"`);
  }
  if (!v.corsError && e.failure) out.push(`a failed CORS check (${e.failure.checkId}) Chromium did not report`);

  // The console: Chrome's own CORS line when it printed one; otherwise only a line Chrome printed for this request.
  const line = reportedConsoleLine(e);
  const chromeCorsLine = v.consoleMessages[0];
  if (chromeCorsLine !== undefined) {
    if (line !== chromeCorsLine) out.push(`console line ${JSON.stringify(line)}, Chrome printed ${JSON.stringify(chromeCorsLine)}`);
  } else if (line !== null && !(v.consoleLines ?? []).includes(line)) {
    out.push(`console line ${JSON.stringify(line)} that Chrome did not print for this request`);
  }

  const family = browserFamily(v);
  const named = e.blocker?.family ?? null;
  if (named !== family) out.push(`blocker ${named ?? '(none)'}, Chromium's report points at ${family ?? '(none: a CORS check or nothing)'}`);
  return out;
}

function said(e: ExchangeReport | undefined): string {
  if (!e) return '(no exchange)';
  return `${e.verdict} ${reportedCorsError(e) ?? ''} ${e.blocker ? `{${e.blocker.family}/${e.blocker.kind}}` : ''}`.trim();
}
function saw(v: BrowserVerdict | undefined): string {
  if (!v) return '(no request)';
  return `${browserDecision(v)} ${v.corsError ?? ''} ${v.errorText ?? ''} ${v.blockedReason ?? ''} -> ${browserFamily(v) ?? 'no blocker'}`.replace(/\s+/g, ' ');
}

describe.skipIf(capture === undefined)(`the engine on Chromium 156 captures beside textbook CORS (${capture})`, () => {
  const har: unknown = JSON.parse(readFileSync(join(fixtures, capture!), 'utf8'));
  const verdicts = JSON.parse(readFileSync(join(fixtures, capture!.replace(/\.har$/, '.verdicts.json')), 'utf8')) as VerdictsFile;
  const report = explainHar(har, {}, { evaluate: evaluateExchange });
  const { rows, refusedBeforeAnyRequest } = lineUp(report.exchanges, verdicts);

  it('every request: Chromium\'s verdict, its CorsError or none, its console line or none, and the family that stopped it', () => {
    const table = rows.map((r) => {
      const diffs = differences(r.browser, r.exchange);
      return `${diffs.length === 0 ? 'ok  ' : 'DIFF'} ${r.scenario.padEnd(32)} chromium: ${saw(r.browser).padEnd(70)} report: ${said(r.exchange)}${
        diffs.length ? `\n       ${diffs.join('\n       ')}` : ''
      }`;
    });
    const wrong = table.filter((l) => l.startsWith('DIFF')).length;
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(wrong, `${wrong} of ${rows.length} requests differ from Chromium\n${table.join('\n')}`).toBe(0);
  });

  it('covers every family beside CORS with at least one request Chromium stopped for it', () => {
    const families = new Set(rows.map((r) => (r.browser ? browserFamily(r.browser) : null)));
    for (const f of ['local-network-access', 'corp', 'coep', 'orb', 'csp', 'mixed-content', 'extension', 'devtools', 'redirect', 'network', 'aborted']) {
      expect(families.has(f), f).toBe(true);
    }
    // Nothing in the capture that the rules above cannot place (a new net error would need a decision here first).
    expect(rows.filter((r) => r.browser && browserFamily(r.browser) === 'unrecognised').map((r) => r.scenario)).toEqual([]);
  });

  it('a fetch the page\'s CSP refused before any request leaves no exchange (nothing to explain, nothing invented)', () => {
    // Chromium 156 makes no network request for a fetch refused by connect-src: no CDP event, no HAR entry.
    for (const id of refusedBeforeAnyRequest) {
      const token = verdicts.scenarios[id]!.token;
      expect(report.exchanges.filter((e) => e.url.includes(token))).toEqual([]);
    }
  });
});
