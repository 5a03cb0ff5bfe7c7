/**
 * The exchange as a sequence between the browser and the server: the OPTIONS and its answer, the actual request and
 * each redirect, or the point where the browser stopped. The failing step is marked from the engine's failure phase.
 */
import { combinedHeaderValue } from '../capture/harHeaders.js';
import type { ExchangeReport } from '../explain/report.js';
import { Shown } from './shownText.js';

type StepState = 'ok' | 'failed' | 'not-sent' | 'missing';

interface Step {
  direction: 'out' | 'in' | 'stop';
  title: string;
  lines: string[];
  state: StepState;
  /** Index into `lines` of the header the failing check read, shown in red. */
  failedLine?: number;
}

function describe(name: string, value: string | null | undefined): string | null {
  if (value === undefined) return null;
  return `${name}: ${value === null ? '(absent)' : value}`;
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** Marks, on the failed step, the line of the header the failing check read. */
function markFailedLine(step: Step, subject: string | undefined): Step {
  if (step.state !== 'failed' || !subject) return step;
  const prefix = `${subject.toLowerCase()}:`;
  const index = step.lines.findIndex((line) => line.toLowerCase().startsWith(prefix));
  return index >= 0 ? { ...step, failedLine: index } : step;
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/**
 * The Origin header the browser sent on each hop of the request (index 0 = the first request, then one per redirect
 * followed), by the Fetch Standard's rule: a redirect that leaves the current URL's origin, when that origin is not the
 * page's, taints the request origin, and from then on the browser sends `Origin: null`. Entries are `undefined` when
 * the page's origin is not known.
 */
export function originsPerHop(report: ExchangeReport): (string | undefined)[] {
  const initiator = report.initiatorOrigin;
  if (initiator === null) return report.redirects.map(() => undefined).concat([undefined]);
  let tainted = initiator === 'null';
  const out: (string | undefined)[] = [tainted ? 'null' : initiator];
  for (const redirect of report.redirects) {
    const from = originOf(redirect.from);
    const to = originOf(redirect.to);
    tainted = tainted || (to !== from && initiator !== from);
    out.push(tainted ? 'null' : initiator);
  }
  return out;
}

export function diagramSteps(report: ExchangeReport): Step[] {
  const failedSubject = report.checks.find((c) => c.status === 'fail')?.subject;
  return buildSteps(report).map((step) => markFailedLine(step, failedSubject));
}

function buildSteps(report: ExchangeReport): Step[] {
  const steps: Step[] = [];
  const phase = report.verdict === 'blocked' ? report.failure?.phase : undefined;
  const failedHop = report.failure?.hop ?? 0;
  const origin = report.initiatorOrigin ?? combinedHeaderValue(report.requestHeaders, 'origin');
  const pf = report.preflight;

  if (pf) {
    steps.push({
      direction: 'out',
      title: `OPTIONS ${pathOf(pf.url)}`,
      lines: [
        describe('Origin', origin),
        describe('Access-Control-Request-Method', pf.requestMethod),
        pf.requestHeaders && pf.requestHeaders.length > 0
          ? describe('Access-Control-Request-Headers', pf.requestHeaders.join(','))
          : null,
      ].filter((l): l is string => l !== null),
      state: 'ok',
    });
    steps.push({
      direction: 'in',
      title: pf.errorText ? `no usable answer: ${pf.errorText}` : `${pf.status} (preflight answer)`,
      lines: [
        describe('Access-Control-Allow-Origin', pf.allowOrigin),
        describe('Access-Control-Allow-Methods', pf.allowMethods),
        describe('Access-Control-Allow-Headers', pf.allowHeaders),
        describe('Access-Control-Allow-Credentials', pf.allowCredentials),
        describe('Access-Control-Max-Age', pf.maxAge),
      ].filter((l): l is string => l !== null),
      state: phase === 'preflight' ? 'failed' : 'ok',
    });
  } else if (report.preflightRequired === true) {
    steps.push({
      direction: 'out',
      title: report.preflightCache?.likelyCached ? 'OPTIONS answered from the preflight cache' : 'OPTIONS not in the capture',
      lines: [report.preflightCache?.message ?? report.preflightAbsentReason ?? ''].filter(Boolean),
      state: phase === 'preflight' ? 'failed' : 'missing',
    });
  }

  if (phase === 'request' || phase === 'preflight') {
    if (phase === 'request') {
      steps.push({ direction: 'out', title: `${report.method} ${pathOf(report.url)}`, lines: [], state: 'failed' });
    }
    steps.push({
      direction: 'stop',
      title:
        phase === 'preflight'
          ? `The browser stopped here: the ${report.method} request was never sent.`
          : 'The browser refused to send this request.',
      lines: [],
      state: 'not-sent',
    });
    return steps;
  }

  steps.push({
    direction: 'out',
    title: `${report.method} ${pathOf(report.url)}`,
    lines: [describe('Origin', origin)].filter((l): l is string => l !== null),
    state: 'ok',
  });
  const failsAtHop = (i: number): boolean => (phase === 'redirect' || phase === 'response') && failedHop === i;
  const hopOrigins = originsPerHop(report);
  for (const [i, redirect] of report.redirects.entries()) {
    steps.push({
      direction: 'in',
      title: `${redirect.status} redirect`,
      lines: [`Location: ${redirect.to}`],
      state: failsAtHop(i) ? 'failed' : 'ok',
    });
    if (failsAtHop(i)) break;
    const sent = hopOrigins[i + 1];
    const changed = sent !== undefined && sent !== hopOrigins[i];
    steps.push({
      direction: 'out',
      title: `${report.method} ${redirect.to}`,
      lines:
        sent === undefined
          ? []
          : [`Origin: ${sent}`, ...(changed ? ['(the redirect left the server’s origin, so the browser sends Origin: null from here on)'] : [])],
      state: 'ok',
    });
  }
  const reachedEnd = !(phase === 'redirect' || (phase === 'response' && failedHop < report.redirects.length));
  if (reachedEnd) {
    const noResponse = report.status <= 0;
    steps.push({
      direction: 'in',
      title: noResponse ? 'no response' : `${report.status} response`,
      lines: noResponse
        ? []
        : [
            describe('Access-Control-Allow-Origin', combinedHeaderValue(report.responseHeaders, 'access-control-allow-origin')),
            describe('Access-Control-Allow-Credentials', combinedHeaderValue(report.responseHeaders, 'access-control-allow-credentials')),
          ].filter((l): l is string => l !== null),
      state: phase === 'response' ? 'failed' : noResponse ? 'missing' : 'ok',
    });
  }
  if (phase === 'response' || phase === 'redirect') {
    steps.push({
      direction: 'stop',
      title: 'The browser received this answer but withheld it from the page.',
      lines: [],
      state: 'not-sent',
    });
  }
  return steps;
}

export function ExchangeDiagram({ report }: { report: ExchangeReport }) {
  const steps = diagramSteps(report);
  return (
    <div class="diagram" data-testid="exchange-diagram">
      <div class="diagram-ends">
        <span>
          Browser{report.initiatorOrigin ? <> (<Shown text={report.initiatorOrigin} />)</> : ''}
        </span>
        <span>
          Server{report.targetOrigin ? <> (<Shown text={report.targetOrigin} />)</> : ''}
        </span>
      </div>
      <ol class="diagram-steps">
        {steps.map((step, i) => (
          <li key={i} class={`step step-${step.direction} step-${step.state}`} data-step-state={step.state}>
            <div class="step-title">
              {step.direction === 'out' ? '→ ' : step.direction === 'in' ? '← ' : '✕ '}
              <Shown text={step.title} />
            </div>
            {step.direction !== 'stop' ? <div class="arrow" aria-hidden="true" /> : null}
            {step.lines.map((line, j) => (
              <div key={j} class={`step-line${j === step.failedLine ? ' line-failed' : ''}`}>
                <Shown text={line} />
              </div>
            ))}
          </li>
        ))}
      </ol>
    </div>
  );
}
