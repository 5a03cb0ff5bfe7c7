/**
 * The Cross-Origin-Resource-Policy fix proven in Chromium, per stack, in the real server: an image server whose
 * site-wide default sends `Cross-Origin-Resource-Policy: same-origin` (Express: an earlier middleware, as helmet does;
 * Flask: an after_request hook; nginx: add_header in the server block; PHP: header() in the front controller) has its
 * image refused to a page on another origin; with the generated snippet pasted where its own comment says, the server
 * sends exactly `cross-origin` for that path (one value: two CORP lines make the header invalid, which Chromium ignores
 * on a plain page but a page under COEP require-corp refuses), and Chromium loads the image, on a plain page and on a
 * page under COEP. Other paths keep the site-wide default. Flask, nginx and PHP run with the same runtimes and process
 * handling as the CORS proofs (test/fixes/runtimes.ts); a stack whose server is missing here fails, as there
 * (scripts/setup.sh installs them all).
 */
import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright';
import express from 'express';
import { launchChromiumWithExtension, type LaunchedChromium } from '../support/browser.js';
import { connect } from '../support/lab-run.js';
import { RUNTIMES, freePort, startExample, type StackRuntime } from './runtimes.js';
import { RESOURCE_POLICY_VERIFIED, resourcePolicySnippet } from '../../src/fixes/index.js';
import { phpString, pythonString } from '../../src/fixes/escape.js';
import { NGINX_FOLDER_COMMAND, folderNginxConf } from '../../src/fixes/servers/nginx.js';
import type { FixSuggestion, ServerId } from '../../src/fixes/model.js';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const PNG = Buffer.from(PNG_BASE64, 'base64');
const PATH = '/img/logo.png';
/** Another path on the same server: 404, and it keeps the site-wide default. */
const OTHER_PATH = '/img/other.png';

const snippetFor = (server: ServerId) => resourcePolicySnippet(server, { path: PATH, reason: '' }).snippet;

/**
 * How the image server is set up: without the fix, with the snippet where its comment says, or (Flask) with the
 * snippet appended below the site-wide hook instead, to show why the comment says where.
 */
type Variant = 'unfixed' | 'fixed' | 'appended';

interface ImageServer {
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

interface Stack {
  server: ServerId;
  /** Why the server cannot run here, or null. */
  missing(): string | null;
  variants: Variant[];
  start(variant: Variant): Promise<ImageServer>;
}

const servers: Server[] = [];
async function listen(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
  const server = createHttpServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** An example in the shape startExample takes: its files and its start command. */
function example(server: ServerId, files: { path: string; content: string }[], command: string): FixSuggestion {
  return { server, label: server, language: '', snippet: '', pitfalls: [], verified: false, example: { files, command } };
}

async function startWith(runtime: StackRuntime, build: (port: number) => FixSuggestion): Promise<ImageServer> {
  const port = await freePort();
  const running = await startExample(runtime, build(port), port);
  return { origin: `http://127.0.0.1:${port}`, output: running.output, stop: running.stop };
}

const express_: Stack = {
  server: 'express',
  missing: () => RUNTIMES['express-plain']!.missing(),
  variants: ['unfixed', 'fixed'],
  async start(variant) {
    const app = express();
    // The site-wide default, as helmet sends it.
    app.use((_req, res, next) => {
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      next();
    });
    // "Before the route or express.static that serves it", after the middleware that sets the default.
    if (variant === 'fixed') new Function('app', snippetFor('express'))(app);
    app.get(PATH, (_req, res) => res.type('png').send(PNG));
    return { origin: await listen(app), output: () => '', stop: async () => undefined };
  },
};

const flask: Stack = {
  server: 'flask',
  missing: () => RUNTIMES['flask-plain']!.missing(),
  variants: ['unfixed', 'fixed', 'appended'],
  start: (variant) =>
    startWith(RUNTIMES['flask-plain']!, (port) => {
      const siteWideHook = `@app.after_request
def security_headers(response):
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
`;
      const snippet = snippetFor('flask');
      const app = `import base64
from flask import Flask, Response

app = Flask(__name__)

${variant === 'fixed' ? `${snippet}\n` : ''}${siteWideHook}
${variant === 'appended' ? `${snippet}\n` : ''}
@app.route(${pythonString(PATH)})
def logo():
    return Response(base64.b64decode("${PNG_BASE64}"), mimetype="image/png")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=${port})
`;
      return example('flask', [{ path: 'app.py', content: app }], 'python3 app.py');
    }),
};

const nginxRuntime: StackRuntime = {
  ...RUNTIMES.nginx!,
  // The image nginx serves from the folder; as root, its workers run as another user, who must reach it.
  prepare: (dir) => {
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'www/img'), { recursive: true });
    writeFileSync(join(dir, 'www', PATH), PNG);
  },
};

const nginx: Stack = {
  server: 'nginx',
  missing: () => nginxRuntime.missing(),
  variants: ['unfixed', 'fixed'],
  start: (variant) =>
    startWith(nginxRuntime, (port) => {
      // "In the server block that serves it".
      const snippet = variant === 'fixed' ? `\n${snippetFor('nginx').replace(/^(?=.)/gm, '        ')}` : '';
      // nginx.conf as the CORS examples run it (src/fixes/servers/nginx.ts), with a server of its own.
      const conf = folderNginxConf(`    types {
        image/png png;
    }

    server {
        listen 127.0.0.1:${port};
        root www;
        add_header Cross-Origin-Resource-Policy same-origin always;

        location / {
            try_files $uri =404;
        }
${snippet}    }
`);
      return example('nginx', [{ path: 'nginx.conf', content: conf }], NGINX_FOLDER_COMMAND);
    }),
};

const php: Stack = {
  server: 'php',
  missing: () => RUNTIMES.php!.missing(),
  variants: ['unfixed', 'fixed'],
  start: (variant) =>
    startWith(RUNTIMES.php!, (port) => {
      // The front controller sends the site-wide default, then hands the image to the script that serves it.
      const index = `<?php
header('Cross-Origin-Resource-Policy: same-origin');
if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) === ${phpString(PATH)}) {
    require __DIR__ . '/logo.php';
    exit;
}
http_response_code(404);
`;
      const serve = `header('Content-Type: image/png');
echo base64_decode('${PNG_BASE64}');
`;
      // "In the script that serves the resource, before any output": the snippet opens that script.
      const logo = variant === 'fixed' ? `${snippetFor('php')}${serve}` : `<?php\n${serve}`;
      return example(
        'php',
        [
          { path: 'index.php', content: index },
          { path: 'logo.php', content: logo },
        ],
        `php -S 127.0.0.1:${port} index.php`,
      );
    }),
};

const STACKS: Stack[] = [express_, flask, nginx, php];

let chromium: LaunchedChromium;
let browser: Browser;
/** A page on another origin (same site: 127.0.0.1, another port). */
let page: Page;
/** A page on another origin that sends Cross-Origin-Embedder-Policy: require-corp. */
let coepPage: Page;
let pageOrigin: string;

beforeAll(async () => {
  pageOrigin = await listen((req, res) => {
    // Controls for the COEP page: an image without CORP, and one with two CORP lines.
    if (req.url === '/no-corp.png' || req.url === '/two-corp.png') {
      const corp = req.url === '/two-corp.png' ? ['Cross-Origin-Resource-Policy', 'cross-origin', 'Cross-Origin-Resource-Policy', 'cross-origin'] : [];
      res.writeHead(200, ['Content-Type', 'image/png', ...corp]);
      res.end(PNG);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>CORP proof</title>');
  });
  const coepOrigin = await listen((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    res.end('<!doctype html><title>CORP proof under COEP</title>');
  });
  chromium = await launchChromiumWithExtension({ headless: true, extensionDirs: [], openDevTools: false });
  const connected = await connect(chromium);
  browser = connected.browser;
  page = connected.page;
  await page.goto(`${pageOrigin}/`);
  coepPage = await connected.context.newPage();
  await coepPage.goto(`${coepOrigin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await chromium?.close();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const loadImage = (on: Page, url: string) =>
  on.evaluate(
    (src) =>
      new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(`loaded ${img.naturalWidth}x${img.naturalHeight}`);
        img.onerror = () => resolve('error');
        img.src = src;
      }),
    url,
  );

/** What the server sends for a path: status, type and the CORP value (several lines come back joined by ", "). */
async function headersOf(url: string) {
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, type: response.headers.get('content-type'), corp: response.headers.get('cross-origin-resource-policy') };
}

const proven = new Set<ServerId>();

describe('the Cross-Origin-Resource-Policy snippet, in the real server and Chromium', () => {
  it('the COEP page enforces require-corp: an image without CORP, or with two CORP lines (an invalid header), is refused there and loads on the plain page', async () => {
    for (const control of ['/no-corp.png', '/two-corp.png']) {
      expect(await loadImage(page, `${pageOrigin}${control}`), control).toBe('loaded 1x1');
      expect(await loadImage(coepPage, `${pageOrigin}${control}`), control).toBe('error');
    }
  });

  for (const stack of STACKS) {
    describe(stack.server, () => {
      it('its server runs here (scripts/setup.sh installs it; a proof that cannot run fails, as the CORS proofs do)', () => {
        expect(stack.missing(), `${stack.server} cannot run here`).toBeNull();
      });

      it('without it, the server sends same-origin and Chromium refuses the image to another origin', async () => {
        const server = await stack.start('unfixed');
        try {
          const context = () => server.output().slice(-1500);
          expect(await headersOf(`${server.origin}${PATH}`), context()).toEqual({ status: 200, type: 'image/png', corp: 'same-origin' });
          expect(await loadImage(page, `${server.origin}${PATH}`), context()).toBe('error');
        } finally {
          await server.stop();
        }
      }, 60_000);

      if (stack.variants.includes('appended')) {
        it('appended below the hook that sets the default, the default wins and Chromium still refuses it (why the snippet says where)', async () => {
          const server = await stack.start('appended');
          try {
            const context = () => server.output().slice(-1500);
            expect(await headersOf(`${server.origin}${PATH}`), context()).toMatchObject({ status: 200, corp: 'same-origin' });
            expect(await loadImage(page, `${server.origin}${PATH}`), context()).toBe('error');
          } finally {
            await server.stop();
          }
        }, 60_000);
      }

      it('with the generated snippet where its comment says, the server sends exactly cross-origin and Chromium loads the image', async () => {
        const server = await stack.start('fixed');
        try {
          const context = () => server.output().slice(-1500);
          expect(await headersOf(`${server.origin}${PATH}`), context()).toEqual({ status: 200, type: 'image/png', corp: 'cross-origin' });
          expect(await loadImage(page, `${server.origin}${PATH}`), context()).toBe('loaded 1x1');
          expect(await loadImage(coepPage, `${server.origin}${PATH}`), context()).toBe('loaded 1x1');
          // Only that path: the rest of the server keeps its default.
          expect(await headersOf(`${server.origin}${OTHER_PATH}`), context()).toMatchObject({ status: 404, corp: 'same-origin' });
        } finally {
          await server.stop();
        }
        proven.add(stack.server);
      }, 60_000);
    });
  }

  it('the stacks marked verified are exactly the ones with a proof above', () => {
    expect([...RESOURCE_POLICY_VERIFIED].sort()).toEqual(STACKS.map((s) => s.server).sort());
    // Each was proven in this run.
    for (const stack of STACKS) expect(proven.has(stack.server), stack.server).toBe(true);
    expect([...RESOURCE_POLICY_VERIFIED].sort()).toEqual(['express', 'flask', 'nginx', 'php']);
    for (const stack of STACKS) expect(resourcePolicySnippet(stack.server, { path: PATH, reason: '' }).verified, stack.server).toBe(true);
  });
});
