/**
 * What a captured exchange says about a failure beside the CORS checks, read once for every family's detector: the hop
 * that failed, Chromium's net error as recorded, whether a response (and its headers) reached DevTools, the page.
 */
import type { CapturedExchange, Hop, PageContext } from '../../model/exchange.js';
import { serializeOrigin } from '../../model/origin.js';
import { headerIndexOf } from '../../model/headers.js';

export interface BlockerSignals {
  exchange: CapturedExchange;
  /** Index of the last hop (the one the browser gave up on). */
  hopIndex: number;
  hop: Hop;
  url: string;
  /**
   * The net error of that hop: the failure's text when the outcome is `failed`, `''` when Chromium recorded an empty
   * `_error`, undefined when the entry has none.
   */
  netError: string | undefined;
  /** The response status DevTools recorded (0 when none). */
  status: number;
  /** How many response header lines were recorded (0 when none, as for a response ORB or LNA withheld). */
  responseHeaderCount: number;
  /** The capture keeps Chromium's `_error` and the response of a blocked request (DevTools), unlike Playwright. */
  devtoolsCapture: boolean;
  page: PageContext | undefined;
  /** The page's origin: its URL's, else the request's initiator origin. */
  pageOrigin: string | undefined;
  /** The page URL the signals could read (its document, else its origin), or undefined. */
  pageUrl: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The signals of an exchange, or undefined when it is not shaped like one (the engine then takes its usual path). */
export function readSignals(exchange: CapturedExchange): BlockerSignals | undefined {
  if (!isRecord(exchange) || !Array.isArray(exchange.hops) || exchange.hops.length === 0) return undefined;
  const hopIndex = exchange.hops.length - 1;
  const hop: unknown = exchange.hops[hopIndex];
  if (!isRecord(hop) || !isRecord(hop.request) || typeof hop.request.url !== 'string' || !isRecord(hop.outcome)) return undefined;
  const typedHop = hop as unknown as Hop;
  const outcome = typedHop.outcome;
  const recorded = typeof typedHop.netError === 'string' ? typedHop.netError : undefined;
  const netError = outcome.kind === 'failed' && typeof outcome.errorText === 'string' && outcome.errorText !== '' ? outcome.errorText : recorded;
  const response = isRecord(typedHop.response) ? typedHop.response : undefined;
  const status = response !== undefined && typeof response.status === 'number' && response.status > 0 ? response.status : 0;
  const responseHeaderCount = response === undefined ? 0 : headerIndexOf(response).lineCount;
  const page = isRecord(exchange.page) && typeof exchange.page.url === 'string' ? exchange.page : undefined;
  const initiator = typeof exchange.initiatorOrigin === 'string' && exchange.initiatorOrigin !== 'null' ? exchange.initiatorOrigin : undefined;
  const pageOrigin = (page === undefined ? undefined : serializeOrigin(page.url)) ?? initiator;
  return {
    exchange,
    hopIndex,
    hop: typedHop,
    url: typedHop.request.url,
    netError,
    status,
    responseHeaderCount,
    devtoolsCapture: exchange.source === 'chromium-devtools' || exchange.source === 'chromium-har-export',
    page,
    pageOrigin,
    pageUrl: page?.url ?? pageOrigin,
  };
}

/** The value of a response header of a hop as Chromium reads it (`HeaderIndex.get`), or undefined. */
export function responseHeader(hop: Hop, name: string): string | undefined {
  return hop.response === undefined ? undefined : headerIndexOf(hop.response).get(name);
}

/** Whether a hop got no response the page's network stack kept (status 0, no headers). */
export function noResponse(s: BlockerSignals): boolean {
  return s.status === 0 && s.responseHeaderCount === 0;
}
