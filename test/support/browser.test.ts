import { describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, DEFAULT_CHROMIUM, findChromium, launchChromiumWithExtension } from './browser.js';
import { existsSync } from 'node:fs';

describe('findChromium', () => {
  it('uses CHROME_PATH when it points at an executable', () => {
    expect(findChromium({ CHROME_PATH: process.execPath })).toBe(process.execPath);
  });

  it('refuses a CHROME_PATH that is not there, saying how to get a browser', () => {
    let error: unknown;
    try {
      findChromium({ CHROME_PATH: '/nonexistent/chrome' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('/nonexistent/chrome');
    expect(message).toContain('apt-get install chromium');
    expect(message).toContain('CHROME_PATH');
  });

  it.runIf(existsSync(DEFAULT_CHROMIUM))('falls back to the system Chromium', () => {
    expect(findChromium({})).toBe(DEFAULT_CHROMIUM);
  });
});

describe('launchChromiumWithExtension', () => {
  it('starts Chromium on a fresh profile with a CDP endpoint, and close() stops it and removes the profile', async () => {
    const launched = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
    expect(launched.wsEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\//);
    expect(existsSync(launched.userDataDir)).toBe(true);
    expect(launched.args).toContain('--headless=new');
    expect(launched.args).toContain('--no-sandbox');
    await launched.close();
    expect(launched.process.exitCode !== null || launched.process.signalCode !== null).toBe(true);
    expect(existsSync(launched.userDataDir)).toBe(false);
  }, 60_000);
});
