/**
 * When the server is not yours (a third-party API whose CORS you cannot change): what people reach for in development,
 * a proxy in the dev server, so the page calls its own origin and the browser makes no cross-origin request at all.
 * Development only: production needs the API's owner to allow the origin, or a proxy of your own in front of it.
 *
 * Values from the capture (the API's origin, the path) are validated and escaped for JavaScript like every snippet.
 * Vite's is proven in a real browser (test/fixes/devProxy.proof.test.ts); webpack's and Next.js's cannot run here.
 */
import type { ExchangeReport } from '../explain/report.js';
import { assertPath, assertSerializedOrigin, FixInputError, jsString } from './escape.js';

export type DevProxyTool = 'vite' | 'webpack' | 'nextjs';

export interface DevProxySuggestion {
  tool: DevProxyTool;
  /** Tab label, e.g. "Vite dev server". */
  label: string;
  /** The file the snippet goes in. */
  file: string;
  snippet: string;
  /** The page's call after the change, e.g. `fetch('/api-proxy/items?page=2')`. */
  pageCall: string;
  /** Always true: a dev-server proxy does nothing in a production build. */
  developmentOnly: true;
  /** True only when the suite runs this tool with this snippet and a real browser gets the response. */
  verified: boolean;
  pitfalls: string[];
}

/** The path prefix the page calls instead of the API's origin. */
export const DEV_PROXY_PREFIX = '/api-proxy';

/** Tools whose snippet the suite proves in Chromium (test/fixes/devProxy.proof.test.ts). */
export const DEV_PROXY_VERIFIED: ReadonlySet<DevProxyTool> = new Set(['vite']);

export interface DevProxyInput {
  /** The API's origin, serialized (`https://api.example`). */
  targetOrigin: string;
  /** Path and query the page requested (`/items?page=2`). */
  pathAndQuery: string;
  /** Whether the page sent the request with credentials (cookies of the API's site do not travel through a proxy). */
  credentials: boolean;
}

/** Whether a dev proxy is worth offering: a request a CORS check blocked (not LNA, CSP, ORB, ...), to an http(s) API. */
export function devProxyInputFor(report: ExchangeReport): DevProxyInput | undefined {
  if (report.verdict !== 'blocked' || report.failure === null) return undefined;
  if (report.blocker) return undefined;
  let url: URL;
  try {
    url = new URL(report.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const credentials = report.assumptions.some((a) => a.about === 'credentials' && a.value === 'include') ||
    report.requestHeaders.some(([name]) => name.toLowerCase() === 'cookie');
  return { targetOrigin: url.origin, pathAndQuery: `${url.pathname}${url.search}`, credentials };
}

/** The three dev-server proxies for one request. Throws FixInputError when the captured values cannot be used safely. */
export function suggestDevProxies(input: DevProxyInput): DevProxySuggestion[] {
  const target = assertSerializedOrigin(input.targetOrigin);
  const pathAndQuery = input.pathAndQuery;
  const path = pathAndQuery.split('?')[0] ?? '/';
  assertPath(path);
  if (/[\u0000-\u001f\u007f]/.test(pathAndQuery)) throw new FixInputError(`not a URL path and query: ${JSON.stringify(pathAndQuery)}`);
  const prefix = DEV_PROXY_PREFIX;
  const pageCall = `fetch(${jsString(`${prefix}${pathAndQuery}`)})`;
  const common = [
    `Development only: the dev server forwards ${prefix}/… to ${target}, so the page calls its own origin and no CORS check runs. A production build has no dev server: there the API must allow your origin, or you need a proxy of your own.`,
    `In the page, call ${pageCall} instead of ${jsString(`${target}${pathAndQuery}`)}.`,
  ];
  if (input.credentials) {
    common.push(
      `The request was sent with credentials: cookies the browser keeps for ${target} are not sent to your dev server's origin, so the proxied request goes without them (pass a token in a header instead).`,
    );
  }
  const targetLiteral = jsString(target);
  const prefixLiteral = jsString(prefix);
  const prefixPattern = jsString(`^${prefix}`);
  return [
    {
      tool: 'vite',
      label: 'Vite dev server',
      file: 'vite.config.js',
      snippet: `import { defineConfig } from 'vite';

// Development only: ${prefix}/… is forwarded to the API, so the page makes a same-origin request.
export default defineConfig({
  server: {
    proxy: {
      ${prefixLiteral}: {
        target: ${targetLiteral},
        changeOrigin: true,
        rewrite: (path) => path.replace(new RegExp(${prefixPattern}), ''),
      },
    },
  },
});
`,
      pageCall,
      developmentOnly: true,
      verified: DEV_PROXY_VERIFIED.has('vite'),
      pitfalls: common,
    },
    {
      tool: 'webpack',
      label: 'webpack dev server',
      file: 'webpack.config.js',
      snippet: `// Development only (webpack-dev-server 5): ${prefix}/… is forwarded to the API.
module.exports = {
  devServer: {
    proxy: [
      {
        context: [${prefixLiteral}],
        target: ${targetLiteral},
        changeOrigin: true,
        pathRewrite: { [${prefixPattern}]: '' },
      },
    ],
  },
};
`,
      pageCall,
      developmentOnly: true,
      verified: DEV_PROXY_VERIFIED.has('webpack'),
      pitfalls: common,
    },
    {
      tool: 'nextjs',
      label: 'Next.js rewrites',
      file: 'next.config.js',
      snippet: `// ${prefix}/… is forwarded to the API by the Next.js server (it also applies to \`next start\`: keep it to development
// if the API's owner has not agreed to be proxied).
module.exports = {
  async rewrites() {
    return [{ source: ${jsString(`${prefix}/:path*`)}, destination: ${jsString(`${target}/:path*`)} }];
  },
};
`,
      pageCall,
      developmentOnly: true,
      verified: DEV_PROXY_VERIFIED.has('nextjs'),
      pitfalls: common,
    },
  ];
}
