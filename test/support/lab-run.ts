/**
 * Driving the lab in a launched Chromium: connect Playwright over CDP, record the browser's verdicts, run scenarios.
 * Shared by the real-browser tests and `npm run lab:capture`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright';
import type { LabPageVariant, LabScenario } from '../lab/scenarios.js';
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

/**
 * Clicks "Run all" semantics through the page's API (only the scenarios `ids` names, when given) and waits until
 * Chromium settled every request.
 */
export async function runAllScenarios(page: Page, oracle: CorsOracle, ids?: readonly string[]): Promise<PageScenarioResult[]> {
  const results = (await page.evaluate(
    (only) => (window as unknown as { lab: { runAll(ids?: string[]): Promise<unknown> } }).lab.runAll(only ?? undefined),
    ids ? [...ids] : null,
  )) as PageScenarioResult[];
  for (const r of results) await oracle.settled(r.token);
  return results;
}

/**
 * A test extension that blocks `/s/blocked-by-extension` with a declarativeNetRequest rule, as an ad blocker does
 * (net::ERR_BLOCKED_BY_CLIENT). Load it beside the extension under test when the lab serves that scenario.
 */
export const BLOCKER_EXTENSION_DIR = join(dirname(fileURLToPath(import.meta.url)), 'blocker-extension');

/** The extension folders a lab run loads: the given ones, plus the blocker extension when a scenario needs it. */
export function labExtensionDirs(lab: Lab, extensionDirs: readonly string[]): string[] {
  const needsBlocker = lab.scenarios.some((s) => s.browserSetup === 'extension-blocking');
  return needsBlocker ? [...extensionDirs, BLOCKER_EXTENSION_DIR] : [...extensionDirs];
}

/**
 * Sets the browser up for the lab's scenarios beside CORS, once connected and before the page runs them: grants the
 * Local Network Access permission to the `public-granted` page (CDP `Browser.grantPermissions`; the grant lasts while
 * this browser session stays attached) and gives DevTools' request blocking its URL patterns (`Network.setBlockedURLs`
 * on a session to the first tab, kept open). Chromium's switches (`lab.chromiumArgs`) must have been given at launch.
 */
export async function prepareBrowserForLab(connected: ConnectedChromium, lab: Lab): Promise<void> {
  for (const grant of lab.permissionGrants) {
    // Playwright's protocol types predate `loopbackNetwork` / `localNetwork` (Chromium 145+): send them untyped.
    const session = connected.browserSession as unknown as { send(method: string, params: object): Promise<unknown> };
    await session.send('Browser.grantPermissions', { origin: grant.origin, permissions: grant.permissions });
  }
  if (lab.devtoolsBlockedUrls.length > 0) {
    const session = await connected.context.newCDPSession(connected.page);
    await session.send('Network.enable');
    await session.send('Network.setBlockedURLs', { urls: [...lab.devtoolsBlockedUrls] });
  }
}

/** A scenario's page result, with the page variant it ran on. */
export interface PageVariantResult extends PageScenarioResult {
  page: LabPageVariant;
}

/**
 * Runs scenarios on the pages they need: for each page variant in the order the list first names it, opens that
 * page in `page` (a top-level navigation) and runs its scenarios there; waits until Chromium settled every request.
 * `onPageDone` runs after each page's scenarios, before the next navigation (e.g. to read a panel that resets on
 * navigation).
 */
export async function runScenariosOnTheirPages(
  page: Page,
  lab: Lab,
  oracle: CorsOracle,
  scenarios: readonly LabScenario[],
  onPageDone?: (variant: LabPageVariant, results: PageVariantResult[]) => Promise<void>,
): Promise<PageVariantResult[]> {
  const variants = [...new Set(scenarios.map((s) => s.page ?? 'lab'))];
  const all: PageVariantResult[] = [];
  for (const variant of variants) {
    const ids = scenarios.filter((s) => (s.page ?? 'lab') === variant).map((s) => s.id);
    await page.goto(lab.pageUrlFor(variant));
    await page.waitForFunction(() => document.documentElement.dataset.labReady === 'true');
    const results = (await page.evaluate(
      (only) => (window as unknown as { lab: { runAll(ids: string[]): Promise<unknown> } }).lab.runAll(only),
      ids,
    )) as PageScenarioResult[];
    const withPage = results.map((r) => ({ ...r, page: variant }));
    for (const r of withPage) await oracle.settled(r.token);
    all.push(...withPage);
    await onPageDone?.(variant, withPage);
  }
  return all;
}
