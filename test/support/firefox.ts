/**
 * Firefox ESR for the real-browser tests and `npm run lab:capture:firefox`: finding Debian's firefox-esr, launching it
 * headless over WebDriver BiDi (puppeteer-core) with DevTools open and CORS Lens installed as a temporary add-on,
 * collecting the CORS errors Firefox prints to the console, and reading the HAR its DevTools export.
 * Never downloads a browser (see firefox-capture.md in the shared research for what was measured).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { isExecutable } from './process.js';

export const DEFAULT_FIREFOX = '/usr/bin/firefox-esr';

export class FirefoxNotFoundError extends Error {
  override readonly name = 'FirefoxNotFoundError';
  constructor(detail: string) {
    super(
      `${detail} CORS Lens never downloads a browser: install Debian's firefox-esr (\`apt-get install firefox-esr\`) ` +
        'or point FIREFOX_PATH at a Firefox executable.',
    );
  }
}


/** FIREFOX_PATH when set (it must exist), else /usr/bin/firefox-esr; throws FirefoxNotFoundError otherwise. */
export function findFirefox(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FIREFOX_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new FirefoxNotFoundError(`FIREFOX_PATH is set to "${fromEnv}", but no executable file is there.`);
  }
  if (isExecutable(DEFAULT_FIREFOX)) return DEFAULT_FIREFOX;
  throw new FirefoxNotFoundError(`No Firefox found: FIREFOX_PATH is not set and ${DEFAULT_FIREFOX} does not exist.`);
}

/** Why the Firefox tests cannot run here, or `undefined` when they can (for `describe.skipIf`). */
export function firefoxUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    findFirefox(env);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Prefs that keep a test profile off the network (updates, Safe Browsing, captive-portal and connectivity probes,
 * telemetry, remote settings, new-tab content), so the HAR and the console hold only what the page did.
 */
export const QUIET_FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.update.checkInstallTime': false,
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.server': 'http://127.0.0.1:9/',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'nimbus.disabled': true,
  'messaging-system.rsexperimentloader.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
};

/** DevTools writes one HAR per page load into `dir` once the network has been quiet for `quietMs` (its own exporter). */
export function harAutoExportPrefs(dir: string, quietMs: number): Record<string, string | number | boolean> {
  return {
    'devtools.netmonitor.har.enableAutoExportToFile': true,
    'devtools.netmonitor.har.defaultLogDir': dir,
    'devtools.netmonitor.har.pageLoadedTimeout': quietMs,
    'devtools.netmonitor.har.includeResponseBodies': false,
    // The network monitor must be the selected tool for its collector to run from the first request.
    'devtools.toolbox.selectedTool': 'netmonitor',
    'devtools.netmonitor.persistlog': false,
  };
}

/** One error Firefox printed to the page's console (BiDi `log.entryAdded`, errors only). */
export interface FirefoxConsoleError {
  text: string;
  at: number;
}

export interface LaunchFirefoxOptions {
  /** Unpacked extension to install as a temporary add-on (e.g. dist/firefox). */
  extensionDir?: string;
  /** Turn on HAR auto-export into a fresh temporary folder (see `harAutoExportPrefs`). */
  exportHar?: { quietMs: number };
  /** Extra prefs, after the quiet ones. */
  prefs?: Record<string, string | number | boolean>;
  executablePath?: string;
  /** Allow BiDi commands in Firefox's own (chrome) windows, to reach the DevTools toolbox. */
  systemAccess?: boolean;
}

export interface LaunchedFirefox {
  browser: Browser;
  /** The first tab; DevTools (`-devtools`) is open on it. */
  page: Page;
  /** The add-on id Firefox gave the installed extension. */
  extensionId?: string;
  /** Errors printed to the first tab's console so far (its frames included), in order. */
  consoleErrors: FirefoxConsoleError[];
  /** Where DevTools writes HAR files, when `exportHar` was asked for. */
  harDir?: string;
  version: string;
  /** Closes Firefox and removes the temporary folders. Safe to call twice. */
  close(): Promise<void>;
}

export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<LaunchedFirefox> {
  const executablePath = options.executablePath ?? findFirefox();
  const harDir = options.exportHar ? mkdtempSync(join(tmpdir(), 'cors-lens-firefox-har-')) : undefined;
  const prefs = {
    ...QUIET_FIREFOX_PREFS,
    ...(harDir && options.exportHar ? harAutoExportPrefs(harDir, options.exportHar.quietMs) : {}),
    ...options.prefs,
  };
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // puppeteer makes (and removes) a fresh profile; `-devtools` opens the toolbox on the first tab, headless too.
    args: ['-devtools', ...(options.systemAccess ? ['-remote-allow-system-access'] : [])],
    extraPrefsFirefox: prefs,
  });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => undefined);
    if (harDir) rmSync(harDir, { recursive: true, force: true });
  };
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    const consoleErrors: FirefoxConsoleError[] = [];
    // puppeteer turns BiDi `log.entryAdded` entries of type "javascript" (what Firefox uses for CORS errors) into
    // `pageerror`, for the top frame and its iframes.
    page.on('pageerror', (error) => {
      consoleErrors.push({ text: error instanceof Error ? error.message : String(error), at: Date.now() });
    });
    const extensionId = options.extensionDir ? await browser.installExtension(resolve(options.extensionDir)) : undefined;
    const version = await browser.version();
    const launched: LaunchedFirefox = { browser, page, consoleErrors, version, close };
    if (extensionId !== undefined) launched.extensionId = extensionId;
    if (harDir !== undefined) launched.harDir = harDir;
    return launched;
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Waits until DevTools has written a HAR into `dir` that holds a request whose URL contains every one of `mustHold`,
 * and returns it parsed. Firefox writes the file once the network has been quiet; a half-written file is retried.
 */
export async function waitForExportedHar(dir: string, mustHold: readonly string[], timeoutMs = 30_000): Promise<{ file: string; har: unknown }> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no HAR file yet';
  while (Date.now() < deadline) {
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.har'))
          .map((f) => join(dir, f))
          .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
      : [];
    for (const file of files) {
      let har: { log?: { entries?: { request?: { url?: string } }[] } };
      try {
        har = JSON.parse(readFileSync(file, 'utf8')) as typeof har;
      } catch {
        lastProblem = `${file} is not complete JSON yet`;
        continue;
      }
      const urls = (har.log?.entries ?? []).map((e) => e.request?.url ?? '');
      const missing = mustHold.filter((token) => !urls.some((u) => u.includes(token)));
      if (missing.length === 0) return { file, har };
      lastProblem = `${file} lacks requests for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Firefox did not export a complete HAR within ${timeoutMs} ms: ${lastProblem}`);
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Firefox's own verdict, read from its console line

/** A CORS error as Firefox printed it, with its reason mapped to the DevTools reason id and `security.properties` key. */
export interface FirefoxLoggedReason {
  /** The URL Firefox names (the request's URL at the failing hop). */
  url: string;
  /** DevTools' "Learn more" id, e.g. `CORSMissingAllowOrigin`; `unrecognised` when the text matches no known reason. */
  id: string;
  messageKey: string;
  /** The `(Reason: …)` text. */
  reason: string;
  /** The `Status code: N.` Firefox appended, when it did (`(null)` when there was no response). */
  status?: string;
  /** The whole console line. */
  text: string;
}

/**
 * Firefox's reason texts (its `security.properties`, English) → DevTools reason id and message key. The `‘…’` parts
 * carry this request's values. Ordered so that no earlier pattern swallows a later one.
 */
const FIREFOX_REASONS: readonly { pattern: RegExp; id: string; messageKey: string }[] = [
  { pattern: /^CORS disabled$/, id: 'CORSDisabled', messageKey: 'CORSDisabled' },
  { pattern: /^CORS request did not succeed$/, id: 'CORSDidNotSucceed', messageKey: 'CORSDidNotSucceed2' },
  { pattern: /^CORS header ‘Origin’ cannot be added$/, id: 'CORSOriginHeaderNotAdded', messageKey: 'CORSOriginHeaderNotAdded' },
  { pattern: /^CORS request external redirect not allowed$/, id: 'CORSExternalRedirectNotAllowed', messageKey: 'CORSExternalRedirectNotAllowed' },
  { pattern: /^CORS request not HTTP$/i, id: 'CORSRequestNotHttp', messageKey: 'CORSRequestNotHttp' },
  { pattern: /^CORS header ‘Access-Control-Allow-Origin’ missing$/, id: 'CORSMissingAllowOrigin', messageKey: 'CORSMissingAllowOrigin2' },
  { pattern: /^Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed$/, id: 'CORSMultipleAllowOriginNotAllowed', messageKey: 'CORSMultipleAllowOriginNotAllowed' },
  { pattern: /^CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’$/s, id: 'CORSAllowOriginNotMatchingOrigin', messageKey: 'CORSAllowOriginNotMatchingOrigin' },
  { pattern: /^Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’$/, id: 'CORSNotSupportingCredentials', messageKey: 'CORSNotSupportingCredentials' },
  { pattern: /^Did not find method in CORS header ‘Access-Control-Allow-Methods’$/, id: 'CORSMethodNotFound', messageKey: 'CORSMethodNotFound' },
  { pattern: /^expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’$/, id: 'CORSMissingAllowCredentials', messageKey: 'CORSMissingAllowCredentials' },
  { pattern: /^CORS preflight (?:response|channel) did not succeed$/, id: 'CORSPreflightDidNotSucceed', messageKey: 'CORSPreflightDidNotSucceed3' },
  { pattern: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’$/s, id: 'CORSInvalidAllowMethod', messageKey: 'CORSInvalidAllowMethod' },
  { pattern: /^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’$/s, id: 'CORSInvalidAllowHeader', messageKey: 'CORSInvalidAllowHeader' },
  { pattern: /^header ‘.*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response$/s, id: 'CORSMissingAllowHeaderFromPreflight', messageKey: 'CORSMissingAllowHeaderFromPreflight2' },
];

const CORS_LINE =
  /^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘?(.+?)’?\. \(Reason: (.*?)\)\.(?: Status code: (\S+)\.)?$/s;

/** Reads one console line; `undefined` when it is not a "Cross-Origin Request Blocked" line. */
export function parseFirefoxCorsError(text: string): FirefoxLoggedReason | undefined {
  const m = CORS_LINE.exec(text.trim());
  if (!m) return undefined;
  const [, url, reason] = m as unknown as [string, string, string, string | undefined];
  const known = FIREFOX_REASONS.find((r) => r.pattern.test(reason));
  const parsed: FirefoxLoggedReason = {
    url,
    id: known?.id ?? 'unrecognised',
    messageKey: known?.messageKey ?? 'unrecognised',
    reason,
    text: text.trim(),
  };
  if (m[3] !== undefined) parsed.status = m[3];
  return parsed;
}

const SAME_ORIGIN_LINE = /^Security Error: Content at (.+) may not load data from (.+)\.$/s;

/**
 * Reads Firefox's `CheckSameOriginError` line (caps.properties), which it prints instead of a CORS line when it refuses
 * a request before any CORS check, e.g. a fetch with mode "same-origin" to another origin. `undefined` for other text.
 */
export function parseFirefoxSameOriginError(text: string): FirefoxLoggedReason | undefined {
  const m = SAME_ORIGIN_LINE.exec(text.trim());
  if (!m) return undefined;
  return { url: m[2]!, id: 'CheckSameOriginError', messageKey: 'CheckSameOriginError', reason: `Content at ${m[1]} may not load data from ${m[2]}`, text: text.trim() };
}

/** A console line in which Firefox refused a request: a CORS line or a same-origin security error. */
export function parseFirefoxRefusal(text: string): FirefoxLoggedReason | undefined {
  return parseFirefoxCorsError(text) ?? parseFirefoxSameOriginError(text);
}

/** The reason that stopped a request, of the lines Firefox printed for it (in order): see `firefoxVerdictFor`. */
export interface FirefoxVerdict {
  outcome: 'blocked' | 'network-failure' | 'loaded';
  /** The first specific reason (blocked), or `CORSDidNotSucceed` alone (a network failure in Firefox's terms). */
  reason?: FirefoxLoggedReason;
  /** Every CORS line Firefox printed for the URL, in order. */
  lines: FirefoxLoggedReason[];
}

/**
 * Firefox's verdict for one request from its console lines. A request stopped by its preflight prints the specific
 * reason and then a generic `CORSDidNotSucceed`: the first specific one is the reason. `CORSDidNotSucceed` alone means
 * the request failed at the network level (refused redirect, connection error).
 */
export function firefoxVerdictFor(lines: readonly FirefoxLoggedReason[]): FirefoxVerdict {
  if (lines.length === 0) return { outcome: 'loaded', lines: [] };
  const specific = lines.find((l) => l.id !== 'CORSDidNotSucceed');
  if (specific) return { outcome: 'blocked', reason: specific, lines: [...lines] };
  return { outcome: 'network-failure', reason: lines[0]!, lines: [...lines] };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// The CORS panel inside Firefox's toolbox (needs `systemAccess`)
//
// WebDriver BiDi lists no extension page embedded in the toolbox (it lists content tabs, and with system access the
// browser window itself). So these helpers evaluate in the browser window (chrome scope): find the toolbox, select
// the tab the extension's devtools page created, and read the panel document through a frame script loaded into the
// panel's <browser>, which posts back what it read.

interface BidiConnectionLike {
  send(method: string, params: unknown): Promise<{ result: any }>;
}

function bidi(firefox: LaunchedFirefox): BidiConnectionLike {
  const connection = (firefox.browser as unknown as { connection?: BidiConnectionLike }).connection;
  if (!connection) throw new Error('this puppeteer Browser exposes no BiDi connection');
  return connection;
}

/** Evaluates `expression` (an async function body's result) in Firefox's browser window, with chrome privileges. */
async function evaluateInBrowserWindow(firefox: LaunchedFirefox, expression: string): Promise<unknown> {
  const connection = bidi(firefox);
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const window = (tree.result.contexts as { context: string; url: string }[]).find((c) => c.url.endsWith('/browser.xhtml'));
  if (!window) throw new Error('no Firefox browser window in scope (launch with systemAccess: true)');
  const reply = await connection.send('script.evaluate', {
    expression,
    target: { context: window.context },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  const result = reply.result;
  if (result.type === 'exception') throw new Error(`in Firefox's browser window: ${result.exceptionDetails?.text ?? 'exception'}`);
  return result.result?.value;
}

const TOOLBOX_PRELUDE = String.raw`
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const toolbox = [...gDevTools.getToolboxes()][0];
  if (!toolbox) throw new Error('no DevTools toolbox is open');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const panelBrowser = (def) => {
    const frame = toolbox.doc.getElementById('toolbox-panel-iframe-' + def.id);
    return frame?.contentDocument?.querySelector('browser') ?? null;
  };`;

export interface FirefoxPanelTab {
  /** The toolbox's id for the tab (`webext-devtools-panel-…`). */
  toolId: string;
  label: string;
  /** The page the tab shows, once selected (`moz-extension://…/extension/panel.html`). */
  pageUrl: string;
  pageTitle: string;
}

/**
 * Selects the toolbox tab labelled `label` that an extension created (`devtools.panels.create`), waits until its page
 * has loaded, and says what it shows. Throws when no extension added such a tab.
 */
export async function selectExtensionPanel(firefox: LaunchedFirefox, label: string, timeoutMs = 20_000): Promise<FirefoxPanelTab> {
  const value = await evaluateInBrowserWindow(
    firefox,
    String.raw`(async () => {
      ${TOOLBOX_PRELUDE}
      const label = ${JSON.stringify(label)};
      const until = Date.now() + ${timeoutMs};
      let def;
      while (!(def = toolbox.getAdditionalTools().find((d) => d.label === label))) {
        if (Date.now() > until) return JSON.stringify({ error: 'no toolbox tab labelled ' + label + '; extension tabs: ' + JSON.stringify(toolbox.getAdditionalTools().map((d) => d.label)) });
        await sleep(100);
      }
      await toolbox.selectTool(def.id);
      let browser;
      while (!(browser = panelBrowser(def)) || !browser.currentURI || !browser.currentURI.spec.startsWith('moz-extension:') || !browser.contentTitle) {
        if (Date.now() > until) return JSON.stringify({ error: 'the ' + label + ' tab did not load its page; it shows ' + (browser?.currentURI?.spec ?? 'nothing') });
        await sleep(100);
      }
      return JSON.stringify({ toolId: def.id, label: def.label, pageUrl: browser.currentURI.spec, pageTitle: browser.contentTitle });
    })()`,
  );
  const parsed = JSON.parse(String(value)) as FirefoxPanelTab & { error?: string };
  if (parsed.error) throw new Error(parsed.error);
  return parsed;
}

/**
 * Runs `body` in the selected extension panel's page and returns what it returns (JSON-serialisable). `body` is the
 * source of an async function taking the page's `window`; it runs in a frame script, so DOM access goes through
 * Firefox's X-ray wrappers (plain DOM calls work; page-defined expandos do not).
 */
export async function evaluateInExtensionPanel<T>(firefox: LaunchedFirefox, label: string, body: string, timeoutMs = 30_000): Promise<T> {
  const frameScript = `(${body})(content).then(
      (value) => sendAsyncMessage('cors-lens-test:result', { value: JSON.stringify(value) }),
      (error) => sendAsyncMessage('cors-lens-test:result', { error: String(error && error.stack || error) }));`;
  const value = await evaluateInBrowserWindow(
    firefox,
    String.raw`(async () => {
      ${TOOLBOX_PRELUDE}
      const def = toolbox.getAdditionalTools().find((d) => d.label === ${JSON.stringify(label)});
      const browser = def && panelBrowser(def);
      if (!browser) return JSON.stringify({ error: 'the ${label} tab has not been selected yet' });
      const mm = browser.messageManager;
      return await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(JSON.stringify({ error: 'the panel did not answer within ${timeoutMs} ms' })), ${timeoutMs});
        mm.addMessageListener('cors-lens-test:result', function listener(message) {
          clearTimeout(timer);
          mm.removeMessageListener('cors-lens-test:result', listener);
          resolve(JSON.stringify(message.data));
        });
        mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(frameScript)}), false);
      });
    })()`,
  );
  const parsed = JSON.parse(String(value)) as { value?: string; error?: string };
  if (parsed.error !== undefined) throw new Error(`in the ${label} panel: ${parsed.error}`);
  return JSON.parse(parsed.value ?? 'null') as T;
}
