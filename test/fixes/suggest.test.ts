/**
 * The panel shows `suggestSnippets` (src/fixes/suggest.ts), which leaves the runnable examples out so the extension
 * does not ship them: it must give exactly what `suggestFixes` gives without `example`, same stacks, same order, on
 * every exchange of every fixture HAR and on policies that exercise each generator's branches.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHar } from '../../src/lib/index.js';
import { SERVER_ORDER, generateFix, suggestFixes, type CorsPolicy, type FixSuggestion } from '../../src/fixes/index.js';
import { preparePolicy } from '../../src/fixes/servers/common.js';
import { snippetFor, suggestSnippets } from '../../src/fixes/suggest.js';

const withoutExample = ({ example: _example, ...rest }: FixSuggestion) => rest;

const harFiles = ['chromium', 'firefox', 'hand'].flatMap((dir) =>
  readdirSync(new URL(`../fixtures/${dir}/`, import.meta.url))
    .filter((name) => name.endsWith('.har'))
    .map((name) => new URL(`../fixtures/${dir}/${name}`, import.meta.url)),
);

describe('suggestSnippets is suggestFixes without the examples', () => {
  it.each(harFiles.map((url) => [url.pathname.split('/fixtures/')[1]!, url] as const))('on %s', (_name, url) => {
    const report = explainHar(JSON.parse(readFileSync(url, 'utf8')));
    let compared = 0;
    for (const exchange of report.exchanges) {
      for (const options of [{}, { force: true }, { extraOrigins: ['http://localhost:5173'], force: true }]) {
        const snippets = suggestSnippets(exchange, options);
        expect(snippets).toEqual(suggestFixes(exchange, options).map(withoutExample));
        compared += snippets.length;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('for every stack on policies that take each branch (credentials, lower-case method, exposed headers, odd paths)', () => {
    let compared = 0;
    for (const credentials of [false, true])
      for (const methods of [[], ['PUT'], ['patch']])
        for (const requestHeaders of [[], ['x-token', 'content-type']])
          for (const exposeHeaders of [[], ['X-Total']])
            for (const path of ['/api/items', '/a%20b/c.d', '/x/%ff', '/'])
              for (const origins of [['https://app.example'], ['https://app.example', 'http://localhost:3000']]) {
                const policy: CorsPolicy = {
                  origins,
                  credentials,
                  methods,
                  requestHeaders,
                  exposeHeaders,
                  path,
                  maxAgeSeconds: 600,
                  preflight: methods.length > 0,
                  requestMethod: methods[0] ?? 'GET',
                };
                for (const server of SERVER_ORDER) {
                  expect(snippetFor(server, preparePolicy(policy, 8080))).toEqual(withoutExample(generateFix(server, policy)));
                  compared++;
                }
              }
    expect(compared).toBe(2 * 3 * 2 * 2 * 4 * 2 * SERVER_ORDER.length);
  });
});
