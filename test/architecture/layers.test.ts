/**
 * The layering rule (.dependency-cruiser.cjs): each stage imports only from earlier ones, no cycles, and
 * docs/architecture.md drawn from the same configuration is current.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruiseProduct, loadLayering, renderArchitecture } from '../../scripts/architecture.js';

const describeViolations = (violations: { rule: { name: string }; from: string; to: string }[]) =>
  violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

describe('the layering of src/ and extension/', () => {
  it('has no import from a later stage, between folders of one stage, or in a cycle', async () => {
    const result = await cruiseProduct();
    expect(result.summary.totalCruised).toBeGreaterThan(50);
    expect(describeViolations(result.summary.violations)).toEqual([]);
  }, 60_000);

  it('is drawn in docs/architecture.md as it is now', async () => {
    const { stages } = loadLayering();
    const expected = renderArchitecture(await cruiseProduct(), stages);
    expect(readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8'), 'run npm run docs:architecture').toBe(expected);
  }, 60_000);

  it('fails when a module imports from a later stage, or a stage imports in a cycle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-layers-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      write('tsconfig.json', readFileSync(new URL('../../tsconfig.json', import.meta.url), 'utf8'));
      write('src/explain/words.ts', "export const words = 'a';\n");
      write('src/engine/check.ts', "import { words } from '../explain/words.js';\nexport const check = words;\n");
      write('src/model/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
      write('src/model/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
      write('src/cli/run.ts', "import { row } from '../panel/row.js';\nexport const run = row;\n");
      write('src/panel/row.ts', "export const row = 1;\n");
      const result = await cruiseProduct(['src'], dir);
      const found = describeViolations(result.summary.violations);
      expect(found).toContain('engine-imports-only-earlier-stages: src/engine/check.ts -> src/explain/words.ts');
      expect(found).toContain('surfaces-imports-only-earlier-stages: src/cli/run.ts -> src/panel/row.ts');
      expect(found.some((v) => v.startsWith('no-circular: src/model/'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
