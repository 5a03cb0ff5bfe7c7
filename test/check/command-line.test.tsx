// @vitest-environment happy-dom
/**
 * "Copy as cors-lens check": the command the panel copies re-creates the request being debugged when a POSIX shell
 * reads it and `cors-lens check` parses it, whatever the captured values hold.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { corsLensCheckCommand, UNKNOWN_ORIGIN_PLACEHOLDER } from '../../src/explain/checkCommandLine.js';
import { parseCheckArgs } from '../../src/cli/checkCommand.js';
import { buildPageRequest } from '../../src/check/buildRequest.js';
import { ExchangeDetail } from '../../src/panel/ExchangeDetail.js';
import type { ExchangeReport } from '../../src/explain/report.js';
import { headerNotAllowedByPreflight, hostile, missingAllowOrigin } from '../panel/fixtures.js';

/** The words a POSIX shell passes to the program for `commandLine` (after the program name). */
function shellWords(commandLine: string): string[] {
  // The script on stdin: a captured header can be larger than an argument may be.
  const out = execFileSync('/bin/sh', [], {
    input: `set -- ${commandLine.replace(/^cors-lens/, '')}; for w in "$@"; do printf '%s\\0' "$w"; done`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split('\0').slice(0, -1);
}

/** The page request `cors-lens check` would build from the copied command. */
function requestOf(report: ExchangeReport) {
  const args = parseCheckArgs(shellWords(corsLensCheckCommand(report)).slice(1));
  return {
    args,
    request: buildPageRequest({
      url: args.url!,
      origin: args.origin!,
      ...(args.method === undefined ? {} : { method: args.method }),
      headers: args.headers,
      credentials: args.credentials,
      ...(args.contentType === undefined ? {} : { contentType: args.contentType }),
      ...(args.kind === undefined ? {} : { kind: args.kind }),
    }),
  };
}

afterEach(() => cleanup());

describe('corsLensCheckCommand', () => {
  it('re-creates the captured request: URL, origin, method, the headers the page set, and expects it allowed', () => {
    const report = headerNotAllowedByPreflight('b');
    const { args, request } = requestOf(report);
    expect(args.expect).toBe('allowed');
    expect(request).toMatchObject({
      url: 'http://127.0.0.1:8002/b',
      initiatorOrigin: 'http://127.0.0.1:8001',
      method: 'POST',
      authorHeaders: [
        ['X-Token', 'abc'],
        ['Content-Type', 'application/json'],
      ],
      credentials: 'same-origin',
    });
  });

  it('leaves out what the browser added (Host, Origin, Accept */*) and keeps credentials and the kind', () => {
    const report: ExchangeReport = {
      ...missingAllowOrigin('c'),
      kind: 'xhr',
      requestHeaders: [
        ['Host', '127.0.0.1:8002'],
        ['Origin', 'http://127.0.0.1:8001'],
        ['Accept', '*/*'],
        ['Cookie', 'sid=1'],
        ['User-Agent', 'Chrome'],
        ['X-Requested-With', 'XMLHttpRequest'],
      ],
      assumptions: [{ about: 'credentials', value: 'include', because: 'cookie sent' }],
    };
    const { args, request } = requestOf(report);
    expect(args.kind).toBe('xhr');
    expect(request.authorHeaders).toEqual([['X-Requested-With', 'XMLHttpRequest']]);
    expect(request.credentials).toBe('include');
    expect(request.dropped).toEqual([]);
  });

  it('keeps hostile captured values inert: each stays one word, nothing runs', () => {
    const report = { ...hostile('h'), url: "http://127.0.0.1:8002/x'$(touch /tmp/cors-lens-pwned)'", initiatorOrigin: 'http://127.0.0.1:8001' };
    const words = shellWords(corsLensCheckCommand(report));
    expect(words[1]).toBe("http://127.0.0.1:8002/x'$(touch /tmp/cors-lens-pwned)'");
    expect(words).toContain("X-Quote: '; rm -rf ~; echo '");
    // Bidi controls are replaced so the pasted command reads as it runs.
    expect(words.some((w) => w.includes('\u202E'))).toBe(false);
  });

  it('marks an origin the capture does not name, and check refuses it with a clear error', () => {
    const report = { ...missingAllowOrigin('d'), initiatorOrigin: null, requestHeaders: [] };
    const { origin } = parseCheckArgs(shellWords(corsLensCheckCommand(report)).slice(1));
    expect(origin).toBe(UNKNOWN_ORIGIN_PLACEHOLDER);
    expect(() => buildPageRequest({ url: report.url, origin: origin! })).toThrow(/--origin must be the page's origin/);
  });
});

describe('the panel button', () => {
  it('sits beside Copy as curl and copies the command', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const report = headerNotAllowedByPreflight('b');
    const view = render(
      <ExchangeDetail report={report} fixes={[]} fixServer={null} onFixServer={() => undefined} onClose={() => undefined} detailRef={{ current: null }} />,
    );
    const button = view.getByTestId('copy-cors-lens-check');
    expect(button.textContent).toBe('Copy as cors-lens check');
    expect(button.parentElement).toBe(view.getByTestId('copy-curl-actual').parentElement);
    fireEvent.click(button);
    await waitFor(() => expect(view.getByTestId('copy-status').textContent).toContain('Copied'));
    expect(writeText).toHaveBeenCalledWith(corsLensCheckCommand(report));
  });
});
