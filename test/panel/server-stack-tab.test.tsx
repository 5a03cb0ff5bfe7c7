// @vitest-environment happy-dom
/**
 * The fix opens on the tab of the stack the responses name (issue 16 item 7): the panel with the real store, engine
 * and fix generators, fed the answers of real Express, Flask, nginx and PHP servers (test/fixtures/servers, recorded
 * from the fix-proof runtimes). The user's own choice of tab wins once made, and is remembered.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { App } from '../../src/panel/App.js';
import { createFeedSource } from '../../src/panel/source.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';
import { suggestFixes } from '../../src/fixes/index.js';

const log = (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/servers/real-stacks.har'), 'utf8')) as { log: { entries: { request: { url: string } }[] } }).log;

afterEach(cleanup);

function memoryStorage(): { getItem(key: string): string | null; setItem(key: string, value: string): void } {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

function open(entryIndex: number): HTMLElement {
  const url = log.entries[entryIndex]!.request.url;
  // The list is virtual (happy-dom lays nothing out): narrow it to the one row.
  fireEvent.input(document.querySelector<HTMLInputElement>('[data-testid="search"]')!, { target: { value: new URL(url).host } });
  const row = document.querySelector<HTMLElement>(`.exchange-row[data-url="${url}"]`);
  if (!row) throw new Error(`no row for ${url}`);
  fireEvent.mouseDown(row);
  return document.querySelector<HTMLElement>('[data-testid="detail"]')!;
}

const activeTab = (detail: HTMLElement): string | undefined => detail.querySelector<HTMLElement>('[data-testid="fix-tab"][aria-pressed="true"]')?.dataset.server;
const detectedText = (detail: HTMLElement): string | null => detail.querySelector('[data-testid="fix-detected"]')?.textContent ?? null;

describe('the fix tab, chosen from what the server says about itself', () => {
  it("opens each real server's capture on its own stack's tab, with the reason, until the user picks one", () => {
    const storage = memoryStorage();
    const source = createFeedSource();
    render(<App source={source} createStore={(o) => createExchangeStore(o)} suggestFixes={(r) => suggestFixes(r)} schedule={(f) => f()} storage={storage} />);
    source.push(...log.entries);

    const expected: [number, string, string][] = [
      [0, 'express', 'Express — from X-Powered-By: Express'],
      [1, 'flask', 'Flask (Werkzeug) — from Server: Werkzeug/2.2.2 Python/3.11.2'],
      [2, 'nginx', 'nginx — from Server: nginx/1.22.1'],
      [3, 'php', 'PHP — from X-Powered-By: PHP/8.2.36'],
    ];
    for (const [index, server, reason] of expected) {
      const detail = open(index);
      expect(activeTab(detail), server).toBe(server);
      expect(detectedText(detail)).toBe(reason);
    }
    // Go's net/http names nothing: the usual first tab, and no reason shown.
    const go = open(7);
    expect(activeTab(go)).toBe('express');
    expect(detectedText(go)).toBeNull();

    // The user picks nginx on the Express capture: their choice wins there and on every other capture.
    const express = open(0);
    fireEvent.click(express.querySelector<HTMLElement>('[data-testid="fix-tab"][data-server="nginx"]')!);
    expect(activeTab(open(0))).toBe('nginx');
    expect(detectedText(open(0))).toBeNull();
    expect(activeTab(open(3))).toBe('nginx');
    // Remembered: a panel opened later starts from the same choice.
    expect((JSON.parse(storage.getItem('cors-lens.settings.v1')!) as { fixServer: string }).fixServer).toBe('nginx');
  });
});
