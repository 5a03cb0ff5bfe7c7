/**
 * Reading and driving the CORS panel inside DevTools through its DOM contract (rows `.exchange-row` with data-*
 * attributes, `[data-testid=...]` controls). Runs over a raw CDP session to the panel's iframe target.
 */
import type { CDPSession } from 'playwright';
import { RawTargetSession, isDevToolsWindow, listTargets, showDevToolsPanel, waitForExpression, waitForTarget } from './cdp.js';

export interface PanelRow {
  exchangeId: string;
  url: string;
  method: string;
  verdict: string;
  corsError: string;
  failedParameter: string;
  hasWarning: string;
  preflight: string;
  selected: string;
  /** The family of what stopped it beside the CORS checks (`data-blocker`), '' when none. */
  blocker: string;
}

export interface UnfinishedLog {
  completed: number;
  gaveUp: number;
  /** One per entry: `METHOD url: completed from getHAR after N ms (what was missing)` or `never completed`. */
  lines: string[];
}

export interface PanelDetail {
  verdict: string;
  corsError: string;
  failedParameter: string;
  headline: string;
  consoleMessage: string;
  /** The family of what stopped it beside the CORS checks (`data-blocker`), '' when none. */
  blocker: string;
  /** "Not in the capture: …" when the panel says what it lacked. */
  missing: string;
  checks: { id: string; phase: string; status: string }[];
  fixTabs: string[];
}

// Installed once in the panel page: small helpers so each call is one round trip.
const HELPERS = String.raw`(() => {
  if (window.__corsLensE2E) return true;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const q = (sel) => document.querySelector(sel);
  const readRow = (r) => ({
    exchangeId: r.dataset.exchangeId ?? '', url: r.dataset.url ?? '', method: r.dataset.method ?? '',
    verdict: r.dataset.verdict ?? '', corsError: r.dataset.corsError ?? '', failedParameter: r.dataset.failedParameter ?? '',
    hasWarning: r.dataset.hasWarning ?? '', preflight: r.dataset.preflight ?? '', selected: r.getAttribute('aria-selected') ?? '',
    blocker: r.dataset.blocker ?? '' });
  /** The rows in the DOM: those in view (the list is virtualized). */
  const rows = () => [...document.querySelectorAll('.exchange-row')].map(readRow);
  const detail = () => {
    const d = q('[data-testid="detail"]');
    if (!d) return null;
    return {
      verdict: d.dataset.verdict ?? '', corsError: d.dataset.corsError ?? '', failedParameter: d.dataset.failedParameter ?? '',
      headline: d.querySelector('[data-testid="headline"]')?.textContent ?? '',
      missing: d.querySelector('.missing')?.textContent ?? '',
      consoleMessage: d.querySelector('[data-testid="console-message"]')?.textContent ?? '',
      blocker: d.dataset.blocker ?? '',
      checks: [...d.querySelectorAll('[data-testid="checklist"] [data-check-id]')].map((c) => ({ id: c.dataset.checkId, phase: c.dataset.phase ?? '', status: c.dataset.status ?? '' })),
      fixTabs: [...d.querySelectorAll('[data-testid="fix-tab"]')].map((t) => t.dataset.server ?? ''),
    };
  };
  const setSearch = (text) => {
    const input = q('[data-testid="search"]');
    if (!input) throw new Error('no [data-testid="search"] in the panel');
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  // The list is virtualized: only the rows in view are in the DOM. Walk it by scrolling, one screen at a time.
  const list = () => q('[data-testid="exchange-list"]');
  const walk = async (visit) => {
    const l = list();
    if (!l) return visit();
    const keep = l.scrollTop;
    l.scrollTop = 0;
    await sleep(40);
    let found = visit();
    while (found === undefined && l.scrollTop + l.clientHeight < l.scrollHeight) {
      const before = l.scrollTop;
      l.scrollTop = before + Math.max(20, l.clientHeight - 40);
      await sleep(40);
      if (l.scrollTop === before) break;
      found = visit();
    }
    if (found === undefined) { l.scrollTop = keep; await sleep(40); }
    return found;
  };
  /** Every row of the list (not only those in view), in list order: rows are exchange-INDEX by position. */
  const allRows = async () => {
    const seen = new Map();
    await walk(() => {
      for (const el of document.querySelectorAll('.exchange-row')) seen.set(Number(el.id.replace('exchange-', '')), readRow(el));
      return undefined;
    });
    return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  };
  window.__corsLensE2E = {
    rows, allRows, detail, setSearch,
    async rowsFor(text, expected, timeoutMs) {
      setSearch(text);
      const until = Date.now() + timeoutMs;
      let r = [];
      while (Date.now() < until) {
        await sleep(50);
        r = (await allRows()).filter((x) => x.url.includes(text));
        // A request DevTools handed over unfinished is a pending .waiting-row, not an .exchange-row, until judged.
        const waiting = await walk(() => ([...document.querySelectorAll('.waiting-row')].some((w) => (w.dataset.url ?? '').includes(text)) ? true : undefined));
        if (r.length >= expected && !waiting) { await sleep(50); return allRows(); }
      }
      return allRows();
    },
    async select(exchangeId) {
      const sel = '.exchange-row[data-exchange-id="' + CSS.escape(exchangeId) + '"]';
      const row = document.querySelector(sel) ?? (await walk(() => document.querySelector(sel) ?? undefined));
      if (!row) return null;
      row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      row.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      for (let i = 0; i < 60; i++) {
        await sleep(25);
        const d = q('[data-testid="detail"]');
        const sel = document.querySelector('.exchange-row[aria-selected="true"]');
        if (d && sel && sel.dataset.exchangeId === exchangeId) return detail();
      }
      return detail();
    },
    async key(key) {
      const list = q('[data-testid="exchange-list"]') ?? q('[role="listbox"]');
      if (!list) throw new Error('no exchange list');
      list.focus();
      list.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      await sleep(100);
    },
    text(sel) { return q(sel)?.textContent ?? null; },
    unfinished() {
      const el = q('[data-testid="unfinished-log"]');
      return el ? { completed: Number(el.dataset.completed ?? 0), gaveUp: Number(el.dataset.gaveUp ?? 0), lines: (el.title || '').split('\n').filter(Boolean) }
        : { completed: 0, gaveUp: 0, lines: [] };
    },
    click(sel) { const el = q(sel); if (!el) return false; el.click(); return true; },
    async settle(ms) { await sleep(ms); return true; },
  };
  return true;
})()`;

export class PanelDriver {
  private constructor(readonly session: RawTargetSession) {}

  /** Shows the CORS tab in a DevTools window and attaches to the panel frame that loads. */
  static async open(browserSession: CDPSession, devtools: RawTargetSession, knownPanelIds: readonly string[] = []): Promise<PanelDriver> {
    await showDevToolsPanel(devtools, 'CORS');
    const target = await waitForTarget(
      browserSession,
      (t) => t.url.startsWith('chrome-extension://') && t.url.endsWith('/panel.html') && !knownPanelIds.includes(t.targetId),
      'the CORS panel frame (*/panel.html)',
    );
    const session = await RawTargetSession.attach(browserSession, target.targetId);
    await waitForExpression(session, `document.readyState === 'complete' && !!document.querySelector('[data-testid="search"]')`, 'the panel to render');
    await session.evaluate(HELPERS);
    // These suites compare every request with the browser: show the page's own requests too (out of the default view).
    await session.evaluate(`(() => { const box = document.querySelector('[data-testid="show-page-own"]');
      if (box && !box.checked) box.click(); return true; })()`);
    return new PanelDriver(session);
  }

  rowsFor(text: string, expected: number, timeoutMs = 5000): Promise<PanelRow[]> {
    return this.session.evaluate(`window.__corsLensE2E.rowsFor(${JSON.stringify(text)}, ${expected}, ${timeoutMs})`);
  }
  /** The rows in the DOM: those in view (the list is virtualized). */
  rows(): Promise<PanelRow[]> {
    return this.session.evaluate('window.__corsLensE2E.rows()');
  }
  /** Every row of the list, scrolling through it (the list is virtualized). */
  allRows(): Promise<PanelRow[]> {
    return this.session.evaluate('window.__corsLensE2E.allRows()');
  }
  setSearch(text: string): Promise<void> {
    return this.session.evaluate(`window.__corsLensE2E.setSearch(${JSON.stringify(text)})`);
  }
  select(exchangeId: string): Promise<PanelDetail | null> {
    return this.session.evaluate(`window.__corsLensE2E.select(${JSON.stringify(exchangeId)})`);
  }
  detail(): Promise<PanelDetail | null> {
    return this.session.evaluate('window.__corsLensE2E.detail()');
  }
  key(key: string): Promise<void> {
    return this.session.evaluate(`window.__corsLensE2E.key(${JSON.stringify(key)})`);
  }
  /** The status bar's account of entries DevTools handed over unfinished: how each ended. */
  unfinished(): Promise<UnfinishedLog> {
    return this.session.evaluate('window.__corsLensE2E.unfinished()');
  }
  text(selector: string): Promise<string | null> {
    return this.session.evaluate(`window.__corsLensE2E.text(${JSON.stringify(selector)})`);
  }
  click(selector: string): Promise<boolean> {
    return this.session.evaluate(`window.__corsLensE2E.click(${JSON.stringify(selector)})`);
  }
  settle(ms: number): Promise<boolean> {
    return this.session.evaluate(`window.__corsLensE2E.settle(${ms})`);
  }
  theme(): Promise<string | undefined> {
    return this.session.evaluate('document.documentElement.dataset.theme');
  }
}

/** The DevTools windows currently open (one per inspected tab). */
export async function devToolsWindows(browserSession: CDPSession): Promise<string[]> {
  return (await listTargets(browserSession)).filter(isDevToolsWindow).map((t) => t.targetId);
}

/** DevTools' own UI theme setting ('default' | 'dark' | 'systemPreferred'); new DevTools windows pick it up. */
export async function setDevToolsTheme(devtools: RawTargetSession, theme: 'default' | 'dark'): Promise<void> {
  await devtools.evaluate(`(async () => { const Common = await import('./core/common/common.js');
    Common.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(theme)}); })()`);
}

/**
 * DevTools' own Network "Preserve log" setting: with it on, DevTools (and its HAR, `getHAR()`) keeps the requests of
 * earlier pages across navigations. The setting's name changed over time; the first registered one is used.
 */
export async function setDevToolsPreserveLog(devtools: RawTargetSession, on: boolean): Promise<void> {
  const name = await devtools.evaluate<string | null>(`(async () => { const Common = await import('./core/common/common.js');
    const settings = Common.Settings.Settings.instance();
    for (const name of ['network-log.preserve-log', 'network_log.preserve-log']) {
      try { settings.moduleSetting(name).set(${on}); return name; } catch {}
    }
    return null; })()`);
  if (name === null) throw new Error("DevTools has no Network 'Preserve log' setting under a known name");
}

/** PNG of a DevTools window (with whatever panel it shows). */
export async function screenshotDevTools(devtools: RawTargetSession): Promise<Buffer> {
  const { data } = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  return Buffer.from(data, 'base64');
}

/** Moves DevTools (DevTools' own dock setting): `undocked` gives it its own window, `bottom` the full width. */
export async function dockDevTools(devtools: RawTargetSession, side: 'undocked' | 'bottom' | 'right'): Promise<void> {
  await devtools.evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js');
    UI.DockController.DockController.instance().setDockSide(${JSON.stringify(side)}); })()`);
  await new Promise((r) => setTimeout(r, 500));
}

/** Puts DevTools in its own window, so a screenshot shows the panel at full width. */
export function undockDevTools(devtools: RawTargetSession): Promise<void> {
  return dockDevTools(devtools, 'undocked');
}
