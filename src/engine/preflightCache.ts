/**
 * The preflight cache: how long a preflight's answer is reused (Access-Control-Max-Age), and what to say when a request
 * needed a preflight but the capture holds none.
 */
import type { BrowserRules, PreflightCacheReading, PreflightPresence } from '../model/exchange.js';

export const PREFLIGHT_CACHE_DEFAULT_SECONDS = 5;
export const CHROMIUM_PREFLIGHT_CACHE_CAP_SECONDS = 7200;
export const FIREFOX_PREFLIGHT_CACHE_CAP_SECONDS = 86400;

const INT64_TEXT = /^[+-]?\d+$/;
const DIGITS = /^\d+$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Chromium: the value must parse as a signed 64-bit integer (else 5 s); negative means 0 (stored already expired);
 * anything at or above 7200 is cut to 7200. Two headers join to `600, 600`, which does not parse: 5 s.
 */
export function parseMaxAgeChromium(value: string | undefined): number {
  if (value === undefined || !INT64_TEXT.test(value)) return PREFLIGHT_CACHE_DEFAULT_SECONDS;
  const n = BigInt(value);
  if (n > INT64_MAX || n < INT64_MIN) return PREFLIGHT_CACHE_DEFAULT_SECONDS;
  if (n < 0n) return 0;
  if (n >= BigInt(CHROMIUM_PREFLIGHT_CACHE_CAP_SECONDS)) return CHROMIUM_PREFLIGHT_CACHE_CAP_SECONDS;
  return Number(n);
}

/**
 * Firefox: absent or empty means 5 s; digits only, else the answer is not cached at all (0); capped at 24 h.
 */
export function parseMaxAgeFirefox(value: string | undefined): number {
  if (value === undefined || value === '') return PREFLIGHT_CACHE_DEFAULT_SECONDS;
  if (!DIGITS.test(value)) return 0;
  const n = BigInt(value);
  return n > BigInt(FIREFOX_PREFLIGHT_CACHE_CAP_SECONDS) ? FIREFOX_PREFLIGHT_CACHE_CAP_SECONDS : Number(n);
}

export function parseMaxAge(value: string | undefined, rules: BrowserRules): number {
  return rules === 'firefox' ? parseMaxAgeFirefox(value) : parseMaxAgeChromium(value);
}

export interface PreflightCacheInput {
  presence: PreflightPresence;
  /** Whether the actual request went out (the capture holds a response for it). */
  actualRequestSent: boolean;
  rules: BrowserRules;
  /** Access-Control-Max-Age of an earlier preflight for the same URL, when the caller saw one. */
  earlierMaxAge?: string | undefined;
  /** The caller saw an earlier preflight (with or without Max-Age). */
  earlierSeen?: boolean;
}

/** What a missing preflight means, for a request that needed one. */
export function readPreflightCache(input: PreflightCacheInput): PreflightCacheReading {
  const cap = input.rules === 'firefox' ? FIREFOX_PREFLIGHT_CACHE_CAP_SECONDS : CHROMIUM_PREFLIGHT_CACHE_CAP_SECONDS;
  const browser = input.rules === 'firefox' ? 'Firefox' : 'Chromium';
  const maxAgeSeconds =
    input.earlierMaxAge !== undefined || input.earlierSeen ? parseMaxAge(input.earlierMaxAge, input.rules) : undefined;
  if (input.presence === 'not-captured') {
    return {
      likelyCached: false,
      message:
        'This capture does not record preflight requests (Playwright HARs never do), so it cannot tell whether a preflight was sent or answered from the cache.',
    };
  }
  if (!input.actualRequestSent) {
    return {
      likelyCached: false,
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      message:
        'A preflight was needed but none is in the capture, and the request got no response: the capture may have missed the preflight (DevTools opened late, a filter), so its answer is unknown.',
    };
  }
  if (maxAgeSeconds === 0) {
    return {
      likelyCached: false,
      maxAgeSeconds,
      message: `A preflight was needed but none is in the capture, and the earlier preflight for this URL could not be reused (its Access-Control-Max-Age makes ${browser} keep it for 0 s): the capture most likely missed this one.`,
    };
  }
  const age =
    maxAgeSeconds === undefined
      ? `for as long as its Access-Control-Max-Age allowed (${PREFLIGHT_CACHE_DEFAULT_SECONDS} s when the header is absent, at most ${cap} s in ${browser})`
      : `for up to ${maxAgeSeconds} s (the earlier preflight's Access-Control-Max-Age as ${browser} reads it)`;
  return {
    likelyCached: true,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    message: `A preflight was needed but none is in the capture: ${browser} most likely answered it from its preflight cache, which keeps an earlier successful preflight ${age}. Disable the cache in DevTools to see it again.`,
  };
}
