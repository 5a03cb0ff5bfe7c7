import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createWarningContext,
  displaySafe,
  findWarnings,
  observeExchange,
  WARNING_IDS,
} from '../../src/explain/warnings.js';
import { WARNING_TEXTS } from '../../src/explain/warningTexts.js';
import type { Warning } from '../../src/explain/report.js';
import type { CapturedExchange } from '../../src/model/exchange.js';
import { anyExchange, engineResult } from '../fuzz/arbitraries.js';
import { exchange, result } from './exchanges.js';

const allowed = result('allowed');
const ids = (warnings: Warning[]) => warnings.map((w) => w.id);

/** A well-configured credentialed answer: exact origin, credentials, Vary: Origin. Gets no warning. */
const safeCredentialedHeaders = [
  ['Access-Control-Allow-Origin', 'https://app.example.com'],
  ['Access-Control-Allow-Credentials', 'true'],
  ['Vary', 'Origin'],
  ['Cache-Control', 'max-age=60'],
] as const;

describe('a correct configuration', () => {
  it('an exact allowed origin with credentials and Vary: Origin gets no warning', () => {
    expect(findWarnings(exchange({ responseHeaders: safeCredentialedHeaders }), allowed)).toEqual([]);
  });

  it('a public `*` answer without cookies or Authorization gets no warning', () => {
    const x = exchange({ responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Cache-Control', 'max-age=3600']] });
    expect(findWarnings(x, allowed)).toEqual([]);
  });
});

describe('credentials for an origin that looks echoed', () => {
  const echo = (origin: string, url = 'https://api.example.com/items') =>
    exchange({
      url,
      origin,
      responseHeaders: [
        ['Access-Control-Allow-Origin', origin],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Vary', 'Origin'],
      ],
    });

  it('a look-alike domain (prefix/suffix match) is high severity', () => {
    for (const origin of ['https://api.example.com.evil.test', 'https://notexample.com']) {
      const [warning] = findWarnings(echo(origin), allowed);
      expect(warning).toMatchObject({ id: 'allowOriginLooksReflected', severity: 'high' });
      expect(warning!.headline).toContain(origin);
    }
  });

  it('a subdomain of the same site is not flagged', () => {
    expect(findWarnings(echo('https://admin.example.com'), allowed)).toEqual([]);
  });

  it('a shared hosting domain, a non-web scheme and a local origin are flagged', () => {
    expect(findWarnings(echo('https://someone.github.io'), allowed)[0]).toMatchObject({
      id: 'allowOriginLooksReflected',
      severity: 'medium',
    });
    expect(findWarnings(echo('chrome-extension://abcdefghijklmnop'), allowed)[0]).toMatchObject({
      id: 'allowOriginLooksReflected',
      severity: 'high',
    });
    const local = findWarnings(echo('http://localhost:3000'), allowed);
    expect(ids(local)).toEqual(['allowOriginLooksReflected']);
    expect(local[0]!.headline).toContain('local origin');
  });

  it('without Allow-Credentials: true an echoed origin is not a risk worth a warning', () => {
    const x = exchange({
      origin: 'https://someone.github.io',
      responseHeaders: [['Access-Control-Allow-Origin', 'https://someone.github.io'], ['Vary', 'Origin']],
    });
    expect(findWarnings(x, allowed)).toEqual([]);
  });

  it('two origins echoed by the same resource warn on both exchanges, whatever order the store sees them in', () => {
    const first = echo('https://app.example.com', 'https://api.example.com/items?page=1');
    const second = echo('https://admin.example.com', 'https://api.example.com/items?page=2');
    const context = createWarningContext();

    expect(observeExchange(context, first)).toEqual([]);
    expect(findWarnings(first, allowed, context)).toEqual([]);
    // The second echo makes the first one's warnings stale: the store is told to recompute it.
    expect(observeExchange(context, second)).toEqual([first.id]);
    for (const x of [first, second]) {
      const warnings = findWarnings(x, allowed, context);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ id: 'allowOriginLooksReflected', severity: 'high' });
      expect(warnings[0]!.explanation).toContain('https://api.example.com/items');
    }
    // Once known to vary, later exchanges need no refresh of others.
    expect(observeExchange(context, echo('https://third.example.com', 'https://api.example.com/items'))).toEqual([]);
  });

  it('a different resource keeps its own index', () => {
    const context = createWarningContext();
    observeExchange(context, echo('https://app.example.com', 'https://api.example.com/a'));
    const other = echo('https://admin.example.com', 'https://api.example.com/b');
    expect(observeExchange(context, other)).toEqual([]);
    expect(findWarnings(other, allowed, context)).toEqual([]);
  });
});

describe('null, http and `*` origins', () => {
  it('Allow-Origin: null is flagged, high with credentials', () => {
    const plain = exchange({ origin: 'null', responseHeaders: [['Access-Control-Allow-Origin', 'null']] });
    expect(findWarnings(plain, allowed)).toMatchObject([{ id: 'nullOriginAllowed', severity: 'medium' }]);
    const credentialed = exchange({
      origin: 'null',
      responseHeaders: [['Access-Control-Allow-Origin', 'null'], ['Access-Control-Allow-Credentials', 'true']],
    });
    const [warning] = findWarnings(credentialed, allowed);
    expect(warning).toMatchObject({ id: 'nullOriginAllowed', severity: 'high' });
    expect(warning!.explanation).toContain('cookies');
  });

  it('an https resource trusting an http origin is flagged, except loopback', () => {
    const x = exchange({
      origin: 'http://app.example.com',
      responseHeaders: [['Access-Control-Allow-Origin', 'http://app.example.com'], ['Access-Control-Allow-Credentials', 'true']],
    });
    expect(findWarnings(x, allowed)).toMatchObject([{ id: 'insecureOriginTrusted', severity: 'high' }]);
    const loopback = exchange({
      origin: 'http://127.0.0.1:5173',
      responseHeaders: [['Access-Control-Allow-Origin', 'http://127.0.0.1:5173'], ['Vary', 'Origin']],
    });
    expect(ids(findWarnings(loopback, allowed))).not.toContain('insecureOriginTrusted');
    const httpResource = exchange({
      url: 'http://api.example.com/items',
      origin: 'http://app.example.com',
      responseHeaders: [['Access-Control-Allow-Origin', 'http://app.example.com'], ['Vary', 'Origin']],
    });
    expect(findWarnings(httpResource, allowed)).toEqual([]);
  });

  it('`*` on a response that sets a cookie, or answers an Authorization header, is flagged', () => {
    const cookie = exchange({ responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Set-Cookie', 'sid=1; Secure']] });
    expect(findWarnings(cookie, allowed)).toMatchObject([{ id: 'wildcardOriginOnSensitiveResponse' }]);
    expect(findWarnings(cookie, allowed)[0]!.headline).toContain('sets cookies');
    const bearer = exchange({
      requestHeaders: [['Authorization', 'Bearer t']],
      responseHeaders: [['Access-Control-Allow-Origin', '*']],
    });
    expect(findWarnings(bearer, allowed)[0]!.headline).toContain('Authorization');
  });
});

describe('Vary: Origin on cacheable responses', () => {
  const specific = (extra: [string, string][], method = 'GET', status = 200) =>
    exchange({ method, status, responseHeaders: [['Access-Control-Allow-Origin', 'https://app.example.com'], ...extra] });

  it('a specific origin on a cacheable GET without Vary: Origin is flagged', () => {
    expect(ids(findWarnings(specific([['Cache-Control', 'max-age=300']]), allowed))).toEqual(['allowOriginWithoutVaryOrigin']);
    expect(ids(findWarnings(specific([['ETag', '"v1"']]), allowed))).toEqual(['allowOriginWithoutVaryOrigin']);
  });

  it('Vary listing Origin among others, no-store, POST, or nothing to reuse the response by: no warning', () => {
    expect(findWarnings(specific([['Cache-Control', 'max-age=300'], ['Vary', 'Accept-Encoding, origin']]), allowed)).toEqual([]);
    expect(findWarnings(specific([['Cache-Control', 'no-store, max-age=300']]), allowed)).toEqual([]);
    expect(findWarnings(specific([['Cache-Control', 'max-age=300']], 'POST'), allowed)).toEqual([]);
    expect(findWarnings(specific([]), allowed)).toEqual([]);
    expect(findWarnings(specific([['Cache-Control', 'max-age=300']], 'GET', 500), allowed)).toEqual([]);
  });
});

describe('preflight answers', () => {
  const preflighted = (preflightResponseHeaders: [string, string][], responseExtra: [string, string][] = []) =>
    exchange({
      method: 'PUT',
      preflightResponseHeaders,
      preflightRequestHeaders: [['Access-Control-Request-Headers', 'x-token']],
      responseHeaders: [['Access-Control-Allow-Origin', 'https://app.example.com'], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin'], ...responseExtra],
    });
  const base: [string, string][] = [
    ['Access-Control-Allow-Origin', 'https://app.example.com'],
    ['Access-Control-Allow-Credentials', 'true'],
  ];

  it('Max-Age above 7200 is flagged; 7200 and below is not', () => {
    const long = findWarnings(preflighted([...base, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '86400']]), allowed);
    expect(long).toMatchObject([{ id: 'maxAgeAboveBrowserCap', severity: 'low' }]);
    expect(long[0]!.headline).toContain('86400');
    expect(findWarnings(preflighted([...base, ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Max-Age', '7200']]), allowed)).toEqual([]);
  });

  it('`*` in Allow-Methods/Allow-Headers under credentials is flagged as literal, with the explicit list to use', () => {
    const warnings = findWarnings(
      preflighted([...base, ['Access-Control-Allow-Methods', '*, PUT'], ['Access-Control-Allow-Headers', '*, x-token']]),
      allowed,
    );
    expect(ids(warnings)).toEqual(['wildcardIsLiteralUnderCredentials']);
    expect(warnings[0]!.headline).toContain('Access-Control-Allow-Methods and Access-Control-Allow-Headers');
    expect(warnings[0]!.fixHint).toContain('x-token');
  });

  it('`*` without credentials is a real wildcard: no warning', () => {
    const x = exchange({
      method: 'PUT',
      preflightResponseHeaders: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', '*']],
      responseHeaders: [['Access-Control-Allow-Origin', '*']],
    });
    expect(findWarnings(x, allowed)).toEqual([]);
  });

  it('`*` in Expose-Headers under credentials is flagged', () => {
    const warnings = findWarnings(preflighted([...base, ['Access-Control-Allow-Methods', 'PUT']], [['Access-Control-Expose-Headers', '*']]), allowed);
    expect(warnings[0]).toMatchObject({ id: 'wildcardIsLiteralUnderCredentials' });
    expect(warnings[0]!.headline).toContain('Access-Control-Expose-Headers');
  });
});

describe('Expose-Headers', () => {
  it('custom response headers a script cannot read are listed; exposed ones and infrastructure headers are not', () => {
    const x = exchange({
      responseHeaders: [
        ['Access-Control-Allow-Origin', '*'],
        ['X-Total-Count', '42'],
        ['Link', '<https://api.example.com/items?page=2>; rel="next"'],
        ['X-Request-Id', 'abc'],
        ['X-Powered-By', 'Express'],
        ['Access-Control-Expose-Headers', 'X-Request-Id'],
      ],
    });
    const warnings = findWarnings(x, allowed);
    expect(ids(warnings)).toEqual(['customHeadersNotExposed']);
    expect(warnings[0]!.headline).toBe('Response headers the page cannot read: X-Total-Count, Link');
    expect(warnings[0]!.fixHint).toContain('Access-Control-Expose-Headers: X-Total-Count, Link');
  });

  it('`Expose-Headers: *` without credentials exposes everything; images never read headers', () => {
    const exposedAll = exchange({ responseHeaders: [['Access-Control-Allow-Origin', '*'], ['X-Total-Count', '1'], ['Access-Control-Expose-Headers', '*']] });
    expect(findWarnings(exposedAll, allowed)).toEqual([]);
    const image = exchange({ kind: 'image', responseHeaders: [['Access-Control-Allow-Origin', '*'], ['X-Total-Count', '1']] });
    expect(findWarnings(image, allowed)).toEqual([]);
  });
});

describe('duplicated CORS headers', () => {
  it('two Allow-Credentials lines on a passing, uncredentialed exchange are medium severity', () => {
    const x = exchange({
      responseHeaders: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true'], ['access-control-allow-credentials', 'true']],
    });
    const warnings = findWarnings(x, allowed);
    expect(warnings).toMatchObject([{ id: 'duplicatedCorsHeaders', severity: 'medium' }]);
    expect(warnings[0]!.explanation).toContain('Access-Control-Allow-Credentials (2 lines)');
  });

  it('repeated list headers are low severity, and are reported on blocked exchanges too', () => {
    const x = exchange({
      method: 'PUT',
      preflightResponseHeaders: [['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Methods', 'POST']],
      responseHeaders: [],
    });
    expect(findWarnings(x, result('blocked'))).toMatchObject([{ id: 'duplicatedCorsHeaders', severity: 'low' }]);
  });

  it('two Allow-Origin lines are not repeated as a warning when the failure already is "multiple values"', () => {
    const x = exchange({
      responseHeaders: [['Access-Control-Allow-Origin', 'https://app.example.com'], ['Access-Control-Allow-Origin', 'https://app.example.com']],
    });
    const blocked = result('blocked', {
      failure: {
        checkId: 'allowOriginSingleValue',
        phase: 'response',
        hop: 0,
        chromeCorsError: 'MultipleAllowOriginValues',
        failedParameter: 'https://app.example.com, https://app.example.com',
        consoleMessage: '',
        headline: '',
        explanation: '',
        fixHint: '',
      },
    });
    expect(findWarnings(x, blocked)).toEqual([]);
  });
});

describe('warnings stay out of verdicts they cannot judge', () => {
  it('a blocked or unknown exchange gets no risk warning other than duplicated headers', () => {
    const risky = exchange({ origin: 'null', responseHeaders: [['Access-Control-Allow-Origin', 'null'], ['Set-Cookie', 'a=b']] });
    expect(findWarnings(risky, allowed)).not.toEqual([]);
    for (const verdict of ['blocked', 'unknown', 'not-cors', 'network-error'] as const) {
      expect(findWarnings(risky, result(verdict))).toEqual([]);
    }
  });

  it('property: only duplicatedCorsHeaders appears on a verdict other than allowed', () => {
    fc.assert(
      fc.property(anyExchange, engineResult, (x, r) => {
        const warnings = findWarnings(x, r);
        if (r.verdict !== 'allowed') expect(warnings.every((w) => w.id === 'duplicatedCorsHeaders')).toBe(true);
      }),
      { numRuns: 500, seed: 20261123 },
    );
  });

  it('property: findWarnings never throws, never mutates its input (so it cannot change the verdict), and is deterministic', () => {
    fc.assert(
      fc.property(anyExchange, engineResult, (x, r) => {
        const before = structuredClone({ x, r });
        const context = createWarningContext();
        observeExchange(context, x);
        const once = findWarnings(x, r, context);
        expect({ x, r }).toEqual(before);
        expect(findWarnings(x, r, context)).toEqual(once);
        for (const warning of once) {
          expect(WARNING_IDS).toContain(warning.id);
          for (const text of [warning.headline, warning.explanation, warning.fixHint]) {
            expect(text.length).toBeGreaterThan(0);
            expect(text).not.toMatch(/\{[A-Za-z]+\}/); // every placeholder filled
            expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008]/); // no raw bidi/control characters
          }
        }
      }),
      { numRuns: 1000, seed: 20261123 },
    );
  });
});

describe('texts and hostile values', () => {
  it('every warning id has words: headline, why it matters, and the safer config', () => {
    expect(WARNING_IDS).toHaveLength(9);
    for (const text of Object.values(WARNING_TEXTS)) {
      expect(text.headline.length).toBeGreaterThan(10);
      expect(text.explanation.length).toBeGreaterThan(60);
      expect(text.fixHint.length).toBeGreaterThan(30);
    }
  });

  it('captured values are cut short and bidi/control characters are shown escaped', () => {
    const hostile = `https://\u202Eevil.test${'a'.repeat(1_000_000)}`;
    const x: CapturedExchange = exchange({
      origin: hostile,
      responseHeaders: [['Access-Control-Allow-Origin', hostile], ['Access-Control-Allow-Credentials', 'true'], ['Cache-Control', 'max-age=9']],
    });
    const warnings = findWarnings(x, allowed);
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w.headline.length + w.explanation.length + w.fixHint.length).toBeLessThan(3000);
      expect(w.headline + w.explanation).not.toContain('\u202E');
    }
    expect(displaySafe('a\u202Eb\u0000c')).toBe('a\\u{202E}b\\u{0000}c');
  });
});
