/** CSP, mixed content, extensions, and the trace that names no cause (issue 15 item 2): never a guess. */
import { describe, expect, it } from 'vitest';
import { fixAvailability } from '../../../src/fixes/index.js';
import { cspRefusal } from '../../../src/engine/blockers/contentSecurityPolicy.js';
import { documentEntry, entry, exchangeFor, explain } from './har.js';

const PAGE = 'https://app.example.com/board';
const OTHER_API = 'https://api.other.example/items';

describe('Content Security Policy', () => {
  it('connect-src of the page refuses the URL: CSP named with the directive, status 0 and an empty _error', () => {
    const e = exchangeFor(
      explain(documentEntry(PAGE, { headers: { 'Content-Security-Policy': "default-src 'self'; connect-src 'self' https://api.example.com" } }), entry({ url: OTHER_API, page: PAGE, error: '' })),
      OTHER_API,
    );
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'csp', badge: 'CSP', fixSide: 'page', values: { directive: 'connect-src', directiveText: "connect-src 'self' https://api.example.com" } });
    expect(e.summary).toMatch(/Content Security Policy \(connect-src\)/);
    expect(e.blocker?.consoleMessage).toBe(
      `Connecting to '${OTHER_API}' violates the following Content Security Policy directive: "connect-src 'self' https://api.example.com". The action has been blocked.`,
    );
    expect(fixAvailability(e).ok).toBe(false);
  });

  it('falls back to default-src, and allows what the policy lists', () => {
    const policy = ["default-src 'self' https://*.example.com"];
    expect(cspRefusal(policy, 'image', 'https://evil.test/x.png', PAGE)).toMatchObject({ directive: 'default-src', effectiveDirective: 'img-src' });
    expect(cspRefusal(policy, 'fetch', 'https://api.example.com/x', PAGE)).toBeUndefined();
    expect(cspRefusal(policy, 'fetch', 'https://app.example.com/x', PAGE)).toBeUndefined();
    expect(cspRefusal(["connect-src https:"], 'fetch', 'http://plain.example/x', PAGE)).toBeDefined();
    expect(cspRefusal(["connect-src https:"], 'fetch', 'https://any.example/x', PAGE)).toBeUndefined();
    expect(cspRefusal(["connect-src 'none'"], 'xhr', 'https://app.example.com/x', PAGE)?.directive).toBe('connect-src');
    expect(cspRefusal(["img-src *"], 'image', 'https://x.test/a.png', PAGE)).toBeUndefined();
    expect(cspRefusal(["connect-src https://api.example.com/v1/"], 'fetch', 'https://api.example.com/v1/items', PAGE)).toBeUndefined();
    expect(cspRefusal(["connect-src https://api.example.com/v1/"], 'fetch', 'https://api.example.com/v2/items', PAGE)).toBeDefined();
    // Two policies: each must allow it.
    expect(cspRefusal(["connect-src *", "connect-src 'self'"], 'fetch', OTHER_API, PAGE)?.directiveText).toBe("connect-src 'self'");
  });

  it('status 0 with an empty _error and no document entry: unknown, saying what is missing, no assumption', () => {
    const e = exchangeFor(explain(entry({ url: OTHER_API, page: PAGE, error: '' })), OTHER_API);
    expect(e.verdict).toBe('unknown');
    expect(e.blocker ?? null).toBeNull();
    expect(e.failure).toBeNull();
    expect(e.alternatives).toEqual([]);
    expect(e.assumptions).toEqual([]);
    expect(e.missing.join(' ')).toMatch(/document entry/);
    expect(e.missing.join(' ')).toMatch(/Content-Security-Policy/);
  });

  it('status 0 and no _error at all, no headers: unknown, never a credentials or mode assumption', () => {
    const e = exchangeFor(explain(entry({ url: OTHER_API, page: PAGE, error: null })), OTHER_API);
    expect(e.verdict).toBe('unknown');
    expect(e.assumptions.filter((a) => a.about === 'credentials' || a.about === 'mode')).toEqual([]);
    expect(e.missing.length).toBeGreaterThan(0);
  });
});

describe('DevTools’ own request blocking', () => {
  it('the page’s document rules out CSP and mixed content: the empty error is DevTools’ blocking, said as inferred', () => {
    const url = 'http://127.0.0.1:9000/api';
    const page = 'http://127.0.0.1:8000/';
    const e = exchangeFor(explain(documentEntry(page), entry({ url, page, error: '' })), url);
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'devtools', badge: 'DevTools', fixSide: 'user', consoleMessage: null });
    expect(e.missing.join(' ')).toMatch(/rules out its CSP and mixed content/);
  });
});

describe('mixed content', () => {
  it('an https page fetching plain http on a name: mixed content with Chrome’s line (the page’s full URL known)', () => {
    const url = 'http://api.example.com/items';
    const e = exchangeFor(explain(documentEntry(PAGE), entry({ url, page: PAGE, error: '' })), url);
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'mixed-content', badge: 'Mixed content' });
    expect(e.blocker?.consoleMessage).toBe(
      "Mixed Content: The page at 'https://app.example.com/board' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/items'. This request has been blocked; the content must be served over HTTPS.",
    );
  });

  it('http://localhost from an https page is never mixed content', () => {
    const url = 'http://localhost:3000/items';
    const e = exchangeFor(explain(documentEntry(PAGE), entry({ url, page: PAGE, error: '' })), url);
    expect(e.blocker?.family).not.toBe('mixed-content');
  });

  it('without the page’s document the full page URL is unknown: the family is named, no console line is made up', () => {
    const url = 'http://api.example.com/items';
    const e = exchangeFor(explain(entry({ url, page: PAGE, error: '' })), url);
    expect(e.blocker).toMatchObject({ family: 'mixed-content', consoleMessage: null });
  });
});

describe('blocked inside the browser', () => {
  it('an ad blocker: Extension, not CORS', () => {
    const url = 'https://api.example.com/ads/track';
    const e = exchangeFor(explain(entry({ url, page: PAGE, error: 'net::ERR_BLOCKED_BY_CLIENT' })), url);
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'extension', badge: 'Extension', fixSide: 'user', consoleMessage: 'Failed to load resource: net::ERR_BLOCKED_BY_CLIENT' });
    expect(e.failure).toBeNull();
  });
});
