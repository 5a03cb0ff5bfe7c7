/**
 * Firefox only: `devtools.network.onRequestFinished` never fires for a request that got no response, such as an
 * actual request its failed preflight stopped or a redirect hop Firefox refused to follow (status 0), while
 * `devtools.network.getHAR()` holds them (firefox-capture.md). This wraps the network object so that those entries
 * reach the panel through `onRequestFinished` too, each once; the panel's source stays browser-neutral.
 *
 * Only entries that ended without a response (see `endedWithoutResponse`) are taken from `getHAR()`; finished ones
 * arrive through `onRequestFinished`. Such an entry is handed over once looks have found it unchanged for a while, so
 * a request still waiting for its preflight (it looks the same until it goes out) is not mistaken for a blocked one,
 * and the entries before it (the preflight it failed, the redirect it followed) are in the panel already, so it joins
 * their exchange. Each request is handed over once, by either route (start time, method and URL identify it across
 * the two). When onRequestFinished does deliver one (a refused redirect hop,
 * sometimes ahead of the redirect itself), it is held back briefly for the same reason. Looks happen shortly after requests
 * finish, once more a little later (Firefox records a refused hop after the hop before it has finished), and never
 * while the page is idle.
 */
import { harEntryKey, type DevtoolsNetworkLike } from '../src/panel/source.js';

export interface HarReconciliationOptions {
  /**
   * Look at `getHAR()` once no request has finished for this long (ms). Looks wait for a pause: measured in Firefox
   * ESR 153, frequent getHAR() calls while requests finish make onRequestFinished drop some of them.
   */
  quietMs?: number;
  /** ... but at least this often while requests keep finishing (ms). */
  maxWaitMs?: number;
  /**
   * An entry that ended without a response is handed over once looks have found it unchanged for this long (ms): a
   * request waiting for its preflight is listed the same way until it goes out.
   */
  confirmMs?: number;
  /** One more look this long after the last request finished, for entries Firefox records late (ms). */
  lateLookMs?: number;
  /**
   * How long to hold an entry that ended without a response when onRequestFinished does deliver it: Firefox can
   * deliver a refused redirect hop before the redirect that led to it (ms).
   */
  holdMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

type FinishedListener = (entry: unknown) => void;

function responseStatus(entry: unknown): number | undefined {
  const status = (entry as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A request that ended without a response as Firefox's HAR records it: status 0 and no response headers (a request
 * its preflight stopped, a refused redirect hop, a refused connection). A request still waiting (for its preflight,
 * for the server) can look the same for a moment, hence the confirmation delay below; one whose response has started
 * has headers.
 */
export function endedWithoutResponse(entry: unknown): boolean {
  const headers = (entry as { response?: { headers?: unknown } } | null)?.response?.headers;
  const status = responseStatus(entry);
  return status !== undefined && status <= 0 && (!Array.isArray(headers) || headers.length === 0);
}

/** Started, not finished: no status yet, but response headers (Firefox lists such entries in getHAR()). */
function inFlight(entry: unknown): boolean {
  const status = responseStatus(entry);
  return !(status !== undefined && status > 0) && !endedWithoutResponse(entry);
}

/** One request across its states: start time, method and URL. */
function requestKey(entry: unknown): string {
  const e = entry as { startedDateTime?: unknown; request?: { method?: unknown; url?: unknown } } | null;
  return [e?.startedDateTime, e?.request?.method, e?.request?.url].join('\u0000');
}

export function reconcileWithHar(network: DevtoolsNetworkLike, options: HarReconciliationOptions = {}): DevtoolsNetworkLike {
  const quietMs = options.quietMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const confirmMs = options.confirmMs ?? 2000;
  const lateLookMs = options.lateLookMs ?? 3000;
  const holdMs = options.holdMs ?? 500;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const now = options.now ?? (() => Date.now());

  const listeners = new Set<FinishedListener>();
  /**
   * Keys of every entry the panel has been given, by either route. Kept across navigations: with "Persist Logs"
   * getHAR() still holds the earlier page's entries, and new requests have new keys anyway.
   */
  const delivered = new Set<string>();
  /** Entries a look found that were not handed over yet: key → when first found. */
  const candidates = new Map<string, number>();
  /** The same request, whatever its state: start time, method and URL of everything handed over. */
  const deliveredRequests = new Set<string>();
  let lookTimer: unknown;
  let waitingSince: number | undefined;
  let confirmTimer: unknown;
  let lateTimer: unknown;

  const deliver = (entry: unknown): void => {
    delivered.add(harEntryKey(entry));
    deliveredRequests.add(requestKey(entry));
    for (const listener of listeners) listener(entry);
  };

  const look = (): void => {
    network.getHAR((har) => {
      if (listeners.size === 0) return;
      const t = now();
      const listed = new Set<string>();
      for (const entry of Array.isArray(har?.entries) ? har.entries : []) {
        // Finished entries come through onRequestFinished (a getHAR() copy can be thinner); only these do not.
        if (!endedWithoutResponse(entry)) continue;
        const key = harEntryKey(entry);
        listed.add(key);
        if (delivered.has(key) || deliveredRequests.has(requestKey(entry))) {
          candidates.delete(key);
          continue;
        }
        const firstFound = candidates.get(key);
        if (firstFound === undefined) candidates.set(key, t);
        else if (t - firstFound >= confirmMs) {
          candidates.delete(key);
          deliver(entry);
        }
      }
      // An entry that changed (it went out after all) is no candidate any more.
      for (const key of candidates.keys()) if (!listed.has(key)) candidates.delete(key);
      if (candidates.size > 0 && confirmTimer === undefined) {
        const oldest = Math.min(...candidates.values());
        confirmTimer = setTimer(() => {
          confirmTimer = undefined;
          look();
        }, Math.max(0, oldest + confirmMs - t));
      }
    });
  };

  const scheduleLook = (): void => {
    const t = now();
    waitingSince ??= t;
    if (lookTimer !== undefined) {
      // Requests keep finishing: postpone, but not past maxWaitMs since the first one.
      if (t - waitingSince >= maxWaitMs) return;
      clearTimer(lookTimer);
    }
    lookTimer = setTimer(() => {
      lookTimer = undefined;
      waitingSince = undefined;
      look();
    }, Math.max(0, Math.min(quietMs, waitingSince + maxWaitMs - t)));
  };

  const scheduleLateLook = (): void => {
    if (lateTimer !== undefined) clearTimer(lateTimer);
    lateTimer = setTimer(() => {
      lateTimer = undefined;
      look();
    }, lateLookMs);
  };

  const held = new Set<unknown>();

  const onFinished: FinishedListener = (entry) => {
    const key = harEntryKey(entry);
    // Already handed over from getHAR() (Firefox reported it late): the panel has it.
    if (delivered.has(key) || deliveredRequests.has(requestKey(entry))) return;
    candidates.delete(key);
    if (endedWithoutResponse(entry)) {
      const timer = setTimer(() => {
        held.delete(timer);
        if (!delivered.has(key) && listeners.size > 0) deliver(entry);
      }, holdMs);
      held.add(timer);
    } else deliver(entry);
    scheduleLook();
    scheduleLateLook();
  };

  const stop = (): void => {
    network.onRequestFinished.removeListener(onFinished);
    for (const timer of [lookTimer, confirmTimer, lateTimer, ...held]) if (timer !== undefined) clearTimer(timer);
    held.clear();
    lookTimer = confirmTimer = lateTimer = waitingSince = undefined;
  };

  return {
    getHAR(callback) {
      network.getHAR((har) => {
        if (!Array.isArray(har?.entries)) return callback(har);
        // Requests still in flight come later, finished; what the panel reads here counts as handed over.
        const entries = har.entries.filter((entry) => !inFlight(entry));
        for (const entry of entries) {
          delivered.add(harEntryKey(entry));
          deliveredRequests.add(requestKey(entry));
        }
        callback({ ...har, entries });
      });
    },
    onRequestFinished: {
      addListener(listener) {
        if (listeners.size === 0) network.onRequestFinished.addListener(onFinished);
        listeners.add(listener);
      },
      removeListener(listener) {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      },
    },
    onNavigated: network.onNavigated,
  };
}
