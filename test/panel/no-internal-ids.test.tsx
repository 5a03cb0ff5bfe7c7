// @vitest-environment happy-dom
/**
 * No internal identifier reaches a user: check ids (`allowCredentialsTrue`) and warning ids are names for code and
 * tests, never words on screen. Scans every sentence of src/explain's word tables, and every text the panel renders
 * (rows, details, tooltips) for every exchange of the recorded captures, explained by the real engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { CHECK_TEXTS } from '../../src/explain/checkTexts.js';
import { WARNING_TEXTS } from '../../src/explain/warningTexts.js';
import { WARNING_IDS } from '../../src/explain/warnings.js';
import { explainHar } from '../../src/lib/explainHar.js';
import { suggestSnippets } from '../../src/fixes/suggest.js';
import { ExchangeDetail } from '../../src/panel/ExchangeDetail.js';
import { ExchangeRow } from '../../src/panel/ExchangeList.js';
import { COLUMN_IDS } from '../../src/panel/settings.js';
import type { ExchangeReport } from '../../src/explain/report.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const INTERNAL_IDS = [...new Set([...Object.keys(CHECK_TEXTS), ...WARNING_IDS])];
const ID_PATTERN = new RegExp(`\\b(${INTERNAL_IDS.join('|')})\\b`);

/** Every string value under `value` (object keys are ids by design and are not shown). */
function stringsIn(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) stringsIn(v, `${path}.${k}`, out);
  return out;
}

function reportsOf(file: string): ExchangeReport[] {
  return explainHar(JSON.parse(readFileSync(file, 'utf8'))).exchanges;
}

/** Everything a user can read in an element: its text and its tooltips and labels. */
function userText(root: Element): string {
  const parts = [root.textContent ?? ''];
  for (const el of root.querySelectorAll('[title], [aria-label]')) parts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '');
  return parts.join('\n');
}

afterEach(() => cleanup());

describe('no internal identifier in user-facing text', () => {
  it('the scan knows the ids (and would find one)', () => {
    expect(INTERNAL_IDS).toContain('allowCredentialsTrue');
    expect(INTERNAL_IDS).toContain('customHeadersNotExposed');
    expect(ID_PATTERN.test('the check allowCredentialsTrue failed')).toBe(true);
  });

  it('src/explain’s sentences name no check or warning id', () => {
    const found = [...stringsIn(CHECK_TEXTS, 'CHECK_TEXTS', []), ...stringsIn(WARNING_TEXTS, 'WARNING_TEXTS', [])]
      .filter(([, text]) => ID_PATTERN.test(text))
      .map(([path, text]) => `${path}: ${text}`);
    expect(found).toEqual([]);
  });

  it('the panel renders no id for any exchange of the recorded Chromium and Firefox captures', () => {
    const files = [
      ...readdirSync(join(fixtures, 'chromium')).filter((f) => f.endsWith('.har')).map((f) => join(fixtures, 'chromium', f)),
      ...readdirSync(join(fixtures, 'hand')).filter((f) => f.endsWith('.har')).map((f) => join(fixtures, 'hand', f)),
      join(fixtures, 'firefox', 'lab.har'),
      join(fixtures, 'firefox', 'beyond-lab.har'),
    ];
    const found: string[] = [];
    let rendered = 0;
    // One exchange per kind of explanation (the words depend on these; the values in them do not bring ids).
    const seen = new Set<string>();
    const kindOf = (r: ExchangeReport): string =>
      JSON.stringify([r.verdict, r.rules, r.failure?.checkId, r.failure?.phase, r.alternatives.map((a) => a.checkId), r.warnings.map((w) => w.id),
        r.notReallyCors?.kind, r.assumptions.map((a) => `${a.about}=${a.value}`), r.missing, r.blocker?.kind, r.likely?.otherwise.checkId,
        r.preflightRequired, r.preflight === null, r.redirects.length, r.checks.map((c) => `${c.id}:${c.status}`)]);
    for (const file of files) {
      for (const report of reportsOf(file)) {
        const kind = kindOf(report);
        if (seen.has(kind)) continue;
        seen.add(kind);
        const { container } = render(
          <div>
            <ExchangeRow report={report} index={0} top={0} selected={false} pageOrigin={null} columns={[...COLUMN_IDS]} onSelect={() => undefined} />
            <ExchangeDetail
              report={report}
              fixes={suggestSnippets(report)}
              fixServer={null}
              onFixServer={() => undefined}
              onClose={() => undefined}
              detailRef={{ current: null }}
            />
          </div>,
        );
        const text = userText(container);
        const m = ID_PATTERN.exec(text);
        if (m) found.push(`${file.split('/fixtures/')[1]} ${report.method} ${report.url.slice(0, 80)}: “…${text.slice(Math.max(0, m.index - 60), m.index + 40)}…”`);
        rendered++;
        cleanup();
      }
    }
    expect(rendered).toBeGreaterThan(40);
    expect(found).toEqual([]);
  }, 120_000);
});
