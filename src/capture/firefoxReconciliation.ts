/**
 * Firefox only: `devtools.network.onRequestFinished` never fires for a request that got no response, such as an
 * actual request its failed preflight stopped or a redirect hop Firefox refused to follow (status 0), while
 * `devtools.network.getHAR()` holds them (firefox-capture.md). It also drops a finished request now and then, and
 * reports some with status 0 before their status is known. This wraps the network object so that every request reaches
 * the panel through `onRequestFinished`, once, with what Firefox finally recorded for it; the panel's source stays
 * browser-neutral.
 *
 * Finished requests that onRequestFinished reports go to the panel at once. Everything else waits for a look at
 * `getHAR()`: an entry the HAR lists that the panel lacks is handed over once looks have found it unchanged for a while
 * (so onRequestFinished had its chance, a request still waiting for its preflight is not mistaken for a blocked one,
 * and the entries before it, the preflight it failed or the redirect it followed, are in the panel already); an entry
 * onRequestFinished reported without a response is held until the HAR lists it finished, or still without one. Each
 * request is handed over once (start time, method and URL identify it across the two routes). Looks happen shortly
 * after requests finish, once more a little later (Firefox records a refused hop after the hop before it has
 * finished), while something waits for confirmation, and never while the page is idle.
 */
import type { DevtoolsNetworkLike } from './devtoolsNetwork.js';

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
  /** How long to remember what the panel was given, for a navigation event that comes late (ms). */
  recentMs?: number;
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

function startTime(entry: unknown): number | undefined {
  const started = Date.parse(String((entry as { startedDateTime?: unknown } | null)?.startedDateTime));
  return Number.isFinite(started) ? started : undefined;
}

/**
 * When the page navigated to started, in getHAR()'s clock: the start of the latest request for its URL (the document),
 * else the moment the panel heard of the navigation.
 */
function newPageStart(entries: readonly unknown[], navigation: { url: string; at: number }): number {
  let start: number | undefined;
  for (const entry of entries) {
    if ((entry as { request?: { url?: unknown } } | null)?.request?.url !== navigation.url) continue;
    const started = startTime(entry);
    if (started !== undefined && (start === undefined || started > start)) start = started;
  }
  return start ?? navigation.at;
}

/**
 * What a look compares across looks: the request, and how far it got (status, response headers). Not `time`, which
 * Firefox keeps updating while a body downloads.
 */
function progressKey(entry: unknown): string {
  const headers = (entry as { response?: { headers?: unknown } } | null)?.response?.headers;
  return [requestKey(entry), responseStatus(entry), Array.isArray(headers) ? headers.length : 0].join('\u0000');
}

export function reconcileWithHar(network: DevtoolsNetworkLike, options: HarReconciliationOptions = {}): DevtoolsNetworkLike {
  const quietMs = options.quietMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const confirmMs = options.confirmMs ?? 2000;
  const lateLookMs = options.lateLookMs ?? 3000;
  const recentMs = options.recentMs ?? 30_000;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const now = options.now ?? (() => Date.now());

  const listeners = new Set<FinishedListener>();
  /**
   * Every request the panel has been given, by either route (start time, method and URL: the entry objects and even
   * their status differ between the routes). Kept across navigations: with "Persist Logs" getHAR() still holds the
   * earlier page's entries, and new requests have new keys anyway.
   */
  const delivered = new Set<string>();
  /** getHAR() entries not handed over yet: progress key → when a look first found them so. */
  const candidates = new Map<string, number>();
  /**
   * Entries onRequestFinished reported without a response, by request: Firefox reports a refused redirect hop before
   * the redirect that led to it, and sometimes a finished request before its status is known. Held until a look says
   * which: getHAR() lists it finished (that copy goes to the panel), or still without a response for a while.
   */
  const held = new Map<string, { entry: unknown; since: number }>();
  /**
   * The last navigation the panel was told of. The panel then starts a new list, but Firefox can deliver the event
   * after requests of the new page: those are handed over again from getHAR(), from the new page's document on.
   */
  let navigation: { url: string; at: number } | undefined;
  let lookTimer: unknown;
  let waitingSince: number | undefined;
  let confirmTimer: unknown;
  let lateTimer: unknown;

  /**
   * What the panel was given lately (kept `recentMs`): when the navigation event comes late, the new page's requests
   * among them go to the new list again, even those Firefox's getHAR() no longer lists (it clears on navigation too).
   */
  let recent: { entry: unknown; at: number }[] = [];

  const deliver = (entry: unknown): void => {
    const request = requestKey(entry);
    delivered.add(request);
    held.delete(request);
    const t = now();
    recent = recent.filter((r) => t - r.at <= recentMs);
    recent.push({ entry, at: t });
    for (const listener of listeners) listener(entry);
  };

  const look = (): void => {
    network.getHAR((har) => {
      if (listeners.size === 0) return;
      const t = now();
      const entries = Array.isArray(har?.entries) ? har.entries : [];
      const newPageFrom = navigation === undefined ? undefined : newPageStart(entries, navigation);
      const listedRequests = new Set<string>();
      const listed = new Set<string>();
      for (const entry of entries) {
        // Before the page the panel shows now (Firefox keeps them with "Persist Logs"): not the panel's any more.
        if (newPageFrom !== undefined && (startTime(entry) ?? newPageFrom) < newPageFrom) continue;
        const request = requestKey(entry);
        listedRequests.add(request);
        if (delivered.has(request) || inFlight(entry)) continue;
        if (held.has(request) && !endedWithoutResponse(entry)) {
          // Its status came late: the HAR has it finished.
          deliver(entry);
          continue;
        }
        // Ended without a response (onRequestFinished never fires for those), or finished and not reported (yet):
        // handed over once unchanged for confirmMs, time for onRequestFinished to deliver it first, and for a request
        // that was only waiting for its preflight to go out.
        const key = progressKey(entry);
        listed.add(key);
        const firstFound = candidates.get(key);
        if (firstFound === undefined) candidates.set(key, t);
        else if (t - firstFound >= confirmMs) deliver(entry);
      }
      for (const key of candidates.keys()) if (!listed.has(key)) candidates.delete(key);
      // A held entry the HAR never lists (Firefox does not always record a refused redirect hop): hand it over as reported.
      for (const [request, { entry, since }] of held) {
        if (!listedRequests.has(request) && t - since >= confirmMs) deliver(entry);
      }
      // Look again when a candidate is due, when a held entry the HAR does not list is, and while a held entry's
      // request is still in flight there (its event came before it finished; none will come after).
      const delays = [...candidates.values()].map((firstFound) => firstFound + confirmMs - t);
      for (const [request, { since }] of held) delays.push(listedRequests.has(request) ? confirmMs : since + confirmMs - t);
      if (delays.length > 0 && confirmTimer === undefined) {
        confirmTimer = setTimer(() => {
          confirmTimer = undefined;
          look();
        }, Math.max(0, delays.reduce((least, delay) => Math.min(least, delay), Infinity)));
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

  const onFinished: FinishedListener = (entry) => {
    const request = requestKey(entry);
    // Already handed over from getHAR() (Firefox reported it late): the panel has it.
    if (delivered.has(request)) return;
    if (endedWithoutResponse(entry)) {
      if (!held.has(request)) held.set(request, { entry, since: now() });
    } else deliver(entry);
    scheduleLook();
    scheduleLateLook();
  };

  const navigatedListeners = new Set<(url: string) => void>();
  const onNavigated = (url: string): void => {
    navigation = { url, at: now() };
    delivered.clear();
    candidates.clear();
    held.clear();
    // The panel starts its new list here; the new page's requests it was given already (its document on) go again.
    const given = recent.map((r) => r.entry);
    recent = [];
    const newPageFrom = given.some((entry) => (entry as { request?: { url?: unknown } } | null)?.request?.url === url)
      ? newPageStart(given, navigation)
      : undefined;
    for (const listener of navigatedListeners) listener(url);
    if (newPageFrom !== undefined) for (const entry of given) if ((startTime(entry) ?? -Infinity) >= newPageFrom) deliver(entry);
    scheduleLook();
    scheduleLateLook();
  };

  const stop = (): void => {
    network.onRequestFinished.removeListener(onFinished);
    network.onNavigated.removeListener(onNavigated);
    for (const timer of [lookTimer, confirmTimer, lateTimer]) if (timer !== undefined) clearTimer(timer);
    held.clear();
    candidates.clear();
    recent = [];
    lookTimer = confirmTimer = lateTimer = waitingSince = undefined;
  };

  return {
    getHAR(callback) {
      network.getHAR((har) => {
        if (!Array.isArray(har?.entries)) return callback(har);
        // Requests still in flight come later, finished; what the panel reads here counts as handed over.
        const entries = har.entries.filter((entry) => !inFlight(entry));
        for (const entry of entries) delivered.add(requestKey(entry));
        callback({ ...har, entries });
      });
    },
    onRequestFinished: {
      addListener(listener) {
        if (listeners.size === 0) {
          network.onRequestFinished.addListener(onFinished);
          network.onNavigated.addListener(onNavigated);
        }
        listeners.add(listener);
      },
      removeListener(listener) {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      },
    },
    onNavigated: {
      addListener: (listener) => void navigatedListeners.add(listener),
      removeListener: (listener) => void navigatedListeners.delete(listener),
    },
  };
}
