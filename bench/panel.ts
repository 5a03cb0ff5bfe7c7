/**
 * Panel benchmark, in real headless Chromium: the built extension's panel page (dist/extension/extension/panel.html,
 * opened at its chrome-extension:// URL, so its CSP and the webextension-polyfill are the real ones) with a stand-in
 * `chrome.devtools` installed before any script runs. Entries go to `onRequestFinished` listeners one at a time, so they
 * take the live path: the polyfill's listener wrapper, `createDevtoolsSource`, the panel's per-frame batching, the
 * exchange store and the virtualized list.
 *
 * Two phases over 10,000 entries (the engine benchmark's HAR):
 * - burst: the first 9,800 entries, one per task, as fast as the page takes them (a page finishing many requests);
 *   the panel folds what arrives between two frames into one batch. Per entry: its dispatch time plus an equal share
 *   of the work of the frame after it (which takes it in: live entries are not spread over frames). Measured until the
 *   panel asks for no more frames; the mean of all dispatch and frame work per entry is shown too, which holds even if
 *   the panel took some entries in later.
 * - steady: the last 200 entries, each alone in a frame, with the list already ~9,000 rows long. Per entry: dispatch
 *   plus that whole frame's work. This is the number "no re-render of the whole list per entry" is about.
 * A frame's work is measured from the start of its first requestAnimationFrame callback (the panel's flush runs there)
 * to a message posted from it, which runs after that frame's render, style, layout and paint.
 * Then: JS heap after a forced GC (CDP Runtime.getHeapUsage), with the feed's own copies released first, and the
 * number of row elements in the DOM against how many rows the list's viewport fits.
 * Last, the backfill: a fresh panel page (the first one closed, so the heap is this page's alone) whose getHAR()
 * answers with all 10,000 entries at once (the CORS tab opened on a page that already recorded them). From getHAR's
 * answer: the end of the frame that paints the first row (the first frame to end after a row is in the DOM), the last
 * row count change, the long tasks (PerformanceObserver 'longtask', over 50 ms) that ended after the answer (the
 * bench's own parse of the entries runs in an earlier task), the largest JS heap seen meanwhile (performance.memory,
 * every 50 ms) and the heap after a GC.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { launchChromiumWithExtension } from '../test/support/browser.js';
import { ENGINE_INPUT, ROOT, harInput } from './inputs.js';
import { mb, median, ms, quantile, type BenchRow } from './stats.js';

/** Entries fed one per frame at the end, with the list already long. */
const STEADY_ENTRIES = 200;
/** The list's row height in CSS pixels (src/panel/ExchangeList.tsx ROW_HEIGHT), to say how many rows fit. */
const VIEWPORT = { width: 1400, height: 900 };

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, first 16 bytes as hex mapped 0-f → a-p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Installed before the panel's scripts: a stand-in chrome.devtools and the frame-work probe. */
const INIT_SCRIPT = String.raw`(() => {
  if (location.protocol !== 'chrome-extension:') return;
  const finished = new Set();
  const navigated = new Set();
  let releaseBackfill;
  const backfillReady = new Promise((resolve) => { releaseBackfill = resolve; });
  const longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  const event = (set) => ({
    addListener: (f) => void set.add(f),
    removeListener: (f) => void set.delete(f),
    hasListener: (f) => set.has(f),
    hasListeners: () => set.size > 0,
  });
  const devtools = {
    network: {
      // Chromium's MV3 getHAR returns a promise when given no callback (the polyfill passes it through unwrapped).
      // With #backfill in the URL, getHAR answers once the bench hands it the entries (__corsLensBench.backfill).
      getHAR(callback) {
        const answer = location.hash === '#backfill'
          ? backfillReady.then((holder) => ({ version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: holder.take() }))
          : new Promise((resolve) => setTimeout(() => resolve({ version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: [] }), 0));
        if (typeof callback === 'function') { void answer.then((har) => callback(har)); return undefined; }
        return answer;
      },
      onRequestFinished: event(finished),
      onNavigated: event(navigated),
    },
    inspectedWindow: {
      tabId: 1,
      // Chromium 156 has a native \`browser\` namespace, which the polyfill then returns as is: answer both forms.
      eval(expression, ...rest) {
        const callback = rest.find((r) => typeof r === 'function');
        if (callback) { setTimeout(() => callback('https://app.shop.example/', undefined), 0); return undefined; }
        return new Promise((resolve) => setTimeout(() => resolve(['https://app.shop.example/', undefined]), 0));
      },
    },
    panels: { themeName: 'default', create() {} },
  };
  try { chrome.devtools = devtools; } catch { Object.defineProperty(chrome, 'devtools', { value: devtools }); }
  if (globalThis.browser && globalThis.browser.runtime) { try { globalThis.browser.devtools = devtools; } catch {} }

  const frames = [];
  let current = null;
  let dispatchedSinceFrame = 0;
  const frameEnd = new MessageChannel();
  frameEnd.port1.onmessage = () => {
    if (current === null) return;
    current.end = performance.now();
    frames.push(current);
    current = null;
  };
  const nativeRaf = window.requestAnimationFrame.bind(window);
  let rafCalls = 0;
  /** The bench's own frame callbacks: a frame with none but these is one the panel did not ask for. */
  const benchCallbacks = new WeakSet();
  const benchFrame = (callback) => { benchCallbacks.add(callback); window.requestAnimationFrame(callback); };
  /** When the panel first asked for a frame since the bench last set this to -1. */
  let panelAskedAt = -1;
  window.requestAnimationFrame = (callback) => {
    const panels = !benchCallbacks.has(callback);
    if (panels && panelAskedAt < 0) panelAskedAt = performance.now();
    return nativeRaf((timestamp) => {
      rafCalls++;
      if (current === null) {
        current = { start: performance.now(), end: 0, entries: dispatchedSinceFrame, panelCallbacks: 0 };
        dispatchedSinceFrame = 0;
        frameEnd.port2.postMessage(0);
      }
      if (panels) current.panelCallbacks++;
      callback(timestamp);
    });
  };

  let texts = [];
  let dispatchedTotal = 0;
  const dispatch = (text) => {
    const entry = JSON.parse(text);
    const start = performance.now();
    for (const listener of finished) listener(entry);
    dispatchedSinceFrame++;
    dispatchedTotal++;
    return performance.now() - start;
  };
  const nextFrameDone = () => new Promise((resolve) => {
    const before = frames.length;
    const poll = () => (frames.length > before && current === null ? resolve(frames[frames.length - 1]) : setTimeout(poll, 1));
    // Through the wrapper, so this frame is recorded even when the panel asked for none.
    benchFrame(() => setTimeout(poll, 0));
  });
  /** Resolves after the first frame the panel did not ask for: it has taken in everything handed to it. */
  const panelIdle = async () => {
    for (let i = 0; i < 100000; i++) if ((await nextFrameDone()).panelCallbacks === 0) return;
  };
  window.__corsLensBench = {
    listenerCount: () => finished.size,
    load(chunk) { texts.push(...chunk); return texts.length; },
    progress() {
      return { dispatched: dispatchedTotal, frames: frames.length, open: current !== null, rafCalls, visibility: document.visibilityState, rows: document.querySelector('[data-testid="row-count"]')?.textContent };
    },
    async burst(count) {
      const dispatchMs = [];
      const firstFrame = frames.length;
      const started = performance.now();
      const channel = new MessageChannel();
      let i = 0;
      await new Promise((resolve) => {
        channel.port1.onmessage = () => {
          if (i >= count) { resolve(); return; }
          dispatchMs.push(dispatch(texts[i]));
          texts[i] = null;
          i++;
          channel.port2.postMessage(0);
        };
        channel.port2.postMessage(0);
      });
      // Until the panel has taken in the last entry.
      await panelIdle();
      const wallMs = performance.now() - started;
      const burstFrames = frames.slice(firstFrame).map((f) => ({ work: f.end - f.start, entries: f.entries }));
      return { dispatchMs, frames: burstFrames, wallMs };
    },
    async steady(from) {
      const perEntry = [];
      for (let i = from; i < texts.length; i++) {
        await nextFrameDone();
        const dispatchMs = dispatch(texts[i]);
        texts[i] = null;
        const frame = await nextFrameDone();
        perEntry.push({ dispatchMs, frameMs: frame.end - frame.start, entries: frame.entries });
      }
      return perEntry;
    },
    release() { texts = []; },
    /**
     * The backfill as the panel meets it when opened on a page that already recorded entries: getHAR() answers with
     * all of them. Returns when the row count has not changed for a second.
     */
    async backfill() {
      let held = texts.map((t) => JSON.parse(t));
      texts = [];
      // The parse above is the bench's: the panel's work starts in a task of its own.
      await new Promise((r) => setTimeout(r, 0));
      const started = performance.now();
      let rowInDomAt = -1;
      const rowWatch = new MutationObserver(() => {
        if (rowInDomAt >= 0 || document.querySelector('.exchange-row') === null) return;
        rowInDomAt = performance.now();
        rowWatch.disconnect();
      });
      rowWatch.observe(document.body, { childList: true, subtree: true });
      // Every frame recorded meanwhile, so the one that paints the first row is known.
      let recording = true;
      const everyFrame = () => { if (recording) benchFrame(everyFrame); };
      benchFrame(everyFrame);
      const firstFrame = frames.length;
      panelAskedAt = -1;
      // Handed over once, not kept here: the heap measured after is the panel's.
      releaseBackfill({ take() { const all = held; held = []; return all; } });
      let last = '';
      let stableSince = performance.now();
      let lastChange = started;
      let peakHeap = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 50));
        peakHeap = Math.max(peakHeap, performance.memory?.usedJSHeapSize ?? 0);
        const text = document.querySelector('[data-testid="row-count"]')?.textContent ?? '';
        if (text !== last) { last = text; stableSince = performance.now(); lastChange = stableSince; }
        if (performance.now() - stableSince > 1000 && rowInDomAt >= 0) break;
        if (performance.now() - started > 120000) break;
      }
      recording = false;
      const shownBy = frames.slice(firstFrame).find((f) => f.end >= rowInDomAt);
      const tasks = longTasks.filter((t) => t.start + t.duration > started);
      return {
        handedOverMs: panelAskedAt < 0 ? -1 : panelAskedAt - started,
        firstRowInDomMs: rowInDomAt < 0 ? -1 : rowInDomAt - started,
        firstRowMs: rowInDomAt < 0 || shownBy === undefined ? -1 : shownBy.end - started,
        doneMs: lastChange - started,
        rowCountText: last,
        longTasks: tasks.length,
        longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
        longTasksMs: tasks.map((t) => [Math.round(t.start - started), Math.round(t.duration)]),
        peakHeapBytes: peakHeap,
      };
    },
    rows() {
      const list = document.querySelector('[data-testid="exchange-list"]') || document.querySelector('[role="listbox"]');
      const rowEl = document.querySelector('.exchange-row');
      const rowHeight = rowEl ? rowEl.getBoundingClientRect().height : 0;
      return {
        rowElements: document.querySelectorAll('.exchange-row').length,
        viewportHeight: list ? list.clientHeight : 0,
        rowHeight,
        rowCountText: document.querySelector('[data-testid="row-count"]')?.textContent ?? '',
        droppedText: document.querySelector('[data-testid="dropped-notice"]')?.textContent ?? '',
        domNodes: document.getElementsByTagName('*').length,
      };
    },
  };
})()`;

export interface PanelBenchResult {
  rows: BenchRow[];
  notes: string[];
  /** `meanMs`: every dispatch and every frame's work until the panel took the last entry in, per entry. */
  burst: { medianMs: number; p95Ms: number; meanMs: number; wallMs: number; longestFrameMs: number; frames: number };
  steady: { medianMs: number; p95Ms: number };
  heapUsedBytes: number;
  rowElements: number;
  rowsFitting: number;
  /** The panel opened on a page that already recorded every entry: getHAR() gives them all at once. */
  backfill?: Backfill & { heapUsedBytes: number };
}

/** What the page reports of the backfill; times in ms from getHAR()'s answer. */
interface Backfill {
  /** The end of the frame that painted the first row (-1: none came). */
  firstRowMs: number;
  firstRowInDomMs: number;
  /** When the panel first asked for a frame: the source (its unfinished-entry gate) had handed the entries over. */
  handedOverMs: number;
  /** The last change of the row count. */
  doneMs: number;
  rowCountText: string;
  longTasks: number;
  longestTaskMs: number;
  /** Each long task: [start, duration]. */
  longTasksMs: [number, number][];
  /** The largest `performance.memory.usedJSHeapSize` seen while it ran. */
  peakHeapBytes: number;
}

export interface PanelBenchOptions {
  log?: (line: string) => void;
  /** Fewer entries for a quick look (default: all 10,000). */
  entries?: number;
  /** Another build of the extension, e.g. an unminified one for profiling (default dist/extension). */
  extensionDir?: string;
  /** Writes a CPU profile of the panel page during the one-per-frame phase here (.cpuprofile; bench/readProfile.ts reads it). */
  profilePath?: string;
  /**
   * Writes a CPU profile of the backfill's page, from `getHAR()`'s answer to the last row, here (also
   * `CORS_LENS_BENCH_BACKFILL_PROFILE`). `CORS_LENS_BENCH_BACKFILL_TRACE=file` writes a Chromium trace of the same span
   * (style, layout and paint included; open it in DevTools' Performance panel).
   */
  backfillProfilePath?: string;
}

export async function benchPanel(options: PanelBenchOptions = {}): Promise<PanelBenchResult> {
  const log = options.log ?? (() => {});
  const extensionDir = options.extensionDir ?? join(ROOT, 'dist/extension');
  if (!existsSync(join(extensionDir, 'extension/panel.html'))) throw new Error(`no built panel in ${extensionDir}: run npm run build first`);
  const input = harInput('engine', ENGINE_INPUT);
  const har = JSON.parse(readFileSync(input.path, 'utf8')) as { log: { entries: unknown[] } };
  const texts = har.log.entries.slice(0, options.entries ?? har.log.entries.length).map((e) => JSON.stringify(e));
  const burstEntries = texts.length - Math.min(STEADY_ENTRIES, Math.floor(texts.length / 10));
  log(`panel: ${texts.length} entries from ${input.path}; burst ${burstEntries}, then ${texts.length - burstEntries} one per frame`);

  const launched = await launchChromiumWithExtension({ headless: true, extensionDirs: [extensionDir], openDevTools: false, windowSize: VIEWPORT });
  const notes: string[] = [];
  try {
    const browser = await chromium.connectOverCDP(launched.wsEndpoint);
    const context = browser.contexts()[0] ?? (await browser.newContext());
    await context.addInitScript({ content: INIT_SCRIPT });
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORT);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = `chrome-extension://${unpackedExtensionId(extensionDir)}/extension/panel.html`;
    await page.goto(url);
    await page.waitForFunction(() => {
      const bench = (window as unknown as { __corsLensBench?: { listenerCount(): number } }).__corsLensBench;
      return bench !== undefined && bench.listenerCount() > 0 && document.querySelector('[data-testid="search"]') !== null;
    }, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the panel at ${url} did not start listening to onRequestFinished${pageErrors.length > 0 ? `: ${pageErrors[0]}` : ''}`);
    });

    for (let i = 0; i < texts.length; i += 500) {
      await page.evaluate((chunk) => (window as unknown as { __corsLensBench: { load(c: string[]): number } }).__corsLensBench.load(chunk), texts.slice(i, i + 500));
    }
    type Burst = { dispatchMs: number[]; frames: { work: number; entries: number }[]; wallMs: number };
    type Steady = { dispatchMs: number; frameMs: number; entries: number }[];
    type Progress = { dispatched: number; frames: number; visibility: string };
    const progress = () => page.evaluate(() => (window as unknown as { __corsLensBench: { progress(): Progress } }).__corsLensBench.progress());
    const withProgress = async <T>(work: Promise<T>, label: string): Promise<T> => {
      let done = false;
      const ticker = (async () => {
        while (!done) {
          await new Promise((r) => setTimeout(r, 5_000));
          if (!done) log(`  ${label}: ${JSON.stringify(await progress().catch(() => ({})))}`);
        }
      })();
      try {
        return await work;
      } finally {
        done = true;
        void ticker;
      }
    };
    const burst = await withProgress(
      page.evaluate((n) => (window as unknown as { __corsLensBench: { burst(n: number): Promise<Burst> } }).__corsLensBench.burst(n), burstEntries),
      'burst',
    );
    log(`  burst: ${burstEntries} entries in ${ms(burst.wallMs)}, ${burst.frames.length} frames`);
    // The profile covers the one-per-frame phase: the cost of one more entry on a long list.
    const profiler = options.profilePath === undefined ? undefined : await context.newCDPSession(page);
    if (profiler !== undefined) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    const steady = await withProgress(
      page.evaluate((from) => (window as unknown as { __corsLensBench: { steady(f: number): Promise<Steady> } }).__corsLensBench.steady(from), burstEntries),
      'one per frame',
    );
    await page.evaluate(() => (window as unknown as { __corsLensBench: { release(): void } }).__corsLensBench.release());
    if (profiler !== undefined && options.profilePath !== undefined) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(options.profilePath, JSON.stringify(profile));
      log(`  panel CPU profile written to ${options.profilePath}`);
      await profiler.detach().catch(() => {});
    }

    // Per entry in the burst: its own dispatch plus an equal share of the frame that took it in.
    const burstPerEntry: number[] = [];
    let next = 0;
    for (const frame of burst.frames) {
      for (let k = 0; k < frame.entries && next < burst.dispatchMs.length; k++, next++) {
        burstPerEntry.push(burst.dispatchMs[next]! + frame.work / frame.entries);
      }
    }
    const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
    const frameWork = burst.frames.map((f) => f.work);
    const steadyPerEntry = steady.map((s) => s.dispatchMs + s.frameMs);
    if (steady.some((s) => s.entries !== 1)) notes.push('some steady-phase frames took in more or fewer than one entry');

    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const dom = await page.evaluate(() => (window as unknown as { __corsLensBench: { rows(): { rowElements: number; viewportHeight: number; rowHeight: number; rowCountText: string; droppedText: string; domNodes: number } } }).__corsLensBench.rows());
    const rowsFitting = dom.rowHeight > 0 ? Math.ceil(dom.viewportHeight / dom.rowHeight) : 0;
    if (pageErrors.length > 0) notes.push(`page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
    if (dom.droppedText) notes.push(`panel says: ${dom.droppedText}`);

    const result: PanelBenchResult = {
      notes,
      burst: {
        medianMs: median(burstPerEntry),
        p95Ms: quantile(burstPerEntry, 0.95),
        meanMs: (sum(burst.dispatchMs) + sum(frameWork)) / burst.dispatchMs.length,
        wallMs: burst.wallMs,
        longestFrameMs: Math.max(0, ...frameWork),
        frames: burst.frames.length,
      },
      steady: { medianMs: median(steadyPerEntry), p95Ms: quantile(steadyPerEntry, 0.95) },
      heapUsedBytes: heap.usedSize,
      rowElements: dom.rowElements,
      rowsFitting,
      rows: [],
    };
    result.rows = [
      { bench: 'panel', measure: `entries fed through onRequestFinished`, value: `${texts.length} → ${dom.rowCountText}` },
      { bench: 'panel', measure: `burst (${burstEntries}): time per entry, median`, value: ms(result.burst.medianMs) },
      { bench: 'panel', measure: `burst: time per entry, p95`, value: ms(result.burst.p95Ms) },
      { bench: 'panel', measure: `burst: time per entry, mean (all work until all taken in)`, value: ms(result.burst.meanMs) },
      { bench: 'panel', measure: `burst: wall time, frames, longest frame`, value: `${ms(burst.wallMs)}, ${burst.frames.length}, ${ms(result.burst.longestFrameMs)}` },
      { bench: 'panel', measure: `one per frame (${steady.length}, list full): per entry, median`, value: ms(result.steady.medianMs) },
      { bench: 'panel', measure: `one per frame: time per entry, p95`, value: ms(result.steady.p95Ms) },
      { bench: 'panel', measure: 'JS heap used after GC', value: mb(heap.usedSize) },
      { bench: 'panel', measure: `row elements in the DOM (viewport fits ${rowsFitting})`, value: String(dom.rowElements) },
      { bench: 'panel', measure: 'DOM elements in the page', value: String(dom.domNodes) },
    ];
    await cdp.detach().catch(() => {});
    // The pages of one extension share a renderer, and its heap: the backfill's figure must be its page's alone.
    await page.close();

    // Backfill: a fresh panel page whose getHAR() answers with all the entries at once.
    const backfillPage = await context.newPage();
    await backfillPage.setViewportSize(VIEWPORT);
    backfillPage.on('pageerror', (error) => pageErrors.push(error.message));
    await backfillPage.goto(`${url}#backfill`);
    await backfillPage.waitForFunction(() => (window as unknown as { __corsLensBench?: unknown }).__corsLensBench !== undefined && document.querySelector('[data-testid="search"]') !== null, undefined, { timeout: 30_000 });
    for (let i = 0; i < texts.length; i += 500) {
      await backfillPage.evaluate((chunk) => (window as unknown as { __corsLensBench: { load(c: string[]): number } }).__corsLensBench.load(chunk), texts.slice(i, i + 500));
    }
    const backfillProfilePath = options.backfillProfilePath ?? process.env.CORS_LENS_BENCH_BACKFILL_PROFILE;
    const backfillProfiler = backfillProfilePath === undefined ? undefined : await context.newCDPSession(backfillPage);
    if (backfillProfiler !== undefined) {
      await backfillProfiler.send('Profiler.enable');
      await backfillProfiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await backfillProfiler.send('Profiler.start');
    }
    const tracePath = process.env.CORS_LENS_BENCH_BACKFILL_TRACE;
    const tracer = tracePath === undefined ? undefined : await context.newCDPSession(backfillPage);
    if (tracer !== undefined) {
      await tracer.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing', transferMode: 'ReturnAsStream' });
    }
    const backfill = await backfillPage.evaluate(() => (window as unknown as { __corsLensBench: { backfill(): Promise<Backfill> } }).__corsLensBench.backfill());
    if (tracer !== undefined && tracePath !== undefined) {
      const done = new Promise<{ stream?: string }>((resolve) => tracer.once('Tracing.tracingComplete', resolve));
      await tracer.send('Tracing.end');
      const { stream } = await done;
      let text = '';
      for (;;) {
        const chunk = (await tracer.send('IO.read', { handle: stream! })) as { data: string; eof: boolean };
        text += chunk.data;
        if (chunk.eof) break;
      }
      writeFileSync(tracePath, text);
      log(`  backfill trace written to ${tracePath}`);
    }
    if (backfillProfiler !== undefined && backfillProfilePath !== undefined) {
      const { profile } = (await backfillProfiler.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(backfillProfilePath, JSON.stringify(profile));
      log(`  backfill CPU profile written to ${backfillProfilePath}`);
      await backfillProfiler.detach().catch(() => {});
    }
    const backfillCdp = await context.newCDPSession(backfillPage);
    await backfillCdp.send('HeapProfiler.collectGarbage');
    await backfillCdp.send('HeapProfiler.collectGarbage');
    const backfillHeap = (await backfillCdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await backfillCdp.detach().catch(() => {});
    log(`  backfill: handed to the panel ${ms(backfill.handedOverMs)}, first row in the DOM ${ms(backfill.firstRowInDomMs)}, painted ${ms(backfill.firstRowMs)}, all in ${ms(backfill.doneMs)} (${backfill.rowCountText}), long tasks [start, duration] ${JSON.stringify(backfill.longTasksMs)} ms, longest ${ms(backfill.longestTaskMs)}`);
    result.backfill = { ...backfill, heapUsedBytes: backfillHeap.usedSize };
    // The source's own task ends as it hands the entries over; what starts later is the panel's (and the gate's timers).
    const afterHandOver = backfill.longTasksMs.filter(([start]) => start > backfill.handedOverMs);
    result.rows.push(
      { bench: 'panel', measure: `backfill of ${texts.length} from getHAR(): first row painted after`, value: ms(backfill.firstRowMs), budget: '≤ 50 ms (about a frame)', ok: backfill.firstRowMs >= 0 && backfill.firstRowMs <= 50 },
      { bench: 'panel', measure: 'backfill: of which the source, until it hands the entries to the panel', value: ms(backfill.handedOverMs) },
      { bench: 'panel', measure: 'backfill: all rows after', value: `${ms(backfill.doneMs)} (${backfill.rowCountText})` },
      { bench: 'panel', measure: 'backfill: long tasks (> 50 ms), longest', value: `${backfill.longTasks}, ${ms(backfill.longestTaskMs)}`, budget: 'none', ok: backfill.longTasks === 0 },
      { bench: 'panel', measure: 'backfill: the same once the source handed the entries over', value: `${afterHandOver.length}, ${ms(Math.max(0, ...afterHandOver.map(([, d]) => d)))}` },
      { bench: 'panel', measure: 'backfill: JS heap, largest seen / after GC', value: `${mb(backfill.peakHeapBytes)} / ${mb(backfillHeap.usedSize)}` },
    );
    await browser.close().catch(() => {});
    return result;
  } finally {
    await launched.close();
  }
}
