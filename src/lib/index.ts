/**
 * The public API of the `cors-lens` package: `import { explainHar } from 'cors-lens'`.
 * Pure: no file system, no browser API, so the DevTools panel runs the same code.
 */
export { explainHar, readHarLog, HarFormatError, type ExplainHarOptions } from './explainHar.js';
export { createExchangeStore, DEFAULT_MAX_EXCHANGES, type ExchangeStoreDeps } from '../store/exchangeStore.js';
export { normalizeEntry, detectSource, type NormalizedEntry, type HarContext } from '../capture/normalize.js';
export { buildReport, type ReportExtras } from '../explain/buildReport.js';
export { evaluateExchange } from '../explain/evaluateExchange.js';
export { TOOL_VERSION } from '../model/toolVersion.js';
export { REPORT_SCHEMA_VERSION } from '../explain/report.js';
export type * from '../explain/report.js';
export type * from '../model/exchange.js';
export type * from '../store/storeTypes.js';
