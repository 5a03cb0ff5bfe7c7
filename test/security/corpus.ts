/**
 * The hostile-input corpus (issue 21): HAR files (and a few non-HARs) built to break a reader of captures. Every
 * captured string can be attacker-written, so the corpus puts each kind of hostile payload in each place a capture
 * holds a string: URLs, methods, header names and values, status texts, error texts, creator names, file names.
 *
 * Kinds: prototype keys (`__proto__`, `constructor`, ...), terminal escapes (ESC/CSI/OSC/C1/NUL), bidi and zero-width
 * characters, markup and Markdown, shell payloads (`$(…)`, backticks, globs), lone surrogates, 1 MB values, 100,000
 * headers, 150,000 entries, deep nesting, broken JSON, hostile file names.
 *
 * Used by test/security/hostile-cli.test.ts (`npm test`, scale `short`), scripts/fuzz.ts (`--target hostile-cli`, scale
 * `long`), bench/hostile.ts, test/security/hostile-panel.test.ts, and scripts/hostile-corpus.ts (writes it to a folder).
 */

export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__lookupSetter__',
  'toLocaleString',
] as const;

/** Sequences a terminal acts on: clear screen, set title, hyperlink, 8-bit CSI, bell, NUL, backspace, CR, DEL. */
export const TERMINAL_ESCAPES = [
  '\u001b[2J\u001b[H',
  '\u001b]0;PWNED-TITLE\u0007',
  '\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\',
  '\u009b31m',
  '\u009d0;c1-title\u009c',
  '\u0000',
  '\u0007',
  '\b\b\b',
  '\r',
  '\u007f',
  '\u001b[1A\u001b[2K',
] as const;

/** Characters that change how text reads without being seen: bidi overrides and isolates, zero-width, BOM. */
export const INVISIBLE = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u061c', '\u2060', '\ufeff', '\u00ad'] as const;

export const MARKUP = [
  "<script>window.__pwned='script'</script>",
  `"><img src=x onerror="window.__pwned='img'">`,
  "javascript:window.__pwned='js'//",
  "<svg onload=\"window.__pwned='svg'\"></svg>",
  '`code` **bold** [link](javascript:alert(1)) | cell | <b>html</b>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '${7*7}<%= 7*7 %>',
] as const;

/** Words a shell would act on if a printed command did not quote them. */
export const SHELL_PAYLOADS = [
  '$(touch PWNED-subst)',
  '`touch PWNED-backtick`',
  "'; touch PWNED-quote; '",
  '"; touch PWNED-dquote; "',
  '!!',
  '[1-100000]',
  '{a,b}',
  '*',
  '~',
  '$HOME',
  '&& touch PWNED-and',
  '| touch PWNED-pipe',
  '\\',
] as const;

/** Lone surrogates: JSON.parse accepts them escaped, strict JSON writers and UTF-8 do not. */
export const LONE_SURROGATES = ['\ud800', '\udfff', 'a\ud83db', '\udc00\ud800'] as const;

export const ORIGIN = 'https://app.example.test';
export const API = 'https://api.example.test';

export interface EntryInput {
  url?: string;
  method?: string;
  origin?: string | null;
  requestHeaders?: readonly (readonly [string, string])[];
  responseHeaders?: readonly (readonly [string, string])[];
  status?: number;
  statusText?: string;
  /** Chromium's `_error`, e.g. `net::ERR_FAILED` for a CORS failure. */
  error?: string | null;
  resourceType?: string;
  initiator?: unknown;
  extra?: Record<string, unknown>;
}

/** One HAR entry shaped like Chromium DevTools' export. */
export function harEntry(input: EntryInput = {}): Record<string, unknown> {
  const origin = input.origin === undefined ? ORIGIN : input.origin;
  const requestHeaders = [...(origin === null ? [] : [['Origin', origin] as const]), ...(input.requestHeaders ?? [])];
  return {
    _resourceType: input.resourceType ?? 'fetch',
    _initiator: input.initiator ?? { type: 'script' },
    startedDateTime: '2026-11-20T10:00:01.012Z',
    time: 1,
    request: {
      method: input.method ?? 'GET',
      url: input.url ?? `${API}/data`,
      httpVersion: 'HTTP/1.1',
      headers: requestHeaders.map(([name, value]) => ({ name, value })),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: input.status ?? 200,
      statusText: input.statusText ?? 'OK',
      httpVersion: 'HTTP/1.1',
      headers: (input.responseHeaders ?? []).map(([name, value]) => ({ name, value })),
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _error: input.error ?? null,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    ...input.extra,
  };
}

/** A blocked request as Chromium records it: status 0 and `net::ERR_FAILED`, no response headers. */
export function blockedEntry(input: EntryInput = {}): Record<string, unknown> {
  return harEntry({ status: 0, statusText: '', error: 'net::ERR_FAILED', ...input });
}

/** A captured preflight (OPTIONS, `_initiator.type` preflight) for `url`. */
export function preflightEntry(url: string, input: EntryInput = {}): Record<string, unknown> {
  return harEntry({ url, method: 'OPTIONS', resourceType: 'preflight', initiator: { type: 'preflight', url }, status: 204, statusText: 'No Content', ...input });
}

export function harLog(entries: readonly unknown[], creator: { name: string; version: string } = { name: 'WebInspector', version: '537.36' }): { log: Record<string, unknown> } {
  return { log: { version: '1.2', creator, pages: [], entries } };
}

/** What the CLI must do with a case. */
export interface CorpusCase {
  name: string;
  /** The file's base name (itself part of the attack for the `file name` cases). */
  fileName: string;
  /** The file's bytes. A function so long-scale cases are built only when run. */
  content: () => string | Buffer;
  /** Exit codes `cors-lens explain` may end with: 0/1 for a HAR it can read, 2 for one it must refuse. */
  exits: readonly number[];
  /** Which runs hold the case: `short` ones run in `npm test`, `long` ones only in `npm run fuzz`. */
  scale: 'short' | 'long';
  /** The longest the CLI may take on it, in milliseconds, on a loaded two-core machine (a hang is anything longer). */
  boundMs: number;
}

const enc = (value: unknown) => JSON.stringify(value);
const every = <T,>(values: readonly T[], make: (value: T, i: number) => Record<string, unknown>) => values.map(make);

function prototypeKeyHar(): string {
  const entries = [
    // Each key as a request header name on a blocked request with a preflight that does not allow it.
    ...PROTOTYPE_KEYS.flatMap((key, i) => {
      const url = `${API}/proto/${i}`;
      return [
        preflightEntry(url, { requestHeaders: [['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', key.toLowerCase()]], responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]] }),
        blockedEntry({ url, requestHeaders: [[key, 'x']] }),
      ];
    }),
    // Each key as a response header name, a resource type, a method.
    ...every(PROTOTYPE_KEYS, (key, i) =>
      harEntry({ url: `${API}/proto-res/${i}`, method: key, resourceType: key, responseHeaders: [[key, key], ['Access-Control-Allow-Origin', ORIGIN]] }),
    ),
  ];
  // `__proto__` as a JSON key: JSON.parse makes it an own property, a reader that copies objects must not follow it.
  const text = enc(harLog(entries));
  return text.replace('"_initiator":{"type":"script"}', '"_initiator":{"type":"script","__proto__":{"type":"polluted","url":"https://evil.example/"}},"__proto__":{"request":{"method":"DELETE"}}');
}

function terminalEscapeHar(): string {
  const entries = TERMINAL_ESCAPES.flatMap((esc, i) => [
    blockedEntry({ url: `${API}/esc/${i}?q=${esc}`, requestHeaders: [[`X-Esc${esc}`, `v${esc}`]] }),
    harEntry({ url: `${API}/esc-ok/${i}`, statusText: `OK${esc}`, responseHeaders: [['Access-Control-Allow-Origin', `${ORIGIN}${esc}`], [`X-Custom${i}`, esc]] }),
    harEntry({ url: `${API}/esc-origin/${i}`, origin: `https://evil${esc}.example`, responseHeaders: [['Access-Control-Allow-Origin', '*']] }),
  ]);
  // Malformed entries, so the skipped-entry lines on stderr carry the escapes too.
  const malformed = TERMINAL_ESCAPES.map((esc) => ({ request: { method: esc, url: 42 }, response: esc }));
  return enc({ log: { version: '1.2', creator: { name: `Evil${TERMINAL_ESCAPES[1]}`, version: TERMINAL_ESCAPES[0] }, pages: [], entries: [...entries, ...malformed] } });
}

function invisibleHar(): string {
  const entries = [
    // An origin that renders as https://bank.example: RLO + reversed text.
    blockedEntry({ url: `${API}/bidi-origin`, origin: `https://\u202eelpmaxe.knab`, requestHeaders: [['X-Token', '1']] }),
    // Allow-Origin that looks equal to the origin but holds a zero-width space.
    harEntry({ url: `${API}/zwsp-acao`, status: 200, error: 'net::ERR_FAILED', responseHeaders: [['Access-Control-Allow-Origin', `https://app\u200b.example.test`]] }),
    // A URL that shows "…exe.pdf".
    blockedEntry({ url: `${API}/download/\u202efdp.exe`, requestHeaders: [['X-Token', '1']] }),
    ...every(INVISIBLE, (ch, i) =>
      harEntry({ url: `${API}/inv/${i}${ch}`, responseHeaders: [['Access-Control-Allow-Origin', `${ORIGIN}${ch}`], [`X-Inv${ch}`, `a${ch}b`]] }),
    ),
  ];
  return enc(harLog(entries));
}

function markupHar(): string {
  const entries = MARKUP.flatMap((m, i) => [
    blockedEntry({ url: `${API}/markup/${i}?q=${encodeURIComponent(m)}#${m}`, method: 'PUT', origin: `https://x.example/${m}`, requestHeaders: [[`X-M${i}`, m]] }),
    harEntry({ url: `${API}/markup-ok/${i}`, statusText: m, responseHeaders: [['Access-Control-Allow-Origin', m], ['Access-Control-Allow-Headers', m], ['Access-Control-Expose-Headers', m], ['Link', `<${m}>; rel="next"`]] }),
  ]);
  return enc(harLog(entries, { name: MARKUP[0], version: MARKUP[1] }));
}

function shellHar(): string {
  const entries = SHELL_PAYLOADS.map((p, i) =>
    blockedEntry({ url: `${API}/shell/${i}?filter[status]=open&q=${p}`, method: 'PUT', requestHeaders: [['X-Shell', p], ['Content-Type', p]] }),
  );
  return enc(harLog(entries));
}

function loneSurrogateHar(): string {
  const entries = LONE_SURROGATES.map((s, i) =>
    harEntry({ url: `${API}/sur/${i}?q=${s}`, statusText: s, requestHeaders: [[`X-S${i}`, s]], responseHeaders: [['Access-Control-Allow-Origin', `${ORIGIN}${s}`], [`X-${s}`, s]] }),
  );
  // JSON.stringify writes lone surrogates as \uD800 escapes: the file is valid UTF-8, the strings are not.
  return enc(harLog(entries));
}

function hugeValueHar(): string {
  const mb = 1024 * 1024;
  const big = (unit: string) => unit.repeat(Math.ceil(mb / unit.length)).slice(0, mb);
  return enc(
    harLog([
      blockedEntry({ url: `${API}/huge?q=${big('B')}`, requestHeaders: [['X-Huge', big('`a')]] }),
      harEntry({ url: `${API}/huge-acao`, responseHeaders: [['Access-Control-Allow-Origin', big('\u202e<b>')], ['X-Huge', big('\u001b[2J')]] }),
      blockedEntry({ url: `${API}/huge-name`, requestHeaders: [[big('x'), 'v']] }),
    ]),
  );
}

/** One blocked request with `count` request headers (its preflight lists them all but the last) and as many response headers. */
export function manyHeadersEntries(count: number): Record<string, unknown>[] {
  const names = Array.from({ length: count }, (_, i) => `x-h${i}`);
  const url = `${API}/many-headers`;
  return [
    preflightEntry(url, {
      requestHeaders: [['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', names.join(',')]],
      responseHeaders: [['Access-Control-Allow-Origin', ORIGIN], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', names.slice(0, -1).join(', ')], ...names.map((n) => [n, 'v'] as const)],
    }),
    blockedEntry({ url, method: 'PUT', requestHeaders: names.map((n) => [n, 'v'] as const) }),
  ];
}

function manyHeadersHar(count: number): string {
  return enc(harLog(manyHeadersEntries(count)));
}

/** `count` small entries: allowed, blocked and preflighted in turn, on distinct URLs. */
export function manyEntries(count: number): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const url = `${API}/e/${i}`;
    entries[i] = i % 3 === 0 ? blockedEntry({ url }) : harEntry({ url, responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]] });
  }
  return entries;
}

function deepNesting(depth: number): string {
  // Built as text: a nested object this deep cannot be made by JSON.stringify (it would overflow the stack).
  const entry = enc(harEntry({ url: `${API}/deep`, responseHeaders: [['Access-Control-Allow-Origin', ORIGIN]] }));
  const deep = `${'{"parent":'.repeat(depth)}null${'}'.repeat(depth)}`;
  const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const withStack = entry.replace('"_initiator":{"type":"script"}', `"_initiator":{"type":"script","stack":${deep}},"_deep":${arrays}`);
  return `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[${withStack}]}}`;
}

function duplicateKeys(): string {
  const one = enc(harLog([harEntry({ url: `${API}/dup-1` })]).log.entries);
  const two = enc(harLog([harEntry({ url: `${API}/dup-2` })]).log.entries);
  return `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":${one}},"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":${two}}}`;
}

/** The corpus. `scale` picks the sizes: `short` for `npm test`, `long` adds the largest inputs. */
export function hostileCorpus(): CorpusCase[] {
  const readable = [0, 1] as const;
  const refused = [2] as const;
  return [
    { name: 'prototype keys in header names, methods, resource types and JSON keys', fileName: 'prototype-keys.har', content: prototypeKeyHar, exits: [1], scale: 'short', boundMs: 30_000 },
    { name: 'terminal escapes in URLs, header names and values, status texts, creator, malformed entries', fileName: 'terminal-escapes.har', content: terminalEscapeHar, exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'bidi and zero-width characters in origins, Allow-Origin and URLs', fileName: 'invisible.har', content: invisibleHar, exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'markup and Markdown in every field', fileName: 'markup.har', content: markupHar, exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'shell payloads and curl globs in URLs and headers', fileName: 'shell.har', content: shellHar, exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'lone surrogates in every string', fileName: 'lone-surrogates.har', content: loneSurrogateHar, exits: readable, scale: 'short', boundMs: 30_000 },
    { name: '1 MB values (URL, header value, header name, Allow-Origin)', fileName: 'huge-values.har', content: hugeValueHar, exits: readable, scale: 'short', boundMs: 60_000 },
    { name: '20,000 request and response headers', fileName: 'headers-20k.har', content: () => manyHeadersHar(20_000), exits: [1], scale: 'short', boundMs: 60_000 },
    { name: '100,000 request and response headers', fileName: 'headers-100k.har', content: () => manyHeadersHar(100_000), exits: [1], scale: 'long', boundMs: 120_000 },
    { name: '150,000 entries', fileName: 'entries-150k.har', content: () => enc(harLog(manyEntries(150_000))), exits: [1], scale: 'long', boundMs: 600_000 },
    { name: 'nesting 10,000 deep in an entry', fileName: 'deep-10k.har', content: () => deepNesting(10_000), exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'nesting 1,000,000 deep in an entry', fileName: 'deep-1m.har', content: () => deepNesting(1_000_000), exits: [0, 1, 2], scale: 'long', boundMs: 120_000 },
    { name: 'two `log` keys', fileName: 'duplicate-log.har', content: duplicateKeys, exits: [0, 1, 2], scale: 'short', boundMs: 30_000 },
    { name: 'not JSON, starting with a terminal escape', fileName: 'escape-first.har', content: () => `\u001b]0;PWNED\u0007\u001b[2J{"log":`, exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'not JSON: C1 and bidi bytes in the middle', fileName: 'c1-middle.har', content: () => `{"log": \u009b2J \u202e}`, exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'invalid UTF-8 bytes', fileName: 'bad-utf8.har', content: () => Buffer.from([0x7b, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x7d]), exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'truncated HAR', fileName: 'truncated.har', content: () => enc(harLog([harEntry()])).slice(0, 120), exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'JSON that is not a HAR (prototype key at the top)', fileName: 'not-har.har', content: () => '{"__proto__":{"log":{"entries":[]}},"constructor":1}', exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'entries that are all malformed', fileName: 'all-malformed.har', content: () => enc({ log: { entries: [1, 'x', null, [], { request: '\u001b[2J' }] } }), exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'empty file', fileName: 'empty.har', content: () => '', exits: refused, scale: 'short', boundMs: 30_000 },
    { name: 'a file name with a terminal escape, a command substitution and a newline', fileName: `$(touch PWNED-name)\`id\`\u001b]0;t\u0007\n\u202eraw.har`, content: () => enc(harLog([blockedEntry()])), exits: readable, scale: 'short', boundMs: 30_000 },
    { name: 'a file name that is not valid JSON either', fileName: `\u001b[2J\u009b1m.har`, content: () => 'nope', exits: refused, scale: 'short', boundMs: 30_000 },
  ];
}

/** Characters that must never reach a terminal from the CLI when colour is off (NO_COLOR, or not a terminal). */
// eslint-disable-next-line no-control-regex
export const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
