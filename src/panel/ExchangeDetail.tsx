/** The selected exchange: what failed, Chrome's own words, the picture, every check, why, and the fix. */
import { useRef, useState } from 'preact/hooks';
import type { CheckId, CheckPhase, CheckResult } from '../model/exchange.js';
import { checkTextFor } from '../explain/checkTexts.js';
import type { ExchangeReport } from '../explain/report.js';
import type { FixSnippet, ServerId } from '../fixes/model.js';
import { curlForActual, curlForPreflight } from '../explain/curl.js';
import { corsLensCheckCommand } from '../explain/checkCommandLine.js';
import { copyText, selectContents } from './copy.js';
import { ExchangeDiagram } from './ExchangeDiagram.js';
import { badgeFor } from './rowModel.js';

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

/** Check titles come from the explain module's data; `code` spans in them are marked with backticks. */
export function checkTitle(id: CheckId, phase: CheckPhase): string {
  try {
    return checkTextFor(id, phase).title;
  } catch {
    return id;
  }
}

/** Renders `a `b` c` with the backticked parts as code; text nodes only. */
function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}
    </>
  );
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

function shownValue(value: string | null | undefined): string {
  if (value === null) return '(absent)';
  return value ?? '';
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
                <Inline text={checkTitle(check.id, check.phase)} />
                {check.subject ? <div class="check-subject mono">{check.subject}</div> : null}
                {check.note ? <div class="check-note">{check.note}</div> : null}
              </td>
              <td class="mono">{shownValue(check.expected)}</td>
              <td class={`mono${check.status === 'fail' ? ' value-bad' : ''}`}>{shownValue(check.actual)}</td>
            </tr>,
          );
          return rows;
        })}
      </tbody>
    </table>
  );
}

type CopyState = { text: string; kind: 'ok' | 'failed'; fallback?: string } | null;

interface DetailProps {
  report: ExchangeReport;
  fixes: readonly FixSnippet[];
  fixServer: ServerId | null;
  onFixServer(server: ServerId): void;
  onClose(): void;
  detailRef: { current: HTMLElement | null };
}

export function ExchangeDetail({ report, fixes, fixServer, onFixServer, onClose, detailRef }: DetailProps) {
  const [copyState, setCopyState] = useState<CopyState>(null);
  const fallbackRef = useRef<HTMLPreElement>(null);
  const failure = report.failure;
  const badge = badgeFor(report);
  const ordered = orderFixes(fixes);
  // The user's own choice of stack wins; until there is one, the stack the responses name (X-Powered-By, Server).
  const detected = report.serverStack;
  const activeFix = ordered.find((f) => f.server === fixServer) ?? ordered.find((f) => f.server === detected?.id) ?? ordered[0];

  const copy = async (text: string, what: string): Promise<void> => {
    const outcome = await copyText(text, detailRef.current?.ownerDocument ?? document);
    if (outcome === 'copied') {
      setCopyState({ text: `Copied ${what}`, kind: 'ok' });
    } else {
      setCopyState({ text: 'Copy failed — select the text', kind: 'failed', fallback: text });
      queueMicrotask(() => fallbackRef.current && selectContents(fallbackRef.current));
    }
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <section
      ref={detailRef}
      class="detail"
      tabIndex={-1}
      aria-label="Exchange detail"
      data-testid="detail"
      data-verdict={report.verdict}
      data-cors-error={failure?.chromeCorsError ?? ''}
      data-failed-parameter={failure?.failedParameter ?? ''}
      onKeyDown={onKeyDown}
    >
      <header class="detail-head">
        <span class={`badge badge-${badge.kind}`}>{badge.text}</span>
        <h2 class="headline" data-testid="headline">
          <Inline text={failure?.headline ?? report.summary} />
        </h2>
        <button type="button" class="icon-button" title="Close (Esc)" aria-label="Close detail" onClick={onClose}>
          ✕
        </button>
      </header>
      <div class="detail-url mono" title={report.url}>
        {report.method} {report.url}
      </div>

      {failure ? (
        <div class="console-block" data-rules={report.rules}>
          {report.rules === 'firefox' && failure.firefoxReason ? (
            <>
              <div class="firefox-reason" data-testid="firefox-reason">
                <div class="label" data-testid="rules-applied">Firefox console · {failure.firefoxReason.id} · judged by Firefox's rules</div>
                <div class="console-message mono" data-testid="firefox-console-message">
                  {failure.firefoxReason.consoleMessage}
                </div>
              </div>
              <div class="label">Chrome would say{failure.chromeCorsError ? ` · ${failure.chromeCorsError}` : ''}</div>
              <div class="console-message mono" data-testid="console-message">
                {failure.consoleMessage}
              </div>
            </>
          ) : (
            <>
              <div class="label">Chrome console{failure.chromeCorsError ? ` · ${failure.chromeCorsError}` : ''}</div>
              <div class="console-message mono" data-testid="console-message">
                {failure.consoleMessage}
              </div>
              {failure.firefoxReason ? (
                <div class="firefox-reason" data-testid="firefox-reason">
                  <span class="label">Firefox · {failure.firefoxReason.id}</span>{' '}
                  <span class="mono">{failure.firefoxReason.text}</span>
                </div>
              ) : null}
            </>
          )}
        </div>
      ) : null}

      <h3>Exchange</h3>
      <ExchangeDiagram report={report} />

      <h3>Checks</h3>
      <Checklist checks={report.checks} />

      <h3>Why</h3>
      <div class="why" data-testid="why">
        <p>
          <Inline text={failure ? failure.explanation : report.summary} />
        </p>
        {report.notReallyCors ? (
          <p class="not-really">
            <Inline text={report.notReallyCors.message} />
          </p>
        ) : null}
        {report.warnings.map((w) => (
          <p key={w.id} class={`warning warning-${w.severity}`}>
            <strong>
              <Inline text={w.headline} />.
            </strong>{' '}
            <Inline text={w.explanation} /> <Inline text={w.fixHint} />
          </p>
        ))}
        {report.alternatives.length > 0 ? (
          <div class="alternatives">
            The capture fits other causes as well:
            <ul>
              {report.alternatives.map((alt, i) => (
                <li key={i}>
                  <Inline text={alt.headline} /> <span class="mono dim">({alt.chromeCorsError})</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {report.assumptions.length > 0 ? (
          <ul class="assumptions">
            {report.assumptions.map((a, i) => (
              <li key={i}>
                Assumed {a.about} = <span class="mono">{a.value}</span>: <Inline text={a.because} />
              </li>
            ))}
          </ul>
        ) : null}
        {report.missing.length > 0 ? (
          <p class="missing">Not in the capture: {report.missing.join('; ')}</p>
        ) : null}
      </div>

      {(failure || report.warnings.length > 0 || ordered.length > 0) && (
        <>
          <h3>Fix</h3>
          {failure?.fixHint ? (
            <p class="fix-hint">
              <Inline text={failure.fixHint} />
            </p>
          ) : null}
          {activeFix ? (
            <div class="fix">
              <div class="tabs" role="group" aria-label="Server">
                {ordered.map((fix) => (
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
              <div class="fix-bar">
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
                {detected && activeFix.server === detected.id ? (
                  <span class="dim" data-testid="fix-detected">
                    {detected.name} — {detected.reason}
                  </span>
                ) : null}
                <button type="button" data-testid="copy-snippet" onClick={() => copy(activeFix.snippet, `${activeFix.label} snippet`)}>
                  Copy
                </button>
              </div>
              <pre class="snippet mono" data-testid="fix-snippet" data-language={activeFix.language}>
                {activeFix.snippet}
              </pre>
              {activeFix.pitfalls.length > 0 ? (
                <ul class="pitfalls">
                  {activeFix.pitfalls.map((p, i) => (
                    <li key={i}>
                      <Inline text={p} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </>
      )}

      <h3>Reproduce</h3>
      <div class="curl-bar">
        <button
          type="button"
          data-testid="copy-curl-preflight"
          onClick={() => copy(curlForPreflight(report), 'preflight as curl')}
        >
          Copy preflight as curl
        </button>
        <button type="button" data-testid="copy-curl-actual" onClick={() => copy(curlForActual(report), 'request as curl')}>
          Copy request as curl
        </button>
        <button type="button" data-testid="copy-cors-lens-check" onClick={() => copy(corsLensCheckCommand(report), 'request as cors-lens check')}>
          Copy as cors-lens check
        </button>
      </div>
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
          {copyState.fallback}
        </pre>
      ) : null}
    </section>
  );
}
