/**
 * An entry the live source handed over unfinished (marked `_corsLensUnfinished`, also kept in an exported HAR): the
 * store judges its exchange "cannot tell" and says what DevTools never delivered, whatever the checks make of it.
 */
import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { UNFINISHED_ENTRY_FIELD } from '../../src/capture/entryCompleteness.js';
import type { CapturedExchange, EngineResult } from '../../src/model/exchange.js';
import { isPreflight, scenarioEntries, unfinishedCopy } from '../support/live-entries.js';

const MARK = "the response: DevTools handed over the entry with status 0, no response headers and no error; getHAR() still lacked it after 4 s (5 looks)";

const marked = (entry: object) => ({ ...entry, [UNFINISHED_ENTRY_FIELD]: MARK });

function engineSaying(result: Partial<EngineResult>) {
  return (exchange: CapturedExchange): EngineResult => ({
    verdict: 'blocked',
    checks: [{ id: 'allowOriginPresent', phase: 'response', hop: 0, status: 'fail' } as EngineResult['checks'][number]],
    preflight: { required: 'unknown', reasons: [] },
    assumptions: [],
    missing: [],
    rules: exchange.rules,
    ...result,
  });
}

describe('the store and an entry DevTools never finished', () => {
  it('with the real engine: "cannot tell", the mark first in `missing`, no failure named', () => {
    const [entry] = scenarioEntries('fail-wildcard-with-credentials');
    const store = createExchangeStore();
    store.addEntries([marked(unfinishedCopy(entry!))]);
    const [report] = store.list();
    expect(report!.verdict).toBe('unknown');
    expect(report!.failure).toBeFalsy();
    expect(report!.missing[0]).toBe(MARK);
  });

  it('an engine that reads a cause from the empty entry is overruled: its failed checks become unknown', () => {
    const [entry] = scenarioEntries('fail-allow-origin-missing');
    const store = createExchangeStore({}, { evaluate: engineSaying({}) });
    store.addEntries([marked(unfinishedCopy(entry!))]);
    const [report] = store.list();
    expect(report!.verdict).toBe('unknown');
    expect(report!.checks.map((c) => c.status)).toEqual(['unknown']);
  });

  it('a blocker that leaves exactly such an entry (the page’s CSP) is kept, with the mark added', () => {
    const [entry] = scenarioEntries('fail-allow-origin-missing');
    const csp = engineSaying({ verdict: 'not-cors', checks: [], blocker: { family: 'csp', kind: 'connect-src', hop: 0, values: {} } });
    const store = createExchangeStore({}, { evaluate: csp });
    store.addEntries([marked(unfinishedCopy(entry!))]);
    const [report] = store.list();
    expect(report!.verdict).toBe('not-cors');
    expect(report!.missing).toContain(MARK);
  });

  it('so is DevTools’ request blocking, named by the engine; a cause read from the empty entry alone is not', () => {
    const [entry] = scenarioEntries('fail-allow-origin-missing');
    const devtools = engineSaying({ verdict: 'blocked', checks: [], blocker: { family: 'devtools', kind: 'request-blocked', hop: 0, values: {} } });
    const store = createExchangeStore({}, { evaluate: devtools });
    store.addEntries([marked(unfinishedCopy(entry!))]);
    expect(store.list()[0]!.verdict).toBe('blocked');
    const allowed = createExchangeStore({}, { evaluate: engineSaying({ verdict: 'allowed', checks: [] }) });
    allowed.addEntries([marked(unfinishedCopy(entry!))]);
    expect(allowed.list()[0]!.verdict).toBe('unknown');
  });

  it('a preflight marked unfinished makes its exchange "cannot tell" too', () => {
    const entries = scenarioEntries('fail-preflight-behind-auth').map((e) => (isPreflight(e) ? marked(unfinishedCopy(e)) : e));
    const store = createExchangeStore();
    store.addEntries(entries);
    expect(store.list().map((r) => r.verdict)).toEqual(['unknown']);
  });

  it('the same entries unmarked and complete are judged as Chromium did (the mark is what makes the difference)', () => {
    const store = createExchangeStore();
    store.addEntries(scenarioEntries('fail-preflight-behind-auth'));
    expect(store.list().map((r) => r.verdict)).toEqual(['blocked']);
  });
});
