/** Small process helpers shared by the browser launchers and the fix proofs. */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves when `child` exits; `stopGroup()` sends SIGTERM to its process group (it must be spawned `detached`), then
 * SIGKILL after `graceMs`, and waits for the exit.
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
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const stopGroup = async () => {
    if (exited || child.pid === undefined) return;
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), graceMs);
    await exit;
    clearTimeout(killer);
  };
  return { exited: () => exited, exit, stopGroup };
}
