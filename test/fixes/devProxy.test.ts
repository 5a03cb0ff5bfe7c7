/** The dev-server proxy suggestions: offered only where a CORS check blocked, captured values escaped or refused. */
import { describe, expect, it } from 'vitest';
import { devProxyInputFor, suggestDevProxies } from '../../src/fixes/devProxy.js';
import { FixInputError } from '../../src/fixes/escape.js';
import type { ExchangeReport } from '../../src/explain/report.js';

const report = (overrides: Partial<ExchangeReport>): ExchangeReport =>
  ({
    url: 'https://api.example/items?page=2',
    verdict: 'blocked',
    failure: { chromeCorsError: 'MissingAllowOriginHeader' },
    assumptions: [],
    requestHeaders: [],
    ...overrides,
  }) as unknown as ExchangeReport;

describe('suggestDevProxies', () => {
  it('maps the page call to the proxy prefix and the API origin in every tool, marked development-only', () => {
    const suggestions = suggestDevProxies({ targetOrigin: 'https://api.example', pathAndQuery: '/items?page=2', credentials: false });
    expect(suggestions.map((s) => s.tool)).toEqual(['vite', 'webpack', 'nextjs']);
    for (const s of suggestions) {
      expect(s.developmentOnly).toBe(true);
      expect(s.pageCall).toBe('fetch("/api-proxy/items?page=2")');
      expect(s.snippet).toContain('"https://api.example');
      expect(s.pitfalls[0]).toMatch(/^Development only/);
    }
    expect(suggestions.find((s) => s.tool === 'vite')?.verified).toBe(true);
    expect(suggestions.find((s) => s.tool === 'nextjs')?.verified).toBe(false);
  });

  it('warns that cookies do not travel through the proxy when the request carried credentials', () => {
    const [vite] = suggestDevProxies({ targetOrigin: 'https://api.example', pathAndQuery: '/me', credentials: true });
    expect(vite!.pitfalls.join(' ')).toMatch(/cookies the browser keeps for https:\/\/api\.example are not sent/);
  });

  it('escapes or refuses hostile captured values', () => {
    const [vite] = suggestDevProxies({ targetOrigin: 'https://api.example', pathAndQuery: "/a?q='\"${x}`</script>\u2028", credentials: false });
    // The query stays inside one JavaScript string literal.
    expect(vite!.pageCall).toBe(`fetch(${JSON.stringify("/api-proxy/a?q='\"${x}`</script>\u2028").replace('\u2028', '\\u2028')})`);
    expect(() => suggestDevProxies({ targetOrigin: "https://api.example'), evil('", pathAndQuery: '/', credentials: false })).toThrow(FixInputError);
    expect(() => suggestDevProxies({ targetOrigin: 'https://api.example', pathAndQuery: '/a\nb', credentials: false })).toThrow(FixInputError);
  });
});

describe('devProxyInputFor', () => {
  it('offers a proxy for a request a CORS check blocked', () => {
    expect(devProxyInputFor(report({}))).toEqual({ targetOrigin: 'https://api.example', pathAndQuery: '/items?page=2', credentials: false });
  });

  it('offers none for an allowed request, a blocker beside CORS, or an unnamed failure', () => {
    expect(devProxyInputFor(report({ verdict: 'allowed', failure: null }))).toBeUndefined();
    expect(devProxyInputFor(report({ failure: null }))).toBeUndefined();
    expect(devProxyInputFor(report({ blocker: { family: 'local-network-access' } as ExchangeReport['blocker'] }))).toBeUndefined();
  });
});
