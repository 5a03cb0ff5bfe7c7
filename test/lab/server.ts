/**
 * The CORS lab's servers: a page origin (the lab page), an API origin that answers each scenario as
 * `scenarios.ts` says, and a third origin for cross-origin redirects. Ports are picked at run time.
 *
 *   page   http://127.0.0.1:<p1>   serves the lab page and sets a cookie for the credentialed scenarios
 *   api    http://127.0.0.1:<p2>   answers /s/<scenario-id>
 *   other  http://localhost:<p3>   answers /s/<scenario-id>/hop<n> (targets of cross-origin redirects)
 *
 * When the scenarios include the ones beside CORS (beside-scenarios.ts), also, only as far as they need them:
 *   lan          http://lan.example:<p>      a server Chromium is told is on the LAN (`local`)
 *   dead         http://127.0.0.1:<p>        a port nobody listens on
 *   api-by-name  http://api.example:<p2>     the API server under a name
 *   the page variants of `LabPageVariant` (COEP, CSP, public https, public granted, public http, https), each its own
 *   server. `*.example` names exist only for a Chromium started with `lab.chromiumArgs` (`--host-resolver-rules`),
 *   which also tells Chromium which ports stand for `public` and `local` addresses (`--ip-address-space-overrides`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LAB_QUERY_KEY,
  resolvePlaceholders,
  scenarios as allScenarios,
  type LabAnswer,
  type LabOrigin,
  type LabOrigins,
  type LabPageVariant,
  type LabScenario,
} from './scenarios.js';
import { DEVTOOLS_BLOCKED_URL_PATTERN } from './beside-scenarios.js';

/** Which server received a request: one of the origins, or a page variant's server. */
export type LabServerName = Exclude<LabOrigin, 'dead' | 'api-by-name'> | `page:${LabPageVariant}`;

/** One request that reached a lab server (what the browser actually sent over the network). */
export interface LabServerLogEntry {
  server: LabServerName;
  method: string;
  /** Absolute URL as requested. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  at: number;
}

/** A permission to grant over CDP (`Browser.grantPermissions`) before the page runs its scenarios. */
export interface LabPermissionGrant {
  origin: string;
  permissions: string[];
}

export interface Lab {
  pageOrigin: string;
  apiOrigin: string;
  otherOrigin: string;
  origins: LabOrigins;
  /** The lab page: a button per scenario and "Run all". */
  pageUrl: string;
  /** The URL of the page a scenario variant runs on (`lab` is `pageUrl`). */
  pageUrlFor(variant: LabPageVariant): string;
  scenarios: readonly LabScenario[];
  /**
   * Chromium switches these scenarios need (address-space overrides, host-resolver rules, certificate errors ignored);
   * empty for the classic scenarios. Known only once the lab listens, so start the lab before Chromium.
   */
  chromiumArgs: readonly string[];
  /** Permissions to grant over CDP before running (Local Network Access for the `public-granted` page). */
  permissionGrants: readonly LabPermissionGrant[];
  /** URL patterns to give DevTools' request blocking (CDP `Network.setBlockedURLs`) on the page's target. */
  devtoolsBlockedUrls: readonly string[];
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

/** How each page variant is served: scheme, host name, the address space Chromium is told, extra headers. */
const PAGE_VARIANTS: Record<Exclude<LabPageVariant, 'lab'>, { https: boolean; host: string; space?: 'public'; headers: [string, string][] }> = {
  coep: { https: false, host: '127.0.0.1', headers: [['Cross-Origin-Embedder-Policy', 'require-corp']] },
  csp: { https: false, host: '127.0.0.1', headers: [['Content-Security-Policy', "connect-src 'self'; img-src 'self' data:"]] },
  public: { https: true, host: 'public.example', space: 'public', headers: [] },
  'public-granted': { https: true, host: 'granted.example', space: 'public', headers: [] },
  'public-insecure': { https: false, host: 'insecure.example', space: 'public', headers: [] },
  https: { https: true, host: 'secure.example', headers: [] },
};

/** What the `public-granted` page is granted (Chromium 145+ names; `localNetworkAccess` does not cover loopback in 156). */
const GRANTED_PERMISSIONS = ['loopbackNetwork', 'localNetwork'];

export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  const scenarios = options.scenarios ?? allScenarios;
  const requests: LabServerLogEntry[] = [];
  const origins: LabOrigins = { page: '', api: '', other: '' };
  const variants = [...new Set(scenarios.map((s) => s.page ?? 'lab'))].filter((v): v is Exclude<LabPageVariant, 'lab'> => v !== 'lab');
  const targets = new Set(scenarios.flatMap((s) => s.hops.map((h) => h.origin)));

  function log(req: IncomingMessage, res: ServerResponse, server: LabServerName, origin: string): void {
    const url = `${origin}${req.url ?? '/'}`;
    res.on('finish', () => {
      requests.push({ server, method: req.method ?? '', url, headers: { ...req.headers }, status: res.statusCode, at: Date.now() });
    });
  }

  const pageServer = createServer((req, res) => {
    log(req, res, 'page', origins.page);
    void servePage(req, res, 'lab', origins, scenarios).catch((e: unknown) => fail(res, e));
  });
  const apiServer = createServer((req, res) => {
    // The API answers under its address and under its name (api-by-name).
    const byName = (req.headers.host ?? '').startsWith('api.example');
    log(req, res, 'api', byName ? (origins['api-by-name'] ?? origins.api) : origins.api);
    serveScenario(req, res, byName ? 'api-by-name' : 'api', origins, scenarios);
  });
  const otherServer = createServer((req, res) => {
    log(req, res, 'other', origins.other);
    serveScenario(req, res, 'other', origins, scenarios);
  });
  const servers: Server[] = [pageServer, apiServer, otherServer];
  const overrides: string[] = [];
  const permissionGrants: LabPermissionGrant[] = [];

  try {
    origins.page = `http://127.0.0.1:${await listen(pageServer, '127.0.0.1')}`;
    const apiPort = await listen(apiServer, '127.0.0.1');
    origins.api = `http://127.0.0.1:${apiPort}`;
    // `localhost` is a different origin (and site) from 127.0.0.1; Chromium resolves it to loopback itself.
    origins.other = `http://localhost:${await listen(otherServer, '127.0.0.1')}`;

    if (targets.has('api-by-name')) origins['api-by-name'] = `http://api.example:${apiPort}`;
    if (targets.has('lan')) {
      const lanServer = createServer((req, res) => {
        log(req, res, 'lan', origins.lan ?? '');
        serveScenario(req, res, 'lan', origins, scenarios);
      });
      servers.push(lanServer);
      const port = await listen(lanServer, '127.0.0.1');
      origins.lan = `http://lan.example:${port}`;
      overrides.push(`127.0.0.1:${port}=local`);
    }
    if (targets.has('dead')) origins.dead = `http://127.0.0.1:${await unusedPort()}`;

    let tls: { key: Buffer; cert: Buffer } | undefined;
    for (const variant of variants) {
      const how = PAGE_VARIANTS[variant];
      const handler = (req: IncomingMessage, res: ServerResponse): void => {
        log(req, res, `page:${variant}`, origins.pages?.[variant] ?? '');
        void servePage(req, res, variant, origins, scenarios).catch((e: unknown) => fail(res, e));
      };
      let server: Server;
      if (how.https) {
        tls ??= selfSignedCertificate();
        server = createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
      } else {
        server = createServer(handler);
      }
      servers.push(server);
      const port = await listen(server, '127.0.0.1');
      const origin = `${how.https ? 'https' : 'http'}://${how.host}:${port}`;
      (origins.pages ??= {})[variant] = origin;
      if (how.space) overrides.push(`127.0.0.1:${port}=${how.space}`);
      if (variant === 'public-granted') permissionGrants.push({ origin, permissions: GRANTED_PERMISSIONS });
    }
  } catch (e) {
    await Promise.all(servers.map(close));
    throw e;
  }

  const usesNames = Object.values(origins.pages ?? {}).some((o) => o.includes('.example')) || !!origins.lan || !!origins['api-by-name'];
  const usesHttps = variants.some((v) => PAGE_VARIANTS[v].https);
  const chromiumArgs = [
    ...(usesNames ? ['--host-resolver-rules=MAP *.example 127.0.0.1'] : []),
    ...(overrides.length > 0 ? [`--ip-address-space-overrides=${overrides.join(',')}`] : []),
    ...(usesHttps ? ['--ignore-certificate-errors'] : []),
  ];
  const devtoolsBlockedUrls = scenarios.some((s) => s.browserSetup === 'devtools-request-blocking') ? [DEVTOOLS_BLOCKED_URL_PATTERN] : [];

  return {
    pageOrigin: origins.page,
    apiOrigin: origins.api,
    otherOrigin: origins.other,
    origins,
    pageUrl: `${origins.page}/`,
    pageUrlFor: (variant) => {
      const origin = variant === 'lab' ? origins.page : origins.pages?.[variant];
      if (!origin) throw new Error(`the lab serves no ${variant} page`);
      return `${origin}/`;
    },
    scenarios,
    chromiumArgs,
    permissionGrants,
    devtoolsBlockedUrls,
    requests,
    stop: async () => {
      await Promise.all(servers.map(close));
    },
  };
}

/** A throw-away self-signed certificate for `*.example` (Chromium runs with --ignore-certificate-errors anyway). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-lab-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-subj', '/CN=lab.example', '-addext', 'subjectAltName=DNS:*.example,DNS:localhost,IP:127.0.0.1',
        '-keyout', keyFile, '-out', certFile],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  } catch (e) {
    throw new Error(`the lab's https pages need openssl (apt-get install openssl): ${(e as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A port that was free a moment ago and that nothing listens on now (connection refused). */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, '127.0.0.1');
  await close(probe);
  return port;
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
  variant: LabPageVariant,
  origins: LabOrigins,
  scenarios: readonly LabScenario[],
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://lab.invalid').pathname;
  if (path === '/' || path === '/index.html') {
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (variant === 'lab') headers['Set-Cookie'] = `${LAB_COOKIE}; Path=/; SameSite=Lax`;
    else for (const [name, value] of PAGE_VARIANTS[variant].headers) headers[name] = value;
    res.writeHead(200, headers);
    res.end(labPageHtml(origins, scenarios, variant));
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
  server: 'api' | 'other' | 'lan' | 'api-by-name',
  origins: LabOrigins,
  scenarios: readonly LabScenario[],
): void {
  const url = new URL(req.url ?? '/', origins[server] ?? 'http://lab.invalid');
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
  // Consume the request body before answering, so the client never sees a reset (unless the scenario wants one).
  req.resume();
  req.on('end', () => {
    const respond = (): void => {
      if (res.destroyed) return;
      if (answer.connection === 'close-without-answer') {
        req.socket.destroy();
        return;
      }
      if (answer.connection === 'reset-after-headers') {
        // Promise a longer body than is sent, flush the headers and a first chunk, then reset (RST) the connection.
        const data = Buffer.from(body.data);
        raw.push('Content-Length', String(data.length + 1024));
        res.writeHead(answer.status, raw);
        res.write(data);
        setTimeout(() => req.socket.resetAndDestroy(), 100);
        return;
      }
      res.writeHead(answer.status, raw);
      res.end(req.method === 'HEAD' || answer.status === 204 || answer.status === 304 ? undefined : body.data);
    };
    if (answer.delayMs) setTimeout(respond, answer.delayMs);
    else respond();
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
    case 'html':
      return {
        type: 'text/html',
        data: `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n`,
      };
    case 'empty':
      return { data: '' };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const VARIANT_TITLES: Record<LabPageVariant, string> = {
  lab: 'the lab page',
  coep: 'a page with Cross-Origin-Embedder-Policy: require-corp',
  csp: "a page with Content-Security-Policy: connect-src 'self'; img-src 'self'",
  public: 'a public https page (Local Network Access)',
  'public-granted': 'a public https page granted the Local Network Access permission',
  'public-insecure': 'a public page over plain http (Local Network Access)',
  https: 'an https page (mixed content)',
};

/**
 * A lab page: one button per scenario that runs on it plus "Run all"; the logic lives in page/lab-page.js. The lab
 * page also links to the page variants (and each variant back to it).
 */
export function labPageHtml(origins: LabOrigins, allScenarios: readonly LabScenario[], variant: LabPageVariant = 'lab'): string {
  const scenarios = allScenarios.filter((s) => (s.page ?? 'lab') === variant);
  const pageOrigin = variant === 'lab' ? origins.page : (origins.pages?.[variant] ?? '');
  const config = JSON.stringify({ origins, scenarios, page: variant }).replace(/</g, '\\u003c');
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
  const variantLinks = Object.entries(origins.pages ?? {})
    .map(([v, origin]) => {
      const n = allScenarios.filter((s) => s.page === v).length;
      return `<li><a href="${escapeHtml(`${origin}/`)}">${escapeHtml(origin)}</a>: ${escapeHtml(VARIANT_TITLES[v as LabPageVariant])} (${n} scenario${n === 1 ? '' : 's'})</li>`;
    })
    .join('\n');
  const others =
    variant === 'lab'
      ? variantLinks
        ? `<h2>Pages for the scenarios beside CORS</h2>
<p>These scenarios need another page; each opens in this tab (DevTools keeps its CORS tab; tick "Preserve log" to keep the list).</p>
<ul id="page-variants">
${variantLinks}
</ul>`
        : ''
      : `<p><a href="${escapeHtml(`${origins.page}/`)}">Back to the lab page</a></p>`;
  const heading = variant === 'lab' ? 'CORS Lens lab' : `CORS Lens lab: ${VARIANT_TITLES[variant]}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(heading)}</title>
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
<h1>${escapeHtml(heading)}</h1>
<p>Page origin <code>${escapeHtml(pageOrigin)}</code>, API origin <code>${escapeHtml(origins.api)}</code>,
redirect target <code>${escapeHtml(origins.other)}</code>. Open DevTools on the <b>CORS</b> tab, then run scenarios.
What the page sees is printed next to each button; the CORS tab explains why.</p>
<p><button type="button" id="run-all">Run all</button> <output id="run-all-status"></output></p>
<ol id="scenarios">
${rows}
</ol>
${others}
<script id="lab-config" type="application/json">${config}</script>
<script type="module" src="/lab-page.js"></script>
</body>
</html>
`;
}
