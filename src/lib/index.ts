/**
 * The public API of the `cors-lens` package: `import { explainHar, checkCors } from 'cors-lens'`.
 * No file system and no browser API; `checkCors` (src/check) sends requests with node:http/https, so it needs Node.
 * The DevTools panel imports the modules it needs directly, never this index.
 */
export { explainHar, readHarLog, HarFormatError, type ExplainHarOptions } from './explainHar.js';
export { createExchangeStore, DEFAULT_MAX_EXCHANGES, type ExchangeStoreDeps } from '../store/exchangeStore.js';
export { normalizeEntry, detectSource, type NormalizedEntry, type HarContext } from '../capture/normalize.js';
export { buildReport, type ReportExtras } from '../explain/buildReport.js';
export { evaluateExchange } from '../explain/evaluateExchange.js';
export { TOOL_VERSION } from '../model/toolVersion.js';
export {
  checkCors,
  judgeExpectation,
  type CheckCorsOptions,
  type CheckCorsResult,
  type CheckDeps,
  type Expectation,
  type ExpectationJudgement,
  type SentRequest,
} from '../check/checkCors.js';
export { readCheckConfig, type ConfiguredCheck } from '../check/config.js';
export { CheckInputError, type CheckKind, type CheckRequestInput, type PageRequest, type WireRequest } from '../check/buildRequest.js';
export type { TransportError, WireResponse, Sender, SendOptions } from '../check/send.js';
export { REPORT_SCHEMA_VERSION } from '../explain/report.js';
export type * from '../explain/report.js';
export type * from '../model/exchange.js';
export type * from '../store/storeTypes.js';
