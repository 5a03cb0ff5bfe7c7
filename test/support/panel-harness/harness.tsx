/**
 * The real panel on a plain page, for layout tests in Chromium at DevTools' docking sizes: `?rows=N` hand-made
 * exchanges (blocked, preflighted, allowed, stopped by Local Network Access, ...) fed through the test store
 * (test/panel/fixtures.ts); or `?har=NAME` a recorded capture served at /har/NAME, explained by the real store as an
 * imported HAR is. `&theme=dark`. Fixes come from the real generators.
 */
import { mountPanel } from '../../../src/panel/mount.js';
import { createFeedSource, type HarEntrySource } from '../../../src/panel/source.js';
import { createHarFileSource } from '../../../src/panel/harFileSource.js';
import { suggestSnippets } from '../../../src/fixes/suggest.js';
import type { ExchangeReport } from '../../../src/explain/report.js';
import {
  allowed,
  allowedWithWarning,
  blockedBy,
  createFakeStore,
  headerNotAllowedByPreflight,
  LNA_DENIED,
  missingAllowOrigin,
  preflightCached,
} from '../../panel/fixtures.js';

const params = new URLSearchParams(location.search);
const count = Math.max(0, Number(params.get('rows') ?? '120'));
const theme = params.get('theme') === 'dark' ? 'dark' : 'light';
const makers = [missingAllowOrigin, allowed, headerNotAllowedByPreflight, allowed, allowedWithWarning, preflightCached, allowed];

const reports: ExchangeReport[] = [];
for (let i = 0; i < count; i++) {
  const id = `r${i}`;
  reports.push(i % 50 === 7 ? blockedBy(id, LNA_DENIED) : makers[i % makers.length]!(id));
}

const harName = params.get('har');
const source: HarEntrySource = harName
  ? createHarFileSource(await (await fetch(`/har/${encodeURIComponent(harName)}`)).json(), harName, theme)
  : createFeedSource({ initial: reports, theme, label: 'harness' });

mountPanel(document.getElementById('app')!, {
  source,
  createStore: (options) => createFakeStore({ ...options, maxExchanges: 50_000 }),
  suggestFixes: (report) => suggestSnippets(report),
  storage: window.localStorage,
  schedule: (flush) => requestAnimationFrame(() => flush()),
});
(window as unknown as { harnessReady: boolean }).harnessReady = true;
