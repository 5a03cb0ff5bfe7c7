/**
 * Which stack answered, from what its responses say about it (`X-Powered-By`, `Server`, `X-AspNet-Version`), so the
 * fix opens on that stack's tab. Pure; only headers that name one stack count: a CDN (`Server: cloudflare`), a
 * generic WSGI or Java server, or nothing at all gives `null`, never a guess.
 *
 * What the servers the fix proofs start send (measured, test/fixes/detectServerStack.test.ts): Express
 * `X-Powered-By: Express`, Flask's development server `Server: Werkzeug/2.2.2 Python/3.11.2`, nginx `Server:
 * nginx/1.22.1`, PHP's built-in server `X-Powered-By: PHP/8.2.36`, uvicorn `Server: uvicorn`, Caddy `Server: Caddy`,
 * Apache `Server: Apache/2.4.71 (Debian)`; Go's net/http and Django's runserver (`WSGIServer/0.2`, which any wsgiref
 * app sends too) name no stack.
 */
import type { HeaderLines, Hop } from '../model/exchange.js';
import type { ServerId } from './model.js';

export interface ServerStackHint {
  /** The fix tab to open. */
  id: ServerId;
  /** The stack as people name it: `Express`, `nginx`, `PHP`... */
  name: string;
  /** Where that came from, e.g. `from X-Powered-By: Express`. */
  reason: string;
}

interface Signature {
  header: 'x-powered-by' | 'server' | 'x-aspnet-version' | 'x-aspnetmvc-version';
  /** Matched against the start of the value, case-insensitively. */
  pattern: RegExp;
  id: ServerId;
  name: string;
}

/**
 * In precedence order: the application framework (X-Powered-By) before the web server in front of it (Server), since
 * an app behind nginx or Apache usually sets its own CORS headers (nginx + PHP-FPM: the PHP tab).
 */
const SIGNATURES: readonly Signature[] = [
  { header: 'x-powered-by', pattern: /^express\b/i, id: 'express', name: 'Express' },
  { header: 'x-powered-by', pattern: /^next\.js\b/i, id: 'nextjs', name: 'Next.js' },
  { header: 'x-powered-by', pattern: /^php\b/i, id: 'php', name: 'PHP' },
  { header: 'x-powered-by', pattern: /^asp\.net\b/i, id: 'aspnet', name: 'ASP.NET' },
  { header: 'x-aspnet-version', pattern: /^\d/, id: 'aspnet', name: 'ASP.NET' },
  { header: 'x-aspnetmvc-version', pattern: /^\d/, id: 'aspnet', name: 'ASP.NET' },
  { header: 'server', pattern: /^werkzeug\b/i, id: 'flask', name: 'Flask (Werkzeug)' },
  { header: 'server', pattern: /^uvicorn\b/i, id: 'fastapi', name: 'FastAPI (uvicorn)' },
  { header: 'server', pattern: /^kestrel\b/i, id: 'aspnet', name: 'ASP.NET Core (Kestrel)' },
  { header: 'server', pattern: /^caddy\b/i, id: 'caddy', name: 'Caddy' },
  { header: 'server', pattern: /^(nginx|openresty)\b/i, id: 'nginx', name: 'nginx' },
  { header: 'server', pattern: /^apache\b(?!-coyote)/i, id: 'apache', name: 'Apache' },
];

const HEADER_NAMES: Readonly<Record<Signature['header'], string>> = {
  'x-powered-by': 'X-Powered-By',
  server: 'Server',
  'x-aspnet-version': 'X-AspNet-Version',
  'x-aspnetmvc-version': 'X-AspNetMvc-Version',
};

const NAME_LENGTHS = new Set(Object.keys(HEADER_NAMES).map((name) => name.length));

/** Longest header value quoted in a reason; the rest is cut with an ellipsis. */
const QUOTED_VALUE_MAX = 60;

/** The stack one response's headers name, or `null` when they name none. */
export function detectServerStack(headers: HeaderLines): ServerStackHint | null {
  if (!Array.isArray(headers)) return null;
  // The first line of each name, by name (four names: no map per response).
  const values: Partial<Record<Signature['header'], string>> = {};
  for (const line of headers) {
    if (!Array.isArray(line) || typeof line[0] !== 'string' || typeof line[1] !== 'string') continue;
    // Every exchange of a capture comes through here: most names are ruled out by their length alone.
    if (!NAME_LENGTHS.has(line[0].length)) continue;
    const name = line[0].toLowerCase();
    if (!Object.hasOwn(HEADER_NAMES, name)) continue;
    const header = name as Signature['header'];
    values[header] ??= line[1].trim();
  }
  for (const signature of SIGNATURES) {
    const value = values[signature.header];
    if (value === undefined || !signature.pattern.test(value)) continue;
    const quoted = value.length > QUOTED_VALUE_MAX ? `${value.slice(0, QUOTED_VALUE_MAX)}…` : value;
    return { id: signature.id, name: signature.name, reason: `from ${HEADER_NAMES[signature.header]}: ${quoted}` };
  }
  return null;
}

/**
 * The stack an exchange's responses name: the last hop's response first (the server whose answer the browser judged
 * last), then earlier hops, each hop's actual response before its preflight's.
 */
export function detectExchangeServerStack(hops: readonly Pick<Hop, 'response' | 'preflight'>[]): ServerStackHint | null {
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    for (const headers of [hop.response?.headers, hop.preflight?.response?.headers]) {
      if (headers === undefined) continue;
      const found = detectServerStack(headers);
      if (found !== null) return found;
    }
  }
  return null;
}
