/**
 * The hostile corpus (./corpus.ts, short scale) through `cors-lens explain`, text and --json (issue 21): no hang past a
 * case's bound, no stack trace or internal error, a one-line message for every refusal, exit codes as documented, no
 * control/bidi/zero-width character or lone surrogate from the input on stdout or stderr, strict JSON from --json,
 * nothing run. Every case runs in this process (the CLI's `main` with captured streams); a few also run as the real
 * command, through pipes. The long scale (100,000 headers, 150,000 entries, nesting 1,000,000 deep) is
 * `npm run fuzz -- --target hostile-cli`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from './corpus.js';
import { makeFolder, problemsWith, runInProcess, runProcess, writeCase } from './hostileCli.js';

const { folder, remove } = makeFolder();
afterAll(remove);
const cases = hostileCorpus().filter((kase) => kase.scale === 'short');

describe('cors-lens explain on the hostile corpus (in process)', () => {
  for (const kase of cases) {
    it(kase.name, async () => {
      const path = writeCase(kase, folder);
      const problems: string[] = [];
      for (const json of [false, true]) {
        const run = await runInProcess(['explain', path, ...(json ? ['--json'] : [])], folder);
        problems.push(...problemsWith(kase, json, run, folder));
      }
      expect(problems).toEqual([]);
    }, 180_000);
  }
});

describe('cors-lens explain on the hostile corpus (the real command, through pipes)', () => {
  const picked = ['terminal-escapes.har', 'escape-first.har', 'invisible.har', 'lone-surrogates.har', 'c1-middle.har'];
  for (const kase of cases.filter((k) => picked.includes(k.fileName) || k.fileName.includes('PWNED'))) {
    it(kase.name, async () => {
      const path = writeCase(kase, folder);
      const problems: string[] = [];
      for (const json of [false, true]) {
        const run = await runProcess(['explain', path, ...(json ? ['--json'] : [])], folder, kase.boundMs + 30_000);
        problems.push(...problemsWith({ ...kase, boundMs: kase.boundMs + 30_000 }, json, run, folder));
      }
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
