/**
 * The engine on real captures of the failures beside textbook CORS: the lab's DevTools HAR of
 * test/lab/beside-scenarios.ts (test/fixtures/chromium/beside-cors-<date>.har, `npm run lab:capture:beside`), explained
 * by `explainHar`, compared request by request with what Chromium reported over CDP in the same run
 * (beside-cors-<date>.verdicts.json). No verdict is written down here: each expectation is read off Chromium's own
 * report for that request (`browserDecision` and `browserFamily`, test/support/browser-decision.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import { explainHar, type ExchangeReport } from '../../src/lib/index.js';
import { besideCorsScenarios } from '../lab/beside-scenarios.js';
import { LOCAL_NETWORK_ACCESS_ERRORS, acceptedVerdicts, browserDecision, browserFamily } from '../support/browser-decision.js';
import type { BrowserVerdict } from '../support/cors-oracle.js';
import type { VerdictsFile } from '../support/har-fixtures.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/chromium');
const capture = readdirSync(fixtures)
  .filter((f) => /^beside-cors-\d{4}-\d{2}-\d{2}\.har$/.test(f))
  .sort()
  .at(-1);

interface Row {
  /** The scenario id, with `#n` when Chromium made several requests for it. */
  scenario: string;
  /** Whether the page made a no-cors load (`mode: 'no-cors'` in the scenario). */
  noCorsLoad: boolean;
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
      rows.push({
        scenario: `${scenario}${browser.length > 1 ? `#${i + 1}` : ''}`,
        noCorsLoad: besideCorsScenarios.find((s) => s.id === scenario)?.request.mode === 'no-cors',
        browser: browser[i],
        exchange: mine[i],
      });
    }
  }
  return { rows, refusedBeforeAnyRequest };
}

/** The CorsError the report names (on the failed check, or on the blocker for Local Network Access). */
const reportedCorsError = (e: ExchangeReport): string | null => e.failure?.chromeCorsError ?? e.blocker?.chromeCorsError ?? null;
/** The CorsErrors a report names as possible without claiming one (`blocker.values.possibleCorsErrors`). */
const candidates = (e: ExchangeReport): string[] =>
  (e.blocker?.values?.['possibleCorsErrors'] ?? '').split(/[,\s]+/).filter((name) => name !== '');
/** The console line the report shows as Chrome's. */
const reportedConsoleLine = (e: ExchangeReport): string | null => e.failure?.consoleMessage ?? e.blocker?.consoleMessage ?? null;

/** Every way the report differs from Chromium for one request (empty when it agrees). */
function differences(v: BrowserVerdict | undefined, e: ExchangeReport | undefined, noCorsLoad: boolean): string[] {
  if (!v) return ['no request in Chromium, but the report has an exchange'];
  if (!e) return ['no exchange in the report'];
  const out: string[] = [];
  const accepted = acceptedVerdicts(v, noCorsLoad);
  if (!accepted.includes(e.verdict)) out.push(`verdict ${e.verdict}, Chromium ${accepted.join(' (or ')}${accepted.length > 1 ? ')' : ''}`);

  const corsError = reportedCorsError(e);
  // Local Network Access kinds a HAR cannot tell apart (a denied permission and a wrong targetAddressSpace leave the
  // same entry) may be left open, as long as the report names Chromium's among the candidates and claims neither.
  const leftOpen = corsError === null && v.corsError !== null && LOCAL_NETWORK_ACCESS_ERRORS.has(v.corsError) && candidates(e).includes(v.corsError);
  if (corsError !== (v.corsError ?? null) && !leftOpen) {
    out.push(`CorsError ${corsError ?? '(none)'}${candidates(e).length ? ` (candidates ${candidates(e).join(', ')})` : ''}, Chromium ${v.corsError ?? '(none)'}`);
  }
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
    // With the CorsError left open no line can be Chrome's exact one: then the report shows none.
    if (line !== chromeCorsLine && !(leftOpen && line === null)) out.push(`console line ${JSON.stringify(line)}, Chrome printed ${JSON.stringify(chromeCorsLine)}`);
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
      const diffs = differences(r.browser, r.exchange, r.noCorsLoad);
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
