/**
 * The panel page: wires live DevTools capture to the shared panel app. Everything else lives in src/panel.
 * The page loads when the CORS tab is first shown; getHAR() then returns what DevTools captured before.
 */
import browser from 'webextension-polyfill';
import { createExchangeStore } from '../src/store/exchangeStore.js';
import type { ExchangeStoreOptions } from '../src/store/storeTypes.js';
import { suggestSnippets } from '../src/fixes/suggest.js';
import { createDevtoolsSource, type DevtoolsNetworkLike } from '../src/panel/source.js';
import { createHarFileSource } from '../src/panel/harFileSource.js';
import { mountPanel } from '../src/panel/mount.js';
import { reconcileWithHar } from '../src/capture/firefoxReconciliation.js';
import { warmUpJudging } from '../src/panel/warmUp.js';
import { warmUpRows } from '../src/panel/ExchangeList.js';

const devtoolsNetwork: DevtoolsNetworkLike = {
  getHAR(callback) {
    void browser.devtools.network.getHAR().then(
      (har) => callback(har as { entries?: readonly unknown[] }),
      () => callback(undefined),
    );
  },
  onRequestFinished: browser.devtools.network.onRequestFinished as unknown as DevtoolsNetworkLike['onRequestFinished'],
  onNavigated: browser.devtools.network.onNavigated,
};

/**
 * Firefox leaves requests that got no response (a request its preflight stopped) out of onRequestFinished; the
 * wrapper fetches them from getHAR(). Told by the user agent: devtools pages have no runtime.getBrowserInfo.
 */
const isFirefox = /\bFirefox\//.test(navigator.userAgent);
const network = isFirefox ? reconcileWithHar(devtoolsNetwork) : devtoolsNetwork;
/**
 * Firefox's entries are told apart by `_securityState`, which an entry for a request Firefox stopped before sending
 * lacks: the store is told the capture is Firefox's, as a saved HAR's `log.creator` would.
 */
const harContext = isFirefox ? { creatorName: 'Firefox' } : {};

function pageUrl(): Promise<string | undefined> {
  return browser.devtools.inspectedWindow.eval('location.href').then(
    (result) => (Array.isArray(result) && typeof result[0] === 'string' ? result[0] : undefined),
    () => undefined,
  );
}

const toTheme = (name: string | undefined): 'light' | 'dark' => (name === 'dark' ? 'dark' : 'light');
const theme = toTheme(browser.devtools.panels.themeName);

/** Chrome: setThemeChangeHandler; Firefox: onThemeChanged. */
function onThemeChange(callback: (theme: 'light' | 'dark') => void): void {
  if (typeof chrome !== 'undefined' && typeof chrome.devtools?.panels?.setThemeChangeHandler === 'function') {
    chrome.devtools.panels.setThemeChangeHandler((name) => callback(toTheme(name)));
  } else {
    browser.devtools.panels.onThemeChanged?.addListener((name) => callback(toTheme(name)));
  }
}

const createStore = (options: ExchangeStoreOptions) => createExchangeStore(options, { harContext });

mountPanel(document.getElementById('app')!, {
  // Chromium hands some entries over before their response is known: the source holds those until getHAR() has them
  // complete. Firefox's reconciliation above already does its own waiting.
  source: createDevtoolsSource(network, { theme, pageUrl, onThemeChange, holdUnfinished: !isFirefox }),
  createStore,
  suggestFixes: (report) => suggestSnippets(report),
  storage: window.localStorage,
  openHar: (har, fileName) => createHarFileSource(har, fileName, theme),
});

// While getHAR() is answered (the source asked for it as the panel mounted): the judging code runs once on a made-up
// capture, so the first rows of the answer do not wait for it to compile (src/panel/warmUp.ts); then, in a task of
// its own (the answer may come in between), its rows are laid out once out of sight (warmUpRows).
setTimeout(() => {
  const reports = warmUpJudging(createStore, { holdUnfinished: !isFirefox });
  setTimeout(() => {
    try {
      warmUpRows(document, reports);
    } catch {
      // A warm-up that fails costs nothing but its time.
    }
  }, 0);
}, 0);
