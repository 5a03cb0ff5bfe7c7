/** Flask: flask-cors, and the same rules as plain before_request/after_request hooks. */
import { pythonString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

const pyList = (values: readonly string[]): string => `[${values.map(pythonString).join(', ')}]`;

// flask-cors treats a value holding one of these as a regular expression.
const FLASK_CORS_REGEX_CHARS = /[*\\\]?$^[()]/;

/** A flask-cors origin or header entry matched exactly, even when it holds regex characters. */
function flaskCorsExact(value: string): string {
  return FLASK_CORS_REGEX_CHARS.test(value) ? `re.escape(${pythonString(value)}) + r"\\Z"` : pythonString(value);
}

const PREFLIGHT_HOOK = `@app.before_request
def answer_cors_preflight():
    # Register this before any login check: a preflight never carries credentials.
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return "", 204
`;

function routeMethods(p: PreparedPolicy): string[] {
  // Werkzeug upper-cases the request method before routing.
  return [...new Set(['GET', 'POST', ...p.allowMethods.map((m) => m.toUpperCase())])];
}

function exampleApp(p: PreparedPolicy, imports: string, cors: string): string {
  const pathCheck =
    p.decodedPath !== undefined
      ? `    if request.path != CAPTURED_PATH:
        return jsonify(error="not found"), 404
`
      : '';
  return `# Minimal app answering the captured request; start it with: python3 app.py
${imports}
CAPTURED_PATH = ${pythonString(p.decodedPath ?? p.path)}

app = Flask(__name__)

${cors}

@app.route("/", defaults={"path": ""}, methods=${pyList(routeMethods(p))})
@app.route("/<path:path>", methods=${pyList(routeMethods(p))})
def answer(path):
${pathCheck}    return jsonify(ok=True)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=${p.port})
`;
}

const HOOK_ORDER_PITFALL =
  'Preflights must be answered before authentication: register the OPTIONS hook before any before_request that checks a login.';
const ERROR_PITFALL = 'after_request hooks run for error responses too (404, 500), so those keep the CORS headers.';

/** The imports and the CORS set-up, shared by the snippet and the example. */
function flaskCorsParts(p: PreparedPolicy): { imports: string; cors: string } {
  const needsRe = [...p.origins, ...p.allowHeaders].some((v) => FLASK_CORS_REGEX_CHARS.test(v));
  const args = [
    `origins=[${p.origins.map(flaskCorsExact).join(', ')}]`,
    ...(p.credentials ? ['supports_credentials=True'] : []),
    `methods=${pyList(p.allowMethods)}`,
    // Always explicit: flask-cors defaults to allowing every requested header.
    `allow_headers=[${p.allowHeaders.map(flaskCorsExact).join(', ')}]`,
    ...(p.exposeHeaders.length > 0 ? [`expose_headers=${pyList(p.exposeHeaders)}`] : []),
    `max_age=${p.maxAgeSeconds}`,
  ];
  // flask-cors upper-cases its method list and adds Vary: Origin only for several origins; this hook, registered
  // before CORS(app), runs after it (Flask runs after_request hooks in reverse order) and fixes both.
  const fixups: string[] = [];
  if (p.nonUpperMethods.length > 0) {
    fixups.push(`    # flask-cors upper-cases methods; the browser compares them case-sensitively.
    if request.method == "OPTIONS" and "Access-Control-Allow-Methods" in response.headers:
        response.headers["Access-Control-Allow-Methods"] = ${pythonString(p.allowMethods.join(', '))}`);
  }
  if (p.origins.length === 1) fixups.push('    response.vary.add("Origin")');
  const fixupHook =
    fixups.length > 0
      ? `@app.after_request
def finish_cors_headers(response):
${fixups.join('\n')}
    return response

`
      : '';
  const cors = `${PREFLIGHT_HOOK}

${fixupHook}CORS(app, ${args.join(',\n     ')})`;
  const imports = `${needsRe ? 'import re\n\n' : ''}from flask import Flask, jsonify, request
from flask_cors import CORS
`;
  return { imports, cors };
}

export function flaskCors(p: PreparedPolicy): GeneratedSnippet {
  const { imports, cors } = flaskCorsParts(p);
  return {
    label: 'Flask (flask-cors)',
    language: 'python',
    snippet: `${imports}
${cors}
`,
    pitfalls: [
      HOOK_ORDER_PITFALL,
      'flask-cors reads origins and allow_headers holding *, ?, $, ^, brackets or parentheses as regular expressions; the values here are matched exactly.',
      ...(p.credentials ? ['supports_credentials=True is needed for Access-Control-Allow-Credentials; keep the origin list explicit (origins="*" with credentials reflects any origin).'] : []),
      ...(p.nonUpperMethods.length > 0 ? ['flask-cors upper-cases the methods it sends, so the extra after_request hook restores the spelling the page uses.'] : []),
      ERROR_PITFALL,
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function flaskCorsExample(p: PreparedPolicy): GeneratedExample {
  const { imports, cors } = flaskCorsParts(p);
  return {
    files: [
      { path: 'app.py', content: exampleApp(p, imports, cors) },
      { path: 'requirements.txt', content: 'flask\nflask-cors\n' },
    ],
    command: 'python3 app.py',
  };
}

const PLAIN_IMPORTS = 'from flask import Flask, jsonify, request\n';

function plainHooks(p: PreparedPolicy): string {
  const originLines = [
    '        response.headers["Access-Control-Allow-Origin"] = origin',
    ...(p.credentials ? ['        response.headers["Access-Control-Allow-Credentials"] = "true"'] : []),
    ...(p.exposeHeaders.length > 0
      ? [`        response.headers["Access-Control-Expose-Headers"] = ${pythonString(p.exposeHeaders.join(', '))}`]
      : []),
  ];
  const preflightLines = [
    `            response.headers["Access-Control-Allow-Methods"] = ${pythonString(p.allowMethods.join(', '))}`,
    ...(p.allowHeaders.length > 0
      ? [`            response.headers["Access-Control-Allow-Headers"] = ${pythonString(p.allowHeaders.join(', '))}`]
      : []),
    `            response.headers["Access-Control-Max-Age"] = "${p.maxAgeSeconds}"`,
  ];
  return `ALLOWED_ORIGINS = {${p.origins.map(pythonString).join(', ')}}


${PREFLIGHT_HOOK}

@app.after_request
def add_cors_headers(response):
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin in ALLOWED_ORIGINS:
${originLines.join('\n')}
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
${preflightLines.join('\n')}
    return response`;
}

export function flaskPlain(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Flask (after_request)',
    language: 'python',
    snippet: `${PLAIN_IMPORTS}
${plainHooks(p)}
`,
    pitfalls: [HOOK_ORDER_PITFALL, ERROR_PITFALL, COMMON_PITFALLS.exactOrigin, ...methodSpellingPitfalls(p)],
  };
}

export function flaskPlainExample(p: PreparedPolicy): GeneratedExample {
  return {
    files: [
      { path: 'app.py', content: exampleApp(p, PLAIN_IMPORTS, plainHooks(p)) },
      { path: 'requirements.txt', content: 'flask\n' },
    ],
    command: 'python3 app.py',
  };
}
