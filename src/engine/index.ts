/** The CORS engine's public surface: the entry point and the pure building blocks other modules reuse. */
export { judgeExchange } from './evaluate.js';
export { getNormalizedHeader, countHeaderLines, trimHttpWhitespace, HeaderIndex, sanitizeHeaderLines } from '../model/headers.js';
export { serializeOrigin, isSameOrigin, isValidAllowOriginUrl, urlHasCredentials } from '../model/origin.js';
export {
  normalizeMethod,
  isForbiddenMethod,
  isCorsSafelistedMethod,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  isSafelistedContentType,
  isSimpleRangeHeaderValue,
  hasCorsUnsafeRequestHeaderByte,
  corsUnsafeRequestHeaderNames,
  corsUnsafeRequestHeaderNamesInRequestOrder,
  decidePreflight,
} from './requestClassification.js';
export { parseAllowList, isHttpToken } from './allowList.js';
export {
  parseMaxAge,
  parseMaxAgeChromium,
  parseMaxAgeFirefox,
  readPreflightCache,
  PREFLIGHT_CACHE_DEFAULT_SECONDS,
  CHROMIUM_PREFLIGHT_CACHE_CAP_SECONDS,
  FIREFOX_PREFLIGHT_CACHE_CAP_SECONDS,
} from './preflightCache.js';
export {
  runAllowOriginChecks,
  runPreflightChecks,
  runRedirectChecks,
  allowOriginNotWildcardWithCredentials,
  allowOriginPresent,
  allowOriginSingleValue,
  allowOriginValid,
  allowOriginMatches,
  allowCredentialsTrue,
  preflightReceived,
  preflightNotRedirected,
  preflightOkStatus,
  allowMethodsParses,
  allowHeadersParses,
  preflightAllowsMethod,
  preflightAllowsAuthorization,
  preflightAllowsHeaders,
  redirectCountWithinLimit,
  redirectSchemeSupported,
  redirectLocationHasNoCredentials,
  isRedirectStatus,
  MAX_REDIRECTS,
} from './checks.js';
export { CheckRunner } from './checkRunner.js';
export type * from '../model/exchange.js';
