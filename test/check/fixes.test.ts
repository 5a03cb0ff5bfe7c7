/**
 * From diagnosis to verified fix, without a browser: `check` judges each fixable lab request against the broken lab
 * API (blocked), the fix generator turns that report into a server config, the stack's runnable example is started with
 * its own command (as test/fixes/proof.test.ts, which proves the same examples in Chromium), and `check` against it
 * says allowed. Express, Flask, Nginx and PHP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab/server.js';
import { scenarios, type LabScenario } from '../lab/scenarios.js';
import { RUNTIMES, freePort, startExample } from '../fixes/runtimes.js';
import { generateFix, policyFromReport } from '../../src/fixes/index.js';
import type { CorsPolicy, ServerId } from '../../src/fixes/model.js';
import { checkCors, type CheckCorsOptions } from '../../src/check/checkCors.js';

/** Blocked single-hop fetch/XHR lab requests a server config can fix (the set test/fixes/proof.test.ts proves). */
const FIXABLE: readonly LabScenario[] = scenarios.filter(
  (s) => s.id.startsWith('fail-') && s.hops.length === 1 && (s.request.api === 'fetch' || s.request.api === 'xhr') && s.request.mode === undefined,
);
const STACKS: readonly ServerId[] = ['express', 'flask', 'nginx', 'php'];

function optionsFor(scenario: LabScenario, url: string, origin: string): CheckCorsOptions {
  const r = scenario.request;
  const options: CheckCorsOptions = {
    url,
    origin,
    method: r.method,
    headers: r.headers,
    credentials: r.credentials === 'include',
    kind: r.api === 'xhr' ? 'xhr' : 'fetch',
    send: true,
    env: {},
  };
  if (r.body) {
    options.contentType = r.body.mimeType;
    options.body = r.body.text;
  }
  return options;
}

let lab: Lab;
/** One scenario per distinct policy (policies that differ only in the path give the same config). */
const representatives: { scenario: LabScenario; policy: CorsPolicy }[] = [];

beforeAll(async () => {
  lab = await startLab({ scenarios: FIXABLE });
  const seen = new Set<string>();
  for (const scenario of FIXABLE) {
    const result = await checkCors(optionsFor(scenario, `${lab.apiOrigin}/s/${scenario.id}`, lab.pageOrigin));
    // Chromium blocks each of these (test/check/lab-vs-chromium.test.ts); so must check.
    expect(result.report.verdict, scenario.id).toBe('blocked');
    expect(result.fixes.length, `${scenario.id}: check offers a fix`).toBeGreaterThan(0);
    const policy = policyFromReport(result.report);
    const key = JSON.stringify({ ...policy, path: '', reasons: [] });
    if (!seen.has(key)) {
      seen.add(key);
      representatives.push({ scenario, policy });
    }
  }
}, 120_000);

afterAll(async () => {
  await lab?.stop();
});

describe('check says allowed once the generated fix runs', () => {
  it('derives a policy for every fixable lab request from check’s own report', () => {
    expect(FIXABLE.length).toBeGreaterThan(10);
    expect(representatives.length).toBeGreaterThanOrEqual(5);
  });

  for (const server of STACKS) {
    it.concurrent(`${server}: check against each generated example says allowed`, async () => {
      const runtime = RUNTIMES[server]!;
      expect(runtime.missing(), `${server} cannot run here; scripts/setup.sh installs it`).toBeNull();
      let allowed = 0;
      for (const { scenario, policy } of representatives) {
        const port = await freePort();
        const fix = generateFix(server, policy, { port });
        const running = await startExample(runtime, fix, port);
        try {
          const result = await checkCors(optionsFor(scenario, `http://127.0.0.1:${port}${policy.path}`, lab.pageOrigin));
          const context = `${server} / ${scenario.id}: ${result.report.verdict} ${result.report.failure?.consoleMessage ?? ''}\n${running.output().slice(-1000)}`;
          if (fix.limitation !== undefined) {
            // The stack declares it cannot serve this request as sent (a lower-case method its parser rejects):
            // check, like Chromium in the proof suite, must not call it allowed.
            expect(result.report.verdict, context).not.toBe('allowed');
            continue;
          }
          expect(result.report.verdict, context).toBe('allowed');
          expect(result.sent.at(-1)?.phase, context).toBe('actual');
          allowed++;
        } finally {
          await running.stop();
        }
      }
      expect(allowed).toBeGreaterThanOrEqual(representatives.length - 1);
    }, 400_000);
  }
});
