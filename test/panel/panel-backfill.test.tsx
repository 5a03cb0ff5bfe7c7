// @vitest-environment happy-dom
/**
 * The CORS tab opened on a page that already recorded many requests: getHAR() hands them all over at once, and the
 * panel takes them in frame by frame, as many as fit a frame's budget, so the first rows show at once and the panel
 * answers input while the rest is judged. The frames are run by hand here, and judging an entry costs a fixed time on
 * a fake clock, so what each frame does is exact.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { App, INTAKE_BUDGET_MS } from '../../src/panel/App.js';
import { createFeedSource } from '../../src/panel/source.js';
import { createHarFileSource } from '../../src/panel/harFileSource.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { explainHar } from '../../src/lib/explainHar.js';
import type { ExchangeStore, ExchangeStoreOptions } from '../../src/store/storeTypes.js';
import { allowed, createFakeStore } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
/** A getHAR() log of a real Chromium 156 run of the lab: 64 entries. */
const labLog = JSON.parse(readFileSync(join(here, '../fixtures/chromium/lab-2026-11-23.har'), 'utf8')) as { entries: unknown[] };

/** What judging one entry costs on the fake clock. */
const MS_PER_ENTRY = 1;
let now = 0;
/** The frames the panel asked for, run one at a time by `nextFrame`. */
let frames: (() => void)[] = [];
/** Entries each `addEntries` call was given, in call order. */
let calls: unknown[][] = [];
/** How long each frame spent in `addEntries`, on the fake clock. */
let frameCosts: number[] = [];
let stores: ExchangeStore[] = [];

beforeEach(() => {
  now = 0;
  frames = [];
  calls = [];
  frameCosts = [];
  stores = [];
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** A store whose every entry costs MS_PER_ENTRY on the fake clock. */
function timed(make: (options: ExchangeStoreOptions) => ExchangeStore) {
  return (options: ExchangeStoreOptions): ExchangeStore => {
    const store = make(options);
    const add = store.addEntries.bind(store);
    store.addEntries = (entries) => {
      calls.push([...entries]);
      now += entries.length * MS_PER_ENTRY;
      return add(entries);
    };
    stores.push(store);
    return store;
  };
}

const schedule = (flush: () => void): void => void frames.push(flush);

function nextFrame(): void {
  const flush = frames.shift();
  if (!flush) throw new Error('the panel asked for no frame');
  const before = now;
  act(() => flush());
  frameCosts.push(now - before);
}

function runFrames(): void {
  for (let i = 0; frames.length > 0; i++) {
    if (i > 10_000) throw new Error('the panel keeps asking for frames');
    nextFrame();
  }
}

const rowCount = (): string => document.querySelector('[data-testid="row-count"]')!.textContent!;
const rowIds = (): string[] => [...document.querySelectorAll<HTMLElement>('.exchange-row')].map((r) => r.dataset.exchangeId!);

describe('opening the panel on a long capture', () => {
  const backfill = Array.from({ length: 300 }, (_, i) => allowed(`old${i}`));

  function openOnBackfill() {
    const source = createFeedSource({ initial: backfill });
    render(<App source={source} createStore={timed(createFakeStore)} schedule={schedule} />);
    return source;
  }

  it('shows the first rows after one frame and takes the rest in frame by frame, none over the budget', () => {
    openOnBackfill();
    expect(rowIds()).toEqual([]);
    nextFrame();
    const firstFrame = rowIds();
    expect(firstFrame.length).toBeGreaterThan(0);
    expect(firstFrame[0]).toBe('old0');
    expect(rowCount()).not.toBe('300 requests');
    runFrames();
    expect(rowCount()).toBe('300 requests');
    expect(rowIds().slice(0, 3)).toEqual(['old0', 'old1', 'old2']);
    expect(calls.flat()).toEqual(backfill);
    // The first frame's size is a guess; every frame after is sized from what the one before took.
    expect(frameCosts.slice(1).every((ms) => ms <= INTAKE_BUDGET_MS)).toBe(true);
    expect(frameCosts.length).toBeGreaterThan(10);
  });

  it('Clear during the backfill leaves no row of it, and what finishes afterwards is listed', () => {
    const source = openOnBackfill();
    nextFrame();
    expect(rowIds().length).toBeGreaterThan(0);
    expect(rowCount()).not.toBe('300 requests');
    fireEvent.click(document.querySelector('[data-testid="clear"]')!);
    runFrames();
    expect(rowIds()).toEqual([]);
    expect(rowCount()).toBe('0 requests');
    source.push(allowed('new'));
    runFrames();
    expect(rowIds()).toEqual(['new']);
  });

  it('a navigation during the backfill leaves no row of the page left behind', () => {
    const source = openOnBackfill();
    nextFrame();
    expect(rowIds().length).toBeGreaterThan(0);
    expect(rowCount()).not.toBe('300 requests');
    source.navigate('http://127.0.0.1:8001/next');
    source.push(allowed('next-page'));
    runFrames();
    expect(rowIds()).toEqual(['next-page']);
    expect(calls.at(-1)).toEqual([allowed('next-page')]);
  });
});

describe('entries that finish while the backfill is taken in', () => {
  it('go in after it, in the order they came, each once (a repeat of a getHAR() entry is no second row)', () => {
    const snapshot = labLog.entries.slice(0, 48);
    const later = labLog.entries.slice(48);
    const source = createFeedSource({ initial: snapshot });
    render(<App source={source} createStore={timed((o) => createExchangeStore(o))} schedule={schedule} />);
    nextFrame();
    nextFrame();
    // Still taking the snapshot in when these arrive.
    expect(calls.flat().length).toBeLessThan(snapshot.length);
    const repeated = structuredClone(snapshot[5]);
    source.push(...later.slice(0, 6));
    source.push(repeated, ...later.slice(6));
    runFrames();
    expect(calls.flat()).toEqual([...snapshot, ...later.slice(0, 6), repeated, ...later.slice(6)]);
    expect(calls.length).toBeGreaterThan(3);

    // The same rows as one store given everything in one call.
    const row = (r: { method: string; url: string; verdict: string }) => `${r.method} ${r.url} ${r.verdict}`;
    const inOneCall = createExchangeStore({ rules: 'auto' });
    inOneCall.addEntries(labLog.entries);
    expect(stores.at(-1)!.list().map(row)).toEqual(inOneCall.list().map(row));
  });
});

describe('a burst of live entries', () => {
  it('goes in whole in the frame after it, as before: only a hand-over too large for a frame is spread out', () => {
    const source = createFeedSource({ initial: [allowed('old')] });
    render(<App source={source} createStore={timed(createFakeStore)} schedule={schedule} />);
    runFrames();
    const burst = Array.from({ length: 200 }, (_, i) => allowed(`live${i}`));
    for (const report of burst) source.push(report);
    nextFrame();
    expect(frames).toEqual([]);
    expect(calls.at(-1)).toEqual(burst);
    expect(rowCount()).toBe('201 requests');
  });
});

describe('an imported HAR taken in over several frames', () => {
  it('counts a repeat inside the file as explainHar does, wherever the frames cut it', async () => {
    const entries = [...labLog.entries, structuredClone(labLog.entries[3])];
    const har = { log: { ...labLog, entries } };
    const downloads: string[] = [];
    render(
      <App
        source={createFeedSource()}
        createStore={(o) => createExchangeStore(o)}
        openHar={(parsed, name) => {
          const source = createHarFileSource(parsed, name, 'light');
          return { ...source, createStore: timed(source.createStore!) };
        }}
        schedule={schedule}
        download={(_name, _type, text) => void downloads.push(text)}
      />,
    );
    const input = document.querySelector<HTMLInputElement>('[data-testid="import-har"]')!;
    Object.defineProperty(input, 'files', { value: [new File([JSON.stringify(har)], 'lab.har')], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(frames.length).toBeGreaterThan(0));
    runFrames();
    expect(calls.length).toBeGreaterThan(3);
    fireEvent.click(document.querySelector('[data-testid="export-json"]')!);
    const exported = JSON.parse(downloads[0]!) as { totals: { repeatsMerged: number; exchanges: number } };
    const cli = explainHar(har);
    expect(cli.totals.repeatsMerged).toBe(1);
    expect(exported.totals).toMatchObject({ repeatsMerged: cli.totals.repeatsMerged, exchanges: cli.totals.exchanges });
  });
});
