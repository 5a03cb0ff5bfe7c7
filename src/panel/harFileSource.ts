/**
 * An imported HAR file as a source of entries: the store it needs knows the file's `log.creator` and `log.pages`
 * (which browser made it, the page URLs), exactly as `explainHar` reads them, so the panel and the CLI agree.
 */
import type { CaptureSource } from '../model/exchange.js';
import { createExchangeStore } from '../store/exchangeStore.js';
import { detectSource } from '../capture/normalize.js';
import { readHarLog } from '../lib/explainHar.js';
import { createStaticSource, type HarEntrySource, type PanelTheme } from './source.js';

/** Throws `HarFormatError` with a one-line reason when `har` is not a HAR. */
export function createHarFileSource(har: unknown, fileName: string, theme: PanelTheme): HarEntrySource {
  const { entries, context } = readHarLog(har);
  const first = entries.find((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && !Array.isArray(e));
  const captureSource: CaptureSource = first ? detectSource(first, context.creatorName) : 'unknown-har';
  return {
    // One capture however many batches the panel takes it in: a repeat inside the file is counted wherever it falls.
    ...createStaticSource(fileName, entries, theme, (options) => createExchangeStore(options, { harContext: context, oneCapture: true })),
    captureSource,
  };
}
