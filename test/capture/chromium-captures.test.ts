/**
 * Pairing over real captures made by the lab (test/fixtures/chromium/): Chromium 156's DevTools HAR (getHAR(), a bare
 * log) and Playwright's recordHar of the same scenarios, checked against the browser's own CDP record of each request.
 * Only pairing is asserted here (which entries form which exchange); verdicts are the engine's tests.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { readHarLog } from '../../src/lib/explainHar.js';
import { recordingEngine } from './helpers.js';

interface CdpRecord {
  url: string;
  method: string;
  urls: string[];
  preflights: number;
  sequence: number;
}

function load(name: string) {
  const read = (file: string) => JSON.parse(readFileSync(new URL(`../fixtures/chromium/${file}`, import.meta.url), 'utf8'));
  const { entries, context } = readHarLog(read(`${name}.har`));
  const verdicts = read(`${name}.verdicts.json`).verdicts as Record<string, CdpRecord[]>;
  const engine = recordingEngine();
  const store = createExchangeStore({}, { evaluate: engine.evaluate, harContext: context });
  const change = store.addEntries(entries);
  return { entries, verdicts, engine, store, change };
}

describe.each([
  ['lab-2026-11-23', 'chromium-har-export'],
  ['lab-playwright', 'playwright-har'],
])('real capture %s', (name, source) => {
  const { verdicts, engine, change } = load(name);
  const exchanges = engine.all();

  it('reads every entry and detects the source', () => {
    expect(change.rejected).toEqual([]);
    expect(new Set(exchanges.map((e) => e.source))).toEqual(new Set([source]));
  });

  it('makes one exchange per request the browser made, with the redirect hops it followed', () => {
    for (const [url, records] of Object.entries(verdicts)) {
      const mine = exchanges.filter((e) => e.hops[0]!.request.url === url).sort((a, b) => a.startedAt! - b.startedAt!);
      const cdp = [...records].sort((a, b) => a.sequence - b.sequence);
      expect(mine.map((e) => e.hops[0]!.request.method), url).toEqual(cdp.map((r) => r.method));
      for (let i = 0; i < cdp.length; i++) {
        // CDP lists a refused redirect's target too; the HAR has a hop only for each request actually made.
        const hopUrls = mine[i]!.hops.map((h) => h.request.url);
        expect(cdp[i]!.urls.slice(0, hopUrls.length), url).toEqual(hopUrls);
      }
    }
  });

  it('attaches each preflight the browser sent to the request it guarded', () => {
    for (const [url, records] of Object.entries(verdicts)) {
      const mine = exchanges.filter((e) => e.hops[0]!.request.url === url).sort((a, b) => a.startedAt! - b.startedAt!);
      const cdp = [...records].sort((a, b) => a.sequence - b.sequence);
      const captured = mine.map((e) => e.hops.filter((h) => h.preflightPresence === 'captured').length);
      if (source === 'playwright-har') {
        expect(captured.every((n) => n === 0), url).toBe(true);
        expect(mine.every((e) => e.hops.every((h) => h.preflightPresence === 'not-captured')), url).toBe(true);
      } else {
        expect(captured, url).toEqual(cdp.map((r) => r.preflights));
      }
    }
    // No preflight left on its own.
    expect(exchanges.filter((e) => e.hops[0]!.request.headers.length === 0)).toEqual([]);
  });

  it('knows which origin made every cross-origin request', () => {
    const api = exchanges.filter((e) => Object.keys(verdicts).includes(e.hops[0]!.request.url));
    expect(api.length).toBeGreaterThan(30);
    for (const exchange of api) {
      const url = exchange.hops[0]!.request.url;
      if (url.includes('/null-origin-sandbox')) {
        // A sandboxed iframe has an opaque origin: `null` when the capture shows its Origin header, else unknown, never the page's.
        expect([undefined, 'null'], url).toContain(exchange.initiatorOrigin);
        continue;
      }
      expect(exchange.initiatorOrigin, url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(exchange.initiatorOrigin).not.toBe(new URL(url).origin);
    }
    const sandboxed = api.filter((e) => e.hops[0]!.request.url.includes('/null-origin-sandbox'));
    expect(sandboxed.length).toBeGreaterThan(0);
    expect(sandboxed.some((e) => e.initiatorOrigin === 'null')).toBe(true);
  });
});

describe('the Chromium capture fed live, one entry per call, preflights delivered first', () => {
  it('pairs exactly as the saved HAR does', () => {
    const { entries, engine: batch } = load('lab-2026-11-23');
    // onRequestFinished delivers a preflight before its actual request: move each preflight ahead of the entry before it.
    const live = [...entries] as { _resourceType?: string }[];
    for (let i = 1; i < live.length; i++) {
      if (live[i]!._resourceType === 'preflight' && live[i - 1]!._resourceType !== 'preflight') {
        [live[i - 1], live[i]] = [live[i]!, live[i - 1]!];
      }
    }
    const engine = recordingEngine();
    const store = createExchangeStore({}, { evaluate: engine.evaluate });
    for (const entry of live) store.addEntries([entry]);
    const shape = (all: ReturnType<typeof engine.all>) =>
      all
        .map((e) => `${e.hops[0]!.request.method} ${e.hops.map((h) => `${h.request.url} ${h.preflightPresence}`).join(' → ')}`)
        .sort();
    expect(shape(engine.all())).toEqual(shape(batch.all()));
    expect(store.size).toBe(batch.all().length);
  });
});
