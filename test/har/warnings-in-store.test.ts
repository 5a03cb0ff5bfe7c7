import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/har/exchangeStore.js';

/** A credentialed GET the server answered by copying the request's Origin into Allow-Origin. */
function echoed(origin: string, at: number) {
  return {
    _resourceType: 'fetch',
    _initiator: { type: 'script' },
    startedDateTime: new Date(Date.parse('2026-11-20T10:00:00.000Z') + at).toISOString(),
    time: 5,
    request: {
      method: 'GET',
      url: `http://api.test/account?n=${at}`,
      headers: [
        { name: 'Host', value: 'api.test' },
        { name: 'Origin', value: origin },
        { name: 'Cookie', value: 'sid=1' },
        { name: 'Sec-Fetch-Mode', value: 'cors' },
      ],
    },
    response: {
      status: 200,
      headers: [
        { name: 'Access-Control-Allow-Origin', value: origin },
        { name: 'Access-Control-Allow-Credentials', value: 'true' },
        { name: 'Vary', value: 'Origin' },
      ],
    },
  };
}

const reflectedIds = (store: ReturnType<typeof createExchangeStore>) =>
  store.list().map((r) => r.warnings.filter((w) => w.id.startsWith('allowOriginLooksReflected')).length);

describe('risk warnings in the store', () => {
  it('flags a server that echoes two different origins with credentials, fed all at once', () => {
    const store = createExchangeStore();
    store.addEntries([echoed('http://one.test', 0), echoed('http://two.test', 100)]);
    expect(store.list().map((r) => r.verdict)).toEqual(['allowed', 'allowed']);
    expect(reflectedIds(store)).toEqual([1, 1]);
  });

  it('gives the same warnings fed one by one, and reports the earlier exchange as updated', () => {
    const store = createExchangeStore();
    const first = store.addEntries([echoed('http://one.test', 0)]);
    expect(reflectedIds(store)).toEqual([0]);
    const second = store.addEntries([echoed('http://two.test', 100)]);
    expect(second.added).toHaveLength(1);
    expect(second.updated).toEqual(first.added);
    expect(reflectedIds(store)).toEqual([1, 1]);
  });
});
