/**
 * After a cross-origin redirect the browser sends `Origin: null`. A mismatch on that hop must say so, never "the
 * response allows X, but the request came from X" with the same origin twice (issue 16).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHar } from '../../src/lib/index.js';

const har = JSON.parse(readFileSync(new URL('../fixtures/chromium/lab-2026-11-23.har', import.meta.url), 'utf8')) as unknown;

describe('a mismatch after a cross-origin redirect', () => {
  const report = explainHar(har);
  const exchange = report.exchanges.find((e) => e.url.includes('/s/fail-redirect-origin-becomes-null?'))!;

  it('names Origin: null in the headline and says which hop saw it, with Chrome’s line unchanged', () => {
    expect(exchange.failure?.chromeCorsError).toBe('AllowOriginMismatch');
    expect(exchange.summary).toBe('After a cross-origin redirect the browser sent `Origin: null`, and the response does not allow `null`');
    expect(exchange.failure?.explanation).toContain(`The page asked for ${exchange.url}, which redirected to another origin`);
    expect(exchange.failure?.explanation).toContain(`so the response at ${exchange.finalUrl} must allow \`null\``);
    expect(exchange.failure?.consoleMessage).toContain(`(redirected from '${exchange.url}')`);
  });

  it('never reads as the same origin compared with itself', () => {
    for (const e of report.exchanges) {
      const text = e.failure?.explanation ?? '';
      const m = /allows `([^`]*)`, but the request came from `([^`]*)`/.exec(text);
      if (m) expect(m[1], e.url).not.toBe(m[2]);
    }
  });

  it('keeps the usual words when no redirect is involved', () => {
    const direct = report.exchanges.find((e) => e.failure?.chromeCorsError === 'AllowOriginMismatch' && e.redirects.length === 0);
    expect(direct?.summary).toBe('Access-Control-Allow-Origin names another origin');
  });
});
