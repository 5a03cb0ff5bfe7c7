/** The devtools page: runs once per DevTools window and adds the "CORS" panel. Capture lives in the panel page. */
import browser from 'webextension-polyfill';

void browser.devtools.panels.create('CORS', '/icon-32.png', '/extension/panel.html');
