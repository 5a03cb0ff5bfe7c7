/**
 * The exact console lines the browsers print for a CORS failure, filled with one request's values.
 *
 * Chrome: `Access to {kind} at '{lastUrl}' [(redirected from '{firstUrl}') ]from origin '{origin}' has been blocked by
 * CORS policy: [Response to preflight request doesn't pass access control check: ]{detail}[suffix]`.
 * Firefox: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}.
 * (Reason: {reason}).[ Status code: {n}.]`
 */
import type { CheckId, CheckPhase, ChromeCorsError, FirefoxReason, RequestKind } from '../model/exchange.js';
import { lookupOwn } from '../model/lookup.js';
import { CHECK_TEXTS, CHROME_KIND_WORDS, CHROMIUM_CORS_SCHEMES_TEXT, checkTextFor, fillTemplate } from './checkTexts.js';

const PREFLIGHT_INFIX = "Response to preflight request doesn't pass access control check: ";

export interface ChromeConsoleInput {
  checkId: CheckId;
  phase: CheckPhase;
  kind: RequestKind;
  /** The URL of the hop that failed. */
  url: string;
  /** The URL the page asked for, when a redirect came before the failing hop. */
  redirectedFrom?: string;
  /** The initiator's origin (Chrome prints it even when the request was tainted to `null`). */
  origin: string;
  failedParameter: string;
}

/** The CorsError Chromium reports for a failed check in a phase, or `undefined` when the check has none. */
export function chromeCorsErrorFor(checkId: CheckId, phase: CheckPhase): ChromeCorsError | undefined {
  const chrome = CHECK_TEXTS[checkId].chrome;
  if (!chrome) return undefined;
  return phase === 'preflight' && chrome.preflightCorsError ? chrome.preflightCorsError : chrome.corsError;
}

/** Chrome's `{detail}` with its suffix for this kind of request, without the "Access to … has been blocked" lead. */
export function chromeConsoleDetail(input: Omit<ChromeConsoleInput, 'url' | 'origin' | 'redirectedFrom'>): string | undefined {
  const chrome = checkTextFor(input.checkId, input.phase).chrome;
  if (!chrome) return undefined;
  const infix = input.phase === 'preflight' && chrome.preflightInfix ? PREFLIGHT_INFIX : '';
  const detail = fillTemplate(chrome.detail, { hint: input.failedParameter, schemes: CHROMIUM_CORS_SCHEMES_TEXT });
  const suffix = input.kind === 'fetch' ? chrome.fetchSuffix ?? '' : input.kind === 'xhr' ? chrome.xhrSuffix ?? '' : '';
  return `${infix}${detail}${suffix}`;
}

/** The whole line Chrome prints in the console for this failure. */
export function chromeConsoleMessage(input: ChromeConsoleInput): string {
  const kindWord = lookupOwn(CHROME_KIND_WORDS, input.kind) ?? 'resource';
  const redirected = input.redirectedFrom !== undefined && input.redirectedFrom !== input.url ? `(redirected from '${input.redirectedFrom}') ` : '';
  const detail = chromeConsoleDetail(input) ?? '';
  return `Access to ${kindWord} at '${input.url}' ${redirected}from origin '${input.origin}' has been blocked by CORS policy: ${detail}`;
}

export interface FirefoxReasonInput {
  checkId: CheckId;
  phase: CheckPhase;
  /** The URL Firefox names (the request's URL at the failing hop). */
  url: string;
  values: Readonly<Record<string, string | undefined>>;
  /** HTTP status for the reasons that carry one; `(null)` when there was no response. */
  status?: number;
}

/** Firefox's reason id, message key, reason text and whole console line for a failed check. */
export function firefoxReasonFor(input: FirefoxReasonInput): FirefoxReason | undefined {
  const firefox = checkTextFor(input.checkId, input.phase).firefox;
  if (!firefox) return undefined;
  const text = fillTemplate(firefox.reason, input.values);
  const status = firefox.nullStatus || input.status === undefined || input.status <= 0 ? '(null)' : String(input.status);
  const url = firefox.quoteUrl ? `‘${input.url}’` : input.url;
  const consoleMessage =
    `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: ${text}).` +
    (firefox.withStatus ? ` Status code: ${status}.` : '');
  return { id: firefox.id, messageKey: firefox.messageKey, text, consoleMessage };
}
