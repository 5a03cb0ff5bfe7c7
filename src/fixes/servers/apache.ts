/** Apache httpd: SetEnvIf for the exact origins, `Header always set`, preflights answered 204 by mod_rewrite. */
import { FixInputError, apacheHeaderValue } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

/** A quoted, anchored regular expression matching exactly `origin` (already a validated serialized origin). */
function originRegex(origin: string): string {
  if (!/^[a-z0-9._\-:/[\]]+$/.test(origin)) throw new FixInputError(`cannot be written in an Apache config: ${JSON.stringify(origin)}`);
  return `"^${origin.replace(/[.[\]]/g, (c) => `\\${c}`)}$"`;
}

/** A POSIX shell single-quoted string. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const MODULES = ['mpm_prefork', 'authz_core', 'alias', 'cgi', 'headers', 'rewrite', 'setenvif'];

/** The CORS directives, shared by the snippet and the example. */
function corsBlock(p: PreparedPolicy): string {
  return `# Exact origins only: CORS_ORIGIN is set only when Origin is one of these.
${p.origins.map((o) => `SetEnvIf Origin ${originRegex(o)} CORS_ORIGIN=$0`).join('\n')}
SetEnvIf Access-Control-Request-Method "." CORS_PREFLIGHT
# "always": error responses (401, 404, 500) keep the headers too.
Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
${p.credentials ? 'Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN\n' : ''}${
    p.exposeHeaders.length > 0 ? `Header always set Access-Control-Expose-Headers ${apacheHeaderValue(p.exposeHeaders.join(', '))} env=CORS_ORIGIN\n` : ''
  }Header always merge Vary "Origin"
Header always set Access-Control-Allow-Methods ${apacheHeaderValue(p.allowMethods.join(', '))} env=CORS_PREFLIGHT
${p.allowHeaders.length > 0 ? `Header always set Access-Control-Allow-Headers ${apacheHeaderValue(p.allowHeaders.join(', '))} env=CORS_PREFLIGHT\n` : ''}Header always set Access-Control-Max-Age "${p.maxAgeSeconds}" env=CORS_PREFLIGHT
# Preflights end here with 204, before authentication and the application.
RewriteEngine On
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteCond %{HTTP:Access-Control-Request-Method} .
RewriteRule ^ - [R=204,L]
`;
}

export function apache(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Apache',
    language: 'apache',
    snippet: `# In the VirtualHost (or .htaccess with AllowOverride FileInfo) that serves the request; needs mod_headers,\n# mod_setenvif and mod_rewrite.\n${corsBlock(p)}`,
    pitfalls: [
      'Use "Header always set": plain "Header set" skips error responses, so a 401 or 500 arrives without CORS headers.',
      'An OPTIONS shortcut like RewriteRule ... [R=200] with "Header set" (not "always") loses the headers; the rule here returns 204 and the headers are "always".',
      'If the application (PHP, a proxy) also sets Access-Control-Allow-Origin, remove one of them: two values fail in the browser.',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function apacheExample(p: PreparedPolicy): GeneratedExample {
  const conf = `# Minimal Apache answering the captured request (Debian paths). Start it from this folder with:
#   chmod +x app.cgi && apache2 -d "$PWD" -f "$PWD/httpd.conf" -DFOREGROUND
${MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}

ServerName 127.0.0.1
Listen 127.0.0.1:${p.port}
PidFile httpd.pid
DefaultRuntimeDir .
ErrorLog error.log
LogLevel warn

${corsBlock(p)}
# The application: a CGI script answering every path.
ScriptAliasMatch "^/" "\${PWD}/app.cgi"
<Directory "\${PWD}">
    Require all granted
</Directory>
`;
  const cgi = `#!/bin/sh
# Stands in for the application: the captured path answers JSON, anything else 404.
printf 'Content-Type: application/json\\r\\n'
if [ "\${REQUEST_URI%%\\?*}" = ${shellQuote(p.path)} ]; then
  printf '\\r\\n{"ok":true}'
else
  printf 'Status: 404 Not Found\\r\\n\\r\\n{"error":"not found"}'
fi
`;
  return {
    files: [
      { path: 'httpd.conf', content: conf },
      { path: 'app.cgi', content: cgi },
    ],
    command: 'chmod +x app.cgi && apache2 -d "$PWD" -f "$PWD/httpd.conf" -DFOREGROUND',
  };
}
