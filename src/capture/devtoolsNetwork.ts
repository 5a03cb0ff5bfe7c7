/**
 * What DevTools hands an extension: the part of `chrome.devtools.network` (or `browser.devtools.network`) that live
 * capture reads, and how one HAR entry is recognised when `getHAR()` and `onRequestFinished` both deliver it.
 * Types and pure functions only: the browser object itself is passed in by the extension shell.
 */

/** The part of `chrome.devtools.network` the live source needs (also what `browser.devtools.network` offers). */
export interface DevtoolsNetworkLike {
  getHAR(callback: (har: { entries?: readonly unknown[] } | undefined) => void): void;
  onRequestFinished: EventLike<(entry: unknown) => void>;
  onNavigated: EventLike<(url: string) => void>;
}

export interface EventLike<F> {
  addListener(listener: F): void;
  removeListener(listener: F): void;
}

/** Identity of a HAR entry across `getHAR()` and `onRequestFinished` (the entry objects differ; no id is exposed). */
export function harEntryKey(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return String(entry);
  const e = entry as {
    startedDateTime?: unknown;
    time?: unknown;
    request?: { method?: unknown; url?: unknown };
    response?: { status?: unknown };
    _initiator?: { requestId?: unknown };
  };
  return [
    e.startedDateTime,
    e.request?.method,
    e.request?.url,
    e.response?.status,
    e.time,
    e._initiator?.requestId,
  ].join('\u0000');
}


/**
 * Identity of one request across the copies DevTools hands over (an early, unfinished `onRequestFinished` entry and
 * the complete one `getHAR()` holds later): start time, method, URL and, for a preflight, the id of the request it
 * precedes. Unlike `harEntryKey` it leaves out what changes as the request finishes (status, time).
 */
export function harRequestIdentity(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return String(entry);
  const e = entry as {
    startedDateTime?: unknown;
    request?: { method?: unknown; url?: unknown };
    _initiator?: { requestId?: unknown };
  };
  return [e.startedDateTime, e.request?.method, e.request?.url, e._initiator?.requestId].join('\u0000');
}
