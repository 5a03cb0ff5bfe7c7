/** Hand-built exchanges and engine results for the warning tests (no HAR, no engine needed). */
import type { CapturedExchange, EngineResult, HeaderLines, Hop, Verdict } from '../../src/model/exchange.js';

let nextId = 0;

export interface SimpleExchange {
  url?: string;
  method?: string;
  origin?: string;
  requestHeaders?: HeaderLines;
  status?: number;
  responseHeaders: HeaderLines;
  preflightResponseHeaders?: HeaderLines;
  preflightRequestHeaders?: HeaderLines;
  kind?: CapturedExchange['kind'];
  id?: string;
}

/** One-hop exchange: a page at `origin` fetched `url`, got `responseHeaders` (and a preflight when given). */
export function exchange(spec: SimpleExchange): CapturedExchange {
  const url = spec.url ?? 'https://api.example.com/items';
  const origin = spec.origin ?? 'https://app.example.com';
  const method = spec.method ?? 'GET';
  const hop: Hop = {
    request: { method, url, headers: [['Origin', origin], ...(spec.requestHeaders ?? [])] },
    response: { status: spec.status ?? 200, headers: spec.responseHeaders },
    outcome: { kind: 'completed' },
    preflightPresence: spec.preflightResponseHeaders ? 'captured' : 'none-seen',
  };
  if (spec.preflightResponseHeaders) {
    hop.preflight = {
      request: {
        method: 'OPTIONS',
        url,
        headers: [['Origin', origin], ['Access-Control-Request-Method', method], ...(spec.preflightRequestHeaders ?? [])],
      },
      response: { status: 204, headers: spec.preflightResponseHeaders },
    };
  }
  return {
    id: spec.id ?? `x${(nextId += 1)}`,
    initiatorOrigin: origin,
    initiatorOriginSource: 'origin-header',
    kind: spec.kind ?? 'fetch',
    hops: [hop],
    rules: 'chromium',
    source: 'synthetic',
  };
}

export function result(verdict: Verdict, extra: Partial<EngineResult> = {}): EngineResult {
  return {
    verdict,
    checks: [],
    preflight: { required: false, reasons: [] },
    assumptions: [],
    missing: verdict === 'unknown' ? ['response headers'] : [],
    rules: 'chromium',
    ...extra,
  };
}
