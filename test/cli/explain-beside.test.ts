/** `cors-lens explain` on failures beside CORS: the family, headline and Chrome's line in text; `--only blocked` keeps them. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cors-lens.js';
import type { CliIo } from '../../src/cli/io.js';
import { documentEntry, entry, harOf } from '../engine/blockers/har.js';

const dir = mkdtempSync(join(tmpdir(), 'cors-lens-beside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), isTTY: false, env: {}, cwd: dir };
  return io;
}

const PAGE = 'https://app.example.com/';
const har = harOf(
  documentEntry(PAGE, { serverIPAddress: '203.0.113.9' }),
  entry({ url: 'http://localhost:3000/api', page: PAGE, error: 'net::ERR_FAILED' }),
  entry({ url: 'https://cdn.other.example/logo.png', page: PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Cross-Origin-Resource-Policy': 'same-origin' }, error: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin' }),
  entry({ url: 'https://api.example.com/down', page: PAGE, error: 'net::ERR_CONNECTION_REFUSED' }),
);
writeFileSync(join(dir, 'beside.har'), JSON.stringify(har));

describe('cors-lens explain beside CORS', () => {
  it('text: the family badge and headline first, Chrome’s line where it prints one, the fix', async () => {
    const io = recordingIo();
    await main(['explain', join(dir, 'beside.har'), '--no-fail'], io);
    expect(io.out).toMatch(/stopped: +\[LNA\] Blocked by Chrome’s Local Network Access permission/);
    expect(io.out).toMatch(/chrome: +LocalNetworkAccessPermissionDenied or InvalidLocalNetworkAccess/);
    expect(io.out).toMatch(/stopped: +\[CORP\]/);
    expect(io.out).toMatch(/console: +Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE\.NotSameOrigin/);
    expect(io.out).toMatch(/NETWORK ERROR +GET https:\/\/api\.example\.com\/down/);
    expect(io.out).not.toMatch(/has been blocked by CORS policy: No 'Access-Control-Allow-Origin'/);
  });

  it('--only blocked keeps the requests something beside CORS blocked, and drops the dead connection', async () => {
    const io = recordingIo();
    await main(['explain', join(dir, 'beside.har'), '--only', 'blocked', '--json', '--no-fail'], io);
    const report = JSON.parse(io.out) as { exchanges: { url: string; verdict: string; blocker?: { family: string } }[] };
    expect(report.exchanges.map((e) => [e.blocker?.family, e.verdict])).toEqual([
      ['local-network-access', 'blocked'],
      ['corp', 'blocked'],
    ]);
  });
});
