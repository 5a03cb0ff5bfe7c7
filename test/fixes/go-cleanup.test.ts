/**
 * The Go proof starts the example with its own command (`go run main.go`) and stops it with a signal to its process
 * group, which leaves `go run`'s go-build* folder behind unless the build happens inside the example's folder. Run with
 * a private temporary folder as TMPDIR, so no other process's folders count: after the stop, nothing is left in it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFix } from '../../src/fixes/index.js';
import { RUNTIMES, freePort, startExample } from './runtimes.js';

const go = RUNTIMES.go!;
const why = go.missing();
const originalTmp = process.env.TMPDIR;
const privateTmp = mkdtempSync(join(tmpdir(), 'cors-go-cleanup-'));
afterAll(() => {
  if (originalTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = originalTmp;
  rmSync(privateTmp, { recursive: true, force: true });
});

describe.skipIf(why !== null)(`the Go example, started and stopped as the proof does${why ? ` (${why})` : ''}`, () => {
  it('leaves no go-build folder and no example folder in the temporary folder', { timeout: 180_000 }, async () => {
    process.env.TMPDIR = privateTmp;
    expect(tmpdir()).toBe(privateTmp);
    const port = await freePort();
    const fix = generateFix(
      'go',
      { origins: ['http://127.0.0.1:8001'], methods: ['PUT'], requestHeaders: ['x-token'], credentials: false, exposeHeaders: [], maxAgeSeconds: 600, path: '/api', preflight: true, requestMethod: 'PUT' },
      { port },
    );
    expect(fix.example.command).toBe('go run main.go');
    const running = await startExample(go, fix, port);
    // While it runs, the build folder is inside the example's folder, not beside it.
    expect(readdirSync(privateTmp)).toEqual([running.dir.slice(privateTmp.length + 1)]);
    await running.stop();
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});
