/**
 * Driving the lab in a launched Chromium: connect Playwright over CDP, record the browser's verdicts, run scenarios.
 * Shared by the real-browser tests and `npm run lab:capture`.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright';
import type { Lab } from '../lab/server.js';
import type { LaunchedChromium } from './browser.js';
import { CorsOracle } from './cors-oracle.js';
import { waitForTarget, type TargetInfo } from './cdp.js';

export interface ConnectedChromium {
  browser: Browser;
  context: BrowserContext;
  /** The first tab (about:blank at launch; DevTools is already attached to it). */
  page: Page;
  /** Browser-level CDP session, for targets Playwright hides (DevTools windows, extension pages). */
  browserSession: CDPSession;
}

export async function connect(launched: LaunchedChromium): Promise<ConnectedChromium> {
  const browser = await chromium.connectOverCDP(launched.wsEndpoint);
  const context = browser.contexts()[0];
  if (!context) throw new Error('Chromium has no default browser context');
  let page = context.pages()[0];
  if (!page) page = await context.waitForEvent('page', { timeout: 10_000 });
  const browserSession = await browser.newBrowserCDPSession();
  return { browser, context, page, browserSession };
}

/** Starts recording Chromium's own verdicts for the page's requests (before the page makes any). */
export async function recordVerdicts(connected: ConnectedChromium): Promise<CorsOracle> {
  const oracle = new CorsOracle();
  const session = await connected.context.newCDPSession(connected.page);
  await oracle.attach(session);
  return oracle;
}

/** Waits for an extension page whose URL ends with `suffix` (e.g. `/devtools.html`): DevTools loaded the extension. */
export function waitForExtensionPage(connected: ConnectedChromium, suffix: string, timeoutMs = 45_000): Promise<TargetInfo> {
  return waitForTarget(
    connected.browserSession,
    (t) => t.url.startsWith('chrome-extension://') && t.url.endsWith(suffix),
    `extension page *${suffix}`,
    timeoutMs,
  );
}

/** What the page reported for one scenario: its unique token, the URL it asked for, and what script saw. */
export interface PageScenarioResult {
  id: string;
  token: string;
  url: string;
  outcomes: string[];
}

export async function openLab(page: Page, lab: Lab): Promise<void> {
  await page.goto(lab.pageUrl);
  await page.waitForFunction(() => document.documentElement.dataset.labReady === 'true');
}

/** Clicks "Run all" semantics through the page's API and waits until Chromium settled every request. */
export async function runAllScenarios(page: Page, oracle: CorsOracle): Promise<PageScenarioResult[]> {
  const results = (await page.evaluate(() => (window as unknown as { lab: { runAll(): Promise<unknown> } }).lab.runAll())) as PageScenarioResult[];
  for (const r of results) await oracle.settled(r.token);
  return results;
}
