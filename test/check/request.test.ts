/**
 * What `check` puts on the wire and how it names what comes back: the page's request as Chromium sends it (read at a
 * raw TCP server, byte for byte), the preflight's Access-Control-Request-* pair, redirects (Origin: null after a
 * cross-origin hop, 303 to GET, no redirect followed on a preflight), and transport failures named as Chromium names
 * them (refused, DNS, TLS with the certificate problem, non-HTTP answers, empty answers, timeouts), and a proxy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actualRequest, buildPageRequest, CheckInputError, firstHop, nextHop, preflightRequest, needsPreflight } from '../../src/check/buildRequest.js';
import { checkCors, judgeExpectation } from '../../src/check/checkCors.js';
import { bypassesProxy, describeTransportError, proxyFor, sendRequest } from '../../src/check/send.js';
import { addressSpaceOf, pageAddressSpace } from '../../src/check/addressSpace.js';

const PAGE = 'http://app.test:8080';

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}
const openSockets = new Map<Server | TcpServer, Set<Socket>>();
function close(server: Server | TcpServer): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    for (const socket of openSockets.get(server) ?? []) socket.destroy();
    server.close(() => resolve());
  });
}
/** A raw TCP server whose sockets `close` destroys (a silent server keeps its connections open). */
function tcp(handler: (socket: Socket) => void = () => undefined): TcpServer {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    handler(socket);
  });
  openSockets.set(server, sockets);
  return server;
}

describe('the page request, as fetch accepts it', () => {
  it('drops forbidden headers the way the browser does, and says so', () => {
    const request = buildPageRequest({
      url: 'http://api.test/x',
      origin: PAGE,
      method: 'post',
      headers: ['Cookie: a=1', 'Origin: http://evil.test', 'X-Token: abc', 'Sec-Fetch-Mode: navigate', 'User-Agent: me', 'x-token: def'],
      body: 'hello',
    });
    expect(request.method).toBe('POST');
    expect(request.authorHeaders).toEqual([
      ['X-Token', 'abc, def'],
      ['Content-Type', 'text/plain;charset=UTF-8'],
    ]);
    expect(request.dropped.map((d) => d.name)).toEqual(['Cookie', 'Origin', 'Sec-Fetch-Mode', 'User-Agent']);
    expect(request.changesData).toBe(true);
  });

  it('keeps a method fetch does not normalize as written, and refuses what fetch refuses', () => {
    expect(buildPageRequest({ url: 'http://api.test/', origin: PAGE, method: 'patch' }).method).toBe('patch');
    expect(buildPageRequest({ url: 'http://api.test/', origin: PAGE, method: 'delete' }).method).toBe('DELETE');
    const refused: [Parameters<typeof buildPageRequest>[0], RegExp][] = [
      [{ url: 'http://api.test/', origin: PAGE, method: 'TRACE' }, /never sends TRACE/],
      [{ url: 'http://api.test/', origin: PAGE, body: 'x' }, /GET request cannot have a body/],
      [{ url: 'ftp://api.test/', origin: PAGE }, /http and https requests only/],
      [{ url: 'http://u:p@api.test/', origin: PAGE }, /user name or password/],
      [{ url: 'http://api.test/', origin: 'http://app.test/path' }, /scheme, host and port only/],
      [{ url: 'http://api.test/', origin: 'app.test' }, /--origin/],
      [{ url: 'http://api.test/', origin: PAGE, headers: ['X-A: a\r\nInjected: 1'] }, /CR or LF/],
      [{ url: 'http://api.test/', origin: PAGE, headers: ['Bad Name: 1'] }, /not a valid header name/],
      [{ url: 'http://api.test/', origin: PAGE, kind: 'font', credentials: true }, /credentials mode "same-origin"/],
      [{ url: 'http://api.test/', origin: PAGE, kind: 'image', method: 'POST' }, /always loaded with GET/],
    ];
    for (const [input, message] of refused) expect(() => buildPageRequest(input), JSON.stringify(input)).toThrow(message);
    expect(() => buildPageRequest({ url: 'http://api.test/', origin: PAGE, method: 'TRACE' })).toThrow(CheckInputError);
  });

  it('builds the preflight Chromium sends: the method as written, unsafe header names lower-case, sorted, no spaces', () => {
    const page = buildPageRequest({
      url: 'http://api.test/x',
      origin: PAGE,
      method: 'patch',
      headers: ['X-Zeta: 1', 'Authorization: Bearer t', 'Accept: */*', 'X-Alpha: 2'],
      contentType: 'application/json',
    });
    const hop = firstHop(page);
    const decision = needsPreflight(hop);
    expect(decision.required).toBe(true);
    const preflight = preflightRequest(page, hop, decision);
    expect(preflight.method).toBe('OPTIONS');
    const headers = Object.fromEntries(preflight.headers);
    expect(headers['Access-Control-Request-Method']).toBe('patch');
    expect(headers['Access-Control-Request-Headers']).toBe('authorization,content-type,x-alpha,x-zeta');
    expect(headers.Origin).toBe(PAGE);
    expect(headers['Sec-Fetch-Mode']).toBe('cors');
    // No author header and no credentials on a preflight.
    expect(preflight.headers.map(([n]) => n.toLowerCase())).not.toContain('authorization');
    expect(preflight.headers.map(([n]) => n.toLowerCase())).not.toContain('x-zeta');
  });

  it('needs no preflight for a safelisted request, or for a same-origin one whatever it carries', () => {
    const simple = buildPageRequest({ url: 'http://api.test/x', origin: PAGE, method: 'POST', contentType: 'text/plain', body: 'x' });
    expect(needsPreflight(firstHop(simple)).required).toBe(false);
    const tooLong = buildPageRequest({ url: 'http://api.test/x', origin: PAGE, headers: [`Accept-Language: ${'a'.repeat(129)}`] });
    expect(needsPreflight(firstHop(tooLong))).toMatchObject({ required: true, unsafeHeaders: ['accept-language'] });
    const sameOrigin = buildPageRequest({ url: `${PAGE}/x`, origin: PAGE, method: 'PUT', headers: ['X-Token: 1'] });
    expect(needsPreflight(firstHop(sameOrigin)).required).toBe(false);
  });

  it('follows a redirect as fetch does: Origin null after leaving a foreign origin, 303 → GET without body headers, Authorization dropped', () => {
    const page = buildPageRequest({ url: 'http://api.test/a', origin: PAGE, method: 'POST', headers: ['Authorization: Bearer t'], contentType: 'application/json', body: '{}' });
    const hop0 = firstHop(page);
    expect(hop0.originSent).toBe(PAGE);
    const hop1 = nextHop(page, hop0, 303, 'http://other.test/b');
    expect(hop1.originSent).toBe('null');
    expect(hop1.method).toBe('GET');
    expect(hop1.body).toBeUndefined();
    expect(hop1.authorHeaders).toEqual([]);
    expect(hop1.site).toBe('cross-site');
    // A same-origin hop on the API keeps the page's origin.
    const same = nextHop(page, hop0, 307, 'http://api.test/c');
    expect(same.originSent).toBe(PAGE);
    expect(same.method).toBe('POST');
    expect(same.authorHeaders.map(([n]) => n)).toEqual(['Authorization', 'Content-Type']);
  });
});

describe('what the browser adds or refuses beside CORS', () => {
  it('sends the cookie only with credentials, only on the actual request, only to the URL’s host', () => {
    expect(() => buildPageRequest({ url: 'http://api.test/', origin: PAGE, cookie: 'sid=1' })).toThrow(/add --credentials/);
    const page = buildPageRequest({ url: 'http://api.test/', origin: PAGE, method: 'PUT', credentials: true, cookie: 'sid=1; theme=dark' });
    const hop = firstHop(page);
    expect(actualRequest(page, hop).headers).toContainEqual(['Cookie', 'sid=1; theme=dark']);
    expect(preflightRequest(page, hop, needsPreflight(hop)).headers.map(([n]) => n)).not.toContain('Cookie');
    const elsewhere = nextHop(page, hop, 307, 'http://other.test/');
    expect(actualRequest(page, elsewhere).headers.map(([n]) => n)).not.toContain('Cookie');
  });

  it('refuses mixed content as Chromium does (an https page, a plain-http name), upgrades a mixed image, allows http://localhost', () => {
    expect(() => buildPageRequest({ url: 'http://api.example/x', origin: 'https://app.example' })).toThrow(/mixed content, blocked before CORS/);
    const image = buildPageRequest({ url: 'http://cdn.example/a.png', origin: 'https://app.example', kind: 'image' });
    expect(image.url).toBe('https://cdn.example/a.png');
    expect(image.notes[0]).toContain('upgraded to https');
    expect(buildPageRequest({ url: 'http://localhost:3000/x', origin: 'https://app.example' }).url).toBe('http://localhost:3000/x');
    expect(buildPageRequest({ url: 'http://127.0.0.1:3000/x', origin: 'https://app.example' }).url).toBe('http://127.0.0.1:3000/x');
  });
});

describe('Local Network Access', () => {
  it('knows the address spaces', async () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.2'].map(addressSpaceOf)).toEqual(['loopback', 'loopback', 'loopback']);
    expect(['10.1.2.3', '192.168.0.1', '172.20.0.1', 'fd00::1', '169.254.1.1'].map(addressSpaceOf)).toEqual(['local', 'local', 'local', 'local', 'local']);
    expect(['8.8.8.8', '172.32.0.1', '2001:db8::1'].map(addressSpaceOf)).toEqual(['public', 'public', 'public']);
    expect(await pageAddressSpace('http://localhost:5173')).toBe('loopback');
    expect(await pageAddressSpace('https://203.0.113.7')).toBe('public');
    expect(await pageAddressSpace('https://no-such-host.invalid')).toBeUndefined();
  });

  it('says when a public page reaching a loopback server needs the user’s permission, and not for a loopback page', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end());
    const port = await listen(server);
    try {
      const fromPublic = await checkCors({ url: `http://127.0.0.1:${port}/`, origin: 'https://203.0.113.7', env: {} });
      expect(fromPublic.report.verdict).toBe('allowed');
      expect(fromPublic.notes.join(' ')).toMatch(/Local Network Access: .*loopback-network permission.*LocalNetworkAccessPermissionDenied/);
      const fromLoopback = await checkCors({ url: `http://127.0.0.1:${port}/`, origin: 'http://localhost:5173', env: {} });
      expect(fromLoopback.notes).toEqual([]);
    } finally {
      await close(server);
    }
  });
});

describe('on the wire', () => {
  let raw: TcpServer;
  let rawPort: number;
  const seen: string[] = [];
  beforeAll(async () => {
    raw = tcp((socket: Socket) => {
      socket.once('data', (data) => {
        seen.push(data.toString('latin1'));
        socket.end('HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\naccess-control-allow-origin: *\r\n\r\n');
      });
    });
    rawPort = await listen(raw);
  });
  afterAll(() => close(raw));

  it('sends the method as the page wrote it (Node alone would upper-case it), and reads repeated header lines apart', async () => {
    const outcome = await sendRequest({ method: 'patch', url: `http://127.0.0.1:${rawPort}/p?q=1`, headers: [['X-Token', 'a']], body: 'x' }, { timeoutMs: 5000, env: {} });
    expect(seen.at(-1)).toMatch(/^patch \/p\?q=1 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nX-Token: a\r\nContent-Length: 1\r\n/);
    expect(outcome).toMatchObject({ ok: true, response: { status: 204, headers: [['Access-Control-Allow-Origin', '*'], ['access-control-allow-origin', '*']] } });
  });

  it('sends what Chromium adds to a cross-origin fetch, and the engine sees the two Allow-Origin lines', async () => {
    const result = await checkCors({ url: `http://127.0.0.1:${rawPort}/r`, origin: PAGE, env: {} });
    const request = seen.at(-1)!;
    expect(request).toMatch(/^GET \/r HTTP\/1\.1\r\n/);
    for (const line of ['Accept: */*', `Origin: ${PAGE}`, 'Sec-Fetch-Mode: cors', 'Sec-Fetch-Site: cross-site', 'Sec-Fetch-Dest: empty', `Referer: ${PAGE}/`]) {
      expect(request).toContain(`\r\n${line}\r\n`);
    }
    expect(result.report.failure?.chromeCorsError).toBe('MultipleAllowOriginValues');
    expect(judgeExpectation(result, 'blocked')).toMatchObject({ holds: true, observed: 'blocked' });
    expect(judgeExpectation(result, 'allowed')).toMatchObject({ holds: false, observed: 'blocked' });
  });

  it('a same-origin request is not CORS: no Origin on a GET, and allowed for --expect', async () => {
    const origin = `http://127.0.0.1:${rawPort}`;
    const result = await checkCors({ url: `${origin}/same`, origin, env: {} });
    expect(seen.at(-1)).toContain('Sec-Fetch-Site: same-origin');
    expect(seen.at(-1)).not.toContain('Origin:');
    expect(result.report.verdict).toBe('not-cors');
    expect(judgeExpectation(result, 'allowed')).toMatchObject({ holds: true, observed: 'allowed' });
  });
});

describe('failures, named', () => {
  const servers: (Server | TcpServer)[] = [];
  let certDir: string;
  afterAll(async () => {
    await Promise.all(servers.map(close));
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('reads an answer as leniently as the browser does (bare LF line ends): judged, not a network error', async () => {
    const lf = tcp((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: http://elsewhere.test\nContent-Length: 0\n\n')));
    servers.push(lf);
    const port = await listen(lf);
    const result = await checkCors({ url: `http://127.0.0.1:${port}/`, origin: PAGE, env: {} });
    expect(result.report.failure).toMatchObject({ chromeCorsError: 'AllowOriginMismatch', failedParameter: 'http://elsewhere.test' });
  });

  it('a body that breaks off after good CORS headers fails the request at the network level; after bad ones CORS names it', async () => {
    const broken = (acao: string) =>
      tcp((socket) => socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: ${acao}\r\nContent-Length: 100\r\n\r\nonly ten b`)));
    const good = broken('*');
    const bad = broken('http://elsewhere.test');
    servers.push(good, bad);
    const [goodPort, badPort] = [await listen(good), await listen(bad)];
    const cut = await checkCors({ url: `http://127.0.0.1:${goodPort}/`, origin: PAGE, env: {} });
    expect(cut.report.verdict).toBe('network-error');
    expect(cut.transportError).toMatchObject({ netError: 'net::ERR_CONTENT_LENGTH_MISMATCH' });
    expect(cut.sent[0]).toMatchObject({ status: 200, error: { netError: 'net::ERR_CONTENT_LENGTH_MISMATCH' } });
    const blocked = await checkCors({ url: `http://127.0.0.1:${badPort}/`, origin: PAGE, env: {} });
    expect(blocked.report.failure?.chromeCorsError).toBe('AllowOriginMismatch');
  });

  it('a refused connection and an unknown host', async () => {
    const closed = tcp();
    const port = await listen(closed);
    await close(closed);
    const refused = await checkCors({ url: `http://127.0.0.1:${port}/`, origin: PAGE, env: {} });
    expect(refused.report.verdict).toBe('network-error');
    expect(refused.transportError).toMatchObject({ netError: 'net::ERR_CONNECTION_REFUSED', kind: 'refused' });
    expect(judgeExpectation(refused, 'allowed')).toMatchObject({ holds: false, observed: 'network-error' });
    expect(judgeExpectation(refused, 'blocked').holds).toBe(false);
    const dns = await checkCors({ url: 'http://no-such-host.invalid/', origin: PAGE, env: {} });
    expect(dns.transportError).toMatchObject({ netError: 'net::ERR_NAME_NOT_RESOLVED', kind: 'dns' });
    expect(dns.transportError?.message).toContain('no-such-host.invalid');
  });

  it('a preflight that gets no answer fails the request, and the actual request is never sent', async () => {
    let requests = 0;
    const dead = tcp((socket) => {
      requests++;
      socket.destroy();
    });
    servers.push(dead);
    const port = await listen(dead);
    const result = await checkCors({ url: `http://127.0.0.1:${port}/`, origin: PAGE, method: 'PUT', send: true, env: {} });
    expect(requests).toBe(1);
    expect(result.sent.map((s) => s.phase)).toEqual(['preflight']);
    expect(result.report.verdict).toBe('network-error');
    expect(result.transportError?.netError).toMatch(/^net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET)$/);
  });

  it('an answer that is not HTTP, and a server that never answers (timeout, no retry)', async () => {
    let garbageRequests = 0;
    const garbage = tcp((socket) => {
      garbageRequests++;
      socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    });
    let silentRequests = 0;
    const silent = tcp(() => void silentRequests++);
    servers.push(garbage, silent);
    const garbagePort = await listen(garbage);
    const silentPort = await listen(silent);
    const notHttp = await checkCors({ url: `http://127.0.0.1:${garbagePort}/`, origin: PAGE, env: {} });
    expect(notHttp.transportError).toMatchObject({ netError: 'net::ERR_INVALID_HTTP_RESPONSE', kind: 'not-http' });
    const timedOut = await checkCors({ url: `http://127.0.0.1:${silentPort}/`, origin: PAGE, timeoutMs: 300, env: {} });
    expect(timedOut.transportError).toMatchObject({ netError: 'net::ERR_TIMED_OUT', kind: 'timeout' });
    expect([garbageRequests, silentRequests]).toEqual([1, 1]);
  });

  it('TLS: a self-signed certificate is named, and so is TLS spoken to a plain-HTTP port', async () => {
    certDir = mkdtempSync(join(tmpdir(), 'cors-lens-check-tls-'));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    expect(made.status, 'openssl could not make a test certificate').toBe(0);
    const tls = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (_req, res) => res.end('x'));
    const plain = createHttpServer((_req, res) => res.end('x'));
    servers.push(tls, plain);
    const tlsPort = await listen(tls);
    const plainPort = await listen(plain);
    const selfSigned = await checkCors({ url: `https://127.0.0.1:${tlsPort}/`, origin: PAGE, env: {} });
    expect(selfSigned.transportError).toMatchObject({ netError: 'net::ERR_CERT_AUTHORITY_INVALID', kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(selfSigned.transportError?.message).toContain('self-signed');
    const wrongProtocol = await checkCors({ url: `https://127.0.0.1:${plainPort}/`, origin: PAGE, env: {} });
    expect(wrongProtocol.transportError).toMatchObject({ netError: 'net::ERR_SSL_PROTOCOL_ERROR', kind: 'tls' });
  });
});

describe('certificate problems, named as Chromium names them', () => {
  it('maps the OpenSSL verification codes Node reports', () => {
    const cases: [string, string, RegExp][] = [
      ['CERT_HAS_EXPIRED', 'net::ERR_CERT_DATE_INVALID', /has expired/],
      ['CERT_NOT_YET_VALID', 'net::ERR_CERT_DATE_INVALID', /not valid yet/],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'net::ERR_CERT_AUTHORITY_INVALID', /intermediate certificate/],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'net::ERR_CERT_AUTHORITY_INVALID', /self-signed/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'net::ERR_CERT_COMMON_NAME_INVALID', /does not name this host/],
      ['CERT_REVOKED', 'net::ERR_CERT_REVOKED', /revoked/],
    ];
    for (const [code, netError, words] of cases) {
      const described = describeTransportError(Object.assign(new Error(code), { code }), 'https://api.example:8443/x');
      expect(described, code).toMatchObject({ netError, kind: 'tls', code });
      expect(described.message, code).toMatch(words);
      expect(described.message, code).toContain('api.example:8443');
    }
  });
});

describe('proxy from the environment', () => {
  it('reads HTTP(S)_PROXY and honours NO_PROXY', () => {
    const env = { HTTP_PROXY: 'http://proxy.test:3128', NO_PROXY: 'localhost,.internal.test,api.test:8443' };
    expect(proxyFor('http://api.example/x', env)?.host).toBe('proxy.test:3128');
    expect(proxyFor('https://api.example/x', env)).toBeUndefined();
    expect(proxyFor('http://localhost:3000/', env)).toBeUndefined();
    expect(proxyFor('http://a.internal.test/', env)).toBeUndefined();
    expect(bypassesProxy(new URL('https://api.test:8443/'), env.NO_PROXY)).toBe(true);
    expect(bypassesProxy(new URL('https://api.test/'), env.NO_PROXY)).toBe(false);
    expect(bypassesProxy(new URL('http://x.test/'), '*')).toBe(true);
  });

  it('sends an http request through the proxy in absolute form, and tunnels https with CONNECT', async () => {
    const lines: string[] = [];
    const proxy = createHttpServer((req, res) => {
      lines.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
      res.end('via proxy');
    });
    proxy.on('connect', (req, socket: Socket) => {
      lines.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    const port = await listen(proxy);
    try {
      const env = { HTTP_PROXY: `http://127.0.0.1:${port}`, HTTPS_PROXY: `http://127.0.0.1:${port}` };
      const viaProxy = await checkCors({ url: 'http://api.example/items', origin: PAGE, env });
      expect(viaProxy.report.verdict).toBe('allowed');
      const tunnel = await checkCors({ url: 'https://api.example/items', origin: PAGE, env });
      expect(tunnel.transportError).toMatchObject({ kind: 'proxy', netError: 'net::ERR_TUNNEL_CONNECTION_FAILED' });
      expect(lines).toEqual(['GET http://api.example/items', 'CONNECT api.example:443']);
    } finally {
      await close(proxy);
    }
  });
});
