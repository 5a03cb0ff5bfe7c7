/**
 * The page's document (its CSP) and a host's address may reach the live store after the failed request they explain:
 * the request is judged again then, so feeding entries one at a time ends where a whole HAR at once does.
 */
import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/lib/index.js';
import { documentEntry, entry } from '../engine/blockers/har.js';

const PAGE = 'https://app.example.com/board';

function verdicts(entries: Record<string, unknown>[], oneByOne: boolean): string[] {
  const store = createExchangeStore({}, { harContext: { creatorName: 'WebInspector' } });
  if (oneByOne) for (const e of entries) store.addEntries([e]);
  else store.addEntries(entries);
  return store.list().map((r) => `${r.url} ${r.verdict} ${r.blocker?.family ?? '-'}`);
}

describe('context that arrives after the request it explains', () => {
  it('a CSP page document delivered after the refused request: CSP either way', () => {
    const doc = documentEntry(PAGE, { headers: { 'Content-Security-Policy': "connect-src 'self'" } });
    const refused = entry({ url: 'https://api.other.example/items', page: PAGE, error: '' });
    const batch = verdicts([doc, refused], false);
    expect(batch).toContain('https://api.other.example/items blocked csp');
    expect(verdicts([refused, doc], true)).toEqual(verdicts([refused, doc], false));
  });

  it('a host address learned from a later entry: LNA either way', () => {
    const refused = entry({ url: 'http://nas.home.example/api', page: PAGE, error: 'net::ERR_FAILED' });
    const image = entry({ url: 'http://nas.home.example/logo.png', page: PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Content-Type': 'image/png' }, serverIPAddress: '192.168.1.5' });
    const oneByOne = verdicts([refused, image], true);
    expect(oneByOne).toContain('http://nas.home.example/api blocked local-network-access');
    expect(oneByOne).toEqual(verdicts([refused, image], false));
  });
});
