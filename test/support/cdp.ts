/**
 * CDP helpers on top of Playwright. Playwright does not expose DevTools windows or extension panels as pages
 * (devtools-capture.md §D), so these attach to such targets with raw, non-flat sessions through the browser session:
 * `Target.attachToTarget({flatten:false})` + `Target.sendMessageToTarget` / `Target.receivedMessageFromTarget`.
 */
import type { CDPSession } from 'playwright';

export interface TargetInfo {
  targetId: string;
  type: string;
  title: string;
  url: string;
  attached: boolean;
}

type Listener = (params: Record<string, unknown>) => void;

/** The part of a CDP session a raw child session needs: Playwright's CDPSession, or another RawTargetSession. */
export interface ParentSession {
  send(method: any, params?: any): Promise<any>;
  on(event: any, listener: (params: any) => void): unknown;
  off(event: any, listener: (params: any) => void): unknown;
}

/** A raw CDP session to one target, multiplexed over the browser-level session. */
export class RawTargetSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly onMessage: (e: { sessionId: string; message: string }) => void;
  private detached = false;

  constructor(
    private readonly browserSession: ParentSession,
    readonly sessionId: string,
    readonly targetId: string,
  ) {
    this.onMessage = (e) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message) as {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: unknown;
        error?: { message: string };
      };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {});
      }
    };
    browserSession.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async attach(browserSession: ParentSession, targetId: string): Promise<RawTargetSession> {
    const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new RawTargetSession(browserSession, sessionId, targetId);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.detached) return Promise.reject(new Error(`${method}: session detached`));
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
    });
    void this.browserSession
      .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
      .catch((e: Error) => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.reject(e);
      });
    return result;
  }

  off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }

  on(event: string, listener: Listener): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  /** Runtime.evaluate with awaitPromise + returnByValue; throws the page's exception text. */
  async evaluate<T>(expression: string): Promise<T> {
    const res = await this.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (res.exceptionDetails) {
      throw new Error(`evaluate failed: ${res.exceptionDetails.exception?.description ?? res.exceptionDetails.text}`);
    }
    return res.result.value as T;
  }

  async detach(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    this.browserSession.off('Target.receivedMessageFromTarget', this.onMessage);
    for (const p of this.pending.values()) p.reject(new Error(`${p.method}: session detached`));
    this.pending.clear();
    await this.browserSession.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
  }
}

export async function listTargets(browserSession: CDPSession): Promise<TargetInfo[]> {
  const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
  return targetInfos;
}

/** Polls the target list until one matches; throws with the list it saw after `timeoutMs`. */
export async function waitForTarget(
  browserSession: CDPSession,
  predicate: (t: TargetInfo) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<TargetInfo> {
  const deadline = Date.now() + timeoutMs;
  let seen: TargetInfo[] = [];
  while (Date.now() < deadline) {
    seen = await listTargets(browserSession);
    const hit = seen.find(predicate);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; targets: ${seen.map((t) => `${t.type} ${t.url}`).join(' | ')}`);
}

export const isDevToolsWindow = (t: TargetInfo) => t.url.startsWith('devtools://devtools/bundled/');

/** Waits for `predicate` to hold in a target, polling an expression that returns a boolean. */
export async function waitForExpression(
  session: RawTargetSession,
  expression: string,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      last = await session.evaluate<unknown>(expression);
      if (last === true) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
}

/**
 * Switches a DevTools window to the extension panel with this tab title (DevTools' own InspectorView), returning once
 * the call resolved. The panel id is `chrome-extension://<id><title>`, so the title is matched instead.
 */
export async function showDevToolsPanel(devtools: RawTargetSession, title: string): Promise<void> {
  await waitForExpression(
    devtools,
    // maybeGetInspectorViewInstance, not instance(): polled before DevTools made its view, instance() would make one
    // itself, or throw while DevTools' settings do not exist yet. The wait only reads DevTools' state.
    `(async () => { const UI = await import('./ui/legacy/legacy.js');
       const iv = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance();
       return iv !== null && iv !== undefined && iv.tabbedPane.tabs.some(t => t.title === ${JSON.stringify(title)}); })()`,
    `a DevTools tab titled "${title}"`,
  );
  await devtools.evaluate(`(async () => { const UI = await import('./ui/legacy/legacy.js');
    const iv = UI.InspectorView.InspectorView.instance();
    await iv.showPanel(iv.tabbedPane.tabs.find(t => t.title === ${JSON.stringify(title)}).id); })()`);
}
