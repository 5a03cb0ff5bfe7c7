/** Nginx: a `map` of allowed origins, `add_header ... always` in one block, OPTIONS answered 204 by `return`. */
import { NGINX_DOLLAR_GEO, nginxNeedsDollar, nginxString } from '../escape.js';
import { COMMON_PITFALLS, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy, upperCaseOnlyLimitation } from './common.js';

// Characters a location may hold without quoting trouble (nginx matches the decoded, normalized URI).
const PLAIN_LOCATION = /^\/[A-Za-z0-9/._~!*'()@:+,=&-]*$/;

const indent = (lines: string[], n: number): string => lines.map((l) => `${' '.repeat(n)}${l}`).join('\n');

interface NginxParts {
  httpLines: string[];
  /** The add_header lines every answer of the location carries. */
  common: string[];
  locationLines: string[];
  /** Whether the location matches the captured path exactly (else `location /`). */
  exact: boolean;
  locationOpen: string;
}

function nginxParts(p: PreparedPolicy): NginxParts {
  const values = [...p.allowMethods, ...p.allowHeaders, ...p.exposeHeaders];
  const httpLines = [
    ...(nginxNeedsDollar(values) ? [`${NGINX_DOLLAR_GEO}  # a literal $ inside quoted values`] : []),
    '# Exact origins only; any other Origin gets an empty value, and nginx then sends no header.',
    'map $http_origin $cors_allow_origin {',
    '    default "";',
    ...p.origins.map((o) => `    ${nginxString(o)} ${nginxString(o)};`),
    '}',
    ...(p.credentials
      ? ['map $http_origin $cors_allow_credentials {', '    default "";', ...p.origins.map((o) => `    ${nginxString(o)} "true";`), '}']
      : []),
  ];
  const common = [
    'add_header Access-Control-Allow-Origin $cors_allow_origin always;',
    ...(p.credentials ? ['add_header Access-Control-Allow-Credentials $cors_allow_credentials always;'] : []),
    'add_header Vary Origin always;',
  ];
  const preflightBlock = [
    'if ($request_method = OPTIONS) {',
    ...common.map((l) => `    ${l}`),
    `    add_header Access-Control-Allow-Methods ${nginxString(p.allowMethods.join(', '))} always;`,
    ...(p.allowHeaders.length > 0 ? [`    add_header Access-Control-Allow-Headers ${nginxString(p.allowHeaders.join(', '))} always;`] : []),
    `    add_header Access-Control-Max-Age ${p.maxAgeSeconds} always;`,
    '    return 204;',
    '}',
  ];
  const locationLines = [
    ...preflightBlock,
    ...common,
    ...(p.exposeHeaders.length > 0 ? [`add_header Access-Control-Expose-Headers ${nginxString(p.exposeHeaders.join(', '))} always;`] : []),
  ];
  const exact = p.decodedPath !== undefined && PLAIN_LOCATION.test(p.decodedPath);
  const locationOpen = exact ? `location = ${p.decodedPath} {` : 'location / {';
  return { httpLines, common, locationLines, exact, locationOpen };
}

export function nginx(p: PreparedPolicy): GeneratedSnippet {
  const { httpLines, locationLines, locationOpen } = nginxParts(p);
  const snippet = `# In the http block:
${httpLines.join('\n')}

# In the location that serves the request (every add_header of that location, none above it):
${locationOpen}
${indent(locationLines, 4)}
    # ... your proxy_pass / root as before; add proxy_hide_header Access-Control-Allow-Origin if the upstream sets it
}
`;
  return {
    label: 'Nginx',
    language: 'nginx',
    snippet,
    ...limitationOf(p),
    pitfalls: [
      'add_header is inherited only by blocks that define no add_header of their own: one extra add_header in a location or if block drops every CORS header defined above it. Keep them all in the block that answers.',
      'Without "always", nginx adds headers only to 2xx and 3xx responses; errors (401, 404, 500) would come back without CORS headers.',
      'The OPTIONS "if" returns 204 before any auth_request, auth_basic or proxy_pass runs.',
      'If the upstream also sets Access-Control-Allow-Origin, hide it (proxy_hide_header) or the browser sees two values.',
      COMMON_PITFALLS.exactOrigin,
    ],
  };
}

/** How to start nginx from the folder that holds its `nginx.conf`: unprivileged, in the foreground, logging to stderr. */
export const NGINX_FOLDER_COMMAND = `nginx -p "$PWD" -c "$PWD/nginx.conf" -e stderr -g 'daemon off;'`;

/**
 * An `nginx.conf` that runs from its own folder without root (`NGINX_FOLDER_COMMAND`): one worker, the pid file and
 * temporary files there, the error log on stderr. `http` is the rest of the http block, indented by four spaces.
 */
export function folderNginxConf(http: string): string {
  return `worker_processes 1;
pid nginx.pid;
error_log stderr;

events {
    worker_connections 64;
}

http {
    access_log off;
    client_body_temp_path tmp;
    proxy_temp_path tmp;
    fastcgi_temp_path tmp;
    uwsgi_temp_path tmp;
    scgi_temp_path tmp;
${http}}
`;
}

export function nginxExample(p: PreparedPolicy): GeneratedExample {
  const { httpLines, common, locationLines, exact, locationOpen } = nginxParts(p);
  const http = `    default_type application/json;

${indent(httpLines, 4)}

    server {
        listen 127.0.0.1:${p.port};

        ${locationOpen}
${indent(locationLines, 12)}
            return 200 '{"ok":true}';
        }
${
  exact
    ? `
        location / {
${indent(common, 12)}
            return 404 '{"error":"not found"}';
        }
`
    : ''
}    }
`;
  const conf = `# Minimal nginx answering the captured request. Start it from this folder with:
#   ${NGINX_FOLDER_COMMAND}
${folderNginxConf(http)}`;
  return { files: [{ path: 'nginx.conf', content: conf }], command: NGINX_FOLDER_COMMAND };
}

function limitationOf(p: PreparedPolicy): { limitation?: string } {
  const limitation = upperCaseOnlyLimitation(p, 'nginx');
  return limitation ? { limitation } : {};
}
