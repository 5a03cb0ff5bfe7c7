/**
 * Proof that the generated fixes work: each blocked lab request the server can fix is first replayed against the lab's
 * broken API (Chromium must block it), then against the runnable example each stack's generator wrote for it, started
 * with the example's own command on this machine. Chromium must then let the page read the response, as CDP and the
 * page itself report. The verified marks in src/fixes/verified.ts must name exactly the stacks proven here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect, recordVerdicts } from '../support/lab-run.js';
import type { CorsOracle } from '../support/cors-oracle.js';
import { startLab, type Lab } from '../lab/server.js';
import { scenarios, type LabRequest, type LabScenario } from '../lab/scenarios.js';
import { blockedReport } from './reports.js';
import { RUNTIMES, freePort, startExample } from './runtimes.js';
import { generateFix, policyFromReport } from '../../src/fixes/index.js';
import { VERIFIED_BY_SUITE } from '../../src/fixes/verified.js';
import type { CorsPolicy, ServerId } from '../../src/fixes/model.js';
import type { ChromeCorsError } from '../../src/model/exchange.js';

/**
 * Blocked single-hop lab requests made by fetch or XHR: a server config can make each pass. (A request whose page
 * sets a mode that forbids other origins is no server's to fix, and is not named `fail-`.)
 */
const FIXABLE: readonly LabScenario[] = scenarios.filter(
  (s) => s.id.startsWith('fail-') && s.hops.length === 1 && (s.request.api === 'fetch' || s.request.api === 'xhr') && s.request.mode === undefined,
);

interface PageResult {
  ok?: boolean;
  status?: number;
  body?: string;
  error?: string;
}

/** Sends `request` from the page the way the lab page does, and reports what script saw. */
function replay(page: Page, request: LabRequest, url: string): Promise<PageResult> {
  return page.evaluate(
    async ({ request, url }) => {
      const headers: [string, string][] = request.headers.map(([n, v]) => [n, v]);
      if (request.body && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', request.body.mimeType]);
      if (request.api === 'xhr') {
        return await new Promise<PageResult>((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open(request.method, url);
          xhr.withCredentials = request.credentials === 'include';
          for (const [n, v] of headers) xhr.setRequestHeader(n, v);
          xhr.onload = () => resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body: xhr.responseText });
          xhr.onerror = () => resolve({ error: 'xhr error event' });
          xhr.send(request.body ? request.body.text : null);
        });
      }
      try {
        const init: RequestInit = { method: request.method, headers, credentials: request.credentials };
        if (request.body) init.body = request.body.text;
        const response = await fetch(url, init);
        return { ok: response.ok, status: response.status, body: await response.text() };
      } catch (e) {
        return { error: String(e) };
      }
    },
    { request, url },
  );
}

let lab: Lab;
let chromium: LaunchedChromium;
let browser: Browser;
let page: Page;
let oracle: CorsOracle;
let replayCount = 0;

/** Replays and waits for Chromium's own verdict on that request. */
async function replayAndJudge(request: LabRequest, baseUrl: string) {
  const marker = `cors-fix-proof-${++replayCount}`;
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${marker}=1`;
  const result = await replay(page, request, url);
  await oracle.settled(marker);
  const verdicts = oracle.verdictsFor(marker);
  return { url, result, verdict: verdicts[verdicts.length - 1] };
}

/** One policy per blocked scenario, derived from the report of the real blocked run. */
const policies = new Map<string, { scenario: LabScenario; policy: CorsPolicy }>();
const proven = new Set<ServerId>();
/** Stack + scenario pairs a generator declared it cannot serve, each checked against the real server. */
const limited = new Set<string>();


/**
 * Scenarios whose policies differ only in the path get the same config; the servers are started for one of each (the
 * first), which keeps the suite within a few minutes.
 */
function representatives(): { scenario: LabScenario; policy: CorsPolicy }[] {
  const byRequest = new Map<string, { scenario: LabScenario; policy: CorsPolicy }>();
  for (const entry of policies.values()) {
    // Same policy apart from the path means the same generated config: one run proves both.
    const key = JSON.stringify({ ...entry.policy, path: '', reasons: [] });
    if (!byRequest.has(key)) byRequest.set(key, entry);
  }
  return [...byRequest.values()];
}

/** At most this many stacks start servers at once (two cores, and Chromium). */
const stackSlots = (() => {
  let free = 3;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r))),
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
})();

let blockedRunsDone: Promise<void> | undefined;
/** Replays every fixable request against the broken lab API once, asserts Chromium blocks it, and derives its policy. */
function blockedRuns(): Promise<void> {
  blockedRunsDone ??= (async () => {
    for (const scenario of FIXABLE) {
      const base = `${lab.apiOrigin}/s/${scenario.id}`;
      const before = lab.requests.length;
      const { url, result, verdict } = await replayAndJudge(scenario.request, base);
      expect(verdict?.outcome, scenario.id).toBe('blocked');
      expect(result.error ?? (result.ok === false ? 'not ok' : undefined), scenario.id).toBeDefined();
      const query = url.slice(url.indexOf('?'));
      const preflightSeen = lab.requests.slice(before).find((r) => r.method === 'OPTIONS' && r.url.endsWith(query));
      const acrh = preflightSeen?.headers['access-control-request-headers'];
      const report = blockedReport(scenario.request, {
        origin: lab.pageOrigin,
        url,
        corsError: verdict!.corsError as ChromeCorsError,
        failedParameter: verdict!.failedParameter ?? '',
        ...(preflightSeen
          ? {
              preflight: {
                requestMethod: String(preflightSeen.headers['access-control-request-method'] ?? ''),
                requestHeaders: typeof acrh === 'string' ? acrh.split(',').map((h) => h.trim()) : [],
                status: preflightSeen.status,
              },
            }
          : {}),
      });
      policies.set(scenario.id, { scenario, policy: policyFromReport(report) });
    }
  })();
  return blockedRunsDone;
}

beforeAll(async () => {
  lab = await startLab({ scenarios: FIXABLE });
  chromium = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  const connected = await connect(chromium);
  browser = connected.browser;
  page = connected.page;
  oracle = await recordVerdicts(connected);
  await page.goto(lab.pageUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await chromium?.close();
  await lab?.stop();
});

describe('generated fixes, proven in Chromium against real servers', () => {
  it('every fixable lab request is blocked by the unfixed server, and yields a policy', async () => {
    expect(FIXABLE.length).toBeGreaterThan(10);
    await blockedRuns();
    expect(policies.size).toBe(FIXABLE.length);
  }, 120_000);

  for (const server of Object.keys(RUNTIMES) as ServerId[]) {
    const runtime = RUNTIMES[server]!;
    // Stacks run side by side (each starts its examples one after the other), a few at a time.
    it.concurrent(`${server}: the generated example lets Chromium read every fixed response`, async () => {
      const missing = runtime.missing();
      expect(missing, `${server} cannot run here; scripts/setup.sh installs it`).toBeNull();
      await blockedRuns();
      expect(policies.size).toBe(FIXABLE.length);
      await stackSlots.acquire();
      try {
        for (const { scenario, policy } of representatives()) {
          const port = await freePort();
          const fix = generateFix(server, policy, { port });
          const running = await startExample(runtime, fix, port);
          try {
            const base = `http://127.0.0.1:${port}${policy.path}`;
            const { result, verdict } = await replayAndJudge(scenario.request, base);
            const context = `${server} / ${scenario.id} ${base} ${JSON.stringify(result)}\n${running.output().slice(-1500)}`;
            if (fix.limitation !== undefined) {
              // The stack says it cannot serve this request as sent (e.g. `patch` rejected by its HTTP parser): the
              // claim holds only if the real server indeed still fails it, and only for a non-upper-case method.
              expect(policy.methods.some((m) => m !== m.toUpperCase()), context).toBe(true);
              expect(verdict?.outcome !== 'loaded' || result.ok !== true, context).toBe(true);
              limited.add(`${server} ${scenario.id}`);
              continue;
            }
            expect(verdict?.corsError ?? null, context).toBeNull();
            expect(verdict?.outcome, context).toBe('loaded');
            expect(result, context).toMatchObject({ ok: true });
            expect(JSON.parse(result.body ?? '{}'), context).toEqual({ ok: true });

            // Error responses carry the headers too: another path answers 404 with Allow-Origin for the page.
            const notFound = await fetch(`http://127.0.0.1:${port}/cors-lens-no-such-path`, { headers: { Origin: lab.pageOrigin } });
            expect(notFound.status, context).toBe(404);
            expect(notFound.headers.get('access-control-allow-origin'), context).toBe(lab.pageOrigin);
            // Another origin is never allowed.
            const stranger = await fetch(base, { headers: { Origin: 'http://evil.example' } });
            expect(stranger.headers.get('access-control-allow-origin'), context).toBeNull();
          } finally {
            await running.stop();
          }
        }
      } finally {
        stackSlots.release();
      }
      proven.add(server);
    }, 400_000);
  }

  it('the "verified" marks name exactly the stacks proven above', () => {
    const marked = (Object.keys(VERIFIED_BY_SUITE) as ServerId[]).filter((s) => VERIFIED_BY_SUITE[s]).sort();
    expect([...proven].sort()).toEqual(marked);
  });

  it('only the lower-case method is declared unservable, and only by stacks whose parser rejects it', () => {
    for (const entry of limited) expect(entry).toMatch(/^(express|express-plain|nginx|php|fastapi) fail-method-case-patch$/);
  });
});
