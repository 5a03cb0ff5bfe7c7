/**
 * Sends one request exactly as given, with node:http/https: one hop, no redirect followed (the caller decides, as the
 * browser does), a timeout, no retry. Responses are parsed as leniently as a browser reads them (bare LF line ends,
 * control characters in header values, as Chromium accepts): Node's strict parser would call those answers not HTTP. A proxy comes from HTTP_PROXY/HTTPS_PROXY/NO_PROXY (an http:// proxy; https
 * targets go through a CONNECT tunnel). Failures are named the way Chromium names them (`net::ERR_…`) with plain words
 * saying what went wrong, the certificate problem included for TLS errors.
 */
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { HeaderLine } from '../model/exchange.js';
import type { WireRequest } from './buildRequest.js';

export interface WireResponse {
  status: number;
  statusText: string;
  /** As received: names keep their case, repeated lines stay separate. */
  headers: HeaderLine[];
  /** The server's IP address, when connected directly (not through a proxy). */
  remoteAddress?: string;
}

/** Why no response came back. */
export interface TransportError {
  /** Chromium's net error for the same failure, e.g. `net::ERR_CONNECTION_REFUSED`. */
  netError: string;
  kind: 'dns' | 'refused' | 'reset' | 'empty-response' | 'timeout' | 'tls' | 'not-http' | 'unreachable' | 'proxy' | 'other';
  /** One sentence naming the problem, e.g. "the certificate has expired (CERT_HAS_EXPIRED)". */
  message: string;
  /** Node's error code, when it gave one. */
  code?: string;
}

/**
 * `bodyError`: the head arrived but the body broke off (the connection reset, fewer bytes than Content-Length, an
 * unfinished chunked body). Chromium fails such a request at the network level even when CORS passed.
 */
export type SendOutcome = { ok: true; response: WireResponse; bodyError?: TransportError } | { ok: false; error: TransportError };

/** Most of a body that is read before the rest is left unread (the verdict needs the head; the end proves the body arrived). */
const BODY_READ_LIMIT = 32 * 1024 * 1024;

export interface SendOptions {
  /** Whole request, connect to response headers (default 10 s). */
  timeoutMs?: number;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Sends one request and gives back the status and headers (the body is read and discarded). */
export type Sender = (request: WireRequest, options: SendOptions) => Promise<SendOutcome>;

export const DEFAULT_TIMEOUT_MS = 10_000;

const TLS_PROBLEMS: Readonly<Record<string, [netError: string, words: string]>> = {
  CERT_HAS_EXPIRED: ['net::ERR_CERT_DATE_INVALID', 'the server’s certificate has expired'],
  CERT_NOT_YET_VALID: ['net::ERR_CERT_DATE_INVALID', 'the server’s certificate is not valid yet'],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['net::ERR_CERT_AUTHORITY_INVALID', 'the server’s certificate is self-signed'],
  SELF_SIGNED_CERT_IN_CHAIN: ['net::ERR_CERT_AUTHORITY_INVALID', 'the certificate chain ends in a self-signed certificate that is not trusted'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['net::ERR_CERT_AUTHORITY_INVALID', 'the certificate’s issuer is not trusted (a private CA, or the server does not send its intermediate certificate)'],
  UNABLE_TO_GET_ISSUER_CERT: ['net::ERR_CERT_AUTHORITY_INVALID', 'the certificate’s issuer cannot be found (the server does not send its intermediate certificate)'],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['net::ERR_CERT_AUTHORITY_INVALID', 'the certificate cannot be verified (the server does not send its intermediate certificate)'],
  CERT_UNTRUSTED: ['net::ERR_CERT_AUTHORITY_INVALID', 'the certificate is not trusted'],
  CERT_REVOKED: ['net::ERR_CERT_REVOKED', 'the certificate has been revoked'],
  CERT_SIGNATURE_FAILURE: ['net::ERR_CERT_INVALID', 'the certificate’s signature is invalid'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['net::ERR_CERT_COMMON_NAME_INVALID', 'the certificate does not name this host'],
};

/** Node's error for a failed request, in Chromium's terms. */
export function describeTransportError(error: unknown, url: string): TransportError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; reason?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const withCode = (words: string) => (code === undefined ? words : `${words} (${code})`);
  if (error instanceof CheckTimeoutError) {
    return { netError: 'net::ERR_TIMED_OUT', kind: 'timeout', message: `no answer from ${host} within ${error.timeoutMs / 1000} s`, code: 'ETIMEDOUT' };
  }
  if (error instanceof ProxyError) return { netError: error.netError, kind: 'proxy', message: error.message };
  if (code !== undefined && TLS_PROBLEMS[code] !== undefined) {
    const [netError, words] = TLS_PROBLEMS[code];
    return { netError, kind: 'tls', message: `TLS error: ${withCode(words)} for ${host}`, code };
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return { netError: 'net::ERR_NAME_NOT_RESOLVED', kind: 'dns', message: withCode(`the host name ${JSON.stringify(new URL(url).hostname)} does not resolve (DNS)`), code };
    case 'ECONNREFUSED':
      return { netError: 'net::ERR_CONNECTION_REFUSED', kind: 'refused', message: withCode(`nothing accepts connections at ${host}: the connection was refused`), code };
    case 'ECONNRESET':
      if (message === 'socket hang up') {
        return { netError: 'net::ERR_EMPTY_RESPONSE', kind: 'empty-response', message: `${host} closed the connection without sending a response`, code };
      }
      return { netError: 'net::ERR_CONNECTION_RESET', kind: 'reset', message: withCode(`${host} reset the connection`), code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { netError: 'net::ERR_ADDRESS_UNREACHABLE', kind: 'unreachable', message: withCode(`${host} cannot be reached from this machine`), code };
    case 'ETIMEDOUT':
      return { netError: 'net::ERR_CONNECTION_TIMED_OUT', kind: 'timeout', message: withCode(`connecting to ${host} timed out`), code };
  }
  if (code?.startsWith('HPE_')) {
    return { netError: 'net::ERR_INVALID_HTTP_RESPONSE', kind: 'not-http', message: `${host} answered with something that is not HTTP (${code}: ${message})`, code };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code?.startsWith('ERR_SSL_')) {
    const words = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'the server did not answer with TLS (is this port plain HTTP?)' : `the TLS handshake failed: ${message}`;
    return { netError: 'net::ERR_SSL_PROTOCOL_ERROR', kind: 'tls', message: `TLS error: ${words} for ${host}`, code };
  }
  if (code?.startsWith('ERR_TLS_') || code?.startsWith('CERT_') || code?.includes('CERT')) {
    return { netError: 'net::ERR_CERT_INVALID', kind: 'tls', message: `TLS error: the certificate was refused: ${message} (${code})`, code };
  }
  return { netError: 'net::ERR_FAILED', kind: 'other', message: withCode(message), ...(code === undefined ? {} : { code }) };
}

/** A body that broke off after the head, named as Chromium names it. */
function describeBodyError(error: unknown, response: WireResponse, url: string): TransportError {
  const header = (name: string) => response.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const host = new URL(url).host;
  if (header('content-length') !== undefined) {
    return { netError: 'net::ERR_CONTENT_LENGTH_MISMATCH', kind: 'reset', message: `${host} closed the connection before sending the ${header('content-length')} bytes its Content-Length announced` };
  }
  if (/chunked/i.test(header('transfer-encoding') ?? '')) {
    return { netError: 'net::ERR_INCOMPLETE_CHUNKED_ENCODING', kind: 'reset', message: `${host} closed the connection in the middle of its chunked body` };
  }
  const described = describeTransportError(error, url);
  return described.netError === 'net::ERR_FAILED' || described.netError === 'net::ERR_EMPTY_RESPONSE'
    ? { netError: 'net::ERR_CONNECTION_RESET', kind: 'reset', message: `${host} broke off the connection in the middle of the body` }
    : described;
}

class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

class ProxyError extends Error {
  constructor(message: string, readonly netError: string) {
    super(message);
  }
}

/** The proxy to use for `url` from the usual variables (lower-case first, as curl reads them), or undefined. */
export function proxyFor(url: string, env: Readonly<Record<string, string | undefined>>): URL | undefined {
  const target = new URL(url);
  const raw = target.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (raw === undefined || raw.trim() === '') return undefined;
  if (bypassesProxy(target, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new ProxyError(`the proxy setting ${JSON.stringify(raw)} is not a URL`, 'net::ERR_PROXY_CONNECTION_FAILED');
  }
  if (proxy.protocol !== 'http:') {
    throw new ProxyError(`only http:// proxies are supported, not ${proxy.protocol} (${proxy.host})`, 'net::ERR_PROXY_CONNECTION_FAILED');
  }
  return proxy;
}

/** NO_PROXY: `*`, or comma/space-separated host names (a leading `.` or `*.` matches subdomains), optionally with a port. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''));
    const name = (portMatch?.[1] ?? entry).replace(/^\*?\./, '');
    const entryPort = portMatch?.[2];
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function flatten(headers: readonly HeaderLine[]): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}

function linesOf(raw: readonly string[]): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push([raw[i]!, raw[i + 1]!]);
  return lines;
}

/**
 * Node upper-cases every method it sends; the browser sends `patch` as written. The request line is rewritten before
 * anything is written to the socket (Node builds it when the request is created with an array of headers).
 */
function keepMethodCase(request: ClientRequest, method: string): void {
  const internal = request as unknown as { _header?: unknown; method: string };
  if (internal.method === method) return;
  if (typeof internal._header === 'string' && internal._header.startsWith(`${internal.method} `)) {
    internal._header = `${method}${internal._header.slice(internal.method.length)}`;
    return;
  }
  request.destroy(new Error(`this Node version cannot send the method ${method} as written (it would send ${internal.method})`));
}

/** A socket to `target` through an http:// proxy's CONNECT tunnel. */
function tunnel(proxy: URL, target: URL, timeoutMs: number, signal: { timedOut: boolean }): Promise<Socket> {
  const port = target.port || '443';
  const authority = `${target.hostname}:${port}`;
  const headers: string[] = ['Host', authority];
  if (proxy.username !== '') {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers.push('Proxy-Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers, agent: false, setHost: false });
    const timer = setTimeout(() => {
      signal.timedOut = true;
      connect.destroy(new CheckTimeoutError(timeoutMs));
    }, timeoutMs);
    connect.once('connect', (response: IncomingMessage, socket: Socket) => {
      clearTimeout(timer);
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new ProxyError(`the proxy ${proxy.host} refused the tunnel to ${authority}: ${response.statusCode} ${response.statusMessage ?? ''}`.trim(), 'net::ERR_TUNNEL_CONNECTION_FAILED'));
        return;
      }
      resolve(socket);
    });
    connect.once('error', (error) => {
      clearTimeout(timer);
      if (error instanceof CheckTimeoutError) reject(error);
      else reject(new ProxyError(`the proxy ${proxy.host} cannot be reached: ${describeTransportError(error, proxy.href).message}`, 'net::ERR_PROXY_CONNECTION_FAILED'));
    });
    connect.end();
  });
}

/** Sends one request through node:http/https and resolves with the response head, or the error named. */
export const sendRequest: Sender = async (request, options) => {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = options.env ?? process.env;
  const target = new URL(request.url);
  const started = Date.now();
  const signal = { timedOut: false };
  try {
    const proxy = proxyFor(request.url, env);
    const headers: HeaderLine[] = [['Host', target.host], ...request.headers];
    const bodyBytes = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    if (bodyBytes !== undefined) headers.push(['Content-Length', String(bodyBytes.length)]);
    else if (!['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(request.method.toUpperCase())) headers.push(['Content-Length', '0']);

    let make: () => ClientRequest;
    if (target.protocol === 'https:') {
      const socket = proxy === undefined ? undefined : await tunnel(proxy, target, timeoutMs, signal);
      // SNI names a host, never an address (RFC 6066).
      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      const servername = isIP(hostname) === 0 ? hostname : '';
      const options: https.RequestOptions = { method: request.method, headers: flatten(headers), agent: false, setHost: false, servername, insecureHTTPParser: true };
      if (socket !== undefined) options.createConnection = () => tls.connect({ socket, servername, ALPNProtocols: ['http/1.1'] });
      make = () => https.request(target, options);
    } else if (proxy !== undefined) {
      if (proxy.username !== '') {
        const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers.push(['Proxy-Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`]);
      }
      // Absolute-form request line to the proxy.
      make = () => http.request({ host: proxy.hostname, port: proxy.port || 80, path: target.href, method: request.method, headers: flatten(headers), agent: false, setHost: false, insecureHTTPParser: true });
    } else {
      make = () => http.request(target, { method: request.method, headers: flatten(headers), agent: false, setHost: false, insecureHTTPParser: true });
    }
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    const outcome = await new Promise<SendOutcome>((resolve, reject) => {
      const req = make();
      keepMethodCase(req, request.method);
      let head: WireResponse | undefined;
      const timer = setTimeout(() => {
        signal.timedOut = true;
        // A head that arrived is the answer; a body still coming after the timeout is left unread, not an error.
        if (head !== undefined) {
          req.destroy();
          resolve({ ok: true, response: head });
        } else req.destroy(new CheckTimeoutError(timeoutMs));
      }, remaining);
      req.once('response', (res: IncomingMessage) => {
        head = { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: linesOf(res.rawHeaders) };
        const remoteAddress = res.socket?.remoteAddress;
        if (proxy === undefined && remoteAddress !== undefined) head.remoteAddress = remoteAddress;
        const answer = head;
        // Read the body to its end (it proves the answer arrived whole), without keeping it.
        let received = 0;
        const done = (bodyError?: TransportError) => {
          clearTimeout(timer);
          resolve(bodyError === undefined ? { ok: true, response: answer } : { ok: true, response: answer, bodyError });
        };
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > BODY_READ_LIMIT) {
            res.destroy();
            done();
          }
        });
        res.once('end', () => done());
        res.once('error', (error) => {
          if (received > BODY_READ_LIMIT || signal.timedOut) return;
          done(describeBodyError(error, answer, request.url));
        });
      });
      req.once('error', (error) => {
        clearTimeout(timer);
        if (head === undefined) reject(error);
      });
      req.end(bodyBytes);
    });
    return outcome;
  } catch (error) {
    return { ok: false, error: describeTransportError(signal.timedOut && !(error instanceof CheckTimeoutError) ? new CheckTimeoutError(timeoutMs) : error, request.url) };
  }
};
