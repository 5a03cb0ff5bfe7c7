/**
 * `npm start`: the lab plus a real Chromium with CORS Lens loaded, DevTools open on the CORS tab, the lab page ready.
 * It looks for Chromium first, then builds dist/extension. Ctrl-C, SIGTERM or SIGHUP (to this process or to the
 * `npm start` that runs it: package.json `exec`s node, so npm's signal reaches it) stops the build, Chromium (its whole
 * process group) and the lab servers, and removes the temporary profile.
 *
 * Options (after `npm start --`): --headless (even with a display), --no-build (use the existing dist/extension),
 * --no-devtools-panel (leave DevTools on its default tab).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { besideCorsScenarios } from '../test/lab/beside-scenarios.js';
import { scenarios } from '../test/lab/scenarios.js';
import { startLab } from '../test/lab/server.js';
import { ChromiumNotFoundError, findChromium, launchChromiumWithExtension } from '../test/support/browser.js';
import { RawTargetSession, isDevToolsWindow, showDevToolsPanel, waitForTarget } from '../test/support/cdp.js';
import { connect, labExtensionDirs, openLab, prepareBrowserForLab, waitForExtensionPage } from '../test/support/lab-run.js';
import { dockDevTools } from '../test/support/panel-driver.js';
import { trackProcessGroup } from '../test/support/process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extensionDir = join(root, 'dist/extension');
const args = new Set(process.argv.slice(2));

function say(line: string): void {
  console.log(`cors-lens start: ${line}`);
}

/** What is running and must be stopped, in the order it was started. */
const running: {
  build?: ChildProcess;
  lab?: ReturnType<typeof startLab>;
  browser?: ReturnType<typeof launchChromiumWithExtension>;
} = {};
let stopping = false;

async function stop(why: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${why}; stopping ${running.build ? 'the build, ' : ''}Chromium and the lab servers…`);
  if (running.build?.pid !== undefined) await trackProcessGroup(running.build, 3000).stopGroup();
  // Either may still be starting: wait for it, then stop it.
  await running.browser?.then((browser) => browser.close()).catch(() => undefined);
  await running.lab?.then((lab) => lab.stop()).catch(() => undefined);
  say('stopped.');
  process.exit(code);
}

// Installed first, so a signal during the build or Chromium's start-up stops what has started so far.
for (const [signal, why] of [['SIGINT', 'Ctrl-C'], ['SIGTERM', 'SIGTERM'], ['SIGHUP', 'SIGHUP (the terminal closed)']] as const) {
  // Exit code 0: the user asked for the stop, and npm prints a failure for anything else.
  process.on(signal, () => void stop(why));
}

/** `npm run build:extension` in its own process group, so a signal stops vite and its workers too. */
function buildExtension(): Promise<number | null> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawn(npm, ['run', '--silent', 'build:extension'], { cwd: root, stdio: 'inherit', detached: true });
  running.build = build;
  return new Promise((resolve) => {
    build.once('error', () => resolve(null));
    build.once('exit', (code) => {
      if (!stopping) delete running.build;
      resolve(code);
    });
  });
}

async function main(): Promise<void> {
  let executablePath: string;
  try {
    executablePath = findChromium();
  } catch (e) {
    if (e instanceof ChromiumNotFoundError) {
      console.error(`cors-lens start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  if (!args.has('--no-build')) {
    say('building the extension (npm run build:extension)…');
    const status = await buildExtension();
    if (stopping) return;
    if (status !== 0) {
      console.error('cors-lens start: the extension build failed (output above).');
      process.exit(1);
    }
  }
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    console.error('cors-lens start: dist/extension/manifest.json is missing; run `npm run build:extension`.');
    process.exit(1);
  }

  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const headless = args.has('--headless') || !hasDisplay;
  if (headless && !hasDisplay) {
    say('no DISPLAY (or WAYLAND_DISPLAY) is set, so Chromium runs headless (--headless=new): nothing will appear on screen.');
    say('Run `npm start` from a desktop session (or under Xvfb / X forwarding) to see the browser; the lab URL below works in any browser.');
  }

  // The classic scenarios and those beside textbook CORS; the latter need Chromium switches that name the lab's ports,
  // so the lab starts first.
  running.lab = startLab({ scenarios: [...scenarios, ...besideCorsScenarios] });
  const lab = await running.lab;
  if (stopping) return;
  say(`lab page  ${lab.pageUrl}`);
  say(`API       ${lab.apiOrigin}   redirect target ${lab.otherOrigin}`);
  for (const [variant, origin] of Object.entries(lab.origins.pages ?? {})) say(`page for the beside-CORS scenarios (${variant}): ${origin}/`);
  if (lab.origins.lan) say(`LAN server (Chromium is told it is a local address): ${lab.origins.lan}`);

  running.browser = launchChromiumWithExtension({
    headless,
    extensionDirs: labExtensionDirs(lab, [extensionDir]),
    executablePath,
    extraArgs: lab.chromiumArgs,
  });
  const launched = await running.browser;
  if (stopping) return;
  say(`Chromium  ${executablePath} (profile ${launched.userDataDir}, removed on exit)`);
  launched.process.once('exit', () => void stop('Chromium closed'));

  try {
    const c = await connect(launched);
    // The Local Network Access grant for the `public-granted` page and DevTools' request blocking for
    // `blocked-by-devtools`: both last while this process stays connected.
    await prepareBrowserForLab(c, lab).catch((e: Error) =>
      say(`could not grant Local Network Access or set request blocking (${e.message.split('\n')[0]}); those scenarios will differ.`),
    );
    // DevTools opens with the first tab (about:blank); the CORS panel exists once the extension's devtools page ran.
    await waitForExtensionPage(c, '/devtools.html');
    if (!args.has('--no-devtools-panel')) {
      const devtools = await waitForTarget(c.browserSession, isDevToolsWindow, 'the DevTools window');
      const session = await RawTargetSession.attach(c.browserSession, devtools.targetId);
      await showDevToolsPanel(session, 'CORS');
      // Docked at the bottom the panel gets the window's full width for its list and detail.
      if (!headless) await dockDevTools(session, 'bottom').catch(() => undefined);
      await session.detach();
    }
    await openLab(c.page, lab);
    say('ready: DevTools is open on the CORS tab; click a scenario or "Run all" on the lab page.');
  } catch (e) {
    say(`could not finish setting up the window (${(e as Error).message.split('\n')[0]}); Chromium and the lab stay up.`);
    say(`open ${lab.pageUrl} in the running Chromium and pick the CORS tab in DevTools.`);
  }
  say('press Ctrl-C to stop.');
}

await main();
