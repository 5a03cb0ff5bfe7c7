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

/**
 * The stacks whose CORP snippet test/fixes/resourcePolicy.proof.test.ts runs in a real server and Chromium. (Nginx's
 * fallback `location /` for a path it cannot match exactly is not the form run there, and is not marked verified.)
 */
export const RESOURCE_POLICY_VERIFIED: ReadonlySet<ServerId> = new Set<ServerId>(['express', 'flask', 'nginx', 'php']);

const PLAIN_LOCATION = /^\/[A-Za-z0-9/._~!*'()@:+,=&-]*$/;

/** Two values make the header invalid: Chromium then ignores it, and a page under COEP require-corp refuses the resource. */
const TWO_VALUES = 'two values make the header invalid, which a page under COEP refuses';

type Generated = Omit<FixSnippet, 'server' | 'verified'> & {
  /** Set when this snippet takes a form the proof does not run, so it is not marked verified whatever the stack. */
  unproven?: true;
};

const GENERATORS: Partial<Record<ServerId, (fix: ResourcePolicyFix) => Generated>> = {
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

# Above any after_request hook (or the set-up of an extension) that sets ${CORP_HEADER}:
# Flask runs these hooks last-registered first, so this one then runs after it and has the last word.
@app.after_request
def allow_cross_origin_embedding(response):
    if request.path == ${pythonString(safeDecode(fix.path))}:
        response.headers['${CORP_HEADER}'] = '${CORP_VALUE}'
    return response
`,
    pitfalls: [
      'Registered below a hook that sets Cross-Origin-Resource-Policy (a security-headers hook, or an extension set up earlier), this one runs first and that hook overwrites it.',
      'after_request also runs for error responses, so a 404 carries the header too; that is harmless.',
    ],
  }),
  nginx: (fix) => {
    const decoded = safeDecode(fix.path);
    const exact = PLAIN_LOCATION.test(decoded);
    return {
      label: 'Nginx',
      language: 'nginx',
      snippet: `# In the server block that serves it:
${exact ? `location = ${decoded} {` : `# The path holds characters a location cannot take as written; every response of the server gets it:\nlocation / {`}
    add_header ${CORP_HEADER} ${nginxString(CORP_VALUE)} always;
    # ... and the directives that serve it (root, proxy_pass), repeated here if they sit in another location
}
`,
      pitfalls: [
        'add_header in a location replaces every add_header inherited from the server block: repeat the ones you need there.',
        `If the upstream (proxy_pass) sends its own Cross-Origin-Resource-Policy, add proxy_hide_header Cross-Origin-Resource-Policy; in this location too, or the response carries both: ${TWO_VALUES}.`,
      ],
      ...(exact ? {} : { unproven: true as const }),
    };
  },
  php: (fix) => ({
    label: 'PHP',
    language: 'php',
    snippet: `<?php
// In the script that serves the resource, before any output and after anything else that sets this header
// (the last header() call replaces the earlier ones):
header(${phpString(`${CORP_HEADER}: ${CORP_VALUE}`)});
`,
    pitfalls: [
      'header() works only before any output (a BOM or a blank line before <?php breaks it).',
      `header() does not replace a Cross-Origin-Resource-Policy set by the web server in front of PHP (Apache Header, nginx add_header): that one wins, or both are sent and ${TWO_VALUES}. Change it there instead.`,
    ],
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
  const { unproven, ...snippet } = generate(fix);
  return { server, verified: RESOURCE_POLICY_VERIFIED.has(server) && unproven !== true, ...snippet };
}

/** Every stack's Cross-Origin-Resource-Policy snippet for a report, or [] when it is not a CORP/COEP block. */
export function suggestResourcePolicySnippets(report: ExchangeReport): FixSnippet[] {
  const fix = resourcePolicyFixFor(report);
  return fix === undefined ? [] : resourcePolicyServers().map((server) => resourcePolicySnippet(server, fix));
}
