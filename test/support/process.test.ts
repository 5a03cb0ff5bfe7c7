/**
 * `trackProcessGroup().stopGroup()` returns only once nothing of the group runs: a browser's helper processes can go
 * on writing into its profile after the browser process itself has exited, and the launcher removes the profile next.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackProcessGroup } from './process.js';

describe('trackProcessGroup', () => {
  it('stopGroup waits for a process of the group that outlives the leader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-group-'));
    const file = join(dir, 'written-late');
    try {
      // The leader dies on SIGTERM at once; the member ignores it and writes a file 0.6 s later.
      const child = spawn('/bin/sh', ['-c', `(trap '' TERM; sleep 0.6; echo late > '${file}') & sleep 30`], { detached: true, stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 200));
      const tracked = trackProcessGroup(child, 5000);
      await tracked.stopGroup();
      expect(tracked.exited()).toBe(true);
      // What the member wrote is there once stopGroup returns: it did not return while the member still ran.
      expect(existsSync(file)).toBe(true);
      const left = execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter(([pgid, stat]) => Number(pgid) === child.pid && stat !== undefined && !stat.startsWith('Z'));
      expect(left).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
