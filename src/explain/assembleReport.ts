/** Exchange reports → the whole report (totals, schema version, tool): shared by `explainHar` and the panel's export. */
import type { BrowserRules, CaptureSource, Verdict } from '../model/exchange.js';
import { TOOL_VERSION } from '../model/toolVersion.js';
import { REPORT_SCHEMA_VERSION, type ExchangeReport, type Report } from './report.js';

const VERDICTS: readonly Verdict[] = ['allowed', 'blocked', 'not-cors', 'network-error', 'unknown'];

export function assembleReport(
  exchanges: readonly ExchangeReport[],
  options: { source: CaptureSource; rules?: BrowserRules; skippedEntries?: Report['skippedEntries']; entries?: number },
): Report {
  const totals = { exchanges: exchanges.length, warnings: 0 } as Report['totals'];
  for (const verdict of VERDICTS) totals[verdict] = 0;
  totals.repeatsMerged = 0;
  if (options.entries !== undefined) totals.entries = options.entries;
  for (const exchange of exchanges) {
    totals[exchange.verdict]++;
    if (exchange.warnings.length > 0) totals.warnings++;
    if (exchange.repeatsMerged !== undefined) totals.repeatsMerged += exchange.repeatsMerged;
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'cors-lens', version: TOOL_VERSION },
    source: options.source,
    rules: options.rules ?? exchanges[0]?.rules ?? 'chromium',
    totals,
    exchanges: [...exchanges],
    skippedEntries: options.skippedEntries ?? [],
  };
}
