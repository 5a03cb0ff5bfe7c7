import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportJson } from '../../src/cli/explainCommand.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { HAND } from './run.js';

describe('the --json writer', () => {
  it.each(['chromium-response-check.har', 'chromium-redirect-chain.har', 'playwright.har'])(
    'writes exactly what JSON.stringify(report, null, 2) would, one exchange at a time (%s)',
    (name) => {
      const report = explainHar(JSON.parse(readFileSync(join(HAND, name), 'utf8')));
      const chunks: string[] = [];
      writeReportJson(report, (text) => chunks.push(text));
      expect(chunks.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
      expect(chunks.length).toBeGreaterThan(report.exchanges.length);
    },
  );

  it('writes a report without exchanges too', () => {
    const report = explainHar({ log: { entries: [] } });
    const chunks: string[] = [];
    writeReportJson(report, (text) => chunks.push(text));
    expect(chunks.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
