/** Express: the `cors` package, and the same rules as a plain middleware. */
import { jsString } from '../escape.js';
import {
  COMMON_PITFALLS,
  methodSpellingPitfalls,
  type GeneratedExample,
  type GeneratedSnippet,
  type PreparedPolicy,
  upperCaseOnlyLimitation,
} from './common.js';

const jsList = (values: readonly string[]): string => `[${values.map(jsString).join(', ')}]`;

const ORDER_PITFALL =
  'Mount the CORS middleware first, before body parsers, authentication and routes: a preflight (OPTIONS) must be answered before any login check, and responses that end early must still carry the headers.';
const ERROR_PITFALL =
  'Keep CORS headers on errors: an error handler added after the CORS middleware keeps them; a proxy or crash in front of Express does not.';

function runnableExample(p: PreparedPolicy, corsSetup: string, deps: Record<string, string>): GeneratedExample {
  const server = `'use strict';
// Minimal server answering the captured request; start it with: node server.js
const express = require('express');
${corsSetup}
// Authentication, body parsers and routes go below the CORS middleware.
app.use((req, res, next) => {
  if (req.path !== CAPTURED_PATH) return next();
  res.json({ ok: true });
});

app.use((req, res) => {
  res.status(404).json({ error: 'not found' });
});

// Errors keep the CORS headers set above.
app.use((err, req, res, next) => {
  res.status(500).json({ error: 'internal error' });
});

app.listen(${p.port}, '127.0.0.1', () => {
  console.log('listening on http://127.0.0.1:${p.port}');
});
`;
  return {
    files: [
      { path: 'server.js', content: server },
      {
        path: 'package.json',
        content: `${JSON.stringify({ name: 'cors-fix-example', private: true, dependencies: deps }, null, 2)}\n`,
      },
    ],
    command: 'npm install && node server.js',
  };
}

function corsOptions(p: PreparedPolicy): string {
  return [
    `  origin: ${jsList(p.origins)}, // exact matches only; adds Vary: Origin`,
    ...(p.credentials ? ['  credentials: true,'] : []),
    `  methods: ${jsList(p.allowMethods)},`,
    // Always explicit: left out, the cors package echoes whatever headers the preflight asks for.
    `  allowedHeaders: ${jsList(p.allowHeaders)},`,
    ...(p.exposeHeaders.length > 0 ? [`  exposedHeaders: ${jsList(p.exposeHeaders)},`] : []),
    `  maxAge: ${p.maxAgeSeconds},`,
    '  optionsSuccessStatus: 204,',
  ].join('\n');
}

export function expressCors(p: PreparedPolicy): GeneratedSnippet {
  const snippet = `const cors = require('cors');

// First middleware: answers preflights with 204 and adds the headers to every response, errors included.
app.use(cors({
${corsOptions(p)}
}));
`;
  return {
    label: 'Express (cors)',
    language: 'javascript',
    snippet,
    ...limitationOf(p),
    pitfalls: [
      ORDER_PITFALL,
      'In Express 5, app.options("*", cors()) throws (path-to-regexp v8): use app.use(cors(options)) as here.',
      COMMON_PITFALLS.exactOrigin,
      ...(p.credentials ? [COMMON_PITFALLS.credentialsNoWildcard + ' cors({ credentials: true }) without an origin list sends *.'] : []),
      ERROR_PITFALL,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function expressCorsExample(p: PreparedPolicy): GeneratedExample {
  const setup = `const cors = require('cors');

const CAPTURED_PATH = ${jsString(p.path)};
const app = express();

app.use(cors({
${corsOptions(p)}
}));
`;
  return runnableExample(p, setup, { express: '^5.1.0', cors: '^2.8.5' });
}

function plainMiddleware(p: PreparedPolicy): string {
  const originLines = [
    "  res.setHeader('Access-Control-Allow-Origin', origin);",
    ...(p.credentials ? ["  res.setHeader('Access-Control-Allow-Credentials', 'true');"] : []),
    ...(p.exposeHeaders.length > 0
      ? [`  res.setHeader('Access-Control-Expose-Headers', ${jsString(p.exposeHeaders.join(', '))});`]
      : []),
  ];
  const preflightLines = [
    `    res.setHeader('Access-Control-Allow-Methods', ${jsString(p.allowMethods.join(', '))});`,
    ...(p.allowHeaders.length > 0
      ? [`    res.setHeader('Access-Control-Allow-Headers', ${jsString(p.allowHeaders.join(', '))});`]
      : []),
    `    res.setHeader('Access-Control-Max-Age', '${p.maxAgeSeconds}');`,
  ];
  return `const ALLOWED_ORIGINS = new Set(${jsList(p.origins)});

// First middleware: before body parsers, authentication and routes.
app.use((req, res, next) => {
  const origin = req.headers.origin;
  res.vary('Origin');
  if (origin === undefined || !ALLOWED_ORIGINS.has(origin)) return next();
${originLines.join('\n')}
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
${preflightLines.join('\n')}
    res.status(204).end();
    return;
  }
  next();
});
`;
}

export function expressPlain(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Express (middleware)',
    language: 'javascript',
    snippet: plainMiddleware(p),
    ...limitationOf(p),
    pitfalls: [
      ORDER_PITFALL,
      COMMON_PITFALLS.exactOrigin,
      'Send Vary: Origin on every response, allowed origin or not, so a cache never serves one origin\'s answer to another.',
      ...(p.credentials ? [COMMON_PITFALLS.credentialsNoWildcard] : []),
      ERROR_PITFALL,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function expressPlainExample(p: PreparedPolicy): GeneratedExample {
  const setup = `
const CAPTURED_PATH = ${jsString(p.path)};
const app = express();

${plainMiddleware(p)}`;
  return runnableExample(p, setup, { express: '^5.1.0' });
}

function limitationOf(p: PreparedPolicy): { limitation?: string } {
  const limitation = upperCaseOnlyLimitation(p, "Node's HTTP parser (under Express)");
  return limitation ? { limitation } : {};
}
