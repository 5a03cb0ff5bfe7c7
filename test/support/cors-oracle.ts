import { RawTargetSession, type ParentSession } from './cdp.js';

/**
 * The browser as the oracle: records what Chromium itself reported for each request over CDP (Network domain on the
 * page target) — `Network.loadingFailed.corsErrorStatus` for CORS failures — keyed by the URL the page asked for.
 */

/** Anything that can send CDP commands and deliver CDP events for one target (Playwright CDPSession, RawTargetSession). */
export interface CdpEventSource {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  on(event: string, listener: (params: any) => void): unknown;
}

/** What Chromium did with one request the page made (redirect hops folded in, preflights attached). */
export interface BrowserVerdict {
  /** The URL the page asked for (before any redirect). */
  url: string;
  method: string;
  /** CDP resource type: Fetch, XHR, Font, Image, Script, ... */
  resourceType: string;
  /** `blocked`: Chromium reported a CORS error; `failed`: it failed without one; `loaded`: it completed. */
  outcome: 'loaded' | 'blocked' | 'failed' | 'pending';
  corsError: string | null;
  failedParameter: string | null;
  errorText: string | null;
  /** Every URL the request visited, first to last. */
  urls: string[];
  /** Statuses of redirect responses, then the final status when one was received. */
  statuses: number[];
  /** How many preflights Chromium sent for this request (0 when none was needed or the cache answered). */
  preflights: number;
  preflightErrorTexts: string[];
  /** Order in which the page started it (0-based, across the whole recording). */
  sequence: number;
  /** Chromium's own console lines about this request's CORS failure ("Access to fetch at '…' … blocked by CORS policy: …"). */
  consoleMessages: string[];
}

interface Tracked extends BrowserVerdict {
  requestId: string;
}

export class CorsOracle {
  private readonly byId = new Map<string, Tracked>();
  private readonly preflightsFor = new Map<string, { errorTexts: string[]; count: number }>();
  private readonly preflightIds = new Map<string, string>();
  private sequence = 0;
  private readonly corsConsoleLines: string[] = [];

  /**
   * Enables the Network domain on `session` and starts recording; also follows the page's out-of-process frames
   * (a sandboxed iframe is one), which report their requests on their own targets. Call before the page makes requests.
   */
  async attach(session: CdpEventSource & ParentSession): Promise<void> {
    await this.listen(session);
    session.on('Target.attachedToTarget', (e: any) => {
      const child = new RawTargetSession(session, e.sessionId, e.targetInfo?.targetId ?? '');
      void this.listen(child)
        .catch(() => undefined)
        .finally(() => void child.send('Runtime.runIfWaitingForDebugger').catch(() => undefined));
    });
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  }

  private async listen(session: CdpEventSource): Promise<void> {
    session.on('Network.requestWillBeSent', (e: any) => this.onRequestWillBeSent(e));
    session.on('Network.responseReceived', (e: any) => {
      const t = this.byId.get(e.requestId);
      if (t && e.type !== 'Preflight') t.statuses.push(e.response.status);
    });
    session.on('Network.loadingFinished', (e: any) => {
      const t = this.byId.get(e.requestId);
      if (t && t.outcome === 'pending') t.outcome = 'loaded';
    });
    session.on('Network.loadingFailed', (e: any) => this.onLoadingFailed(e));
    session.on('Log.entryAdded', (e: any) => {
      const text: unknown = e.entry?.text;
      if (typeof text === 'string' && text.includes('blocked by CORS policy')) this.corsConsoleLines.push(text);
    });
    await session.send('Network.enable', {});
    await session.send('Log.enable', {}).catch(() => undefined);
  }

  private onRequestWillBeSent(e: any): void {
    const initiator = e.initiator ?? {};
    if (initiator.type === 'preflight') {
      const actualId: string = initiator.requestId ?? '';
      this.preflightIds.set(e.requestId, actualId);
      const p = this.preflightsFor.get(actualId) ?? { errorTexts: [], count: 0 };
      p.count++;
      this.preflightsFor.set(actualId, p);
      return;
    }
    const existing = this.byId.get(e.requestId);
    if (existing && e.redirectResponse) {
      existing.statuses.push(e.redirectResponse.status);
      existing.urls.push(e.request.url);
      return;
    }
    this.byId.set(e.requestId, {
      requestId: e.requestId,
      url: e.request.url,
      method: e.request.method,
      resourceType: e.type ?? 'Other',
      outcome: 'pending',
      corsError: null,
      failedParameter: null,
      errorText: null,
      urls: [e.request.url],
      statuses: [],
      preflights: 0,
      preflightErrorTexts: [],
      sequence: this.sequence++,
      consoleMessages: [],
    });
  }

  private onLoadingFailed(e: any): void {
    const actualOfPreflight = this.preflightIds.get(e.requestId);
    if (actualOfPreflight !== undefined) {
      this.preflightsFor.get(actualOfPreflight)?.errorTexts.push(e.errorText);
      return;
    }
    const t = this.byId.get(e.requestId);
    if (!t) return;
    t.errorText = e.errorText ?? null;
    if (e.corsErrorStatus) {
      t.outcome = 'blocked';
      t.corsError = e.corsErrorStatus.corsError;
      t.failedParameter = e.corsErrorStatus.failedParameter ?? '';
    } else {
      t.outcome = 'failed';
    }
  }

  /** Every request recorded so far, in start order, with its preflights attached. */
  verdicts(): BrowserVerdict[] {
    return [...this.byId.values()]
      .sort((a, b) => a.sequence - b.sequence)
      .map(({ requestId, ...v }) => {
        const p = this.preflightsFor.get(requestId);
        // The console names the last URL tried and, after a redirect, the first one: "(redirected from '<url>')".
        const consoleMessages = this.corsConsoleLines.filter(
          (line) => line.startsWith(`Access to `) && (line.includes(`at '${v.url}'`) || line.includes(`(redirected from '${v.url}')`)),
        );
        return { ...v, preflights: p?.count ?? 0, preflightErrorTexts: [...(p?.errorTexts ?? [])], consoleMessages };
      });
  }

  /** The requests whose first URL contains `needle` (e.g. a scenario's unique token), in start order. */
  verdictsFor(needle: string): BrowserVerdict[] {
    return this.verdicts().filter((v) => v.url.includes(needle));
  }

  /** Waits until no request whose URL contains `needle` is still pending. */
  async settled(needle: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.verdictsFor(needle).some((v) => v.outcome === 'pending')) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
