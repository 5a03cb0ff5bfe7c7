/**
 * Starting a generated runnable example with its own printed command, on this machine: which stacks can run here,
 * and a process handle that waits until the port answers and stops the whole process group after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FixSuggestion, ServerId } from '../../src/fixes/model.js';
import { trackProcessGroup } from '../support/process.js';

const REPO_NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');
/** Debian's python3, which has flask and flask-cors (the python3 first on PATH may not). */
const SYSTEM_BIN = '/usr/bin';

export interface StackRuntime {
  server: ServerId;
  /** Why it cannot run here, or null when it can. */
  missing(): string | null;
  /** The shell command to run in the example folder: the example's own, minus the dependency install step. */
  command(fix: FixSuggestion): string;
  /** The environment, given the example's folder (removed when the example stops). */
  env(dir: string): NodeJS.ProcessEnv;
  /** Runs after the files are written (e.g. file modes). */
  prepare?(dir: string): void;
  /** Seconds to wait for the port. */
  startTimeoutSeconds: number;
}

const hasPython = (modules: string): string | null =>
  spawnSync(`${SYSTEM_BIN}/python3`, ['-c', `import ${modules}`], { stdio: 'ignore' }).status === 0
    ? null
    : `${SYSTEM_BIN}/python3 cannot import ${modules}`;
const hasFile = (path: string): string | null => (existsSync(path) ? null : `${path} not installed`);

const withSystemBin = (): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${SYSTEM_BIN}:/usr/sbin:${process.env.PATH ?? ''}` });
const stripInstall = (command: string): string => command.replace(/^npm install && /, '');

export const RUNTIMES: Record<string, StackRuntime> = {
  express: {
    server: 'express',
    missing: () => hasFile(join(REPO_NODE_MODULES, 'cors')) ?? hasFile(join(REPO_NODE_MODULES, 'express')),
    command: (fix) => stripInstall(fix.example.command),
    env: () => ({ ...process.env, NODE_PATH: REPO_NODE_MODULES }),
    startTimeoutSeconds: 15,
  },
  'express-plain': {
    server: 'express-plain',
    missing: () => hasFile(join(REPO_NODE_MODULES, 'express')),
    command: (fix) => stripInstall(fix.example.command),
    env: () => ({ ...process.env, NODE_PATH: REPO_NODE_MODULES }),
    startTimeoutSeconds: 15,
  },
  flask: {
    server: 'flask',
    missing: () => hasPython('flask, flask_cors'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 20,
  },
  'flask-plain': {
    server: 'flask-plain',
    missing: () => hasPython('flask'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 20,
  },
  nginx: {
    server: 'nginx',
    missing: () => hasFile('/usr/sbin/nginx'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 15,
  },
  php: {
    server: 'php',
    missing: () => (spawnSync('php', ['--version'], { stdio: 'ignore', env: withSystemBin() }).status === 0 ? null : 'php not installed'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 15,
  },
  fastapi: {
    server: 'fastapi',
    missing: () => hasPython('fastapi, uvicorn'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 30,
  },
  django: {
    server: 'django',
    missing: () => hasPython('django, corsheaders'),
    command: (fix) => fix.example.command,
    env: withSystemBin,
    startTimeoutSeconds: 30,
  },
  go: {
    server: 'go',
    missing: () => (spawnSync('go', ['version'], { stdio: 'ignore', env: withSystemBin() }).status === 0 ? null : 'go not installed'),
    command: (fix) => fix.example.command,
    // `go run` builds in a go-build* folder under GOTMPDIR (default: the system temp folder) and removes it only when
    // it exits by itself; stopped by a signal it leaves it (about 4 MB). Inside the example's folder, stop() removes it.
    env: (dir) => ({ ...withSystemBin(), GOTMPDIR: join(dir, '.go-tmp') }),
    prepare: (dir) => mkdirSync(join(dir, '.go-tmp')),
    startTimeoutSeconds: 90,
  },
  caddy: {
    server: 'caddy',
    missing: () => (spawnSync('caddy', ['version'], { stdio: 'ignore', env: withSystemBin() }).status === 0 ? null : 'caddy not installed'),
    command: (fix) => fix.example.command,
    // Caddy keeps its state under $HOME/.local/share/caddy; give it the example folder.
    env: () => ({ ...withSystemBin(), XDG_DATA_HOME: tmpdir(), XDG_CONFIG_HOME: tmpdir() }),
    startTimeoutSeconds: 20,
  },
  apache: {
    server: 'apache',
    missing: () => hasFile('/usr/sbin/apache2'),
    // The suite may run as root: Apache then serves as www-data, which must reach the example folder.
    command: (fix) => (process.getuid?.() === 0 ? `${fix.example.command} -C 'User www-data' -C 'Group www-data'` : fix.example.command),
    env: withSystemBin,
    prepare: (dir) => chmodSync(dir, 0o755),
    startTimeoutSeconds: 20,
  },
};

export { freePort } from '../support/ports.js';

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

export interface RunningExample {
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

/** Writes the example's files to a fresh folder, runs its command there, and waits until `port` accepts connections. */
export async function startExample(runtime: StackRuntime, fix: FixSuggestion, port: number): Promise<RunningExample> {
  const dir = mkdtempSync(join(tmpdir(), `cors-fix-${runtime.server}-`));
  for (const file of fix.example.files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  runtime.prepare?.(dir);
  const child: ChildProcess = spawn('sh', ['-c', runtime.command(fix)], {
    cwd: dir,
    env: runtime.env(dir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const tracked = trackProcessGroup(child, 3000);

  const stop = async (): Promise<void> => {
    await tracked.stopGroup();
    // Let the port go before the next example takes one.
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + runtime.startTimeoutSeconds * 1000;
  while (!(await portAnswers(port))) {
    if (tracked.exited() || Date.now() > deadline) {
      await stop();
      throw new Error(`${runtime.server} example did not start on port ${port} (command: ${runtime.command(fix)})\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Something answers on the port: it must be the example, still running (not one that failed to bind and left).
  await new Promise((r) => setTimeout(r, 100));
  if (tracked.exited()) {
    await stop();
    throw new Error(`${runtime.server} example exited, yet port ${port} answers: another server has it\n${output.slice(-3000)}`);
  }
  return { dir, output: () => output, stop };
}
