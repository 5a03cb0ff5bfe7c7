/** PHP: the first lines of the front controller, before any output. */
import { phpString } from '../escape.js';
import {
  COMMON_PITFALLS,
  methodSpellingPitfalls,
  type GeneratedExample,
  type GeneratedSnippet,
  type PreparedPolicy,
  upperCaseOnlyLimitation,
} from './common.js';

/** The CORS lines, shared by the snippet and the example. */
function corsBlock(p: PreparedPolicy): string {
  const header = (name: string, value: string): string => `header(${phpString(`${name}: ${value}`)});`;
  const originLines = [
    "    header('Access-Control-Allow-Origin: ' . $corsOrigin);",
    ...(p.credentials ? [`    ${header('Access-Control-Allow-Credentials', 'true')}`] : []),
    ...(p.exposeHeaders.length > 0 ? [`    ${header('Access-Control-Expose-Headers', p.exposeHeaders.join(', '))}`] : []),
  ];
  const preflightLines = [
    `    ${header('Access-Control-Allow-Methods', p.allowMethods.join(', '))}`,
    ...(p.allowHeaders.length > 0 ? [`    ${header('Access-Control-Allow-Headers', p.allowHeaders.join(', '))}`] : []),
    `    ${header('Access-Control-Max-Age', String(p.maxAgeSeconds))}`,
  ];
  return `$corsAllowedOrigins = [${p.origins.map(phpString).join(', ')}];
$corsOrigin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin', false);
if (in_array($corsOrigin, $corsAllowedOrigins, true)) {
${originLines.join('\n')}
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS' && isset($_SERVER['HTTP_ACCESS_CONTROL_REQUEST_METHOD'])) {
${preflightLines.join('\n')}
    http_response_code(204);
    exit;
}
`;
}

export function php(p: PreparedPolicy): GeneratedSnippet {
  const snippet = `<?php
// The very first lines of the front controller (index.php): nothing may be output before header().
${corsBlock(p)}`;
  return {
    label: 'PHP',
    language: 'php',
    snippet,
    ...limitationOf(p),
    pitfalls: [
      'header() works only before any output: a BOM, a blank line before <?php, an echo or a warning printed earlier gives "headers already sent" and no CORS headers.',
      'Answer OPTIONS and exit before routing and authentication, or the router returns 404/405 or runs the app.',
      'Put these lines before anything that can fail, so error pages carry the headers too; under Apache, an OPTIONS RewriteRule with [R=200] loses them.',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function phpExample(p: PreparedPolicy): GeneratedExample {
  const index = `<?php
// Minimal front controller answering the captured request; start it with: php -S 127.0.0.1:${p.port} index.php
${corsBlock(p)}
$capturedPath = ${phpString(p.path)};
header('Content-Type: application/json');
if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) !== $capturedPath) {
    http_response_code(404);
    echo '{"error":"not found"}';
    exit;
}
echo '{"ok":true}';
`;
  return {
    files: [{ path: 'index.php', content: index }],
    command: `php -S 127.0.0.1:${p.port} index.php`,
  };
}

function limitationOf(p: PreparedPolicy): { limitation?: string } {
  const limitation = upperCaseOnlyLimitation(p, "PHP's built-in server (php -S)");
  return limitation ? { limitation } : {};
}
