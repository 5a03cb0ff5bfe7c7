// @vitest-environment happy-dom
/**
 * The panel on Firefox's own capture of the lab (test/fixtures/firefox): it says it judged by Firefox's rules, puts
 * the console line Firefox printed first, and still shows what Chrome would have said. On a Chromium capture it
 * stays as it was: Chrome's line first.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { createHarFileSource } from '../../src/panel/harFileSource.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import type { FirefoxReasonsFile } from './lab-in-firefox.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const firefoxHar: unknown = JSON.parse(readFileSync(join(fixtures, 'firefox/lab.har'), 'utf8'));
const reasons = JSON.parse(readFileSync(join(fixtures, 'firefox/lab.reasons.json'), 'utf8')) as FirefoxReasonsFile;

afterEach(cleanup);

/** Opens a saved HAR the way "Import HAR" does (the file's log.creator tells whose capture it is). */
function open(har: unknown, scenario: string): HTMLElement {
  const source = createHarFileSource(har, 'capture.har', 'light');
  render(<App source={source} createStore={(o) => createExchangeStore(o)} schedule={(f) => f()} />);
  fireEvent.input(document.querySelector('[data-testid="search"]')!, { target: { value: `/s/${scenario}?` } });
  const row = document.querySelector<HTMLElement>(`.exchange-row[data-url*="/s/${scenario}?"]`);
  if (!row) throw new Error(`no row for ${scenario}`);
  fireEvent.mouseDown(row);
  return document.querySelector<HTMLElement>('[data-testid="detail"]')!;
}

describe("the panel's detail on a Firefox capture", () => {
  it("says Firefox's rules were applied and shows the line Firefox printed, then Chrome's", () => {
    // Two origins in one Allow-Origin line: the browsers name it differently.
    const scenario = 'fail-allow-origin-two-values';
    const detail = open(firefoxHar, scenario);
    expect(detail.querySelector('[data-testid="rules-applied"]')?.textContent).toMatch(/Firefox's rules/);
    const logged = reasons.scenarios[scenario]!.firefox.lines.map((l) => l.text);
    const firefoxLine = detail.querySelector('[data-testid="firefox-console-message"]')?.textContent;
    expect(logged).toContain(firefoxLine);
    const chromeLine = detail.querySelector('[data-testid="console-message"]')?.textContent ?? '';
    expect(chromeLine).toMatch(/^Access to fetch at '.*' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values/);
    const order = [...detail.querySelectorAll('[data-testid="firefox-console-message"], [data-testid="console-message"]')].map((e) => e.getAttribute('data-testid'));
    expect(order).toEqual(['firefox-console-message', 'console-message']);
  });

  it('leaves a Chromium capture as it was: Chrome first, no Firefox-rules label', () => {
    const chromium: unknown = JSON.parse(readFileSync(join(fixtures, 'chromium/lab-2026-11-23.har'), 'utf8'));
    const detail = open(chromium, 'fail-allow-origin-two-values');
    expect(detail.querySelector('[data-testid="rules-applied"]')).toBeNull();
    expect(detail.querySelector('[data-testid="console-message"]')?.textContent).toMatch(/multiple values/);
  });
});
