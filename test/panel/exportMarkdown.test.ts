import { describe, expect, it } from 'vitest';
import { codeSpan, escapeMarkdown, reportToMarkdown } from '../../src/panel/exportMarkdown.js';
import { assembleReport as buildReport } from '../../src/explain/assembleReport.js';
import { allowedWithWarning, headerNotAllowedByPreflight, hostile, missingAllowOrigin } from './fixtures.js';

describe('the Markdown report', () => {
  it('gives totals, then per exchange the verdict, Chrome’s error and console line, why, the fix and the checklist', () => {
    const md = reportToMarkdown(buildReport([headerNotAllowedByPreflight('b'), allowedWithWarning('c')], { source: 'chromium-devtools' }));
    expect(md).toContain('2 exchanges: 1 blocked, 1 allowed, 0 not CORS, 0 network errors, 0 cannot tell; 1 with warnings.');
    expect(md).toContain('## 1. BLOCKED: `POST http://127.0.0.1:8002/b`');
    expect(md).toContain('- Chrome: `HeaderDisallowedByPreflightResponse` (failedParameter `x-token`)');
    expect(md).toContain("```\nAccess to fetch at 'http://127.0.0.1:8002/b' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.\n```");
    expect(md).toContain('| **FAIL** | `preflightAllowsHeaders` | preflight | `Access-Control-Allow-Headers` | `x-token` | `content-type` |');
    expect(md).toContain('| not reached | `responseReceived` | response |');
    expect(md).toContain('**Warning (high):** The server reflects any Origin with credentials');
    expect(md).toContain('## 2. ALLOWED');
  });

  it('shows an absent header as (absent), not as an empty cell', () => {
    const md = reportToMarkdown(buildReport([missingAllowOrigin('a')], { source: 'chromium-devtools' }));
    expect(md).toContain('| **FAIL** | `allowOriginPresent` | response | `Access-Control-Allow-Origin` | `http://127.0.0.1:8001` | (absent) |');
  });

  it('keeps hostile captured values inert: no raw HTML, no links, no broken table or fence', () => {
    const md = reportToMarkdown(buildReport([hostile('h')], { source: 'chromium-devtools' }));
    const outsideCode = md
      .replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '')
      .replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCode).not.toMatch(/(?<!\\)<img/i);
    expect(outsideCode).toContain("\\<img");
    expect(outsideCode).not.toMatch(/javascript:/i);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| '));
    for (const row of tableRows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8);
  });

  it('sizes code spans and fences to their content', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('line1\nline2')).toBe('`line1 line2`');
    expect(escapeMarkdown('<b>[x](javascript:alert(1))</b>')).toBe('\\<b\\>\\[x\\]\\(javascript:alert\\(1\\)\\)\\</b\\>');
  });

  it('writes the same report JSON shape as the CLI', () => {
    const report = buildReport([missingAllowOrigin('a'), allowedWithWarning('c')], { source: 'chromium-devtools' });
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'cors-lens' },
      source: 'chromium-devtools',
      rules: 'chromium',
      totals: { exchanges: 2, allowed: 1, blocked: 1, 'not-cors': 0, 'network-error': 0, unknown: 0, warnings: 1 },
      skippedEntries: [],
    });
    expect(report.exchanges.map((e) => e.id)).toEqual(['a', 'c']);
  });
});
