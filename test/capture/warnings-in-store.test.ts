import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { credentialedEchoEntry as echoed } from './helpers.js';


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
