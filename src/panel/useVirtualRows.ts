/** Fixed-height row virtualization for Preact on @tanstack/virtual-core: only the rows in view (+ overscan) render. */
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type Rect,
} from '@tanstack/virtual-core';

// Before layout (and in DOM emulators without layout) the list has no height yet; assume a typical panel.
const FALLBACK_RECT: Rect = { width: 800, height: 600 };

export function useVirtualRows(
  count: number,
  scrollRef: { readonly current: HTMLElement | null },
  rowHeight: number,
): Virtualizer<HTMLElement, HTMLElement> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const options = {
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    scrollToFn: elementScroll,
    observeElementRect: (instance: Virtualizer<HTMLElement, HTMLElement>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
    observeElementOffset,
    initialRect: FALLBACK_RECT,
    overscan: 12,
    onChange: () => rerender(0),
  };
  const [virtualizer] = useState(() => new Virtualizer<HTMLElement, HTMLElement>(options));
  virtualizer.setOptions({ ...virtualizer.options, ...options });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return virtualizer;
}
