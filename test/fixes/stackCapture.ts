/**
 * A HAR of real servers' answers: each fix-proof runtime (test/fixes/runtimes.ts) is started with a config that allows
 * http://127.0.0.1:8001, then asked a GET from another origin, which it answers without allowing it: the response
 * Chromium would block. Recorded as Chromium's HAR records a blocked fetch (status and headers as the server sent them,
 * `_error: net::ERR_FAILED`), with the headers exactly as they came back (names lower-cased by fetch).
 *
 * test/fixtures/servers/real-stacks.har was written by this (`npx tsx test/fixes/stackCapture.ts > …`).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFix } from '../../src/fixes/index.js';
import type { ServerId } from '../../src/fixes/model.js';
import { RUNTIMES, freePort, startExample } from './runtimes.js';

export const PAGE_ORIGIN = 'http://127.0.0.1:9001';

export async function captureStack(server: ServerId, startedAt: Date): Promise<Record<string, unknown>> {
  const runtime = RUNTIMES[server];
  if (runtime === undefined) throw new Error(`no runtime for ${server}`);
  const port = await freePort();
  const fix = generateFix(server, {
    origins: ['http://127.0.0.1:8001'],
    methods: [],
    requestHeaders: [],
    credentials: false,
    exposeHeaders: [],
    maxAgeSeconds: 600,
    path: '/api',
    preflight: false,
    requestMethod: 'GET',
  }, { port });
  const running = await startExample(runtime, fix, port);
  try {
    const url = `http://127.0.0.1:${port}/api`;
    const requestHeaders = [
      ['Accept', '*/*'],
      ['Origin', PAGE_ORIGIN],
      ['Sec-Fetch-Mode', 'cors'],
      ['Sec-Fetch-Site', 'same-site'],
      ['Sec-Fetch-Dest', 'empty'],
      ['Referer', `${PAGE_ORIGIN}/`],
    ] as const;
    const response = await fetch(url, { headers: Object.fromEntries(requestHeaders) });
    await response.arrayBuffer();
    return {
      _resourceType: 'fetch',
      _initiator: { type: 'script' },
      startedDateTime: startedAt.toISOString(),
      time: 5,
      request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: requestHeaders.map(([name, value]) => ({ name, value })), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: {
        status: response.status,
        statusText: response.statusText,
        httpVersion: 'HTTP/1.1',
        headers: [...response.headers].map(([name, value]) => ({ name, value })),
        cookies: [],
        content: { size: 0, mimeType: response.headers.get('content-type') ?? '' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _error: 'net::ERR_FAILED',
      },
      cache: {},
      timings: { send: 0, wait: 5, receive: 0 },
    };
  } finally {
    await running.stop();
  }
}

/** A HAR with one blocked GET per stack, in the order given; each stack must be runnable here. */
export async function captureStacks(servers: readonly ServerId[]): Promise<{ log: Record<string, unknown> }> {
  const entries: Record<string, unknown>[] = [];
  const base = Date.parse('2026-12-02T09:00:00.000Z');
  for (const [i, server] of servers.entries()) entries.push(await captureStack(server, new Date(base + i * 1000)));
  return { log: { version: '1.2', creator: { name: 'cors-lens test/fixes/stackCapture.ts', version: '1' }, pages: [], entries } };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const servers = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['express', 'flask', 'nginx', 'php', 'fastapi', 'caddy', 'apache', 'go']) as ServerId[];
  console.log(JSON.stringify(await captureStacks(servers), null, 2));
}
