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
  /** `Network.loadingFailed.blockedReason` (csp, mixed-content, inspector, corp-not-same-origin, ...), when Chromium gave one. */
  blockedReason?: string;
  /**
   * Every console line Chromium logged about this request (Log domain: network errors, CSP, mixed content, CORS),
   * matched by its request id or by naming one of its URLs.
   */
  consoleLines?: string[];
  /**
   * The DevTools issues Chromium raised for this request (`Audits.issueAdded`), as `code` or `code: reason`, with
   * ` (warning)` for a warning-only issue (e.g. `CorsIssue: LocalNetworkAccessPermissionDenied`,
   * `BlockedByResponseIssue: CorpNotSameOrigin`, `GenericIssue: ResponseWasBlockedByORB`).
   */
  issues?: string[];
}

interface Tracked extends BrowserVerdict {
  requestId: string;
}

/**
 * Whether a console line is about the request to `url`: it quotes the URL, or it is a "Failed to load resource" line
 * whose `url` is that request's (a line's `url` is otherwise where it was logged from, e.g. the page's script).
 */
function namesRequest(line: LogLine, url: string): boolean {
  return line.text.includes(`'${url}'`) || (line.url === url && line.text.startsWith('Failed to load resource'));
}

/** A console line from the Log domain, with the request it names when Chromium says. */
interface LogLine {
  text: string;
  url?: string;
  networkRequestId?: string;
}

export class CorsOracle {
  private readonly byId = new Map<string, Tracked>();
  private readonly preflightsFor = new Map<string, { errorTexts: string[]; count: number }>();
  private readonly preflightIds = new Map<string, string>();
  private sequence = 0;
  private readonly corsConsoleLines: string[] = [];
  private readonly logLines: LogLine[] = [];
  private readonly issues: { summary: string; requestIds: string[]; urls: string[] }[] = [];

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
    // WebSockets have events of their own: no requestWillBeSent, no loadingFinished/Failed.
    session.on('Network.webSocketCreated', (e: any) => this.track(e.requestId, e.url, 'GET', 'WebSocket'));
    session.on('Network.webSocketHandshakeResponseReceived', (e: any) => {
      const t = this.byId.get(e.requestId);
      if (!t) return;
      t.statuses.push(e.response?.status);
      if (e.response?.status === 101) t.outcome = 'loaded';
    });
    session.on('Network.webSocketFrameError', (e: any) => {
      const t = this.byId.get(e.requestId);
      if (t && t.outcome === 'pending') {
        t.outcome = 'failed';
        t.errorText = e.errorMessage ?? null;
      }
    });
    session.on('Network.webSocketClosed', (e: any) => {
      const t = this.byId.get(e.requestId);
      if (t && t.outcome === 'pending') t.outcome = 'failed';
    });
    session.on('Log.entryAdded', (e: any) => {
      const text: unknown = e.entry?.text;
      if (typeof text !== 'string') return;
      if (text.includes('blocked by CORS policy')) this.corsConsoleLines.push(text);
      this.logLines.push({ text, url: e.entry?.url, networkRequestId: e.entry?.networkRequestId });
    });
    session.on('Audits.issueAdded', (e: any) => this.onIssue(e.issue));
    await session.send('Network.enable', {});
    await session.send('Log.enable', {}).catch(() => undefined);
    await session.send('Audits.enable', {}).catch(() => undefined);
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
    this.track(e.requestId, e.request.url, e.request.method, e.type ?? 'Other');
  }

  private track(requestId: string, url: string, method: string, resourceType: string): void {
    this.byId.set(requestId, {
      requestId,
      url,
      method,
      resourceType,
      outcome: 'pending',
      corsError: null,
      failedParameter: null,
      errorText: null,
      urls: [url],
      statuses: [],
      preflights: 0,
      preflightErrorTexts: [],
      sequence: this.sequence++,
      consoleMessages: [],
    });
  }

  private onIssue(issue: any): void {
    if (!issue || typeof issue.code !== 'string') return;
    const requestIds: string[] = [];
    const urls: string[] = [];
    let reason: string | undefined;
    // Every issue kind names its request differently (request.requestId, blockedURL, ...): collect them all.
    const walk = (value: unknown, key: string): void => {
      if (Array.isArray(value)) value.forEach((v) => walk(v, key));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
      else if (typeof value === 'string') {
        if (key === 'requestId') requestIds.push(value);
        else if (key === 'url' || key === 'blockedURL' || key === 'insecureURL') urls.push(value);
        else if (key === 'corsError' || key === 'reason' || key === 'violationType' || key === 'errorType') reason ??= value;
      }
    };
    walk(issue.details, '');
    // A CORS issue can be a warning only (Local Network Access with the permission granted still raises one).
    const warning = JSON.stringify(issue.details ?? {}).includes('"isWarning":true') ? ' (warning)' : '';
    this.issues.push({ summary: `${issue.code}${reason ? `: ${reason}` : ''}${warning}`, requestIds, urls });
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
    if (e.blockedReason) t.blockedReason = e.blockedReason;
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
        const consoleLines = this.logLines
          .filter((l) => l.networkRequestId === requestId || v.urls.some((u) => namesRequest(l, u)))
          .map((l) => l.text);
        const issues = this.issues
          .filter((i) => i.requestIds.includes(requestId) || i.urls.some((u) => v.urls.includes(u)))
          .map((i) => i.summary);
        return { ...v, preflights: p?.count ?? 0, preflightErrorTexts: [...(p?.errorTexts ?? [])], consoleMessages, consoleLines, issues };
      });
  }

  /** The requests whose first URL contains `needle` (e.g. a scenario's unique token), in start order. */
  verdictsFor(needle: string): BrowserVerdict[] {
    return this.verdicts().filter((v) => v.url.includes(needle));
  }

  /** Every console line (Log domain) that names `needle`, e.g. for a request refused before it was made. */
  consoleLinesMentioning(needle: string): string[] {
    return this.logLines.filter((l) => l.text.includes(needle) || l.url?.includes(needle)).map((l) => l.text);
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
