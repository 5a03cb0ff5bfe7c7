/**
 * The browser is the oracle: Chromium runs every lab scenario once, and the servers of ./scenarios.ts beside them (CDP
 * records its own verdict, CorsError, failed parameter and console line), then `checkCors` sends the same request to
 * the same live lab servers, and must reach the same verdict, the same CorsError and failed parameter, and print the
 * console line Chromium printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect, openLab, recordVerdicts, runAllScenarios, type PageScenarioResult } from '../support/lab-run.js';
import type { BrowserVerdict, CorsOracle } from '../support/cors-oracle.js';
import { startLab, type Lab } from '../lab/server.js';
import { scenarios as labScenarios, type LabScenario } from '../lab/scenarios.js';
import { checkScenarios } from './scenarios.js';
import { checkCors, type CheckCorsOptions } from '../../src/check/checkCors.js';
import type { CheckKind } from '../../src/check/buildRequest.js';

/** Scenarios a server check cannot express, with the reason. Everything else is checked. */
const NOT_EXPRESSIBLE: Readonly<Record<string, string>> = {
  'mode-same-origin-to-api':
    'the page’s own fetch mode ("same-origin") refuses the URL before any request leaves the browser: there is no server answer to check',
};

const KINDS: Readonly<Partial<Record<LabScenario['request']['api'], CheckKind>>> = {
  fetch: 'fetch',
  xhr: 'xhr',
  font: 'font',
  img: 'image',
  'module-script': 'script',
  script: 'script',
};

/** The check kind of a lab request (the WebSocket scenario beside CORS has none: it is no CORS request). */
function kindOf(api: LabScenario['request']['api']): CheckKind {
  const kind = KINDS[api];
  if (kind === undefined) throw new Error(`no check kind for the lab API ${api}`);
  return kind;
}

/** The lab request as `check` options: a sandboxed iframe's opaque origin is `--origin null`; every request is sent. */
function checkOptions(scenario: LabScenario, url: string, lab: Lab): CheckCorsOptions {
  const request = scenario.request;
  const options: CheckCorsOptions = {
    url,
    origin: request.initiator === 'sandboxed-iframe' ? 'null' : lab.pageOrigin,
    method: request.method,
    headers: request.headers,
    credentials: request.credentials === 'include',
    kind: kindOf(request.api),
    // The lab servers change nothing: send the actual request of every method, as the page did.
    send: true,
    env: {},
  };
  if (request.body) {
    options.contentType = request.body.mimeType;
    options.body = request.body.text;
  }
  return options;
}

const scenarios: readonly LabScenario[] = [...labScenarios, ...checkScenarios];

let lab: Lab;
let chromium: LaunchedChromium;
let browser: Browser;
let oracle: CorsOracle;
let pageResults: PageScenarioResult[];
/** How many requests the servers had received when Chromium was done. */
let browserRequestCount = 0;

/** The parts of a request the CORS decision depends on, as a server received it. */
function wireSummary(entry: Lab['requests'][number]): string[] {
  const h = (name: string) => {
    const value = entry.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '-');
  };
  return [
    entry.method,
    new URL(entry.url).pathname,
    h('origin'),
    h('access-control-request-method'),
    h('access-control-request-headers'),
    h('sec-fetch-mode'),
    h('sec-fetch-site'),
    h('sec-fetch-dest'),
    h('content-type'),
  ];
}

beforeAll(async () => {
  lab = await startLab({ scenarios });
  chromium = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  const connected = await connect(chromium);
  browser = connected.browser;
  oracle = await recordVerdicts(connected);
  await openLab(connected.page, lab);
  pageResults = await runAllScenarios(connected.page, oracle);
  browserRequestCount = lab.requests.length;
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await chromium?.close();
  await lab?.stop();
});

describe('cors-lens check agrees with Chromium on every lab scenario', () => {
  it('lists what it skips, and only scenarios that exist', () => {
    for (const id of Object.keys(NOT_EXPRESSIBLE)) expect(scenarios.some((s) => s.id === id), id).toBe(true);
    expect(labScenarios.length - Object.keys(NOT_EXPRESSIBLE).length).toBeGreaterThanOrEqual(40);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });

  it('gives Chromium’s verdict, CorsError, failed parameter and console line', async () => {
    const rows: string[] = [];
    const mismatches: string[] = [];
    let consoleLinesCompared = 0;
    let requestsCompared = 0;
    for (const scenario of scenarios) {
      if (NOT_EXPRESSIBLE[scenario.id] !== undefined) continue;
      const run = pageResults.find((r) => r.id === scenario.id);
      expect(run, scenario.id).toBeDefined();
      const verdicts: BrowserVerdict[] = oracle.verdictsFor(run!.token);
      expect(verdicts.length, `${scenario.id}: Chromium recorded the request`).toBeGreaterThan(0);
      // The first request the page made (a repeated request reuses the preflight cache, which check never has).
      const chrome = verdicts[0]!;
      expect(['loaded', 'blocked', 'failed'], `${scenario.id}: Chromium ${chrome.outcome} (${chrome.errorText})`).toContain(chrome.outcome);

      // The very URL the page asked for: the console lines then compare word for word.
      const before = lab.requests.length;
      const result = await checkCors(checkOptions(scenario, run!.url, lab));
      // What reached the servers: check's requests must carry what Chromium's carried (the preflight's
      // Access-Control-Request-* pair, Origin, Sec-Fetch-*), in the same order.
      const token = `=${encodeURIComponent(run!.token)}`;
      const fromCheck = lab.requests.slice(before).filter((r) => r.url.endsWith(token)).map(wireSummary);
      const fromChromium = lab.requests.slice(0, browserRequestCount).filter((r) => r.url.endsWith(token)).map(wireSummary);
      requestsCompared += fromCheck.length;
      if (JSON.stringify(fromCheck) !== JSON.stringify(fromChromium.slice(0, fromCheck.length)) || fromCheck.length === 0) {
        mismatches.push(`${scenario.id}: requests differ\n  chromium: ${JSON.stringify(fromChromium)}\n  check:    ${JSON.stringify(fromCheck)}`);
      }
      const ours = result.report;
      // A request Chromium failed without a CORS error (too many redirects, a dead connection) is a network error.
      const expected =
        chrome.outcome === 'loaded' ? 'allowed' : chrome.outcome === 'failed' ? `network-error ${chrome.errorText}` : `blocked ${chrome.corsError} [${chrome.failedParameter}]`;
      // The net error as the report states it: the failing check's note, or the "not really CORS" reading.
      const netError = ours.checks.find((c) => c.status === 'fail')?.note ?? /net::ERR_[A-Z_]+/.exec(ours.notReallyCors?.message ?? '')?.[0];
      const got =
        ours.verdict === 'blocked'
          ? `blocked ${ours.failure?.chromeCorsError} [${ours.failure?.failedParameter}]`
          : ours.verdict === 'network-error'
            ? `network-error ${netError}`
            : ours.verdict;
      rows.push(`${scenario.id}: chromium ${expected}, check ${got}`);
      if (expected !== got) mismatches.push(`${scenario.id}: Chromium ${expected}, check ${got}`);
      if (ours.failure !== null && chrome.consoleMessages.length > 0) {
        consoleLinesCompared++;
        if (!chrome.consoleMessages.includes(ours.failure.consoleMessage)) {
          mismatches.push(`${scenario.id}: console line differs\n  chromium: ${chrome.consoleMessages.join('\n            ')}\n  check:    ${ours.failure.consoleMessage}`);
        }
      }
    }
    expect(mismatches, rows.join('\n')).toEqual([]);
    // Chromium printed a console line for most blocked scenarios; each was compared.
    expect(consoleLinesCompared).toBeGreaterThanOrEqual(20);
    expect(requestsCompared).toBeGreaterThanOrEqual(scenarios.length);
  }, 120_000);
});
