/**
 * What every generator starts from: the policy validated again (a policy may be built by hand, not only by
 * policyFromReport) and the lists each header needs.
 */
import type { CorsPolicy } from '../model.js';
import { FixInputError, assertHeaderName, assertMethod, assertPath, assertSerializedOrigin } from '../escape.js';

export interface PreparedPolicy {
  origins: string[];
  credentials: boolean;
  /** What Access-Control-Allow-Methods lists: the non-safelisted methods plus the request's own, exact spelling. */
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  path: string;
  /** `path` percent-decoded (what most routers compare), or undefined when it does not decode as UTF-8. */
  decodedPath: string | undefined;
  maxAgeSeconds: number;
  preflight: boolean;
  /** Methods whose spelling is not all upper-case (`patch`): several stacks cannot answer them. */
  nonUpperMethods: string[];
  port: number;
}

export function preparePolicy(policy: CorsPolicy, port: number): PreparedPolicy {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new FixInputError(`not a TCP port: ${String(port)}`);
  const origins = [...new Set(policy.origins.map((o) => assertSerializedOrigin(o)))];
  if (origins.length === 0) throw new FixInputError('the policy names no origin to allow');
  const allowMethods = [...new Set([...policy.methods, ...(policy.requestMethod ? [policy.requestMethod] : [])])].map((m) =>
    assertMethod(m),
  );
  if (allowMethods.length === 0) allowMethods.push('GET');
  const maxAgeSeconds = policy.maxAgeSeconds;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0 || maxAgeSeconds > 86400) {
    throw new FixInputError(`not a Max-Age in seconds: ${String(maxAgeSeconds)}`);
  }
  const path = assertPath(policy.path);
  let decodedPath: string | undefined;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    decodedPath = undefined;
  }
  return {
    origins,
    credentials: policy.credentials,
    allowMethods,
    allowHeaders: [...new Set(policy.requestHeaders.map((h) => assertHeaderName(h).toLowerCase()))],
    exposeHeaders: [...new Set(policy.exposeHeaders.map((h) => assertHeaderName(h)))],
    path,
    decodedPath,
    maxAgeSeconds,
    preflight: policy.preflight,
    nonUpperMethods: allowMethods.filter((m) => m !== m.toUpperCase()),
    port,
  };
}

/** What a generator gives the panel; suggest.ts adds the server id and the verified mark. */
export interface GeneratedSnippet {
  label: string;
  language: string;
  snippet: string;
  pitfalls: string[];
  limitation?: string;
}

/**
 * The runnable example `cors-lens fix --out` writes. Each stack's example is its own function, imported by index.ts
 * only, so the panel (which shows the snippet, never the example) does not ship it.
 */
export interface GeneratedExample {
  files: { path: string; content: string }[];
  command: string;
}

export const COMMON_PITFALLS = {
  exactOrigin:
    'Only the listed origins are allowed, each compared exactly (scheme, host and port). Never reflect whatever Origin arrives: with credentials that lets any site read the responses.',
  credentialsNoWildcard:
    'With credentials, Access-Control-Allow-Origin must be the exact origin, never *, and Access-Control-Allow-Credentials must be exactly true.',
  methodSpelling:
    'Browsers compare methods case-sensitively and send non-standard ones as written: fetch(url, { method: "patch" }) needs "patch" in Allow-Methods, "PATCH" does not match.',
};

export function methodSpellingPitfalls(p: PreparedPolicy): string[] {
  return p.nonUpperMethods.length > 0 ? [COMMON_PITFALLS.methodSpelling] : [];
}

/**
 * For stacks whose HTTP parser accepts only upper-case methods (Node's http, nginx, PHP's built-in server): a request
 * whose method is `patch` is answered 400 before any config runs, so no CORS header can help.
 */
export function upperCaseOnlyLimitation(p: PreparedPolicy, parser: string): string | undefined {
  if (p.nonUpperMethods.length === 0) return undefined;
  const methods = p.nonUpperMethods.join(', ');
  return `${parser} rejects the method ${methods} (not upper-case) with 400 Bad Request before any code or config runs, so no CORS header can make this request pass: have the page send ${p.nonUpperMethods.map((m) => m.toUpperCase()).join(', ')} instead (fetch keeps non-standard method names as written). The config below is still what the upper-case request needs.`;
}
