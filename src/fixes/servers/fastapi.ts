/** FastAPI / Starlette: CORSMiddleware with explicit lists. */
import { pythonString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

const pyList = (values: readonly string[]): string => `[${values.map(pythonString).join(', ')}]`;

function corsMiddleware(p: PreparedPolicy): string {
  const args = [
    `allow_origins=${pyList(p.origins)}`,
    ...(p.credentials ? ['allow_credentials=True'] : []),
    `allow_methods=${pyList(p.allowMethods)}`,
    ...(p.allowHeaders.length > 0 ? [`allow_headers=${pyList(p.allowHeaders)}`] : []),
    ...(p.exposeHeaders.length > 0 ? [`expose_headers=${pyList(p.exposeHeaders)}`] : []),
    `max_age=${p.maxAgeSeconds}`,
  ];
  return `app.add_middleware(
    CORSMiddleware,
    ${args.join(',\n    ')},
)`;
}

export function fastapi(p: PreparedPolicy): GeneratedSnippet {
  const limitation =
    p.nonUpperMethods.length > 0
      ? `FastAPI (Starlette) routes upper-case their method list and compare it with the method exactly as sent, so a ${p.nonUpperMethods.join(', ')} request gets 405 Method Not Allowed even with CORS allowed: have the page send ${p.nonUpperMethods.map((m) => m.toUpperCase()).join(', ')}.`
      : undefined;
  return {
    ...(limitation ? { limitation } : {}),
    label: 'FastAPI (CORSMiddleware)',
    language: 'python',
    snippet: `from fastapi.middleware.cors import CORSMiddleware\n\n${corsMiddleware(p)}\n`,
    pitfalls: [
      'An unhandled exception becomes a 500 outside CORSMiddleware, without CORS headers: the browser then reports a CORS error instead of the 500. Handle exceptions (exception handlers run inside it) or wrap the app: CORSMiddleware(app, ...).',
      'allow_origins=["*"] with allow_credentials=True is the combination to avoid: keep the list explicit.',
      'CORSMiddleware answers the preflight itself (200) before any route or dependency, so authentication never sees it.',
      'Methods must be listed with the spelling the page sends; a method missing from allow_methods gets 400 "Disallowed CORS method".',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function fastapiExample(p: PreparedPolicy): GeneratedExample {
  // A plain path becomes the route itself; anything with braces (route parameters) is matched in the handler.
  const plain = p.decodedPath !== undefined && /^\/[A-Za-z0-9/._~!*'()@:+,=&$;-]*$/.test(p.decodedPath);
  const routeMethods = [...new Set(['GET', 'POST', ...p.allowMethods.map((m) => m.toUpperCase())])];
  const handler = plain
    ? `@app.api_route(${pythonString(p.decodedPath!)}, methods=${pyList(routeMethods)})
async def answer():
    return {"ok": True}
`
    : `@app.api_route("/{rest:path}", methods=${pyList(routeMethods)})
async def answer(request: Request):
    if request.url.path != ${pythonString(p.decodedPath ?? p.path)}:
        return JSONResponse({"error": "not found"}, status_code=404)
    return {"ok": True}
`;
  const app = `# Minimal app answering the captured request; start it with:
#   python3 -m uvicorn app:app --host 127.0.0.1 --port ${p.port}
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

app = FastAPI()

# Added last, so it wraps every route and dependency (authentication included).
${corsMiddleware(p)}


${handler}`;
  return {
    files: [
      { path: 'app.py', content: app },
      { path: 'requirements.txt', content: 'fastapi\nuvicorn\n' },
    ],
    command: `python3 -m uvicorn app:app --host 127.0.0.1 --port ${p.port}`,
  };
}
