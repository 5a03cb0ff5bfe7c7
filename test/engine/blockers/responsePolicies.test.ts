/** CORP, COEP and ORB: refused after the response arrived, never a "blocked by CORS policy" line. */
import { describe, expect, it } from 'vitest';
import { fixAvailability, resourcePolicyFixFor, suggestResourcePolicySnippets } from '../../../src/fixes/index.js';
import { documentEntry, entry, exchangeFor, explain } from './har.js';

const PAGE = 'http://app.example:8080/';
const IMG = 'http://cdn.example:9090/img/logo.png';

describe('Cross-Origin-Resource-Policy', () => {
  it('same-origin CORP on a no-cors image: CORP named, Chrome’s load-failure line, a CORP snippet instead of CORS', () => {
    const e = exchangeFor(
      explain(
        entry({
          url: IMG,
          page: PAGE,
          resourceType: 'image',
          request: 'sent',
          status: 200,
          responseHeaders: { 'Content-Type': 'image/png', 'Cross-Origin-Resource-Policy': 'same-origin' },
          error: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
        }),
      ),
      IMG,
    );
    expect(e.verdict).toBe('blocked');
    expect(e.failure).toBeNull();
    expect(e.blocker).toMatchObject({ family: 'corp', kind: 'not-same-origin', badge: 'CORP', fixSide: 'server', values: { corp: 'same-origin' } });
    expect(e.blocker?.consoleMessage).toBe('Failed to load resource: net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin');
    expect(e.summary).toMatch(/Cross-Origin-Resource-Policy/);
    expect(fixAvailability(e).ok).toBe(false);
    const snippets = suggestResourcePolicySnippets(e);
    expect(snippets.map((s) => s.server)).toEqual(['express', 'flask', 'nginx', 'php']);
    for (const s of snippets) expect(s.snippet).toContain('Cross-Origin-Resource-Policy');
    expect(snippets.find((s) => s.server === 'nginx')?.snippet).toContain('location = /img/logo.png {');
  });

  it('same-site CORP: NotSameSite', () => {
    const e = exchangeFor(
      explain(entry({ url: IMG, page: PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Cross-Origin-Resource-Policy': 'same-site' }, error: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameSite' })),
      IMG,
    );
    expect(e.blocker).toMatchObject({ family: 'corp', kind: 'not-same-site', values: { corp: 'same-site' } });
  });

  it('COEP require-corp on the page, no CORP on the resource: COEP named, with the page’s header', () => {
    const e = exchangeFor(
      explain(
        documentEntry(PAGE, { headers: { 'Cross-Origin-Embedder-Policy': 'require-corp' } }),
        entry({ url: IMG, page: PAGE, resourceType: 'image', request: 'sent', status: 200, responseHeaders: { 'Content-Type': 'image/png' }, error: 'net::ERR_BLOCKED_BY_RESPONSE.NotSameOriginAfterDefaultedToSameOriginByCoep' }),
      ),
      IMG,
    );
    expect(e.verdict).toBe('blocked');
    expect(e.blocker).toMatchObject({ family: 'coep', kind: 'require-corp', badge: 'COEP', values: { coep: 'require-corp', corp: '(absent)' } });
    expect(resourcePolicyFixFor(e)?.path).toBe('/img/logo.png');
  });
});

describe('Opaque Response Blocking', () => {
  it('fetch(no-cors) to a JSON API: ORB, not MissingAllowOriginHeader, and no console line', () => {
    const url = 'https://api.example.com/items';
    const e = exchangeFor(explain(entry({ url, page: 'https://app.example.com/', status: 200, error: 'net::ERR_ABORTED' })), url);
    expect(e.verdict).toBe('blocked');
    expect(e.failure).toBeNull();
    expect(e.alternatives).toEqual([]);
    expect(e.blocker).toMatchObject({ family: 'orb', kind: 'no-cors-fetch', badge: 'ORB', consoleMessage: null });
    expect(e.blocker?.fixHint).toMatch(/no-cors/);
    expect(JSON.stringify(e)).not.toMatch(/blocked by CORS policy/);
  });

  it('<script src> of JSON: net::ERR_BLOCKED_BY_ORB', () => {
    const url = 'https://api.example.com/data.json';
    const e = exchangeFor(
      explain(entry({ url, page: 'https://app.example.com/', resourceType: 'script', request: 'sent', status: 200, responseHeaders: { 'Content-Type': 'application/json' }, error: 'net::ERR_BLOCKED_BY_ORB' })),
      url,
    );
    // Chromium 156 prints nothing for it (DevTools raises an ORB issue): no console line.
    expect(e.blocker).toMatchObject({ family: 'orb', kind: 'blocked-by-orb', consoleMessage: null });
  });
});
