/**
 * The offline path on real Firefox captures, each a HAR Firefox ESR's DevTools exported and the reasons Firefox printed
 * to its console in the same run, saved by `npm run lab:capture:firefox`:
 *   lab.har         the whole lab, plus probes the lab cannot set up (a cacheable preflight, a refused connection);
 *   beyond-lab.har  scenarios written to hunt for a confident wrong reason (scenarios-beyond-lab.ts), plus requests that
 *                   get no response (reset, closed, aborted by the page, no such host);
 *   lab-cache-disabled.har  the lab with DevTools' "Disable Cache" on (Pragma and Cache-Control on every request).
 * The engine, through `explainHar` and through the `cors-lens` command, must name Firefox's reason for each request,
 * or decline (`unknown`), never name a wrong one.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { explainHar, type Report } from '../../src/lib/index.js';
import { firefoxVerdictFor, parseFirefoxCorsError, parseFirefoxRefusal } from '../support/firefox.js';
import { compareWithFirefox, consoleTextDifferences, summarize, type FirefoxReasonsFile } from './lab-in-firefox.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'test/fixtures/firefox');

function readCapture(name: string): { name: string; harPath: string; har: unknown; reasons: FirefoxReasonsFile } {
  const harPath = join(fixtures, `${name}.har`);
  return {
    name,
    harPath,
    har: JSON.parse(readFileSync(harPath, 'utf8')) as unknown,
    reasons: JSON.parse(readFileSync(join(fixtures, `${name}.reasons.json`), 'utf8')) as FirefoxReasonsFile,
  };
}

const lab = readCapture('lab');
const beyondLab = readCapture('beyond-lab');
/** The lab again with DevTools' "Disable Cache" on: Firefox adds Pragma and Cache-Control to every request. */
const labCacheDisabled = readCapture('lab-cache-disabled');
const { har, harPath, reasons } = lab;
const savedLines = [lab, beyondLab, labCacheDisabled].flatMap((c) =>
  Object.values(c.reasons.scenarios).flatMap((s) => s.firefox.lines.map((l) => ({ token: s.token, text: l.text }))),
);

describe("reading Firefox's console lines", () => {
  it('maps every CORS line of the capture to a reason id Firefox documents', () => {
    expect(savedLines.length).toBeGreaterThan(20);
    const unread = savedLines.filter(({ text }) => parseFirefoxRefusal(text)?.id === 'unrecognised');
    expect(unread.map((l) => l.text)).toEqual([]);
    for (const { token, text } of savedLines) expect(parseFirefoxRefusal(text)?.url).toContain(token);
  });

  it('reads the URL, the reason and the status, with or without quotes around the URL', () => {
    expect(
      parseFirefoxCorsError(
        'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a.test/x?y=1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.',
      ),
    ).toMatchObject({ url: 'http://a.test/x?y=1', id: 'CORSMissingAllowOrigin', messageKey: 'CORSMissingAllowOrigin2', status: '500' });
    expect(
      parseFirefoxCorsError(
        'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://a.test/x’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
      ),
    ).toMatchObject({ url: 'http://a.test/x', id: 'CORSNotSupportingCredentials' });
    expect(
      parseFirefoxCorsError(
        'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a.test/. (Reason: CORS request did not succeed). Status code: (null).',
      ),
    ).toMatchObject({ id: 'CORSDidNotSucceed', reason: 'CORS request did not succeed', status: '(null)' });
    expect(parseFirefoxCorsError('downloadable font: rejected by sanitizer')).toBeUndefined();
  });

  it("takes a preflight's specific reason over the generic CORSDidNotSucceed that follows it", () => {
    const line = (reason: string, status?: string) =>
      parseFirefoxCorsError(
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a.test/. (Reason: ${reason}).${status ? ` Status code: ${status}.` : ''}`,
      )!;
    const preflight = firefoxVerdictFor([line('Did not find method in CORS header ‘Access-Control-Allow-Methods’'), line('CORS request did not succeed', '(null)')]);
    expect(preflight).toMatchObject({ outcome: 'blocked', reason: { id: 'CORSMethodNotFound' } });
    expect(firefoxVerdictFor([line('CORS request did not succeed', '(null)')])).toMatchObject({ outcome: 'network-failure', reason: { id: 'CORSDidNotSucceed' } });
    expect(firefoxVerdictFor([]).outcome).toBe('loaded');
  });
});

describe.each([lab, beyondLab, labCacheDisabled])(`Firefox's HAR of $name (${reasons.firefoxVersion})`, (capture) => {
  const report = explainHar(capture.har);

  it('is recognised as a Firefox export and judged by Firefox rules', () => {
    expect(report.source).toBe('firefox-har-export');
    expect(report.rules).toBe('firefox');
    expect(report.exchanges.every((e) => e.rules === 'firefox')).toBe(true);
  });

  it("names Firefox's reason for every request, never a wrong one, and needs a preflight exactly when Firefox sent one", () => {
    const rows = compareWithFirefox(report, capture.reasons, capture.har);
    const { wrong, agree, unknown, text } = summarize(rows);
    expect(rows.filter((r) => r.firefox.outcome === 'blocked').length).toBeGreaterThanOrEqual(10);
    expect(wrong, text).toBe(0);
    // `unknown` only where the capture lacks what decides the verdict: the credentials mode (a Firefox HAR does not
    // record it, nor whether the response passed), a request Firefox stopped before sending, or one the page aborted.
    const unexplained = rows.filter((r) => r.agreement === 'unknown' && !/credentials mode|stopped this request before sending|aborted/.test(r.problem ?? ''));
    expect(unexplained.map((r) => r.line), text).toEqual([]);
    // Whatever does not hang on those, Firefox's reason is named.
    expect(agree, text).toBeGreaterThan(unknown);
  });

  it("prints Firefox's own console line, values and status code included", () => {
    const differences = consoleTextDifferences(compareWithFirefox(report, capture.reasons, capture.har));
    expect(differences, differences.join('\n')).toEqual([]);
  });

  it('`cors-lens explain` says it applied Firefox rules, and its JSON agrees with Firefox request by request', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const cli = join(root, 'src/cli/cors-lens.ts');
    const run = (args: string[]) => promisify(execFile)(tsx, [cli, 'explain', capture.harPath, '--no-fail', ...args], { maxBuffer: 64 * 1024 * 1024 });
    const [text, json] = await Promise.all([run(['--only', 'blocked']), run(['--json'])]);
    expect(text.stdout.split('\n')[0]).toMatch(/Firefox rules/);
    const fromCli = JSON.parse(json.stdout) as Report;
    expect(fromCli.rules).toBe('firefox');
    const { wrong, text: table } = summarize(compareWithFirefox(fromCli, capture.reasons, capture.har));
    expect(wrong, table).toBe(0);
  }, 60_000);
});

describe("Firefox's HAR of the lab: what only the lab holds", () => {
  const report = explainHar(har);
  const exchangeFor = (r: Report, id: string, captured = lab) => r.exchanges.find((e) => e.url === captured.reasons.scenarios[id]!.url);

  it('without the hop after a redirect (Firefox does not always record it) names a refused redirect, and never says allowed', () => {
    const hopAfter = (id: string) => (e: { request: { url: string } }) => e.request.url.includes(`/s/${id}/hop1?`);
    const log = (har as { log: { entries: { request: { url: string } }[] } }).log;
    const judge = (id: string) => {
      const cut = { log: { ...log, entries: log.entries.filter((e) => !hopAfter(id)(e)) } };
      // Cut it if this capture holds it (Firefox did not record the refused hop of fail-redirect-with-userinfo every time).
      expect(log.entries.length - cut.log.entries.length).toBeLessThanOrEqual(1);
      return explainHar(cut).exchanges.find((e) => e.url === reasons.scenarios[id]!.url)!;
    };
    // A Location with user:pass@: Firefox refuses to follow it whatever comes next.
    expect(judge('fail-redirect-with-userinfo').failure?.firefoxReason?.id).toBe('CORSDidNotSucceed');
    // A redirect Firefox followed: what came back is not in the capture, so neither allowed nor a guessed reason.
    for (const id of ['pass-redirect-to-null-allowed', 'fail-redirect-origin-becomes-null']) expect(judge(id).verdict).toBe('unknown');
  });

  it("can show Chromium's reading of the same capture, and says whose rules it applied", () => {
    const chromium = explainHar(har, { rules: 'chromium' });
    expect(chromium.rules).toBe('chromium');
    const twoValues = (r: Report) => r.exchanges.find((e) => e.url === reasons.scenarios['fail-allow-origin-two-values']?.url);
    // One Allow-Origin line holding two origins: Chromium calls it multiple values, Firefox a mismatch.
    expect(twoValues(chromium)?.failure?.chromeCorsError).toBe('MultipleAllowOriginValues');
    expect(twoValues(report)?.failure?.firefoxReason?.id).toBe('CORSAllowOriginNotMatchingOrigin');
  });

  it.each(['pass-preflighted-put', 'preflight-cache-hit', 'pass-redirect-to-null-allowed'])(
    '%s: Firefox sent the request after its preflight (or the hop after the redirect), so those passed whatever the credentials mode: allowed',
    (id) => {
      const exchanges = report.exchanges.filter((e) => e.url === reasons.scenarios[id]!.url && e.method !== 'OPTIONS');
      expect(exchanges.length).toBeGreaterThan(0);
      for (const e of exchanges) expect(e.verdict).toBe('allowed');
    },
  );

  it('a fetch with mode "same-origin" to another origin: Firefox refused it before sending (a security error, no CORS reason); the engine cannot tell why', () => {
    const saved = reasons.scenarios['mode-same-origin-to-api']!;
    expect(saved.firefox.lines.map((l) => parseFirefoxRefusal(l.text)?.id)).toEqual(['CheckSameOriginError']);
    const exchange = exchangeFor(report, 'mode-same-origin-to-api')!;
    expect(exchange.verdict).toBe('unknown');
    expect(exchange.missing.join(' ')).toMatch(/Firefox stopped this request before sending it/);
  });
});

describe("Firefox's HAR: requests Firefox sent that got no response", () => {
  const sentWithoutResponse = [
    { capture: lab, id: 'probe-connection-refused' },
    { capture: beyondLab, id: 'probe-connection-reset' },
    { capture: beyondLab, id: 'probe-closed-without-response' },
    { capture: beyondLab, id: 'probe-host-not-found' },
    { capture: beyondLab, id: 'probe-aborted-by-page' },
  ];

  it.each(sentWithoutResponse)('$id: a network error in Firefox\'s words (CORSDidNotSucceed), unsure only whether the page aborted it', ({ capture, id }) => {
    const saved = capture.reasons.scenarios[id]!;
    const firefox = firefoxVerdictFor(saved.firefox.lines.map((l) => parseFirefoxRefusal(l.text)!));
    // Firefox's own verdict: a network failure, or (aborted) nothing at all.
    expect(id === 'probe-aborted-by-page' ? firefox.outcome : firefox.reason?.id).toBe(id === 'probe-aborted-by-page' ? 'loaded' : 'CORSDidNotSucceed');
    const exchange = explainHar(capture.har).exchanges.find((e) => e.url === saved.url)!;
    expect(exchange.verdict).toBe('network-error');
    expect(exchange.failure).toBeNull();
    expect(exchange.notReallyCors?.message).toMatch(/CORSDidNotSucceed/);
    expect(exchange.missing.join(' ')).toMatch(/aborted/);
  });
});

describe("Firefox's HAR: the credentials mode it does not record", () => {
  const report = explainHar(beyondLab.har);
  const exchangeFor = (id: string) => report.exchanges.find((e) => e.url === beyondLab.reasons.scenarios[id]!.url)!;

  it.each([
    ['credentialed-wildcard-without-cookie', 'CORSNotSupportingCredentials'],
    ['credentialed-echo-without-cookie-or-allow-credentials', 'CORSMissingAllowCredentials'],
    ['xhr-with-credentials-wildcard-without-cookie', 'CORSNotSupportingCredentials'],
  ])('%s: no Cookie header, so it cannot tell; it names the reason Firefox gives if credentials were sent', (id, firefoxReason) => {
    expect(beyondLab.reasons.scenarios[id]!.firefox.lines.map((l) => parseFirefoxRefusal(l.text)?.id)).toContain(firefoxReason);
    const exchange = exchangeFor(id);
    expect(exchange.verdict).toBe('unknown');
    expect(exchange.alternatives.map((a) => a.firefoxReason?.id)).toContain(firefoxReason);
    expect(exchange.missing.join(' ')).toContain(`blocked with credentials: ${firefoxReason}`);
  });

  it('the same request without credentials looks the same, and is not called allowed either', () => {
    expect(beyondLab.reasons.scenarios['uncredentialed-wildcard-to-cookieless-origin']!.firefox.outcome).toBe('loaded');
    expect(exchangeFor('uncredentialed-wildcard-to-cookieless-origin').verdict).toBe('unknown');
  });

  it('a Cookie header to another origin proves credentials, so the reason is named', () => {
    expect(exchangeFor('response-credentials-upper-case')).toMatchObject({ verdict: 'blocked', failure: { firefoxReason: { id: 'CORSMissingAllowCredentials' } } });
  });
});
