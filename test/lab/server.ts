/**
 * The CORS lab's servers: a page origin (the lab page), an API origin that answers each scenario as
 * `scenarios.ts` says, and a third origin for cross-origin redirects. Ports are picked at run time.
 *
 *   page   http://127.0.0.1:<p1>   serves the lab page and sets a cookie for the credentialed scenarios
 *   api    http://127.0.0.1:<p2>   answers /s/<scenario-id>
 *   other  http://localhost:<p3>   answers /s/<scenario-id>/hop<n> (targets of cross-origin redirects)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  LAB_QUERY_KEY,
  resolvePlaceholders,
  scenarios as allScenarios,
  type LabAnswer,
  type LabOrigin,
  type LabOrigins,
  type LabScenario,
} from './scenarios.js';

/** One request that reached a lab server (what the browser actually sent over the network). */
export interface LabServerLogEntry {
  server: LabOrigin;
  method: string;
  /** Absolute URL as requested. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  at: number;
}

export interface Lab {
  pageOrigin: string;
  apiOrigin: string;
  otherOrigin: string;
  origins: LabOrigins;
  /** The lab page: a button per scenario and "Run all". */
  pageUrl: string;
  scenarios: readonly LabScenario[];
  /** Every request the servers received, in arrival order. */
  requests: LabServerLogEntry[];
  stop(): Promise<void>;
}

export interface StartLabOptions {
  /** Serve these scenarios instead of the whole list. */
  scenarios?: readonly LabScenario[];
}

/** The cookie the page origin sets, so credentialed requests to the API carry a Cookie header (same site). */
export const LAB_COOKIE = 'lab_session=1';

const PAGE_SCRIPT = fileURLToPath(new URL('./page/lab-page.js', import.meta.url));

// A 1×1 transparent GIF, so the crossorigin image really loads when CORS passes.
const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  const scenarios = options.scenarios ?? allScenarios;
  const requests: LabServerLogEntry[] = [];
  const origins: LabOrigins = { page: '', api: '', other: '' };

  const pageServer = createServer((req, res) => {
    log(req, res, 'page');
    void servePage(req, res, origins, scenarios).catch((e: unknown) => fail(res, e));
  });
  const apiServer = createServer((req, res) => {
    log(req, res, 'api');
    serveScenario(req, res, 'api', origins, scenarios);
  });
  const otherServer = createServer((req, res) => {
    log(req, res, 'other');
    serveScenario(req, res, 'other', origins, scenarios);
  });

  function log(req: IncomingMessage, res: ServerResponse, server: LabOrigin): void {
    const url = `${origins[server]}${req.url ?? '/'}`;
    res.on('finish', () => {
      requests.push({ server, method: req.method ?? '', url, headers: { ...req.headers }, status: res.statusCode, at: Date.now() });
    });
  }

  const servers = [pageServer, apiServer, otherServer];
  try {
    origins.page = `http://127.0.0.1:${await listen(pageServer, '127.0.0.1')}`;
    origins.api = `http://127.0.0.1:${await listen(apiServer, '127.0.0.1')}`;
    // `localhost` is a different origin (and site) from 127.0.0.1; Chromium resolves it to loopback itself.
    origins.other = `http://localhost:${await listen(otherServer, '127.0.0.1')}`;
  } catch (e) {
    await Promise.all(servers.map(close));
    throw e;
  }

  return {
    pageOrigin: origins.page,
    apiOrigin: origins.api,
    otherOrigin: origins.other,
    origins,
    pageUrl: `${origins.page}/`,
    scenarios,
    requests,
    stop: async () => {
      await Promise.all(servers.map(close));
    },
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function fail(res: ServerResponse, e: unknown): void {
  if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
  res.end(String(e));
}

async function servePage(
  req: IncomingMessage,
  res: ServerResponse,
  origins: LabOrigins,
  scenarios: readonly LabScenario[],
): Promise<void> {
  const path = new URL(req.url ?? '/', origins.page).pathname;
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Set-Cookie': `${LAB_COOKIE}; Path=/; SameSite=Lax`,
    });
    res.end(labPageHtml(origins, scenarios));
    return;
  }
  if (path === '/lab-page.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(await readFile(PAGE_SCRIPT));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
  res.end('not found');
}

/** `/s/<id>` is hop 0; `/s/<id>/hop<n>` is hop n. */
function parseScenarioPath(pathname: string): { id: string; hop: number } | undefined {
  const m = /^\/s\/([a-z0-9-]+)(?:\/hop(\d+))?$/.exec(pathname);
  if (!m || !m[1]) return undefined;
  return { id: m[1], hop: m[2] ? Number(m[2]) : 0 };
}

function serveScenario(
  req: IncomingMessage,
  res: ServerResponse,
  server: 'api' | 'other',
  origins: LabOrigins,
  scenarios: readonly LabScenario[],
): void {
  const url = new URL(req.url ?? '/', origins[server]);
  const where = parseScenarioPath(url.pathname);
  const scenario = where && scenarios.find((s) => s.id === where.id);
  const hop = where && scenario?.hops[where.hop];
  if (!where || !scenario || !hop || hop.origin !== server) {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
    res.end('no such scenario hop');
    return;
  }
  const answer: LabAnswer = req.method === 'OPTIONS' ? (hop.options ?? { status: 405, headers: [], body: 'empty' }) : hop.actual;
  const token = url.searchParams.get(LAB_QUERY_KEY) ?? '';
  const ctx = { origins, scenario, hop: where.hop, token };
  const body = answerBody(answer, scenario.id);
  const raw: string[] = ['Cache-Control', 'no-store', 'X-Lab-Scenario', scenario.id];
  if (body.type) raw.push('Content-Type', body.type);
  for (const [name, value] of answer.headers) raw.push(name, resolvePlaceholders(value, ctx));
  // Consume the request body before answering, so the client never sees a reset.
  req.resume();
  req.on('end', () => {
    res.writeHead(answer.status, raw);
    res.end(req.method === 'HEAD' || answer.status === 204 || answer.status === 304 ? undefined : body.data);
  });
}

function answerBody(answer: LabAnswer, id: string): { type?: string; data: string | Buffer } {
  switch (answer.body ?? 'json') {
    case 'json':
      return { type: 'application/json', data: JSON.stringify({ scenario: id }) };
    case 'font':
      // Not a valid font: the lab is about whether the browser hands the bytes over, not about rendering them.
      return { type: 'font/woff2', data: Buffer.from(`wOF2 lab font ${id}`) };
    case 'gif':
      return { type: 'image/gif', data: GIF_1X1 };
    case 'module':
      return { type: 'text/javascript', data: `export const scenario = ${JSON.stringify(id)};\n` };
    case 'empty':
      return { data: '' };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The lab page: one button per scenario plus "Run all"; the logic lives in page/lab-page.js. */
export function labPageHtml(origins: LabOrigins, scenarios: readonly LabScenario[]): string {
  const config = JSON.stringify({ origins, scenarios }).replace(/</g, '\\u003c');
  const rows = scenarios
    .map(
      (s) => `<li data-scenario="${escapeHtml(s.id)}">
  <button type="button" data-run="${escapeHtml(s.id)}">${escapeHtml(s.id)}</button>
  <span class="title">${escapeHtml(s.title)}</span>
  <output data-outcome="${escapeHtml(s.id)}"></output>
  <p class="description">${escapeHtml(s.description)}</p>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>CORS Lens lab</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; max-width: 60rem; }
  ol { padding-left: 1.2rem; } li { margin: .4rem 0; }
  button { font: 12px ui-monospace, monospace; cursor: pointer; }
  .description { margin: .1rem 0 0; color: #555; font-size: 12px; }
  output { font: 12px ui-monospace, monospace; margin-left: .5rem; }
  output.error { color: #b00020; } output.ok { color: #1b5e20; }
</style>
</head>
<body>
<h1>CORS Lens lab</h1>
<p>Page origin <code>${escapeHtml(origins.page)}</code>, API origin <code>${escapeHtml(origins.api)}</code>,
redirect target <code>${escapeHtml(origins.other)}</code>. Open DevTools on the <b>CORS</b> tab, then run scenarios.
What the page sees is printed next to each button; the CORS tab explains why.</p>
<p><button type="button" id="run-all">Run all</button> <output id="run-all-status"></output></p>
<ol id="scenarios">
${rows}
</ol>
<script id="lab-config" type="application/json">${config}</script>
<script type="module" src="/lab-page.js"></script>
</body>
</html>
`;
}
