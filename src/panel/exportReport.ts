/** Export of what the panel holds: the raw entries as a HAR file, and the reports as the CLI's JSON report. */
import { REPORT_SCHEMA_VERSION, type ExchangeReport, type Report } from '../explain/report.js';
import type { BrowserRules, CaptureSource, Verdict } from '../cors/model.js';

import { TOOL_VERSION } from '../lib/version.js';

export function buildHar(entries: readonly unknown[]): object {
  return {
    log: {
      version: '1.2',
      creator: { name: 'CORS Lens', version: TOOL_VERSION },
      pages: [],
      entries,
    },
  };
}

export function buildReport(
  exchanges: readonly ExchangeReport[],
  options: { source: CaptureSource; rules?: BrowserRules; skippedEntries?: Report['skippedEntries'] },
): Report {
  const verdicts: Verdict[] = ['allowed', 'blocked', 'not-cors', 'network-error', 'unknown'];
  const totals = Object.fromEntries(verdicts.map((v) => [v, 0])) as Record<Verdict, number>;
  let warnings = 0;
  for (const exchange of exchanges) {
    totals[exchange.verdict] += 1;
    if (exchange.warnings.length > 0) warnings += 1;
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'cors-lens', version: TOOL_VERSION },
    source: options.source,
    rules: options.rules ?? exchanges[0]?.rules ?? 'chromium',
    totals: { ...totals, exchanges: exchanges.length, warnings },
    exchanges: [...exchanges],
    skippedEntries: options.skippedEntries ?? [],
  };
}
