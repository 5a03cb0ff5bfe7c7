/**
 * The panel page: wires live DevTools capture to the shared panel app. Everything else lives in src/panel.
 * The page loads when the CORS tab is first shown; getHAR() then returns what DevTools captured before.
 */
import browser from 'webextension-polyfill';
import { createExchangeStore } from '../src/har/exchangeStore.js';
import { createDevtoolsSource, type DevtoolsNetworkLike } from '../src/panel/source.js';
import { mountPanel } from '../src/panel/mount.js';

// chrome.devtools.network.getHAR takes a callback; the polyfill's promise form is used where Firefox needs it.
const network: DevtoolsNetworkLike = {
  getHAR(callback) {
    void browser.devtools.network.getHAR().then(
      (har) => callback(har as { entries?: readonly unknown[] }),
      () => callback(undefined),
    );
  },
  onRequestFinished: browser.devtools.network.onRequestFinished as unknown as DevtoolsNetworkLike['onRequestFinished'],
  onNavigated: browser.devtools.network.onNavigated,
};

function pageUrl(): Promise<string | undefined> {
  return browser.devtools.inspectedWindow.eval('location.href').then(
    (result) => (Array.isArray(result) && typeof result[0] === 'string' ? result[0] : undefined),
    () => undefined,
  );
}

const theme = browser.devtools.panels.themeName === 'dark' ? 'dark' : 'light';

mountPanel(document.getElementById('app')!, {
  source: createDevtoolsSource(network, { theme, pageUrl }),
  createStore: (options) => createExchangeStore(options),
  storage: window.localStorage,
});
