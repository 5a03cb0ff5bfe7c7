/**
 * Is a live Chromium HAR entry finished? `chrome.devtools.network.onRequestFinished` sometimes hands over an entry
 * before its response is known: status 0, no response headers, no error, while `getHAR()` a moment later holds the
 * complete entry (beside-cors.md §6). A verdict taken from such an entry is a guess, so the live source holds it until
 * the complete entry turns up (src/capture/unfinishedEntries.ts). Pure functions only.
 *
 * The rule: an entry is finished when it records either a response (a status and its header lines) or a failure the
 * browser named (`_error`, e.g. `net::ERR_FAILED` for a CORS failure, `net::ERR_CONNECTION_REFUSED`,
 * `net::ERR_BLOCKED_BY_CLIENT`, `net::ERR_INVALID_REDIRECT` for a redirected preflight). A real failure has status 0
 * too, but it carries its `_error` and is judged at once. Requests the page's Content-Security-Policy, mixed-content
 * blocking or DevTools' request blocking stopped show status 0 with an EMPTY `_error`: they never complete, and are
 * judged "cannot tell" once the wait is over, saying what DevTools never delivered.
 *
 * Chromium's live entries only: Firefox records no `_error` at all (a request its preflight stopped is status 0 and
 * nothing else, and that is final), and has its own reconciliation (firefoxReconciliation.ts).
 */

/**
 * The field the live source adds to an entry it hands over unfinished after waiting: what DevTools never delivered.
 * It stays in an exported HAR, so the CLI reading that file says "cannot tell" for the same reason.
 */
export const UNFINISHED_ENTRY_FIELD = '_corsLensUnfinished';

export type EntryCompleteness =
  | { complete: true }
  | {
      complete: false;
      /** What a finished entry of this kind has and this one lacks, as a phrase ("the preflight's answer: …"). */
      missing: string;
      /**
       * If DevTools never completes it: `cannot-tell` (nothing in it names a cause: judged "cannot tell") or
       * `as-recorded` (the failure it records is enough to judge it, the complete copy only adds detail).
       */
      ifNeverCompleted: 'cannot-tell' | 'as-recorded';
    };

/**
 * Chromium's error for a redirect it refused after receiving it (a preflight answered with a redirect, a Location
 * that is no URL): the finished entry holds the 3xx status and its headers, yet DevTools sometimes hands the entry over
 * first with status 0 and no response (beside-cors.md §5).
 */
const REDIRECT_REFUSED = 'net::ERR_INVALID_REDIRECT';
/** Chromium's error for a CORS failure, and for a request it stopped before sending because its preflight failed. */
const CORS_OR_STOPPED = 'net::ERR_FAILED';

const COMPLETE: EntryCompleteness = { complete: true };

type Rec = Record<string, unknown>;
const isRecord = (value: unknown): value is Rec => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A preflight as Chromium marks it: `_resourceType: "preflight"` or a `preflight` initiator, on an OPTIONS request. */
export function isChromiumPreflightEntry(entry: unknown): boolean {
  if (!isRecord(entry) || !isRecord(entry.request)) return false;
  const method = entry.request.method;
  if (typeof method !== 'string' || method.toUpperCase() !== 'OPTIONS') return false;
  const initiator = entry._initiator;
  return entry._resourceType === 'preflight' || (isRecord(initiator) && initiator.type === 'preflight');
}

/** The failure the browser recorded for the entry, when it named one (`_error`, or Playwright's `_failureText`). */
export function recordedFailure(entry: unknown): string | undefined {
  if (!isRecord(entry) || !isRecord(entry.response)) return undefined;
  for (const field of ['_error', '_failureText']) {
    const value = entry.response[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/**
 * Whether the request headers are the ones sent on the network (Chromium adds them when they are known: `Host`, or
 * `:authority` over HTTP/2) rather than the renderer's provisional few (User-Agent, Referer, author headers).
 */
function hasSentRequestHeaders(request: Rec): boolean {
  if (!Array.isArray(request.headers)) return false;
  return request.headers.some((header) => {
    const name = isRecord(header) && typeof header.name === 'string' ? header.name.toLowerCase() : '';
    return name === 'host' || name === ':authority';
  });
}

/**
 * A response came over the network, so the request went out with its full headers; an entry that still holds only
 * the provisional ones was handed over before DevTools had them (seen in the soak: a crossorigin image and a
 * redirect hop judged "cannot tell" for want of their Origin). Not for what came from a cache or a service worker,
 * which never went out, nor for other schemes, nor when a failure other than `net::ERR_FAILED` (the CORS failure's)
 * is recorded: a response Chromium cut off (ORB's `net::ERR_ABORTED`) keeps the provisional headers for good.
 */
function lacksSentRequestHeaders(entry: Rec, status: number, failure: string | undefined): boolean {
  const request = entry.request as Rec;
  if (!(status > 0) || hasSentRequestHeaders(request)) return false;
  if (failure !== undefined && failure.trim() !== 'net::ERR_FAILED') return false;
  if (typeof request.url !== 'string' || !/^https?:/i.test(request.url)) return false;
  if (entry._fromCache !== undefined && entry._fromCache !== null && entry._fromCache !== '') return false;
  return !(isRecord(entry.response) && entry.response._fetchedViaServiceWorker === true);
}

/** Whether DevTools handed this entry over finished; if not, what it lacks. */
export function entryCompleteness(entry: unknown): EntryCompleteness {
  // Not an entry at all: not ours to hold; the store rejects it with a reason.
  if (!isRecord(entry) || !isRecord(entry.request)) return COMPLETE;
  const failure = recordedFailure(entry);
  const preflight = isChromiumPreflightEntry(entry);
  const what = preflight ? "the preflight's answer" : 'the response';
  const response = entry.response;
  const status = isRecord(response) ? (typeof response.status === 'number' ? response.status : Number(response.status)) : NaN;
  const headers = isRecord(response) && Array.isArray(response.headers) ? response.headers : [];
  const noStatus = !Number.isFinite(status) || status <= 0;
  if (lacksSentRequestHeaders(entry, status, failure)) {
    return {
      complete: false,
      missing:
        `the request headers as sent: DevTools handed over only the provisional ones (no Host) with a ${status} ` +
        'response, so the request’s Origin and mode are not known',
      ifNeverCompleted: 'as-recorded',
    };
  }
  if (failure !== undefined) {
    if (!noStatus) return COMPLETE;
    // A recorded failure explains the missing response, except a refused redirect, which did receive one.
    if (failure.trim() === REDIRECT_REFUSED) {
      return {
        complete: false,
        missing: `${what}: DevTools handed over the entry with ${failure} but without the redirect's status and headers`,
        ifNeverCompleted: 'as-recorded',
      };
    }
    // `net::ERR_FAILED` with status 0 is a request the browser stopped before sending (its preflight failed) for good,
    // but also, for a moment, a CORS failure whose response DevTools has not filled in yet (seen in the soak: judged
    // as a preflight failure under an assumed credentials mode). Asked again briefly, then judged as recorded.
    if (failure.trim() === CORS_OR_STOPPED && headers.length === 0) {
      return {
        complete: false,
        missing: `${what}: DevTools handed over status 0 with ${failure} and no response headers, which a request the browser stopped before sending also shows`,
        ifNeverCompleted: 'as-recorded',
      };
    }
    return COMPLETE;
  }
  if (!isRecord(response)) {
    return { complete: false, missing: `${what}: DevTools handed over the entry without a response`, ifNeverCompleted: 'cannot-tell' };
  }
  if (noStatus) {
    return {
      complete: false,
      missing:
        `${what}: DevTools handed over the entry with status ${Number.isFinite(status) ? status : 'none'}, ` +
        `${headers.length === 0 ? 'no response headers' : `${headers.length} response header lines`} and no error`,
      ifNeverCompleted: 'cannot-tell',
    };
  }
  if (headers.length === 0) {
    return { complete: false, missing: `${what}'s header lines: DevTools handed over status ${status} without any`, ifNeverCompleted: 'cannot-tell' };
  }
  return COMPLETE;
}

/**
 * What the report says an entry that never completed lacks: the phrase from `entryCompleteness` and how long and how
 * often DevTools was asked. Requests the page's CSP, mixed-content blocking or DevTools request blocking stopped look
 * the same (status 0, no error), so the text names them as what the Console would tell.
 */
export function describeUndelivered(missing: string, waitedMs: number, lookups: number): string {
  const seconds = Math.round(waitedMs / 100) / 10;
  return (
    `${missing}; getHAR() still lacked it after ${seconds} s (${lookups} ${lookups === 1 ? 'look' : 'looks'}). ` +
    'A request stopped by the page’s Content-Security-Policy, by mixed-content blocking or by DevTools request ' +
    'blocking looks like this too: the Console names it'
  );
}

/** The text the live source attached to an entry it handed over unfinished (`UNFINISHED_ENTRY_FIELD`), if any. */
export function undeliveredMark(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  const mark = entry[UNFINISHED_ENTRY_FIELD];
  return typeof mark === 'string' && mark !== '' ? mark : undefined;
}
