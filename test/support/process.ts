/** Small process helpers shared by the browser launchers and the fix proofs. */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a process of group `pgid` still runs. Linux: read from /proc, where an exited process the system has not
 * reaped yet (a zombie, which writes nothing) does not count; elsewhere `isSignalable` (which counts zombies too).
 */
function groupRuns(pgid: number, isSignalable: () => boolean): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return isSignalable();
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/**
 * Resolves when `child` exits; `stopGroup()` sends SIGTERM to its process group (it must be spawned `detached`), then
 * SIGKILL after `graceMs`, and waits for the exit, then for the rest of the group to stop running. The leader's exit
 * does not end the group: one of a browser's other processes may still be writing into its profile for a moment (CI
 * once failed to remove a Chromium profile, ENOTEMPTY, right after the browser process exited). That wait is bounded
 * (2 s, then SIGKILL and 1 s more).
 */
export function trackProcessGroup(child: ChildProcess, graceMs: number): { exited: () => boolean; exit: Promise<void>; stopGroup: () => Promise<void> } {
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exit = new Promise<void>((resolveExit) => {
    if (exited) resolveExit();
    else child.once('exit', () => {
      exited = true;
      resolveExit();
    });
  });
  const signal = (sig: NodeJS.Signals | 0): boolean => {
    try {
      if (child.pid === undefined) return false;
      process.kill(-child.pid, sig);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  const groupGone = async (withinMs: number): Promise<boolean> => {
    const deadline = Date.now() + withinMs;
    while (child.pid !== undefined && groupRuns(child.pid, () => signal(0))) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  const stopGroup = async () => {
    if (child.pid === undefined) return;
    if (!exited) {
      signal('SIGTERM');
      const killer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exit;
      clearTimeout(killer);
    }
    if (await groupGone(2000)) return;
    signal('SIGKILL');
    await groupGone(1000);
  };
  return { exited: () => exited, exit, stopGroup };
}
