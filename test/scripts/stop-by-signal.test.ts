/**
 * `npm start` and `npm run lab` stop when the npm process is signalled, as a task runner, an IDE's stop button or a CI
 * timeout does it (SIGTERM or SIGINT to that one PID, not to the terminal's process group): afterwards no process
 * they started is left (ps) and none of the lab's ports still accepts a connection.
 *
 * Slow (a real Chromium per `npm start` run). Uses the existing dist/extension (`--no-build`), building it first only
 * when it is missing, so it never rebuilds under another suite that reads it.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { besideCorsScenarios } from '../lab/beside-scenarios.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Run[] = [];

function startNpm(args: string[]): Run {
  // Its own process group, so the clean-up below can stop whatever a failed test leaves; the test itself signals only
  // the npm PID.
  const npm = spawn('npm', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' } });
  let text = '';
  npm.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  npm.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const run = { npm, output: () => text, exited };
  started.push(run);
  return run;
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every live process below `pid` (zombies, which run nothing and only wait to be reaped, are not counted). */
function descendants(pid: number): { pid: number; command: string }[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3]!, command: m[4]! }));
  const found: { pid: number; command: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const row of table.filter((r) => r.ppid === parent)) {
      if (!row.stat.startsWith('Z')) found.push({ pid: row.pid, command: row.command });
      queue.push(row.pid);
    }
  }
  return found;
}

/** Which of `pids` still run, by ps (not our bookkeeping). */
function stillRunning(pids: readonly number[]): string[] {
  if (pids.length === 0) return [];
  const out = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-p', pids.join(',')], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*\d+\s+Z/.test(line))
    .map((line) => line.trim().slice(0, 160));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The lab's ports the output names: its origins on 127.0.0.1 and localhost, and its `*.example` pages (all on 127.0.0.1). */
function portsIn(text: string): number[] {
  return [...new Set([...text.matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost|[a-z]+\.example):(\d+)/g)].map((m) => Number(m[1])))];
}

/**
 * `npm start` serves the lab page, API and redirect target, the pages of the scenarios beside CORS and their LAN
 * server (test/lab/beside-scenarios.ts), and prints each; `npm run lab` the first three.
 */
const NPM_START_PORTS =
  3 +
  new Set(besideCorsScenarios.flatMap((s) => (s.page && s.page !== 'lab' ? [s.page] : []))).size +
  (besideCorsScenarios.some((s) => s.hops.some((h) => h.origin === 'lan')) ? 1 : 0);

async function stopAndCheck(run: Run, signal: NodeJS.Signals, ready: RegExp, expectedPorts: number): Promise<void> {
  await waitFor(`${ready}`, () => ready.test(run.output()), 180_000, run.output);
  // Give the children a moment to settle (Chromium forks its helpers after printing its endpoint).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = descendants(run.npm.pid!);
  const ports = portsIn(run.output());
  expect(ports).toHaveLength(expectedPorts);
  for (const port of ports) expect(await accepts(port)).toBe(true);

  process.kill(run.npm.pid!, signal);
  const code = await Promise.race([run.exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000))]);
  expect(code, `npm did not exit after ${signal}; output:\n${run.output()}`).not.toBe('timeout');

  // The Chromium watchdog shell may outlive the npm process by a second or two; nothing may outlive that.
  const pids = before.map((p) => p.pid);
  const deadline = Date.now() + 15_000;
  while (stillRunning(pids).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(stillRunning(pids), `left running after ${signal} to npm:\n${before.map((p) => `${p.pid} ${p.command.slice(0, 120)}`).join('\n')}`).toEqual([]);
  for (const port of ports) expect(await accepts(port), `port ${port} still accepts connections`).toBe(false);
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/extension/manifest.json'))) {
    // Without vitest's NODE_ENV=test, which would make Vite build the development JSX.
    const { NODE_ENV: _testEnv, ...env } = process.env;
    execFileSync('npm', ['run', '--silent', 'build:extension'], { cwd: ROOT, stdio: 'ignore', env });
  }
}, 300_000);

afterEach(() => {
  for (const run of started.splice(0)) {
    try {
      for (const child of descendants(run.npm.pid!)) process.kill(child.pid, 'SIGKILL');
      process.kill(-run.npm.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

describe('stopping `npm start` and `npm run lab` by signalling the npm process', { timeout: 300_000 }, () => {
  it('npm start: SIGTERM to npm stops Chromium, node and the lab servers', async () => {
    const run = startNpm(['start', '--', '--headless', '--no-build']);
    await stopAndCheck(run, 'SIGTERM', /press Ctrl-C to stop/, NPM_START_PORTS);
    expect(run.output()).toMatch(/stopped\./);
  });

  it('npm start: SIGINT to npm stops Chromium, node and the lab servers', async () => {
    const run = startNpm(['start', '--', '--headless', '--no-build']);
    await stopAndCheck(run, 'SIGINT', /press Ctrl-C to stop/, NPM_START_PORTS);
    expect(run.output()).toMatch(/stopped\./);
  });

  it('npm run lab: SIGTERM to npm stops the three servers', async () => {
    const run = startNpm(['run', 'lab']);
    await stopAndCheck(run, 'SIGTERM', /scenarios; open the page/, 3);
  });

  it('npm run lab: SIGINT to npm stops the three servers', async () => {
    const run = startNpm(['run', 'lab']);
    await stopAndCheck(run, 'SIGINT', /scenarios; open the page/, 3);
  });
});
