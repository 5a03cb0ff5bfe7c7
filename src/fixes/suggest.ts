/**
 * What the panel needs from the fixes: which stacks there are, whether a server config can help, and each stack's
 * snippet and pitfalls (`suggestSnippets`). The runnable examples of `cors-lens fix --out` are added by index.ts, which
 * the panel does not import, so the extension does not ship them.
 */
import type { ExchangeReport } from '../explain/report.js';
import type { CorsPolicy, FixSnippet, ServerId } from './model.js';
import { lookupOwn } from '../model/lookup.js';
import { FixInputError } from './escape.js';
import { policyFromReport, type PolicyOptions } from './policy.js';
import { preparePolicy, type GeneratedSnippet, type PreparedPolicy } from './servers/common.js';
import { expressCors, expressPlain } from './servers/express.js';
import { flaskCors, flaskPlain } from './servers/flask.js';
import { nginx } from './servers/nginx.js';
import { php } from './servers/php.js';
import { fastapi } from './servers/fastapi.js';
import { django } from './servers/django.js';
import { go } from './servers/go.js';
import { caddy } from './servers/caddy.js';
import { apache } from './servers/apache.js';
import { nextjs } from './servers/nextjs.js';
import { spring } from './servers/spring.js';
import { aspnet } from './servers/aspnet.js';
import { VERIFIED_BY_SUITE } from './verified.js';

/** Port the runnable examples listen on unless told otherwise. */
export const DEFAULT_EXAMPLE_PORT = 8080;

const SNIPPETS: Partial<Record<ServerId, (p: PreparedPolicy) => GeneratedSnippet>> = {
  express: expressCors,
  'express-plain': expressPlain,
  flask: flaskCors,
  'flask-plain': flaskPlain,
  nginx,
  php,
  fastapi,
  django,
  apache,
  caddy,
  go,
  nextjs,
  spring,
  aspnet,
};

/** Stacks in the order the panel shows them. */
export const SERVER_ORDER: readonly ServerId[] = [
  'express',
  'express-plain',
  'flask',
  'flask-plain',
  'nginx',
  'php',
  'fastapi',
  'django',
  'apache',
  'caddy',
  'go',
  'nextjs',
  'spring',
  'aspnet',
];

/** Stacks that have a generator. */
export function availableServers(): ServerId[] {
  return SERVER_ORDER.filter((s) => SNIPPETS[s] !== undefined);
}

export function isServerId(value: string): value is ServerId {
  return (SERVER_ORDER as readonly string[]).includes(value);
}

/** Throws FixInputError for a stack without a generator. */
export function assertGenerator(server: ServerId): void {
  if (!SNIPPETS[server]) throw new FixInputError(`no generator for ${JSON.stringify(server)} yet`);
}

/** One stack's snippet for a prepared policy. Throws FixInputError for a value that cannot be placed safely. */
export function snippetFor(server: ServerId, prepared: PreparedPolicy): FixSnippet {
  assertGenerator(server);
  const fix = SNIPPETS[server]!(prepared);
  return {
    server,
    label: fix.label,
    language: fix.language,
    snippet: fix.snippet,
    pitfalls: fix.pitfalls,
    verified: VERIFIED_BY_SUITE[server],
    ...(fix.limitation ? { limitation: fix.limitation } : {}),
  };
}

export interface SuggestOptions extends PolicyOptions {
  port?: number;
  /** Suggest even when the request was not blocked (e.g. to tighten a risky config). */
  force?: boolean;
  /** Only these stacks (default: every stack with a generator). */
  servers?: ServerId[];
}

export type FixAvailability =
  | { ok: true; policy: CorsPolicy }
  | { ok: false; reason: string };

/** Whether a server config can fix this exchange, and the policy when it can; never throws. */
export function fixAvailability(report: ExchangeReport, options: SuggestOptions = {}): FixAvailability {
  if (!options.force && report.verdict !== 'blocked' && report.verdict !== 'unknown') {
    return { ok: false, reason: `the browser did not block this request (verdict: ${report.verdict}): nothing to fix` };
  }
  // Stopped beside the CORS checks (LNA, CORP, ORB, CSP, a dead connection...): no CORS config fixes that. A redirect
  // answering the preflight is the exception: answering OPTIONS where it is asked is the CORS config below.
  const blocker = report.blocker;
  if (!options.force && blocker !== undefined && blocker !== null && blocker.kind !== 'preflight-redirect') {
    const where = blocker.fixSide === 'server' ? 'on the server, but it is not a CORS header' : `on the ${blocker.fixSide === 'network' ? 'network (the server is not reachable)' : blocker.fixSide}`;
    return { ok: false, reason: `${blocker.headline} The fix is ${where}: ${blocker.fixHint}` };
  }
  const notServerSide: Record<string, string> = {
    DisallowedByMode: "the page's own request mode forbids cross-origin requests; change the page, not the server",
    CorsDisabledScheme: 'the URL scheme does not support CORS; no server header changes that',
    RedirectContainsCredentials: 'the redirect Location holds a user name or password; remove it from the redirect',
  };
  const code = report.failure?.chromeCorsError;
  const notServerSideReason = code ? lookupOwn(notServerSide, code) : undefined;
  if (!options.force && notServerSideReason !== undefined) return { ok: false, reason: notServerSideReason };
  try {
    return { ok: true, policy: policyFromReport(report, options) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `make` for each stack that can fix the request in `report` (all stacks with a generator unless `options.servers`
 * names some), in order. Empty when nothing on the server can fix it (see `fixAvailability` for why). A stack whose
 * escaping refuses a captured value is left out.
 */
export function forEachFixingStack<T>(
  report: ExchangeReport,
  options: SuggestOptions,
  make: (server: ServerId, policy: CorsPolicy) => T,
): T[] {
  const availability = fixAvailability(report, options);
  if (!availability.ok) return [];
  const made: T[] = [];
  for (const server of options.servers ?? availableServers()) {
    try {
      made.push(make(server, availability.policy));
    } catch (error) {
      if (!(error instanceof FixInputError)) throw error;
    }
  }
  return made;
}

/** What the panel shows: `suggestFixes` (index.ts) without the runnable examples, the same stacks in the same order. */
export function suggestSnippets(report: ExchangeReport, options: SuggestOptions = {}): FixSnippet[] {
  return forEachFixingStack(report, options, (server, policy) =>
    snippetFor(server, preparePolicy(policy, options.port ?? DEFAULT_EXAMPLE_PORT)),
  );
}
