/**
 * The contract of the fix generators: the least a server must allow for one exchange to pass (a policy), and what a
 * generator gives for one server stack. Implemented in src/fixes/; used by the panel and `cors-lens fix`.
 */

/** The least a server must allow for this request to pass. Derived from an ExchangeReport by `policyFromReport`. */
export interface CorsPolicy {
  /** Exact serialized origins to allow (the request's, plus any the user adds: production + localhost). Never `*` with credentials. */
  origins: string[];
  /** True only when the request was (or must be assumed to be) sent with credentials. */
  credentials: boolean;
  /** Non-safelisted methods the preflight must allow, exact spelling (`patch` stays lower-case). */
  methods: string[];
  /** Lower-cased request header names the preflight must allow. */
  requestHeaders: string[];
  /** Response header names the page needs to read (Access-Control-Expose-Headers). */
  exposeHeaders: string[];
  /** The path the request hit, e.g. `/api/items`, used by the runnable examples. */
  path: string;
  /** Seconds for Access-Control-Max-Age. */
  maxAgeSeconds: number;
  /** Whether a preflight is part of the exchange (then OPTIONS must answer 204 before any auth). */
  preflight: boolean;
  /** The method the request used, exact spelling (added: generators list it in Allow-Methods too). */
  requestMethod?: string;
  /** Why each part of the policy is what it is, in plain words (e.g. why credentials are allowed). */
  reasons?: string[];
}

export type ServerId =
  | 'express'
  | 'express-plain'
  | 'flask'
  | 'flask-plain'
  | 'nginx'
  | 'php'
  | 'fastapi'
  | 'django'
  | 'apache'
  | 'caddy'
  | 'go'
  | 'nextjs'
  | 'spring'
  | 'aspnet';

export interface RunnableExample {
  /** Files to write, relative to the output folder. */
  files: { path: string; content: string }[];
  /** The shell command that starts it, with `{port}` already filled in. */
  command: string;
}

export interface FixSuggestion {
  server: ServerId;
  /** Tab label, e.g. "Express (cors)". */
  label: string;
  /** Language for highlighting and for the escaping rules, e.g. `javascript`, `python`, `nginx`, `php`. */
  language: string;
  /** The config lines to add. */
  snippet: string;
  example: RunnableExample;
  /** Pitfalls that apply to this stack, in plain words. */
  pitfalls: string[];
  /** True only when the test suite starts this stack's real server with this generator's output and a real browser passes. */
  verified: boolean;
  /**
   * Set when this stack cannot make the request pass as the page sends it, whatever its config (e.g. its HTTP parser
   * rejects the lower-case method `patch` with 400): the fix is then on the page. Added field.
   */
  limitation?: string;
}

/** What the panel shows for one stack: a FixSuggestion without the runnable example (src/fixes/suggest.ts). */
export type FixSnippet = Omit<FixSuggestion, 'example'>;
