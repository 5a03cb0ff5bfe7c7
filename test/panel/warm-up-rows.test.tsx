// @vitest-environment happy-dom
/**
 * The rows' warm-up (src/panel/ExchangeList.tsx, `warmUpRows`): while getHAR() is answered, the panel page renders the
 * warm-up's made-up reports as rows once, out of sight, and takes them away in the same task.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUpRows } from '../../src/panel/ExchangeList.js';
import { warmUpJudging } from '../../src/panel/warmUp.js';
import { createExchangeStore } from '../../src/store/exchangeStore.js';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the rows warm-up', () => {
  it('renders a row per report, as the list does, hidden, and leaves the page as it found it', () => {
    document.body.innerHTML = '<div id="app"><p>the panel</p></div>';
    const before = document.body.innerHTML;
    const reports = warmUpJudging((options) => createExchangeStore(options));
    // What the document holds when the warm-up asks for a size (which lays the page out in a browser).
    const seen: { verdicts: string[]; hidden: boolean }[] = [];
    const sizeAsked = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      seen.push({
        verdicts: [...document.querySelectorAll<HTMLElement>('.exchange-row')].map((row) => row.dataset.verdict ?? ''),
        hidden: this.parentElement === document.body && this.getAttribute('aria-hidden') === 'true' && this.style.visibility === 'hidden',
      });
      return 0;
    });
    warmUpRows(document, reports);
    sizeAsked.mockRestore();
    expect(seen).toEqual([{ verdicts: ['not-cors', 'not-cors', 'allowed', 'blocked'], hidden: true }]);
    expect(document.body.innerHTML).toBe(before);
    expect(document.querySelectorAll('.exchange-row')).toHaveLength(0);
  });

  it('does nothing without reports', () => {
    document.body.innerHTML = '<div id="app"></div>';
    const before = document.body.innerHTML;
    const observer = new MutationObserver(() => undefined);
    observer.observe(document.body, { childList: true, subtree: true });
    warmUpRows(document, []);
    expect(observer.takeRecords()).toHaveLength(0);
    observer.disconnect();
    expect(document.body.innerHTML).toBe(before);
  });
});
