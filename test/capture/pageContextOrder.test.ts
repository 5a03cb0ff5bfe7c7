/**
 * The page's document (its CSP) and a host's address may reach the live store after the failed request they explain:
 * the request is judged again then, so feeding entries one at a time ends where a whole HAR at once does.
 */
import { describe, expect, it } from 'vitest';
import { createExchangeStore, evaluateExchange } from '../../src/lib/index.js';
import type { CapturedExchange } from '../../src/model/exchange.js';
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

  it('a document that started after a waiting request does not judge it again; one that started before does', () => {
    const judged: string[] = [];
    const store = createExchangeStore({}, {
      harContext: { creatorName: 'WebInspector' },
      evaluate: (exchange: CapturedExchange) => {
        judged.push(exchange.hops[0]!.request.url);
        return evaluateExchange(exchange);
      },
    });
    // Two refused requests before the page's first document is in the capture: both wait for it.
    const early = entry({ url: 'https://api.other.example/early', page: PAGE, error: '' });
    const late = entry({ url: 'https://api.other.example/late', page: PAGE, error: '' });
    const documentBetween = documentEntry(PAGE, { headers: { 'Content-Security-Policy': "connect-src 'self'" } });
    // Start order: early, document, late; delivered: early, late, then (one per call) three later navigations, then the document.
    [early.startedDateTime, documentBetween.startedDateTime, late.startedDateTime] = [
      early.startedDateTime,
      late.startedDateTime,
      new Date(Date.parse(late.startedDateTime as string) + 10).toISOString(),
    ];
    store.addEntries([early, late]);
    expect(judged.sort()).toEqual(['https://api.other.example/early', 'https://api.other.example/late']);
    judged.length = 0;
    for (let i = 0; i < 3; i++) store.addEntries([documentEntry(`${PAGE}?visit=${i}`)]);
    // Each later navigation started after both requests: it cannot be their page, so neither is judged again.
    expect(judged.filter((url) => url.startsWith('https://api.'))).toEqual([]);
    store.addEntries([documentBetween]);
    // The document that started before `late` is its page (CSP): `late` alone is judged again, and blocked by the CSP.
    expect(judged.filter((url) => url.startsWith('https://api.'))).toEqual(['https://api.other.example/late']);
    const byUrl = new Map(store.list().map((r) => [r.url, r]));
    expect(byUrl.get('https://api.other.example/late')?.blocker?.family).toBe('csp');
    expect(byUrl.get('https://api.other.example/early')?.blocker?.family ?? null).not.toBe('csp');
  });
});
