/**
 * Hand-made ExchangeReports for the panel's component tests, and a store that holds them. The "entries" fed through a
 * source here are reports themselves: the fake store files them by id, so each test controls exactly what the engine
 * would have said, and the panel is tested for rendering it, not for deriving it.
 */
import type { CheckResult, CorsFailure } from '../../src/model/exchange.js';
import type { BlockerReport, ExchangeReport } from '../../src/explain/report.js';
import { checkTextFor, fillTemplate } from '../../src/explain/checkTexts.js';
import type { ExchangeStore, ExchangeStoreOptions, StoreChange } from '../../src/store/storeTypes.js';
import type { FixSuggestion } from '../../src/fixes/model.js';

const PAGE = 'http://127.0.0.1:8001';
const API = 'http://127.0.0.1:8002';

function base(id: string, overrides: Partial<ExchangeReport>): ExchangeReport {
  return {
    id,
    url: `${API}/${id}`,
    finalUrl: `${API}/${id}`,
    method: 'GET',
    kind: 'fetch',
    initiatorOrigin: PAGE,
    targetOrigin: API,
    status: 200,
    requestHeaders: [
      ['Host', '127.0.0.1:8002'],
      ['Origin', PAGE],
      ['Accept', '*/*'],
    ],
    requestHeadersProvisional: false,
    responseHeaders: [['content-type', 'application/json']],
    verdict: 'allowed',
    summary: 'Allowed: the server allowed this origin.',
    preflight: null,
    preflightRequired: false,
    redirects: [],
    checks: [],
    failure: null,
    alternatives: [],
    assumptions: [],
    missing: [],
    notReallyCors: null,
    warnings: [],
    rules: 'chromium',
    ...overrides,
  };
}

const check = (
  id: CheckResult['id'],
  phase: CheckResult['phase'],
  status: CheckResult['status'],
  extra: Partial<CheckResult> = {},
): CheckResult => ({ id, phase, hop: 0, status, ...extra });

export function missingAllowOrigin(id = 'no-acao'): ExchangeReport {
  const failure: CorsFailure = {
    checkId: 'allowOriginPresent',
    phase: 'response',
    hop: 0,
    chromeCorsError: 'MissingAllowOriginHeader',
    failedParameter: '',
    consoleMessage: `Access to fetch at '${API}/${id}' from origin '${PAGE}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    firefoxReason: {
      id: 'CORSMissingAllowOrigin',
      messageKey: 'CORSMissingAllowOrigin2',
      text: 'CORS header ‘Access-Control-Allow-Origin’ missing',
      consoleMessage: 'Cross-Origin Request Blocked: …',
    },
    headline: 'The response has no Access-Control-Allow-Origin header',
    explanation: 'The server answered, but did not say that this origin may read the answer.',
    fixHint: `Send Access-Control-Allow-Origin: ${PAGE} on this response.`,
  };
  return base(id, {
    verdict: 'blocked',
    summary: failure.headline,
    failure,
    checks: [
      check('corsApplies', 'request', 'pass'),
      check('preflightRequired', 'request', 'pass', { note: 'no preflight needed' }),
      check('responseReceived', 'response', 'pass'),
      check('allowOriginPresent', 'response', 'fail', { subject: 'Access-Control-Allow-Origin', expected: PAGE, actual: null }),
      check('allowOriginMatches', 'response', 'not-reached', { subject: 'Access-Control-Allow-Origin' }),
    ],
  });
}

export function headerNotAllowedByPreflight(id = 'x-token'): ExchangeReport {
  const failure: CorsFailure = {
    checkId: 'preflightAllowsHeaders',
    phase: 'preflight',
    hop: 0,
    chromeCorsError: 'HeaderDisallowedByPreflightResponse',
    failedParameter: 'x-token',
    consoleMessage: `Access to fetch at '${API}/${id}' from origin '${PAGE}' has been blocked by CORS policy: Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.`,
    headline: 'The preflight answer does not allow the x-token header',
    explanation: 'The page sends x-token; the server’s Access-Control-Allow-Headers lists only content-type.',
    fixHint: 'Add x-token to Access-Control-Allow-Headers on the OPTIONS answer.',
  };
  return base(id, {
    method: 'POST',
    status: 0,
    requestHeaders: [
      ['Content-Type', 'application/json'],
      ['X-Token', 'abc'],
    ],
    requestHeadersProvisional: true,
    responseHeaders: [],
    verdict: 'blocked',
    summary: failure.headline,
    failure,
    preflightRequired: true,
    preflight: {
      url: `${API}/${id}`,
      method: 'OPTIONS',
      status: 204,
      requestMethod: 'POST',
      requestHeaders: ['content-type', 'x-token'],
      allowOrigin: PAGE,
      allowMethods: 'GET, POST',
      allowHeaders: 'content-type',
      allowCredentials: null,
      maxAge: null,
    },
    checks: [
      check('preflightRequired', 'request', 'pass'),
      check('preflightReceived', 'preflight', 'pass'),
      check('allowOriginMatches', 'preflight', 'pass', { subject: 'Access-Control-Allow-Origin', expected: PAGE, actual: PAGE }),
      check('preflightAllowsMethod', 'preflight', 'pass', { subject: 'Access-Control-Allow-Methods', expected: 'POST', actual: 'GET, POST' }),
      check('preflightAllowsHeaders', 'preflight', 'fail', { subject: 'Access-Control-Allow-Headers', expected: 'x-token', actual: 'content-type' }),
      check('responseReceived', 'response', 'not-reached'),
    ],
  });
}

export function allowedWithWarning(id = 'warn'): ExchangeReport {
  return base(id, {
    responseHeaders: [
      ['access-control-allow-origin', PAGE],
      ['access-control-allow-credentials', 'true'],
    ],
    warnings: [
      {
        id: 'reflectedOrigin',
        severity: 'high',
        headline: 'The server reflects any Origin with credentials',
        explanation: 'Any site can read this response with the user’s cookies.',
        fixHint: 'Allow a fixed list of origins.',
      },
    ],
  });
}

export function allowed(id = 'ok'): ExchangeReport {
  return base(id, { responseHeaders: [['access-control-allow-origin', '*']] });
}

export function notCors(id = 'same'): ExchangeReport {
  return base(id, {
    url: `${PAGE}/${id}`,
    finalUrl: `${PAGE}/${id}`,
    targetOrigin: PAGE,
    verdict: 'not-cors',
    summary: 'Same-origin request: CORS does not apply.',
  });
}

export function cannotTell(id = 'unknown'): ExchangeReport {
  return base(id, {
    verdict: 'unknown',
    status: -1,
    summary: 'Blocked by CORS; this capture does not record the response, so the cause cannot be told.',
    missing: ['the response headers'],
  });
}

export function preflightCached(id = 'cached'): ExchangeReport {
  return base(id, {
    method: 'PUT',
    preflightRequired: true,
    preflightCache: { likelyCached: true, maxAgeSeconds: 600, message: 'Probably answered from the preflight cache.' },
  });
}

/** A report whose every captured value is hostile. */
export function hostile(id = 'hostile'): ExchangeReport {
  const evil = '<img src=x onerror="globalThis.__pwned=1">';
  const bidi = 'admin\u202Etxt.exe\u2066';
  const big = 'A'.repeat(1024 * 1024);
  const report = missingAllowOrigin(id);
  return {
    ...report,
    url: `javascript:globalThis.__pwned=2//${evil}`,
    finalUrl: `javascript:globalThis.__pwned=2//${evil}`,
    initiatorOrigin: `http://${evil}`,
    requestHeaders: [
      ['X-Evil', evil],
      ['X-Bidi', bidi],
      ['X-Big', big],
      ['X-Quote', `'; rm -rf ~; echo '`],
    ],
    responseHeaders: [['access-control-allow-origin', evil]],
    failure: { ...report.failure!, headline: evil, consoleMessage: `blocked ${evil} ${bidi}`, explanation: big },
    checks: [check('allowOriginMatches', 'response', 'fail', { subject: 'Access-Control-Allow-Origin', expected: bidi, actual: evil })],
  };
}

/** A store that files reports fed as entries; the contract's behaviour (ids, updates, cap) without the engine. */
export function createFakeStore(options: ExchangeStoreOptions = {}): ExchangeStore & { options: ExchangeStoreOptions } {
  const byId = new Map<string, ExchangeReport>();
  const raw = new Map<string, unknown>();
  let cap = options.maxExchanges ?? 10_000;
  let droppedCount = 0;
  function dropOverCap(change: StoreChange): void {
    while (byId.size > cap) {
      const oldest = byId.keys().next().value!;
      byId.delete(oldest);
      raw.delete(oldest);
      change.dropped.push(oldest);
      droppedCount += 1;
    }
  }
  return {
    options,
    get maxExchanges() {
      return cap;
    },
    setMaxExchanges(next) {
      cap = next;
      const change: StoreChange = { added: [], updated: [], dropped: [], rejected: [] };
      dropOverCap(change);
      return change;
    },
    addEntries(entries) {
      const change: StoreChange = { added: [], updated: [], dropped: [], rejected: [] };
      entries.forEach((entry, index) => {
        const report = entry as ExchangeReport;
        if (typeof report !== 'object' || report === null || typeof report.id !== 'string') {
          change.rejected.push({ index, reason: 'not a report' });
          return;
        }
        (byId.has(report.id) ? change.updated : change.added).push(report.id);
        byId.set(report.id, report);
        raw.set(report.id, entry);
      });
      dropOverCap(change);
      return change;
    },
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
    get size() {
      return byId.size;
    },
    get droppedCount() {
      return droppedCount;
    },
    clear() {
      byId.clear();
      raw.clear();
      droppedCount = 0;
    },
    entries: () => [...raw.values()],
  };
}

export function fakeFixes(report: ExchangeReport): FixSuggestion[] {
  const mk = (server: FixSuggestion['server'], label: string, language: string, snippet: string, verified: boolean): FixSuggestion => ({
    server,
    label,
    language,
    snippet,
    example: { files: [], command: '' },
    pitfalls: [],
    verified,
  });
  if (report.verdict !== 'blocked') return [];
  return [
    mk('php', 'PHP', 'php', `header('Access-Control-Allow-Origin: ${report.initiatorOrigin}');`, false),
    mk('nginx', 'Nginx', 'nginx', `add_header Access-Control-Allow-Origin "${report.initiatorOrigin}" always;`, true),
    mk('express', 'Express (cors)', 'javascript', `app.use(cors({ origin: '${report.initiatorOrigin}' }));`, true),
    mk('flask', 'Flask', 'python', `CORS(app, origins=['${report.initiatorOrigin}'])`, true),
  ];
}

/**
 * A request whose captured values look like something else: an Origin with a right-to-left override that renders as
 * `https://bank.example`, an Allow-Origin with a zero-width space, a URL with U+202E, and backticks in the captured
 * Allow-Origin that would end a code span. Its sentences are filled from the real templates, as the engine does.
 */
export function spoofing(id = 'spoof'): ExchangeReport {
  const origin = 'https://\u202Eelpmaxe.knab';
  const acao = 'https://bank.example\u200B` is fine. Ignore CORS and `';
  const text = checkTextFor('allowOriginMatches', 'response');
  const values = { origin, acao, url: `${API}/${id}` };
  const report = missingAllowOrigin(id);
  return {
    ...report,
    url: `${API}/${id}/invoice\u202Efdp.exe`,
    finalUrl: `${API}/${id}/invoice\u202Efdp.exe`,
    initiatorOrigin: origin,
    requestHeaders: [['Origin', origin]],
    responseHeaders: [['access-control-allow-origin', acao]],
    failure: {
      ...report.failure!,
      checkId: 'allowOriginMatches',
      chromeCorsError: 'AllowOriginMismatch',
      headline: fillTemplate(text.headline, values),
      explanation: fillTemplate(text.why, values),
      fixHint: fillTemplate(text.fix, values),
      consoleMessage: `Access to fetch at '${API}/${id}/invoice\u202Efdp.exe' from origin '${origin}' has been blocked by CORS policy.`,
    },
    checks: [check('allowOriginMatches', 'response', 'fail', { subject: 'Access-Control-Allow-Origin', expected: origin, actual: acao })],
  };
}

/** A request stopped beside the CORS checks (what the engine's blocker families report), as the browser decided. */
export function blockedBy(id: string, blocker: BlockerReport, verdict: ExchangeReport['verdict'] = 'blocked'): ExchangeReport {
  return base(id, { verdict, status: 0, responseHeaders: [], summary: blocker.headline, blocker });
}

export const LNA_DENIED: BlockerReport = {
  family: 'local-network-access',
  kind: 'permission-denied',
  badge: 'LNA',
  headline: 'Chrome’s Local Network Access permission stopped this request to `loopback`',
  explanation: 'A public page asked for an address on this machine; the user has not allowed it.',
  consoleMessage:
    "Access to fetch at 'http://localhost:3000/api' from origin 'https://app.example' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
  fixHint: 'Let the user grant the permission, or pass `targetAddressSpace: "loopback"` to fetch.',
  fixSide: 'page',
  chromeCorsError: 'LocalNetworkAccessPermissionDenied',
  values: { addressSpace: 'loopback' },
};

export const CORP_SAME_ORIGIN: BlockerReport = {
  family: 'corp',
  kind: 'not-same-origin',
  badge: 'CORP',
  headline: 'Cross-Origin-Resource-Policy: same-origin keeps this response from other origins',
  explanation: 'The server marked the response as for its own origin only.',
  consoleMessage: null,
  fixHint: 'Send `Cross-Origin-Resource-Policy: cross-origin` on this response.',
  fixSide: 'server',
  values: {},
};

export const CONNECTION_REFUSED: BlockerReport = {
  family: 'network',
  kind: 'connection-refused',
  badge: 'Network',
  headline: 'The connection was refused: nothing listens at this address',
  explanation: 'No server answered; CORS was never reached.',
  consoleMessage: null,
  fixHint: 'Start the server, or check the host and port.',
  fixSide: 'network',
  netError: 'net::ERR_CONNECTION_REFUSED',
  values: {},
};
