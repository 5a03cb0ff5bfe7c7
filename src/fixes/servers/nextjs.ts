/** Next.js (App Router): a route handler that exports OPTIONS and adds the headers to every answer. */
import { jsString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

// Route handlers are named after upper-case methods; a method Next.js has no export name for cannot get a handler.
const EXPORTABLE = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** The route file (its folder under app/ and its content), shared by the snippet and the example. */
function routeFile(p: PreparedPolicy): { routeDir: string; content: string } {
  const handlerMethods = [...new Set(['GET', ...p.allowMethods.map((m) => m.toUpperCase()).filter((m) => EXPORTABLE.has(m))])];
  const helper = `const ALLOWED_ORIGINS = new Set<string>([${p.origins.map(jsString).join(', ')}]);

function corsHeaders(request: Request): Headers {
  const headers = new Headers({ Vary: 'Origin' });
  const origin = request.headers.get('origin');
  if (origin !== null && ALLOWED_ORIGINS.has(origin)) {
    headers.set('Access-Control-Allow-Origin', origin);
${p.credentials ? "    headers.set('Access-Control-Allow-Credentials', 'true');\n" : ''}${
    p.exposeHeaders.length > 0 ? `    headers.set('Access-Control-Expose-Headers', ${jsString(p.exposeHeaders.join(', '))});\n` : ''
  }  }
  return headers;
}

// Without an exported OPTIONS, Next.js answers the preflight itself, without CORS headers.
export function OPTIONS(request: Request): Response {
  const headers = corsHeaders(request);
  headers.set('Access-Control-Allow-Methods', ${jsString(p.allowMethods.join(', '))});
${p.allowHeaders.length > 0 ? `  headers.set('Access-Control-Allow-Headers', ${jsString(p.allowHeaders.join(', '))});\n` : ''}  headers.set('Access-Control-Max-Age', '${p.maxAgeSeconds}');
  return new Response(null, { status: 204, headers });
}
`;
  const handlers = handlerMethods
    .map(
      (m) => `export async function ${m}(request: Request): Promise<Response> {
  return Response.json({ ok: true }, { headers: corsHeaders(request) });
}
`,
    )
    .join('\n');
  const routeDir = p.decodedPath !== undefined && /^\/[A-Za-z0-9/._~-]*$/.test(p.decodedPath) ? p.decodedPath.replace(/\/+$/, '') : '/api/example';
  return { routeDir, content: `${helper}\n${handlers}` };
}

export function nextjs(p: PreparedPolicy): GeneratedSnippet {
  const { routeDir, content } = routeFile(p);
  return {
    label: 'Next.js (route handler)',
    language: 'typescript',
    snippet: `// app${routeDir}/route.ts\n${content}`,
    pitfalls: [
      'A route handler answers only the methods its file exports: export OPTIONS, or the preflight gets no CORS headers.',
      'next.config.js headers() adds headers but does not answer preflights; middleware must list the API paths in its matcher.',
      'Errors thrown in a handler become 500s without these headers: catch them and return a Response built with corsHeaders().',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
    ...(p.nonUpperMethods.length > 0
      ? { limitation: `Next.js route handlers are exported under upper-case method names, so a ${p.nonUpperMethods.join(', ')} request finds no handler: have the page send ${p.nonUpperMethods.map((m) => m.toUpperCase()).join(', ')}.` }
      : {}),
  };
}

export function nextjsExample(p: PreparedPolicy): GeneratedExample {
  const { routeDir, content } = routeFile(p);
  return {
    files: [
      { path: `app${routeDir}/route.ts`, content },
      { path: 'app/layout.tsx', content: 'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html>\n      <body>{children}</body>\n    </html>\n  );\n}\n' },
      {
        path: 'package.json',
        content: `${JSON.stringify({ name: 'cors-fix-example', private: true, scripts: { dev: 'next dev' }, dependencies: { next: '^15', react: '^19', 'react-dom': '^19' }, devDependencies: { typescript: '^5', '@types/react': '^19', '@types/node': '^20' } }, null, 2)}\n`,
      },
    ],
    command: `npm install && npx next dev --hostname 127.0.0.1 --port ${p.port}`,
  };
}
