/**
 * Finding and launching the system's Chromium with an unpacked extension and DevTools open. Used by the real-browser
 * tests, by `npm run lab:capture` and by `npm start`. Never downloads a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { isExecutable, trackProcessGroup } from './process.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class ChromiumNotFoundError extends Error {
  constructor(detail: string) {
    super(
      `${detail}\n` +
        'CORS Lens needs a Chromium-based browser and never downloads one. Either install Debian\'s Chromium ' +
        '(`sudo apt-get install chromium`, or run `bash scripts/setup.sh`), or point CHROME_PATH at a Chromium or ' +
        'Chrome executable, e.g. `CHROME_PATH=/usr/bin/google-chrome npm start`.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}


/** CHROME_PATH when set (it must exist), else /usr/bin/chromium; throws ChromiumNotFoundError with how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROME_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError(`CHROME_PATH is set to "${fromEnv}", but no executable file is there.`);
  }
  if (isExecutable(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  throw new ChromiumNotFoundError(`No Chromium found: CHROME_PATH is not set and ${DEFAULT_CHROMIUM} does not exist.`);
}

/** The flags every run uses (house rules), apart from profile, extension and mode flags. */
export const BASE_CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchOptions {
  /** `true` adds `--headless=new` (DevTools and extension panels still work there). */
  headless: boolean;
  /** Unpacked extension folders to load (e.g. dist/extension). */
  extensionDirs: readonly string[];
  /** Open DevTools for every tab (default true). DevTools must be open before the page's requests to see them. */
  openDevTools?: boolean;
  /** The first tab's URL; default about:blank, so DevTools can attach before anything is loaded. */
  startUrl?: string;
  /** Window size, default 1400×900. */
  windowSize?: { width: number; height: number };
  extraArgs?: readonly string[];
  /** Executable; default `findChromium()`. */
  executablePath?: string;
  /** Print Chromium's stderr (default: kept, and shown only when the launch fails). */
  inheritStderr?: boolean;
}

export interface LaunchedChromium {
  process: ChildProcess;
  /** Browser-level CDP endpoint, for `chromium.connectOverCDP()` from Playwright. */
  wsEndpoint: string;
  userDataDir: string;
  executablePath: string;
  args: readonly string[];
  /** Stops Chromium (its whole process group) and removes the temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

/** Launches Chromium with the extension(s) loaded, a fresh profile under os.tmpdir() and remote debugging on a free port. */
export async function launchChromiumWithExtension(options: LaunchOptions): Promise<LaunchedChromium> {
  const executablePath = options.executablePath ?? findChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'cors-lens-chromium-'));
  const extensions = options.extensionDirs.map((d) => resolve(d)).join(',');
  const size = options.windowSize ?? { width: 1400, height: 900 };
  const args = [
    ...BASE_CHROMIUM_FLAGS,
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    `--window-size=${size.width},${size.height}`,
    ...(extensions ? [`--disable-extensions-except=${extensions}`, `--load-extension=${extensions}`] : []),
    ...(options.openDevTools === false ? [] : ['--auto-open-devtools-for-tabs']),
    ...(options.headless ? ['--headless=new'] : []),
    ...(options.extraArgs ?? []),
    options.startUrl ?? 'about:blank',
  ];

  const child = spawn(executablePath, args, {
    // Its own process group, so close() also stops the renderers, GPU and zygote processes.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.pid !== undefined) startWatchdog(child.pid, userDataDir);
  let stderr = '';
  const tracked = trackProcessGroup(child, 5000);

  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await tracked.stopGroup();
      removeProfile();
    })();
    return closing;
  };

  const wsEndpoint = await new Promise<string>((resolveWs, reject) => {
    const timer = setTimeout(() => fail(new Error('Chromium did not report its DevTools endpoint within 60 s')), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      void close().then(() => reject(new Error(`${e.message}\n${executablePath} ${args.join(' ')}\n--- stderr ---\n${stderr.slice(-4000)}`)));
    };
    let started = false;
    child.once('error', (e) => {
      if (!started) fail(e);
    });
    child.once('exit', (code, signal) => {
      if (!started) fail(new Error(`Chromium exited during start-up (code ${code}, signal ${signal})`));
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (options.inheritStderr) process.stderr.write(chunk);
      stderr += chunk;
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m?.[1]) {
        if (started) return;
        started = true;
        clearTimeout(timer);
        resolveWs(m[1]);
      }
    });
  });

  return { process: child, wsEndpoint, userDataDir, executablePath, args, close };
}

/**
 * A detached shell that stops Chromium's process group and removes the profile if this Node process dies without
 * calling close() (a test worker killed on a timeout, Ctrl-C during start-up, SIGKILL). It ends by itself once
 * Chromium is gone.
 */
function startWatchdog(chromiumPid: number, userDataDir: string): void {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'if kill -0 "$2" 2>/dev/null; then kill -TERM -"$2" 2>/dev/null; sleep 3; kill -KILL -"$2" 2>/dev/null; fi; ' +
    'sleep 1; rm -rf "$3"';
  try {
    const watchdog = spawn('/bin/sh', ['-c', script, 'cors-lens-chromium-watchdog', String(process.pid), String(chromiumPid), userDataDir], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.unref();
  } catch {
    /* no /bin/sh: close() still cleans up on a normal exit */
  }
}
