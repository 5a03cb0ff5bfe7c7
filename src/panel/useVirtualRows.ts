/**
 * Fixed-height row virtualization: every row is `rowHeight` tall, so the rows in view follow from the scroll offset by
 * arithmetic, whatever the count. Only those (plus an overscan on each side) render, and a new row at the end of a long
 * list costs nothing here: no per-row measurement, no per-row object.
 */
import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';

/** Before layout (and in DOM emulators without layout) the list has no height yet; assume a typical panel. */
const FALLBACK_HEIGHT = 600;
/** Rows rendered beyond each edge of the viewport, so a short scroll shows rows already there. */
const OVERSCAN = 12;

export interface VirtualRow {
  index: number;
  /** Offset of the row's top from the top of the list, in px. */
  start: number;
}

export interface VirtualRows {
  /** Height of all rows together, for the spacer that gives the list its scroll range. */
  getTotalSize(): number;
  /** The rows to render now, in order. */
  getVirtualItems(): VirtualRow[];
  /** Scrolls the least needed to show row `index` whole (`auto`), as a listbox does for its active option. */
  scrollToIndex(index: number, options?: { align?: 'auto' }): void;
}

interface Viewport {
  top: number;
  height: number;
}

function visibleRange(view: Viewport, count: number, rowHeight: number): { first: number; last: number } {
  const height = view.height > 0 ? view.height : FALLBACK_HEIGHT;
  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((view.top + height) / rowHeight) - 1 + OVERSCAN);
  return { first, last };
}

export function useVirtualRows(count: number, scrollRef: { readonly current: HTMLElement | null }, rowHeight: number): VirtualRows {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const view = useRef<Viewport>({ top: 0, height: 0 });

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element === null) return undefined;
    const read = (): void => {
      const next = { top: element.scrollTop, height: element.clientHeight };
      const before = visibleRange(view.current, Number.MAX_SAFE_INTEGER, rowHeight);
      const after = visibleRange(next, Number.MAX_SAFE_INTEGER, rowHeight);
      view.current = next;
      // Re-render when the set of rows changes, not on every scrolled pixel.
      if (before.first !== after.first || before.last !== after.last) rerender(0);
    };
    read();
    element.addEventListener('scroll', read, { passive: true });
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(read) : undefined;
    resize?.observe(element);
    return () => {
      element.removeEventListener('scroll', read);
      resize?.disconnect();
    };
  }, [scrollRef, rowHeight]);

  return {
    getTotalSize: () => count * rowHeight,
    getVirtualItems: () => {
      const { first, last } = visibleRange(view.current, count, rowHeight);
      const items: VirtualRow[] = [];
      for (let index = first; index <= last; index++) items.push({ index, start: index * rowHeight });
      return items;
    },
    scrollToIndex: (index) => {
      const element = scrollRef.current;
      if (element === null || index < 0 || index >= count) return;
      const top = index * rowHeight;
      const height = element.clientHeight > 0 ? element.clientHeight : FALLBACK_HEIGHT;
      let scrollTop = element.scrollTop;
      if (top < scrollTop) scrollTop = top;
      else if (top + rowHeight > scrollTop + height) scrollTop = top + rowHeight - height;
      else return;
      element.scrollTop = scrollTop;
      // A DOM without layout fires no scroll event: read the new offset now.
      const next = { top: element.scrollTop, height: element.clientHeight };
      const before = visibleRange(view.current, count, rowHeight);
      view.current = next;
      const after = visibleRange(next, count, rowHeight);
      if (before.first !== after.first || before.last !== after.last) rerender(0);
    },
  };
}
