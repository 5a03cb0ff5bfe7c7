/**
 * Fix suggestions: from one exchange's report to server configs that make its request pass, one per stack, each with
 * a runnable example. `suggestFixes` and `generateFix` are for the CLI and tests; the panel uses `suggestSnippets`
 * (suggest.ts), the same without the examples.
 */
import type { ExchangeReport } from '../explain/report.js';
import type { CorsPolicy, FixSuggestion, ServerId } from './model.js';
import { FixInputError } from './escape.js';
import { preparePolicy, type GeneratedExample, type PreparedPolicy } from './servers/common.js';
import { expressCorsExample, expressPlainExample } from './servers/express.js';
import { flaskCorsExample, flaskPlainExample } from './servers/flask.js';
import { nginxExample } from './servers/nginx.js';
import { phpExample } from './servers/php.js';
import { fastapiExample } from './servers/fastapi.js';
import { djangoExample } from './servers/django.js';
import { goExample } from './servers/go.js';
import { caddyExample } from './servers/caddy.js';
import { apacheExample } from './servers/apache.js';
import { nextjsExample } from './servers/nextjs.js';
import { springExample } from './servers/spring.js';
import { aspnetExample } from './servers/aspnet.js';
import { DEFAULT_EXAMPLE_PORT, assertGenerator, forEachFixingStack, snippetFor, type SuggestOptions } from './suggest.js';

export { FixInputError, assertSerializedOrigin } from './escape.js';
export { detectServerStack, detectExchangeServerStack, type ServerStackHint } from './detectServerStack.js';
export { policyFromReport, corsUnsafeHeaderNames, type PolicyOptions } from './policy.js';
export { VERIFIED_BY_SUITE } from './verified.js';
export {
  DEFAULT_EXAMPLE_PORT,
  SERVER_ORDER,
  availableServers,
  fixAvailability,
  isServerId,
  suggestSnippets,
  type FixAvailability,
  type SuggestOptions,
} from './suggest.js';
export type { CorsPolicy, FixSnippet, FixSuggestion, ServerId, RunnableExample } from './model.js';
export {
  CORP_HEADER,
  CORP_VALUE,
  RESOURCE_POLICY_VERIFIED,
  resourcePolicyFixFor,
  resourcePolicyServers,
  resourcePolicySnippet,
  suggestResourcePolicySnippets,
  type ResourcePolicyFix,
} from './resourcePolicy.js';

const EXAMPLES: Partial<Record<ServerId, (p: PreparedPolicy) => GeneratedExample>> = {
  express: expressCorsExample,
  'express-plain': expressPlainExample,
  flask: flaskCorsExample,
  'flask-plain': flaskPlainExample,
  nginx: nginxExample,
  php: phpExample,
  fastapi: fastapiExample,
  django: djangoExample,
  apache: apacheExample,
  caddy: caddyExample,
  go: goExample,
  nextjs: nextjsExample,
  spring: springExample,
  aspnet: aspnetExample,
};

/** One stack's fix for `policy`. Throws FixInputError for a value that cannot be placed safely, or an unknown stack. */
export function generateFix(server: ServerId, policy: CorsPolicy, options: { port?: number } = {}): FixSuggestion {
  assertGenerator(server);
  const example = EXAMPLES[server];
  if (!example) throw new FixInputError(`no runnable example for ${JSON.stringify(server)} yet`);
  const prepared = preparePolicy(policy, options.port ?? DEFAULT_EXAMPLE_PORT);
  const { label, language, snippet, pitfalls, verified, limitation } = snippetFor(server, prepared);
  const { files, command } = example(prepared);
  return {
    server,
    label,
    language,
    snippet,
    example: { files, command },
    pitfalls,
    verified,
    ...(limitation ? { limitation } : {}),
  };
}

/**
 * Server configs that make the request in `report` pass, one per stack, most asked first. Empty when nothing on the
 * server can fix it (see `fixAvailability` for why). A stack whose escaping refuses a captured value is left out.
 */
export function suggestFixes(report: ExchangeReport, options: SuggestOptions = {}): FixSuggestion[] {
  return forEachFixingStack(report, options, (server, policy) =>
    generateFix(server, policy, options.port !== undefined ? { port: options.port } : {}),
  );
}
