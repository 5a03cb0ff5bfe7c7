/**
 * The selected exchange. The first screen holds the answer: what stopped it, the browser's console line and the fix
 * (stack tabs with Copy). Then, each folding and remembered: why, the exchange as a picture, every check, and how to
 * reproduce it.
 *
 * Why one file over 400 lines: the detail's first screen (headline, console lines, fix bar) and its folds share the
 * copy state and the captured-value marking; each fold's content is a small component here.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { CheckId, CheckPhase, CheckResult } from '../model/exchange.js';
import { checkTextFor } from '../explain/checkTexts.js';
import type { BlockerReport, ExchangeReport } from '../explain/report.js';
import type { FixSnippet, ServerId } from '../fixes/model.js';
import { devProxyInputFor, suggestDevProxies, type DevProxySuggestion } from '../fixes/devProxy.js';
import { curlForActual, curlForPreflight } from '../explain/curl.js';
import { corsLensCheckCommand } from '../explain/checkCommandLine.js';
import { copyText, selectContents } from './copy.js';
import { ExchangeDiagram } from './ExchangeDiagram.js';
import { badgeFor } from './rowModel.js';
import type { DetailSection } from './settings.js';
import { RichText, Shown } from './shownText.js';
import { capturedValues, failureTemplates, warningTemplates } from './reportText.js';

/** The stacks users ask about most come first; any others follow in the generators' order. */
const FIRST_SERVERS: readonly ServerId[] = ['express', 'flask', 'nginx', 'php'];

export function orderFixes(fixes: readonly FixSnippet[]): FixSnippet[] {
  const rank = (s: ServerId): number => {
    const i = FIRST_SERVERS.indexOf(s);
    return i < 0 ? FIRST_SERVERS.length : i;
  };
  return fixes
    .map((fix, i) => ({ fix, i }))
    .sort((a, b) => rank(a.fix.server) - rank(b.fix.server) || a.i - b.i)
    .map(({ fix }) => fix);
}

/** The server fixes a report may show: none when what stopped it is fixed elsewhere than on the server. */
export function applicableFixes(report: ExchangeReport, fixes: readonly FixSnippet[]): FixSnippet[] {
  if (report.blocker && report.blocker.fixSide !== 'server') return [];
  return orderFixes(fixes);
}

/**
 * The fix the detail shows first: the user's own choice of stack wins; until there is one, the stack the responses
 * name (X-Powered-By, Server); else the first.
 */
export function activeFixFor(report: ExchangeReport, fixes: readonly FixSnippet[], server: ServerId | null): FixSnippet | undefined {
  const ordered = applicableFixes(report, fixes);
  const detected = report.serverStack;
  return ordered.find((f) => f.server === server) ?? ordered.find((f) => f.server === detected?.id) ?? ordered[0];
}

/** Check titles come from the explain module's data; `code` spans in them are marked with backticks. */
export function checkTitle(id: CheckId, phase: CheckPhase): string {
  try {
    return checkTextFor(id, phase).title;
  } catch {
    return 'A CORS check';
  }
}

const STATUS_TEXT: Record<CheckResult['status'], string> = {
  pass: 'pass',
  fail: 'fail',
  'not-reached': 'not reached',
  unknown: 'unknown',
};

const PHASE_TEXT: Record<CheckPhase, string> = {
  request: 'Request',
  preflight: 'Preflight response',
  response: 'Response',
  redirect: 'Redirect',
};

const FIX_SIDE_TEXT: Record<BlockerReport['fixSide'], string> = {
  server: 'Fix on the server',
  page: 'Fix in the page',
  user: 'Fix in the browser (the user’s side)',
  network: 'Fix the connection',
  none: 'Nothing to fix here',
};

function ShownValue({ value }: { value: string | null | undefined }) {
  if (value === null) return <>(absent)</>;
  return <Shown text={value ?? ''} />;
}

function Checklist({ checks }: { checks: readonly CheckResult[] }) {
  let lastGroup = '';
  return (
    <table class="checklist" data-testid="checklist">
      <thead>
        <tr>
          <th class="col-status">Status</th>
          <th>Check</th>
          <th>Needed</th>
          <th>Got</th>
        </tr>
      </thead>
      <tbody>
        {checks.flatMap((check, i) => {
          const group = `${check.phase}#${check.hop}`;
          const rows = [];
          if (group !== lastGroup) {
            lastGroup = group;
            rows.push(
              <tr key={`g-${group}-${i}`} class="check-group">
                <th colSpan={4}>
                  {PHASE_TEXT[check.phase]}
                  {check.hop > 0 ? ` (hop ${check.hop + 1})` : ''}
                </th>
              </tr>,
            );
          }
          rows.push(
            <tr
              key={`${check.id}-${check.phase}-${check.hop}-${i}`}
              class={`check check-${check.status}`}
              data-check-id={check.id}
              data-phase={check.phase}
              data-status={check.status}
            >
              <td class="col-status">
                <span class={`status-mark status-${check.status}`}>{STATUS_TEXT[check.status]}</span>
              </td>
              <td>
                <RichText text={checkTitle(check.id, check.phase)} />
                {check.subject ? (
                  <div class="check-subject mono">
                    <Shown text={check.subject} />
                  </div>
                ) : null}
                {check.note ? (
                  <div class="check-note">
                    <Shown text={check.note} />
                  </div>
                ) : null}
              </td>
              <td class="mono">
                <ShownValue value={check.expected} />
              </td>
              <td class={`mono${check.status === 'fail' ? ' value-bad' : ''}`}>
                <ShownValue value={check.actual} />
              </td>
            </tr>,
          );
          return rows;
        })}
      </tbody>
    </table>
  );
}

/** The dev-server proxies for a request a CORS check blocked; none when the values cannot be used safely. */
function devProxiesFor(report: ExchangeReport): DevProxySuggestion[] {
  const input = devProxyInputFor(report);
  if (input === undefined) return [];
  try {
    return suggestDevProxies(input);
  } catch {
    return [];
  }
}

function DevProxies({ proxies, copy }: { proxies: readonly DevProxySuggestion[]; copy(text: string, what: string): Promise<void> }) {
  const [tool, setTool] = useState<DevProxySuggestion['tool']>('vite');
  const active = proxies.find((p) => p.tool === tool) ?? proxies[0]!;
  return (
    <div class="fix dev-proxy" data-testid="dev-proxy">
      <div class="fix-bar">
        <button type="button" class="copy-button" data-testid="copy-dev-proxy" onClick={() => copy(active.snippet, `${active.label} proxy`)}>
          Copy
        </button>
        <span class={`verified ${active.verified ? 'is-verified' : 'not-verified'}`}>{active.verified ? 'verified' : 'not verified'}</span>
        <div class="tabs" role="group" aria-label="Dev server">
          {proxies.map((p) => (
            <button type="button" key={p.tool} class={`tab${p === active ? ' active' : ''}`} aria-pressed={p === active ? 'true' : 'false'} onClick={() => setTool(p.tool)}>
              {p.label}
            </button>
          ))}
        </div>
      </div>
      <div class="dim">{active.file}</div>
      <pre class="snippet mono" data-testid="dev-proxy-snippet">
        <Shown text={active.snippet} lines />
      </pre>
      <ul class="pitfalls">
        {active.pitfalls.map((p, i) => (
          <li key={i}>
            <Shown text={p} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A section that folds; its state is the user's and is remembered. */
function Fold(props: { id: DetailSection; title: string; folded: boolean; onFold(id: DetailSection, folded: boolean): void; children: ComponentChildren }) {
  return (
    <details
      class="fold"
      data-section={props.id}
      open={!props.folded}
      onToggle={(e) => {
        const open = (e.currentTarget as HTMLDetailsElement).open;
        if (open === props.folded) props.onFold(props.id, !open);
      }}
    >
      <summary>{props.title}</summary>
      {props.children}
    </details>
  );
}

type CopyState = { text: string; kind: 'ok' | 'failed'; fallback?: string } | null;

export type PanelBrowser = 'chrome' | 'firefox';

interface DetailProps {
  report: ExchangeReport;
  fixes: readonly FixSnippet[];
  fixServer: ServerId | null;
  onFixServer(server: ServerId): void;
  onClose(): void;
  detailRef: { current: HTMLElement | null };
  /** The browser the panel runs in: its own console wording first, the other's folded. */
  panelBrowser?: PanelBrowser;
  foldedSections?: readonly DetailSection[];
  onFold?(id: DetailSection, folded: boolean): void;
  /** Set by the detail: copies the fix shown (the panel's one-key shortcut). */
  copyFixRef?: { current: (() => void) | null };
}

function ConsoleLines({ report, panelBrowser }: { report: ExchangeReport; panelBrowser: PanelBrowser }) {
  const failure = report.failure!;
  const firefox = failure.firefoxReason;
  const firefoxFirst = report.rules === 'firefox' || panelBrowser === 'firefox';
  const chromeLine = (
    <div class="console-message mono" data-testid="console-message">
      <Shown text={failure.consoleMessage} lines />
    </div>
  );
  const chromeLabel = `${report.rules === 'firefox' ? 'Chrome would say' : 'Chrome console'}${failure.chromeCorsError ? ` · ${failure.chromeCorsError}` : ''}`;
  if (firefoxFirst && firefox) {
    return (
      <div class="console-block" data-rules={report.rules}>
        <div class="firefox-reason" data-testid="firefox-reason">
          <div class="label" data-testid="rules-applied">
            Firefox console · {firefox.id}
            {report.rules === 'firefox' ? " · judged by Firefox's rules" : ''}
          </div>
          <div class="console-message mono" data-testid="firefox-console-message">
            <Shown text={firefox.consoleMessage} />
          </div>
        </div>
        <details class="other-browser" data-testid="other-browser">
          <summary>Chrome says</summary>
          <div class="label">{chromeLabel}</div>
          {chromeLine}
        </details>
      </div>
    );
  }
  return (
    <div class="console-block" data-rules={report.rules}>
      <div class="label">{chromeLabel}</div>
      {chromeLine}
      {firefox ? (
        <details class="other-browser" data-testid="other-browser">
          <summary>Firefox says</summary>
          <div class="firefox-reason" data-testid="firefox-reason">
            <span class="label">Firefox · {firefox.id}</span>{' '}
            <span class="mono">
              <Shown text={firefox.text} />
            </span>
          </div>
        </details>
      ) : null}
    </div>
  );
}

function BlockerLines({ blocker }: { blocker: BlockerReport }) {
  return (
    <div class={`console-block blocker-block blocker-${blocker.family}`} data-testid="blocker" data-blocker={blocker.family}>
      <div class="label">
        Chrome console{blocker.chromeCorsError ? ` · ${blocker.chromeCorsError}` : blocker.netError ? ` · ${blocker.netError}` : ''}
      </div>
      {blocker.consoleMessage !== null ? (
        <div class="console-message mono" data-testid="console-message">
          <Shown text={blocker.consoleMessage} />
        </div>
      ) : (
        <div class="console-none" data-testid="console-none">
          Chrome prints no console line for this.
        </div>
      )}
    </div>
  );
}

export function ExchangeDetail(props: DetailProps) {
  const { report, fixes, fixServer, onFixServer, onClose, detailRef } = props;
  const panelBrowser = props.panelBrowser ?? 'chrome';
  const folded = props.foldedSections ?? [];
  const onFold = props.onFold ?? (() => undefined);
  const [copyState, setCopyState] = useState<CopyState>(null);
  const fallbackRef = useRef<HTMLPreElement>(null);
  const failure = report.failure;
  const blocker = report.blocker ?? null;
  const badge = badgeFor(report);
  const ordered = applicableFixes(report, fixes);
  const activeFix = activeFixFor(report, fixes, fixServer);
  const captured = capturedValues(report);
  const proxies = devProxiesFor(report);
  const detected = report.serverStack;
  // The four stacks asked about most (and the chosen one) as tabs; the others in a menu, so the bar is one line.
  const tabbed = ordered.filter((f, i) => i < FIRST_SERVERS.length || f === activeFix);
  const more = ordered.filter((f) => !tabbed.includes(f));

  const copy = async (text: string, what: string): Promise<void> => {
    const outcome = await copyText(text, detailRef.current?.ownerDocument ?? document);
    if (outcome === 'copied') {
      setCopyState({ text: `Copied ${what}`, kind: 'ok' });
    } else {
      setCopyState({ text: 'Copy failed — select the text', kind: 'failed', fallback: text });
      queueMicrotask(() => fallbackRef.current && selectContents(fallbackRef.current));
    }
  };
  if (props.copyFixRef) {
    props.copyFixRef.current = activeFix ? () => void copy(activeFix.snippet, `${activeFix.label} fix`) : null;
  }

  const headline = blocker ? blocker.headline : (failure?.headline ?? report.summary);
  const headlineTemplates = blocker ? [] : failureTemplates(report, 'headline');
  const fixHint = blocker ? blocker.fixHint : failure?.fixHint;

  return (
    <section
      ref={detailRef}
      class="detail"
      tabIndex={-1}
      aria-label="Exchange detail"
      data-testid="detail"
      data-verdict={report.verdict}
      data-cors-error={failure?.chromeCorsError ?? blocker?.chromeCorsError ?? ''}
      data-failed-parameter={failure?.failedParameter ?? ''}
      data-blocker={blocker?.family ?? ''}
    >
      <header class="detail-head">
        <span class={`badge badge-${badge.kind}`}>{badge.text}</span>
        {blocker ? <span class="badge badge-blocker">{blocker.badge}</span> : null}
        <h2 class="headline" data-testid="headline">
          <RichText text={headline} templates={headlineTemplates} captured={captured} />
        </h2>
        <button type="button" class="icon-button" title="Close (Esc)" aria-label="Close detail" data-testid="close-detail" onClick={onClose}>
          ✕
        </button>
      </header>
      <div class="detail-url mono">
        <Shown text={report.method} /> <Shown text={report.url} />
      </div>

      {blocker ? <BlockerLines blocker={blocker} /> : failure ? <ConsoleLines report={report} panelBrowser={panelBrowser} /> : null}

      {fixHint || activeFix ? (
        <div class="fix-section" data-testid="fix">
          {fixHint ? (
            <p class="fix-hint" data-testid="fix-hint">
              <strong>{blocker ? FIX_SIDE_TEXT[blocker.fixSide] : 'Fix'}:</strong>{' '}
              <RichText text={fixHint} templates={blocker ? [] : failureTemplates(report, 'fix')} captured={captured} />
            </p>
          ) : null}
          {activeFix ? (
            <div class="fix">
              <div class="fix-bar">
                <button
                  type="button"
                  class="copy-button"
                  data-testid="copy-snippet"
                  title="Copy this fix (C)"
                  onClick={() => copy(activeFix.snippet, `${activeFix.label} fix`)}
                >
                  Copy
                </button>
                <span
                  class={`verified ${activeFix.verified ? 'is-verified' : 'not-verified'}`}
                  data-testid="fix-verified"
                  title={
                    activeFix.verified
                      ? 'The test suite runs this config on a real server and a real browser passes'
                      : 'Not yet proven against a real server and browser'
                  }
                >
                  {activeFix.verified ? 'verified' : 'not verified'}
                </span>
                <div class="tabs" role="group" aria-label="Server">
                  {tabbed.map((fix) => (
                    <button
                      type="button"
                      key={fix.server}
                      class={`tab${fix === activeFix ? ' active' : ''}`}
                      aria-pressed={fix === activeFix ? 'true' : 'false'}
                      data-testid="fix-tab"
                      data-server={fix.server}
                      onClick={() => onFixServer(fix.server)}
                    >
                      {fix.label}
                    </button>
                  ))}
                </div>
                {more.length > 0 ? (
                  <select
                    class="fix-more"
                    data-testid="fix-more"
                    aria-label="More stacks"
                    value=""
                    onChange={(e) => {
                      const server = (e.currentTarget as HTMLSelectElement).value as ServerId;
                      if (server) onFixServer(server);
                    }}
                  >
                    <option value="">More stacks…</option>
                    {more.map((fix) => (
                      <option key={fix.server} value={fix.server} data-server={fix.server}>
                        {fix.label}
                      </option>
                    ))}
                  </select>
                ) : null}
              </div>
              {detected && activeFix.server === detected.id ? (
                <div class="dim fix-detected" data-testid="fix-detected">
                  <Shown text={`${detected.name} — ${detected.reason}`} />
                </div>
              ) : null}
              <pre class="snippet mono" data-testid="fix-snippet" data-language={activeFix.language}>
                <Shown text={activeFix.snippet} lines />
              </pre>
              {activeFix.pitfalls.length > 0 ? (
                <ul class="pitfalls">
                  {activeFix.pitfalls.map((p, i) => (
                    <li key={i}>
                      <RichText text={p} captured={captured} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}

      {proxies.length > 0 ? (
        <Fold id="proxy" title="API not yours? A dev-server proxy (development only)" folded={folded.includes('proxy')} onFold={onFold}>
          <DevProxies proxies={proxies} copy={copy} />
        </Fold>
      ) : null}

      <Fold id="why" title="Why" folded={folded.includes('why')} onFold={onFold}>
        <div class="why" data-testid="why">
          <p>
            {blocker ? (
              <RichText text={blocker.explanation} captured={captured} />
            ) : failure ? (
              <RichText text={failure.explanation} templates={failureTemplates(report, 'why')} captured={captured} />
            ) : (
              <RichText text={report.summary} captured={captured} />
            )}
          </p>
          {/* With a blocker, its explanation above already says what the "not really CORS" note would. */}
          {report.notReallyCors && !(blocker && (report.notReallyCors.kind as string) === 'blocked-beside-cors') ? (
            <p class="not-really">
              <RichText text={report.notReallyCors.message} captured={captured} />
            </p>
          ) : null}
          {report.warnings.map((w) => (
            <p key={w.id} class={`warning warning-${w.severity}`}>
              <strong>
                <RichText text={w.headline} templates={warningTemplates(w, 'headline')} captured={captured} />.
              </strong>{' '}
              <RichText text={w.explanation} templates={warningTemplates(w, 'explanation')} captured={captured} />{' '}
              <RichText text={w.fixHint} templates={warningTemplates(w, 'fixHint')} captured={captured} />
            </p>
          ))}
          {report.alternatives.length > 0 ? (
            <div class="alternatives">
              The capture fits other causes as well:
              <ul>
                {report.alternatives.map((alt, i) => (
                  <li key={i}>
                    <RichText text={alt.headline} captured={captured} /> <span class="mono dim">({alt.chromeCorsError})</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {report.assumptions.length > 0 ? (
            <ul class="assumptions">
              {report.assumptions.map((a, i) => (
                <li key={i}>
                  Assumed {a.about} = <span class="mono"><Shown text={a.value} /></span>: <RichText text={a.because} captured={captured} />
                </li>
              ))}
            </ul>
          ) : null}
          {report.missing.length > 0 ? (
            <p class="missing">
              Not in the capture: <Shown text={report.missing.join('; ')} />
            </p>
          ) : null}
        </div>
      </Fold>

      <Fold id="exchange" title="Exchange" folded={folded.includes('exchange')} onFold={onFold}>
        <ExchangeDiagram report={report} />
      </Fold>

      <Fold id="checks" title="Checks" folded={folded.includes('checks')} onFold={onFold}>
        <Checklist checks={report.checks} />
      </Fold>

      <Fold id="reproduce" title="Reproduce" folded={folded.includes('reproduce')} onFold={onFold}>
        <div class="curl-bar">
          <button type="button" data-testid="copy-curl-preflight" onClick={() => copy(curlForPreflight(report), 'preflight as curl')}>
            Copy preflight as curl
          </button>
          <button type="button" data-testid="copy-curl-actual" onClick={() => copy(curlForActual(report), 'request as curl')}>
            Copy request as curl
          </button>
          <button type="button" data-testid="copy-cors-lens-check" onClick={() => copy(corsLensCheckCommand(report), 'request as cors-lens check')}>
            Copy as cors-lens check
          </button>
        </div>
      </Fold>
      <div
        class={`copy-status${copyState?.kind === 'failed' ? ' copy-failed' : ''}`}
        data-testid="copy-status"
        role="status"
        aria-live="polite"
      >
        {copyState?.text ?? ''}
      </div>
      {copyState?.fallback !== undefined ? (
        <pre ref={fallbackRef} class="snippet mono copy-fallback" data-testid="copy-fallback">
          <Shown text={copyState.fallback} lines />
        </pre>
      ) : null}
    </section>
  );
}
