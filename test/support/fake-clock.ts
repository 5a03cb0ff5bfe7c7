/** A clock whose time moves only when a test says so; timers fire in time order as it moves. */
import type { GateClock } from '../../src/capture/unfinishedEntries.js';

export interface FakeClock extends GateClock {
  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void;
  /** Timers set and not yet fired or cleared. */
  readonly pendingTimers: number;
  /** Timers fired so far. */
  readonly fired: number;
}

export function fakeClock(start = 1_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  let fired = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimer(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const timer of timers) if (timer[1].at <= until && (due === undefined || timer[1].at < due[1].at)) due = timer;
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        fired++;
        due[1].callback();
      }
      now = until;
    },
    get pendingTimers() {
      return timers.size;
    },
    get fired() {
      return fired;
    },
  };
}
