/** Caddy: named matchers for the allowed origins and the preflight, `header` before `respond`. */
import { caddyString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

// Paths a `path` matcher can hold as-is (no wildcard, placeholder braces or quotes).
const PLAIN_PATH = /^\/[A-Za-z0-9/._~!'()@:+,=&$;-]*$/;

/** The matchers and header directives, shared by the snippet and the example. */
function corsBlock(p: PreparedPolicy): string {
  const originLines = p.origins.map((o) => `\theader Origin ${caddyString(o)}`);
  const allowed = [
    '\tAccess-Control-Allow-Origin {http.request.header.Origin}',
    ...(p.credentials ? ['\tAccess-Control-Allow-Credentials "true"'] : []),
    ...(p.exposeHeaders.length > 0 ? [`\tAccess-Control-Expose-Headers ${caddyString(p.exposeHeaders.join(', '))}`] : []),
  ];
  const preflight = [
    `\tAccess-Control-Allow-Methods ${caddyString(p.allowMethods.join(', '))}`,
    ...(p.allowHeaders.length > 0 ? [`\tAccess-Control-Allow-Headers ${caddyString(p.allowHeaders.join(', '))}`] : []),
    `\tAccess-Control-Max-Age "${p.maxAgeSeconds}"`,
  ];
  return `# Exact origins only (several "header Origin" lines are OR-ed).
@cors_allowed {
${originLines.join('\n')}
}
@cors_preflight {
\tmethod OPTIONS
${originLines.join('\n')}
\theader Access-Control-Request-Method *
}
header Vary Origin
header @cors_allowed {
${allowed.join('\n')}
}
header @cors_preflight {
${preflight.join('\n')}
}
# Preflights end here with 204, before any reverse_proxy, basicauth or forward_auth.
respond @cors_preflight 204
`;
}

export function caddy(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Caddy',
    language: 'caddyfile',
    snippet: `# Inside the site block that serves the request:\n${corsBlock(p)}`,
    pitfalls: [
      'The header directive runs before respond, reverse_proxy and auth handlers, so preflights and error responses carry the headers; if the upstream also sets Access-Control-Allow-Origin, remove it (header_down -Access-Control-Allow-Origin) or the browser sees two values.',
      'Errors Caddy produces itself (handle_errors) start from a fresh response: repeat the header lines there if you use it.',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function caddyExample(p: PreparedPolicy): GeneratedExample {
  const indent = (text: string): string => text.trimEnd().split('\n').map((l) => (l ? `\t${l}` : l)).join('\n');
  const exact = p.decodedPath !== undefined && PLAIN_PATH.test(p.decodedPath);
  const answer = exact
    ? `@captured path ${caddyString(p.decodedPath!)}
header @captured Content-Type application/json
respond @captured \`{"ok":true}\` 200
respond \`{"error":"not found"}\` 404`
    : `header Content-Type application/json
respond \`{"ok":true}\` 200`;
  const caddyfile = `# Minimal Caddy answering the captured request; start it from this folder with:
#   caddy run --config Caddyfile --adapter caddyfile
{
\tadmin off
\tauto_https off
}

http://127.0.0.1:${p.port} {
${indent(corsBlock(p))}

${indent(answer)}
}
`;
  return {
    files: [{ path: 'Caddyfile', content: caddyfile }],
    command: 'caddy run --config Caddyfile --adapter caddyfile',
  };
}
