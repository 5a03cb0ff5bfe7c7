/**
 * Running the CORS lab in Firefox ESR and lining its own verdicts up with the engine's. Shared by the real-browser
 * test, the fixture test and `npm run lab:capture:firefox` (which saves test/fixtures/firefox/lab.har + lab.reasons.json).
 */
import type { ExchangeReport, Report } from '../../src/lib/index.js';
import type { Lab } from '../lab/server.js';
import type { LabOrigins } from '../lab/scenarios.js';
import {
  firefoxVerdictFor,
  parseFirefoxRefusal,
  waitForExportedHar,
  type FirefoxLoggedReason,
  type FirefoxVerdict,
  type LaunchedFirefox,
} from '../support/firefox.js';
import { freePort } from '../support/ports.js';

/** What the page reported for one scenario (see test/lab/page/lab-page.js). */
export interface PageScenarioResult {
  id: string;
  token: string;
  url: string;
  outcomes: string[];
}

/** The file saved beside the Firefox HAR: what Firefox itself said about each scenario's requests. */
export interface FirefoxReasonsFile {
  source: string;
  firefoxVersion: string;
  origins: LabOrigins;
  scenarios: Record<string, { token: string; url: string; pageSaw: string[]; firefox: FirefoxVerdict; preflightMayBeCached?: boolean }>;
  /** CORS lines for URLs of no scenario (the lab page's own requests), as printed. */
  otherCorsLines?: string[];
  /** Console errors that were no CORS line (fonts that fail to decode, …), for the record. */
  otherConsoleErrors: string[];
}

export interface FirefoxLabRun {
  har: unknown;
  reasons: FirefoxReasonsFile;
}

/** How long the network must be quiet before DevTools writes its HAR (long enough to span the lab's gaps). */
export const HAR_QUIET_MS = 2500;

/** Opens the lab, runs every scenario, and collects Firefox's console verdicts and its exported HAR. */
/**
 * A request the test makes from the lab page besides the scenarios (see `runLabInFirefox`): `run` is page script
 * source that makes it and resolves to what the page saw.
 */
export interface ExtraProbe {
  id: string;
  url: string;
  run: string;
  /** The server lets Firefox cache the preflight, so whether one is in the HAR says nothing about whether it was needed. */
  preflightMayBeCached?: boolean;
}

export async function runLabInFirefox(firefox: LaunchedFirefox, lab: Lab, probes: readonly ExtraProbe[] = []): Promise<FirefoxLabRun> {
  if (!firefox.harDir) throw new Error('launch Firefox with exportHar to run the lab');
  const { page } = firefox;
  await page.goto(lab.pageUrl);
  await page.waitForFunction(() => document.documentElement.dataset.labReady === 'true');
  const results = (await page.evaluate(() =>
    (window as unknown as { lab: { runAll(): Promise<unknown> } }).lab.runAll(),
  )) as PageScenarioResult[];
  for (const probe of probes) {
    const outcomes = (await page.evaluate(`(${probe.run})()`)) as string[];
    results.push({ id: probe.id, token: new URL(probe.url).searchParams.get('lab') ?? probe.url, url: probe.url, outcomes });
  }
  const { har } = await waitForExportedHar(firefox.harDir, results.map((r) => r.token));
  // Console errors are delivered asynchronously; by the time the HAR is written the network has been quiet for
  // HAR_QUIET_MS, so every line for these requests has arrived.
  const parsed: FirefoxLoggedReason[] = [];
  const otherConsoleErrors: string[] = [];
  for (const e of firefox.consoleErrors) {
    const line = parseFirefoxRefusal(e.text);
    if (line) parsed.push(line);
    else otherConsoleErrors.push(e.text);
  }
  const scenarios: FirefoxReasonsFile['scenarios'] = {};
  for (const r of results) {
    const lines = parsed.filter((l) => l.url.includes(r.token));
    scenarios[r.id] = { token: r.token, url: r.url, pageSaw: r.outcomes, firefox: firefoxVerdictFor(lines) };
    if (probes.some((p) => p.id === r.id && p.preflightMayBeCached)) scenarios[r.id]!.preflightMayBeCached = true;
  }
  const otherCorsLines = parsed.filter((l) => !results.some((r) => l.url.includes(r.token))).map((l) => l.text);
  return {
    har,
    reasons: {
      source: 'Firefox console errors (WebDriver BiDi log.entryAdded) for the lab run exported in lab.har',
      firefoxVersion: firefox.version,
      origins: lab.origins,
      scenarios,
      otherCorsLines,
      otherConsoleErrors,
    },
  };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Comparing the engine with Firefox

/**
 * `agree`: the engine names Firefox's reason (or allows what Firefox allowed).
 * `unknown`: the engine declined to name a reason (verdict `unknown`, or blocked without a cause): acceptable.
 * `wrong`: a confident verdict that contradicts Firefox.
 */
export type Agreement = 'agree' | 'unknown' | 'wrong';

export interface ComparisonRow {
  /** The scenario (`#n` for its n-th request), or the URL of a request the lab page made for itself. */
  name: string;
  firefox: FirefoxVerdict;
  exchange: ExchangeReport | undefined;
  /** Whether Firefox sent a preflight for this request (the lab answers `no-store`, so Firefox never reuses one). */
  firefoxSentPreflight: boolean | undefined;
  agreement: Agreement;
  /** Why the row is not `agree`. */
  problem?: string;
  line: string;
}

function firefoxSaid(v: FirefoxVerdict): string {
  if (v.outcome === 'loaded') return 'loaded';
  return `${v.outcome} ${v.reason?.id ?? ''}`;
}

function engineSaid(e: ExchangeReport | undefined): string {
  if (!e) return '(no exchange)';
  const reason = e.failure?.firefoxReason?.id ?? (e.failure ? `(no Firefox reason; ${e.failure.chromeCorsError})` : '');
  return `${e.verdict}${reason ? ` ${reason}` : ''} [rules ${e.rules}]`;
}

/** Does the engine's verdict agree with what Firefox did? */
export function verdictAgreement(firefox: FirefoxVerdict, e: ExchangeReport | undefined): { agreement: Agreement; problem?: string } {
  if (!e) return { agreement: 'wrong', problem: 'no exchange in the report' };
  if (e.verdict === 'unknown') return { agreement: 'unknown', problem: `engine: unknown (${e.missing.join('; ')})` };
  const named = e.failure?.firefoxReason?.id;
  const wrong = (problem: string) => ({ agreement: 'wrong' as const, problem });
  switch (firefox.outcome) {
    case 'loaded':
      if (e.verdict === 'allowed' || e.verdict === 'not-cors') return { agreement: 'agree' };
      // A request the page aborted: Firefox logs nothing, and its HAR shows it as a request that got no response.
      if (e.verdict === 'network-error' && e.missing.length > 0) return { agreement: 'unknown', problem: `engine: network-error, unsure (${e.missing.join('; ')})` };
      return wrong(`Firefox logged nothing, engine says ${e.verdict}`);
    case 'blocked':
      if (e.verdict !== 'blocked') return wrong(`Firefox blocked it, engine says ${e.verdict}`);
      if (!e.failure) return { agreement: 'unknown', problem: 'engine: blocked without naming a cause' };
      return named === firefox.reason?.id ? { agreement: 'agree' } : wrong(`Firefox ${firefox.reason?.id}, engine ${named ?? 'no Firefox reason'}`);
    case 'network-failure':
      if (e.verdict === 'network-error') return { agreement: 'agree' };
      if (e.verdict === 'blocked' && !e.failure) return { agreement: 'unknown', problem: 'engine: blocked without naming a cause' };
      if (e.verdict === 'blocked' && named === 'CORSDidNotSucceed') return { agreement: 'agree' };
      return wrong(`Firefox CORSDidNotSucceed, engine ${e.verdict} ${named ?? ''}`);
  }
}

/** Does the engine's "preflight required" agree with whether Firefox sent one? */
function preflightAgreement(sent: boolean | undefined, e: ExchangeReport | undefined): string | undefined {
  if (sent === undefined || e === undefined || e.preflightRequired === 'unknown') return undefined;
  if (sent && !e.preflightRequired) return 'Firefox sent a preflight, engine says none was required';
  if (!sent && e.preflightRequired) return 'Firefox sent no preflight (and caches none: no-store), engine says one was required';
  return undefined;
}

interface HarEntryLike {
  request?: { method?: string; url?: string; headers?: { name?: string; value?: string }[] };
}

/** How many preflights (OPTIONS with Access-Control-Request-Method) Firefox sent to URLs holding `token`. */
function preflightsSentFor(har: unknown, token: string): number {
  const entries = ((har as { log?: { entries?: HarEntryLike[] } }).log?.entries ?? []) as HarEntryLike[];
  return entries.filter(
    (e) =>
      e.request?.method === 'OPTIONS' &&
      (e.request.url ?? '').includes(token) &&
      (e.request.headers ?? []).some((h) => h.name?.toLowerCase() === 'access-control-request-method'),
  ).length;
}

function row(name: string, firefox: FirefoxVerdict, exchange: ExchangeReport | undefined, sentPreflight: boolean | undefined): ComparisonRow {
  const verdict = verdictAgreement(firefox, exchange);
  const preflightProblem = preflightAgreement(sentPreflight, exchange);
  const agreement: Agreement = preflightProblem ? 'wrong' : verdict.agreement;
  const problem = [verdict.problem, preflightProblem].filter(Boolean).join('; ') || undefined;
  const mark = agreement === 'agree' ? 'ok  ' : agreement === 'unknown' ? '??  ' : 'DIFF';
  const r: ComparisonRow = {
    name,
    firefox,
    exchange,
    firefoxSentPreflight: sentPreflight,
    agreement,
    line: `${mark} ${name.slice(0, 44).padEnd(44)} firefox: ${firefoxSaid(firefox).padEnd(46)} report: ${engineSaid(exchange)}${problem ? `  (${problem})` : ''}`,
  };
  if (problem) r.problem = problem;
  return r;
}

/**
 * Every exchange of the report lined up with Firefox's verdict: the scenarios' requests (by the URL asked for, in
 * start order), and every other request the lab page made (its document, script, icon), which Firefox did not refuse
 * unless it logged a CORS line for that URL.
 */
export function compareWithFirefox(report: Report, reasons: FirefoxReasonsFile, har: unknown): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const seen = new Set<ExchangeReport>();
  for (const [scenario, saved] of Object.entries(reasons.scenarios)) {
    // Re-read Firefox's own lines, so a saved fixture is judged by the current reading of them.
    const firefox = firefoxVerdictFor(saved.firefox.lines.map((l) => parseFirefoxRefusal(l.text) ?? l));
    // The lab page never sends OPTIONS itself: an OPTIONS exchange there is a preflight the store did not pair.
    const exchanges = report.exchanges.filter((e) => e.url === saved.url && e.method !== 'OPTIONS');
    const preflights = preflightsSentFor(har, saved.token);
    const count = Math.max(exchanges.length, saved.pageSaw.length, 1);
    for (let i = 0; i < count; i++) {
      const exchange = exchanges[i];
      if (exchange) seen.add(exchange);
      // One preflight per request when any was sent (the lab's repeats are identical requests).
      const sent = saved.preflightMayBeCached ? undefined : preflights === 0 ? false : preflights === count ? true : undefined;
      // Console lines name a URL, not a request: when the page sent it several times, the requests the page saw
      // load were not the refused ones.
      const loadedHere = count > 1 && saved.pageSaw[i]?.startsWith('loaded');
      rows.push(row(`${scenario}${count > 1 ? `#${i + 1}` : ''}`, loadedHere ? { outcome: 'loaded', lines: [] } : firefox, exchange, sent));
    }
  }
  const scenarioTokens = Object.values(reasons.scenarios).map((s) => s.token);
  for (const exchange of report.exchanges) {
    if (seen.has(exchange) || scenarioTokens.some((t) => exchange.url.includes(t))) continue;
    const lines = (reasons.otherCorsLines ?? []).map((l) => parseFirefoxRefusal(l) ?? undefined).filter((l) => l?.url === exchange.url);
    rows.push(row(exchange.url, firefoxVerdictFor(lines as FirefoxLoggedReason[]), exchange, undefined));
  }
  return rows;
}

/**
 * Rows where the engine names Firefox's reason but its console line is none of the lines Firefox printed for the
 * request (the URL, the values and the status code all count).
 */
export function consoleTextDifferences(rows: readonly ComparisonRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const mine = r.exchange?.failure?.firefoxReason?.consoleMessage;
    if (r.agreement !== 'agree' || r.firefox.outcome === 'loaded' || mine === undefined) continue;
    const logged = r.firefox.lines.map((l) => l.text);
    if (!logged.includes(mine)) out.push(`${r.name}\n  Firefox: ${logged.join('\n           ')}\n  engine:  ${mine}`);
  }
  return out;
}

export function summarize(rows: readonly ComparisonRow[]): { agree: number; unknown: number; wrong: number; text: string } {
  const count = (a: Agreement) => rows.filter((r) => r.agreement === a).length;
  const agree = count('agree');
  const unknown = count('unknown');
  const wrong = count('wrong');
  return {
    agree,
    unknown,
    wrong,
    text: `${rows.map((r) => r.line).join('\n')}\n${agree} agree, ${unknown} unknown (engine declined), ${wrong} wrong of ${rows.length}`,
  };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Probes beyond the lab: what the lab server cannot set up (it always answers `no-store`, and it is always up)

/**
 * A server that lets Firefox cache its preflight (Max-Age, no Cache-Control), and the URL of a port nobody listens
 * on; with the fetches that exercise them from the lab page. `stop()` closes the server.
 */
export async function startProbes(pageOrigin: string): Promise<{ probes: ExtraProbe[]; stop(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const cors = { 'Access-Control-Allow-Origin': pageOrigin, Vary: 'Origin' };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Max-Age': '60' });
        res.end();
      } else if ((req.url ?? '').startsWith('/cached-then-missing') && req.method === 'PUT' && seen.has(req.url ?? '')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }); // the second answer forgets Allow-Origin
        res.end('{}');
      } else {
        seen.add(req.url ?? '');
        res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
        res.end('{}');
      }
    });
  });
  const seen = new Set<string>();
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  // A port that is free, outside the range listen(0) hands out: connections to it are refused.
  const closedPort = await freePort();
  const nonce = Math.random().toString(36).slice(2, 8);
  const origin = `http://127.0.0.1:${port}`;
  const put = (url: string, times: number) => `async () => {
    const out = [];
    for (let i = 0; i < ${times}; i++) {
      out.push(await fetch(${JSON.stringify(url)}, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' })
        .then((r) => 'loaded ' + r.status, (e) => 'error ' + e.name + ': ' + e.message));
    }
    return out;
  }`;
  const cachedUrl = `${origin}/cached?lab=probe-preflight-cached~${nonce}`;
  const cachedThenMissingUrl = `${origin}/cached-then-missing?lab=probe-cached-then-missing~${nonce}`;
  const refusedUrl = `http://127.0.0.1:${closedPort}/refused?lab=probe-connection-refused~${nonce}`;
  return {
    probes: [
      { id: 'probe-preflight-cached', url: cachedUrl, run: put(cachedUrl, 2), preflightMayBeCached: true },
      { id: 'probe-cached-then-missing', url: cachedThenMissingUrl, run: put(cachedThenMissingUrl, 2), preflightMayBeCached: true },
      {
        id: 'probe-connection-refused',
        url: refusedUrl,
        run: `async () => [await fetch(${JSON.stringify(refusedUrl)}).then((r) => 'loaded ' + r.status, (e) => 'error ' + e.name + ': ' + e.message)]`,
      },
    ],
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * Requests that get no response, for the captures beyond the lab: a server that resets the connection, one that
 * closes it without a word, a fetch the page aborts while the server is still thinking, and a host name that cannot
 * resolve (`.invalid` never does). Firefox logs `CORSDidNotSucceed` for all but the abort; its HAR records them alike.
 */
export async function startNetworkFailureProbes(): Promise<{ probes: ExtraProbe[]; stop(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const pending = new Set<() => void>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/reset')) return void req.socket.resetAndDestroy();
    if (path.startsWith('/close')) return void req.socket.end();
    // /slow: answers long after the page has given up.
    const timer = setTimeout(() => {
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
      res.end('{}');
    }, 5000);
    pending.add(() => clearTimeout(timer));
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const nonce = Math.random().toString(36).slice(2, 8);
  const origin = `http://127.0.0.1:${port}`;
  const fetchOnce = (id: string, url: string, init = '{}') => ({
    id,
    url,
    run: `async () => [await fetch(${JSON.stringify(url)}, ${init}).then((r) => 'loaded ' + r.status, (e) => 'error ' + e.name + ': ' + e.message)]`,
  });
  const url = (path: string, id: string) => `${origin}${path}?lab=${id}~${nonce}`;
  const abortedUrl = url('/slow', 'probe-aborted-by-page');
  return {
    probes: [
      fetchOnce('probe-connection-reset', url('/reset', 'probe-connection-reset')),
      fetchOnce('probe-closed-without-response', url('/close', 'probe-closed-without-response')),
      fetchOnce('probe-preflight-connection-reset', url('/reset', 'probe-preflight-connection-reset'), `{ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }`),
      fetchOnce('probe-host-not-found', `http://cors-lens-probe.invalid/?lab=probe-host-not-found~${nonce}`),
      {
        id: 'probe-aborted-by-page',
        url: abortedUrl,
        run: `async () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(), 300);
          return [await fetch(${JSON.stringify(abortedUrl)}, { signal: controller.signal }).then((r) => 'loaded ' + r.status, (e) => 'error ' + e.name + ': ' + e.message)];
        }`,
      },
    ],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const cancel of pending) cancel();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Requests made by APIs the lab page does not use (a stylesheet, EventSource, sendBeacon, an XHR with an upload
 * listener, a keepalive fetch), to a server that answers each path as its query says: `acao` (Allow-Origin),
 * `options=allow` (a preflight that allows everything for the page origin), `type` (Content-Type).
 */
export async function startRequestKindProbes(pageOrigin: string): Promise<{ probes: ExtraProbe[]; stop(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://probe.invalid').searchParams;
    req.resume();
    req.on('end', () => {
      const acao = query.get('acao');
      const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'Content-Type': query.get('type') ?? 'text/plain' };
      if (acao !== null) headers['Access-Control-Allow-Origin'] = acao === 'page' ? pageOrigin : acao;
      if (req.method === 'OPTIONS') {
        if (query.get('options') !== 'allow') return void res.writeHead(405, { 'Cache-Control': 'no-store' }).end();
        res.writeHead(204, { ...headers, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Origin': pageOrigin });
        return void res.end();
      }
      res.writeHead(200, headers);
      res.end(query.get('type') === 'text/event-stream' ? 'data: hi\n\n' : query.get('type') === 'text/css' ? 'body{}' : 'ok');
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const nonce = Math.random().toString(36).slice(2, 8);
  const url = (id: string, query: string) => `http://127.0.0.1:${port}/${id}?${query}&lab=${id}~${nonce}`;
  const probe = (id: string, query: string, body: (u: string) => string): ExtraProbe => {
    const u = url(id, query);
    return { id, url: u, run: `async () => [await (${body(JSON.stringify(u))})]` };
  };
  const stylesheet = (u: string) => `new Promise((resolve) => { const l = document.createElement('link'); l.rel = 'stylesheet'; l.crossOrigin = 'anonymous'; l.onload = () => resolve('loaded stylesheet'); l.onerror = () => resolve('error (stylesheet)'); l.href = ${u}; document.head.append(l); })`;
  const eventSource = (u: string) => `new Promise((resolve) => { const s = new EventSource(${u}); s.onmessage = () => { s.close(); resolve('loaded event'); }; s.onerror = () => { s.close(); resolve('error (EventSource)'); }; })`;
  const beacon = (u: string) => `Promise.resolve(navigator.sendBeacon(${u}, new Blob(['{}'], { type: 'application/json' })) ? 'queued beacon' : 'error (beacon refused)').then((r) => new Promise((ok) => setTimeout(() => ok(r), 500)))`;
  const xhrUpload = (u: string) => `new Promise((resolve) => { const x = new XMLHttpRequest(); x.open('POST', ${u}); x.upload.onprogress = () => {}; x.onload = () => resolve('loaded ' + x.status); x.onerror = () => resolve('error (XHR status ' + x.status + ')'); x.send('hello'); })`;
  const keepalive = (u: string) => `fetch(${u}, { method: 'POST', body: 'x', keepalive: true }).then((r) => 'loaded ' + r.status, (e) => 'error ' + e.name)`;
  return {
    probes: [
      probe('probe-stylesheet-no-allow-origin', 'type=text/css', stylesheet),
      probe('probe-stylesheet-allowed', 'type=text/css&acao=*', stylesheet),
      probe('probe-event-source-no-allow-origin', 'type=text/event-stream', eventSource),
      probe('probe-event-source-allowed', 'type=text/event-stream&acao=page', eventSource),
      probe('probe-beacon-json-preflight-refused', 'acao=*', beacon),
      probe('probe-beacon-json-allowed', 'acao=page&options=allow', beacon),
      probe('probe-xhr-upload-listener-preflight-refused', 'acao=*', xhrUpload),
      probe('probe-keepalive-post', 'acao=*', keepalive),
    ],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
