/**
 * Asks the real Chromium how it decides the CORS rows that the research marks as doubtful.
 *
 * Two Node http servers on ports picked at run time: the page origin and an API origin. The page runs one fetch/XHR per
 * scenario against the API; the API answers each scenario's OPTIONS and actual request with the headers under test.
 * The browser's verdict is read from CDP `Network.loadingFailed.corsErrorStatus`, and its console lines are kept so the
 * console templates can be compared with what Chrome really prints.
 *
 * Run alone: `npx tsx test/engine/browser-probe/probe.ts` (prints JSON). The vitest suite `test/engine/browserDisputes.test.ts`
 * runs the same probe.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface ProbeScenario {
  name: string;
  /** Code run in the page; `API` is the API origin, `PATH` the scenario's path. Must return a promise. */
  script: string;
  /** Headers of the answer to OPTIONS (status 204 unless `preflightStatus`). */
  preflightHeaders?: Record<string, string>;
  preflightStatus?: number;
  /** The same request as the engine sees it in a capture (author headers, credentials, kind). */
  engine: {
    kind?: 'fetch' | 'xhr';
    method?: string;
    headers?: [string, string][];
    credentials?: 'include' | 'same-origin';
    /** Chromium picks one of several disallowed headers by an internal order the capture does not show. */
    parameterOrderUnknown?: boolean;
  };
  /** When set, the first actual request is answered 302 to the same path on `localhost` (a third origin) with these headers. */
  redirectHeaders?: Record<string, string>;
  /** Headers of the answer to the actual request (status 200). */
  responseHeaders: Record<string, string>;
}

export interface ProbeResult {
  name: string;
  /** `null` when the browser let the request through. */
  corsError: string | null;
  failedParameter: string | null;
  errorText: string | null;
  /** Requests the API server received for this scenario, e.g. `OPTIONS`, `GET`. */
  serverSaw: string[];
  /** `Access-Control-Request-Headers` of the preflight, when one arrived. */
  requestHeadersAsked: string | null;
  consoleErrors: string[];
  /** Request header names in the order CDP `requestWillBeSent` listed them for the actual request. */
  cdpHeaderOrder: string[];
}

export interface ProbeRun {
  chromiumPath: string;
  browserVersion: string;
  pageOrigin: string;
  apiOrigin: string;
  results: ProbeResult[];
}

export const PROBE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--headless=new',
];

/** The Chromium to ask, or `undefined` when none is installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => typeof p === 'string' && p.length > 0 && existsSync(p));
}

/** The doubtful rows of cors-checks.md, each as a request the page makes and the answer the API gives. */
export const DISPUTED_SCENARIOS: ProbeScenario[] = [
  {
    name: 'authorization-vs-allow-headers-wildcard',
    engine: { headers: [['Authorization', 'Bearer x']] },
    script: `fetch(API + PATH, { headers: { Authorization: 'Bearer x' } })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': '*' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'authorization-listed-beside-wildcard',
    engine: { headers: [['Authorization', 'Bearer x']] },
    script: `fetch(API + PATH, { headers: { Authorization: 'Bearer x' } })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': '*, Authorization' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'lower-case-patch-vs-upper-case-allow-methods',
    engine: { method: 'patch' },
    script: `fetch(API + PATH, { method: 'patch' })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Methods': 'PATCH' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'allow-origin-with-trailing-space',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN ' },
  },
  {
    name: 'allow-credentials-capital-True',
    engine: { credentials: 'include' },
    script: `fetch(API + PATH, { credentials: 'include' })`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Credentials': 'True' },
  },
  {
    name: 'two-headers-missing-fetch',
    engine: { headers: [['X-Zeta', '1'], ['X-Alpha', '2']], parameterOrderUnknown: true },
    script: `fetch(API + PATH, { headers: [['X-Zeta', '1'], ['X-Alpha', '2']] })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': 'content-type' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'two-headers-missing-xhr',
    engine: { kind: 'xhr', headers: [['X-Zeta', '1'], ['X-Alpha', '2']], parameterOrderUnknown: true },
    script: `new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', API + PATH);
      x.setRequestHeader('X-Zeta', '1'); x.setRequestHeader('X-Alpha', '2'); x.onloadend = res; x.send(); })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': 'content-type' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'missing-allow-origin-fetch',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: {},
  },
  {
    name: 'wildcard-with-credentials-xhr',
    engine: { kind: 'xhr', credentials: 'include' },
    script: `new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', API + PATH); x.withCredentials = true;
      x.onloadend = res; x.send(); })`,
    responseHeaders: { 'Access-Control-Allow-Origin': '*' },
  },
  {
    name: 'preflight-404-with-allow-origin',
    engine: { method: 'PUT' },
    script: `fetch(API + PATH, { method: 'PUT' })`,
    preflightStatus: 404,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Methods': 'PUT' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'allow-origin-two-values-fetch',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN, http://other.example' },
  },
  {
    name: 'multipart-quoted-boundary-content-type',
    engine: { method: 'POST', headers: [['Content-Type', 'multipart/form-data; boundary="x"']] },
    script: `fetch(API + PATH, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary="x"' }, body: 'a' })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'two-headers-missing-fetch-alpha-first',
    engine: { headers: [['X-Alpha', '1'], ['X-Zeta', '2']], parameterOrderUnknown: true },
    script: `fetch(API + PATH, { headers: [['X-Alpha', '1'], ['X-Zeta', '2']] })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': 'content-type' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'allow-origin-mismatch-fetch',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'http://example.com' },
  },
  {
    name: 'allow-origin-invalid-fetch',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'example.com' },
  },
  {
    name: 'allow-origin-null-fetch',
    engine: {},
    script: `fetch(API + PATH)`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'null' },
  },
  {
    name: 'preflight-missing-allow-origin-fetch',
    engine: { method: 'PUT' },
    script: `fetch(API + PATH, { method: 'PUT' })`,
    preflightHeaders: { 'Access-Control-Allow-Methods': 'PUT' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'authorization-wildcard-with-credentials',
    engine: { credentials: 'include', headers: [['Authorization', 'Bearer x']] },
    script: `fetch(API + PATH, { credentials: 'include', headers: { Authorization: 'Bearer x' } })`,
    preflightHeaders: {
      'Access-Control-Allow-Origin': 'ORIGIN',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Allow-Credentials': 'true',
    },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Credentials': 'true' },
  },
  {
    name: 'allow-methods-space-separated',
    engine: { method: 'PUT' },
    script: `fetch(API + PATH, { method: 'PUT' })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Methods': 'GET PUT' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'preflight-wildcard-with-credentials-xhr',
    engine: { kind: 'xhr', method: 'PUT', credentials: 'include' },
    script: `new Promise((res) => { const x = new XMLHttpRequest(); x.open('PUT', API + PATH); x.withCredentials = true;
      x.onloadend = res; x.send(); })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'allow-origin-mismatch-xhr',
    engine: { kind: 'xhr' },
    script: `new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', API + PATH); x.onloadend = res; x.send(); })`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'http://example.com' },
  },
  {
    name: 'allow-credentials-missing-xhr',
    engine: { kind: 'xhr', credentials: 'include' },
    script: `new Promise((res) => { const x = new XMLHttpRequest(); x.open('GET', API + PATH); x.withCredentials = true;
      x.onloadend = res; x.send(); })`,
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'three-headers-missing-fetch',
    engine: { headers: [['X-Mid', '1'], ['X-Beta', '2'], ['X-Yak', '3']], parameterOrderUnknown: true },
    script: `fetch(API + PATH, { headers: [['X-Mid', '1'], ['X-Beta', '2'], ['X-Yak', '3']] })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN', 'Access-Control-Allow-Headers': 'content-type' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'redirect-then-missing-allow-origin',
    engine: {},
    script: `fetch(API + PATH)`,
    redirectHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
  {
    name: 'redirect-then-wildcard',
    engine: {},
    script: `fetch(API + PATH)`,
    redirectHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
    responseHeaders: { 'Access-Control-Allow-Origin': '*' },
  },
  {
    name: 'redirect-without-allow-origin',
    engine: {},
    script: `fetch(API + PATH)`,
    redirectHeaders: {},
    responseHeaders: { 'Access-Control-Allow-Origin': '*' },
  },
  {
    name: 'preflight-allow-origin-mismatch-fetch',
    engine: { method: 'PUT' },
    script: `fetch(API + PATH, { method: 'PUT' })`,
    preflightHeaders: { 'Access-Control-Allow-Origin': 'http://example.com', 'Access-Control-Allow-Methods': 'PUT' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'ORIGIN' },
  },
];

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Runs every scenario in one fresh headless Chromium and returns what the browser decided for each. */
export async function runProbe(scenarios: ProbeScenario[] = DISPUTED_SCENARIOS): Promise<ProbeRun> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('No Chromium found (set CHROME_PATH or install /usr/bin/chromium)');
  const { chromium } = await import('playwright');

  const seen = new Map<string, string[]>();
  const asked = new Map<string, string>();
  let pageOrigin = '';
  const byPath = new Map(scenarios.map((s) => [`/s/${s.name}`, s]));

  const page = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>probe</title>');
  });
  const api = await listen((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const scenario = byPath.get(path);
    const list = seen.get(path) ?? [];
    list.push(req.method ?? '');
    seen.set(path, list);
    if (!scenario) {
      res.writeHead(404);
      res.end();
      return;
    }
    const fill = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('ORIGIN', pageOrigin)]));
    const secondHop = (req.url ?? '').includes('hop=2');
    if (scenario.redirectHeaders && !secondHop && req.method !== 'OPTIONS') {
      const port = (api.address() as AddressInfo).port;
      res.writeHead(302, { location: `http://localhost:${port}${path}?hop=2`, ...fill(scenario.redirectHeaders) });
      res.end();
      return;
    }
    if (req.method === 'OPTIONS') {
      const acrh = req.headers['access-control-request-headers'];
      if (typeof acrh === 'string') asked.set(path, acrh);
      res.writeHead(scenario.preflightStatus ?? 204, fill(scenario.preflightHeaders ?? {}));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', ...fill(scenario.responseHeaders) });
    res.end('ok');
  });
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  const apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  const profile = mkdtempSync(join(tmpdir(), 'cors-lens-probe-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: PROBE_FLAGS,
  });
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    const browserVersion = context.browser()?.version() ?? 'unknown';
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    const urlById = new Map<string, string>();
    const failures = new Map<string, { corsError: string | null; failedParameter: string | null; errorText: string }>();
    const headerOrder = new Map<string, string[]>();
    cdp.on('Network.requestWillBeSent', (e) => {
      urlById.set(e.requestId, e.request.url);
      if (e.request.method !== 'OPTIONS') headerOrder.set(new URL(e.request.url).pathname, Object.keys(e.request.headers));
    });
    cdp.on('Network.loadingFailed', (e) => {
      const url = urlById.get(e.requestId);
      if (!url) return;
      const path = new URL(url).pathname;
      failures.set(path, {
        corsError: e.corsErrorStatus?.corsError ?? null,
        failedParameter: e.corsErrorStatus?.failedParameter ?? null,
        errorText: e.errorText,
      });
    });
    const consoleByScenario = new Map<string, string[]>();
    let current = '';
    tab.on('console', (m) => {
      if (m.type() !== 'error') return;
      const list = consoleByScenario.get(current) ?? [];
      list.push(m.text());
      consoleByScenario.set(current, list);
    });
    await tab.goto(`${pageOrigin}/`);

    const results: ProbeResult[] = [];
    for (const s of scenarios) {
      current = s.name;
      const path = `/s/${s.name}`;
      await tab.evaluate(
        ({ api: API, path: PATH, code }) =>
          // eslint-disable-next-line no-new-func
          new Function('API', 'PATH', `return Promise.resolve(${code}).catch(() => undefined);`)(API, PATH),
        { api: apiOrigin, path, code: s.script },
      );
      await tab.waitForTimeout(150);
      const failure = failures.get(path);
      results.push({
        name: s.name,
        corsError: failure?.corsError ?? null,
        failedParameter: failure?.failedParameter ?? null,
        errorText: failure?.errorText ?? null,
        serverSaw: seen.get(path) ?? [],
        requestHeadersAsked: asked.get(path) ?? null,
        cdpHeaderOrder: headerOrder.get(path) ?? [],
        consoleErrors: (consoleByScenario.get(s.name) ?? []).filter((t) => !t.startsWith('Failed to load resource')),
      });
    }
    return { chromiumPath, browserVersion, pageOrigin, apiOrigin, results };
  } finally {
    await context.close();
    await close(page);
    await close(api);
    rmSync(profile, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (invokedDirectly) {
  runProbe().then(
    (run) => console.log(JSON.stringify(run, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
