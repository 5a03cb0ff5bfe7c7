/**
 * The server fix for Cross-Origin-Resource-Policy and COEP blocks (not CORS): the resource's server opts in to being
 * loaded by other origins with `Cross-Origin-Resource-Policy: cross-origin`. One snippet per stack; the captured path is
 * escaped for each language like the CORS generators do (escape.ts).
 */
import type { ExchangeReport } from '../explain/report.js';
import type { FixSnippet, ServerId } from './model.js';
import { FixInputError, assertPath, jsString, nginxString, phpString, pythonString } from './escape.js';

export const CORP_HEADER = 'Cross-Origin-Resource-Policy';
export const CORP_VALUE = 'cross-origin';

/** What the resource's server must send for a CORP or COEP block, read from the report; undefined for anything else. */
export interface ResourcePolicyFix {
  /** The path that was refused (e.g. `/img/logo.png`). */
  path: string;
  /** Why, in one line. */
  reason: string;
}

export function resourcePolicyFixFor(report: ExchangeReport): ResourcePolicyFix | undefined {
  const blocker = report.blocker;
  if (blocker === undefined || blocker === null || (blocker.family !== 'corp' && blocker.family !== 'coep') || blocker.fixSide !== 'server') return undefined;
  if (blocker.kind === 'frame-needs-coep' || blocker.kind === 'coop-sandboxed-frame') return undefined;
  let path: string;
  try {
    path = assertPath(new URL(blocker.values.url ?? report.finalUrl).pathname);
  } catch (error) {
    if (error instanceof FixInputError || error instanceof TypeError) return undefined;
    throw error;
  }
  return { path, reason: `${blocker.headline} ${blocker.fixHint}` };
}

/** The stacks whose CORP snippet test/fixes/resourcePolicy.proof.test.ts runs in a real server and Chromium. */
export const RESOURCE_POLICY_VERIFIED: ReadonlySet<ServerId> = new Set<ServerId>(['express']);

const PLAIN_LOCATION = /^\/[A-Za-z0-9/._~!*'()@:+,=&-]*$/;

const GENERATORS: Partial<Record<ServerId, (fix: ResourcePolicyFix) => Omit<FixSnippet, 'server' | 'verified'>>> = {
  express: (fix) => ({
    label: 'Express',
    language: 'javascript',
    snippet: `// Before the route or express.static that serves it:
app.use(${jsString(fix.path)}, (req, res, next) => {
  res.setHeader('${CORP_HEADER}', '${CORP_VALUE}');
  next();
});
`,
    pitfalls: [
      'Register it after any middleware that sets Cross-Origin-Resource-Policy itself (helmet sends same-origin by default) and before express.static, which answers first and never reaches a later middleware.',
    ],
  }),
  flask: (fix) => ({
    label: 'Flask',
    language: 'python',
    snippet: `from flask import request

@app.after_request
def allow_cross_origin_embedding(response):
    if request.path == ${pythonString(safeDecode(fix.path))}:
        response.headers['${CORP_HEADER}'] = '${CORP_VALUE}'
    return response
`,
    pitfalls: ['after_request also runs for error responses, so a 404 carries the header too; that is harmless.'],
  }),
  nginx: (fix) => {
    const decoded = safeDecode(fix.path);
    const exact = PLAIN_LOCATION.test(decoded);
    return {
      label: 'Nginx',
      language: 'nginx',
      snippet: `${exact ? `location = ${decoded} {` : `# The path holds characters a location cannot take as written; every response of the server gets it:\nlocation / {`}
    add_header ${CORP_HEADER} ${nginxString(CORP_VALUE)} always;
    # ... the directives that serve it (root, proxy_pass) stay as they are
}
`,
      pitfalls: ['add_header in a location replaces every add_header inherited from the server block: repeat the ones you need there.'],
    };
  },
  php: (fix) => ({
    label: 'PHP',
    language: 'php',
    snippet: `<?php
// In the script that serves the resource, before any output:
header(${phpString(`${CORP_HEADER}: ${CORP_VALUE}`)});
`,
    pitfalls: ['header() works only before any output (a BOM or a blank line before <?php breaks it).'],
  }),
};

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The stacks that have a Cross-Origin-Resource-Policy snippet. */
export function resourcePolicyServers(): ServerId[] {
  return Object.keys(GENERATORS) as ServerId[];
}

/** One stack's Cross-Origin-Resource-Policy snippet. Throws FixInputError for a stack without one. */
export function resourcePolicySnippet(server: ServerId, fix: ResourcePolicyFix): FixSnippet {
  const generate = GENERATORS[server];
  if (generate === undefined) {
    throw new FixInputError(`no Cross-Origin-Resource-Policy snippet for ${JSON.stringify(server)} yet; one of: ${resourcePolicyServers().join(', ')}`);
  }
  return { server, verified: RESOURCE_POLICY_VERIFIED.has(server), ...generate(fix) };
}

/** Every stack's Cross-Origin-Resource-Policy snippet for a report, or [] when it is not a CORP/COEP block. */
export function suggestResourcePolicySnippets(report: ExchangeReport): FixSnippet[] {
  const fix = resourcePolicyFixFor(report);
  return fix === undefined ? [] : resourcePolicyServers().map((server) => resourcePolicySnippet(server, fix));
}
