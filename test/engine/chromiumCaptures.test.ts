/**
 * The engine on real captures: the lab's DevTools HAR (test/fixtures/chromium, recorded by the lab engineer) read by the
 * exchange store, each exchange judged by `evaluateExchange`, compared with what Chromium itself reported over CDP for
 * the same request. Agreement must be exact: verdict, CorsError and failedParameter.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateExchange } from '../../src/explain/evaluateExchange.js';
import { explainHar } from '../../src/lib/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/chromium');
const devtoolsHar = readdirSync(fixtures).filter((f) => /^lab-\d{4}-\d{2}-\d{2}\.har$/.test(f)).sort().at(-1);

interface ChromiumVerdict {
  outcome: 'loaded' | 'blocked' | 'failed';
  corsError?: string;
  failedParameter?: string;
  errorText?: string;
}

function compare(harFile: string, fullCapture: boolean): string[] {
  const har: unknown = JSON.parse(readFileSync(join(fixtures, harFile), 'utf8'));
  const verdicts = JSON.parse(readFileSync(join(fixtures, harFile.replace(/\.har$/, '.verdicts.json')), 'utf8')) as {
    scenarios: Record<string, { url: string }>;
    verdicts: Record<string, ChromiumVerdict[]>;
  };
  const report = explainHar(har, {}, { evaluate: evaluateExchange });
  const disagreements: string[] = [];
  for (const [scenario, { url }] of Object.entries(verdicts.scenarios)) {
    const browser = verdicts.verdicts[url] ?? [];
    const exchanges = report.exchanges.filter((e) => e.url === url);
    browser.forEach((v, i) => {
      const e = exchanges[i];
      const said = e ? `${e.verdict} ${e.failure?.chromeCorsError ?? ''} [${e.failure?.failedParameter ?? ''}]` : '(no exchange)';
      const expected =
        v.outcome === 'loaded' ? 'allowed  []'
          : v.outcome === 'failed' ? 'network-error  []'
            : fullCapture ? `blocked ${v.corsError} [${v.failedParameter ?? ''}]` : 'blocked  []';
      if (said !== expected) disagreements.push(`${scenario}#${i + 1}: Chromium ${expected}, engine ${said}`);
    });
  }
  return disagreements;
}

describe.skipIf(devtoolsHar === undefined)('real Chromium captures from the lab', () => {
  it(`a DevTools HAR (${devtoolsHar}): every verdict, CorsError and failedParameter as Chromium reported`, () => {
    expect(compare(devtoolsHar!, true)).toEqual([]);
  });
  it('a Playwright HAR of the same lab: blocked where Chromium blocked, with no guessed cause', () => {
    expect(compare('lab-playwright.har', false)).toEqual([]);
  });
});
