/**
 * Copy text from inside a DevTools panel. The async Clipboard API is usually refused there (the panel frame is not
 * focused the way the API wants), so fall back to a selected textarea and `execCommand('copy')`.
 */
export type CopyOutcome = 'copied' | 'failed';

export async function copyText(text: string, doc: Document = document): Promise<CopyOutcome> {
  const clipboard = doc.defaultView?.navigator.clipboard;
  if (clipboard?.writeText) {
    try {
      await clipboard.writeText(text);
      return 'copied';
    } catch {
      // Refused: fall through to the textarea route.
    }
  }
  return copyWithTextarea(text, doc) ? 'copied' : 'failed';
}

function copyWithTextarea(text: string, doc: Document): boolean {
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  const active = doc.activeElement as HTMLElement | null;
  doc.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  active?.focus?.();
  return ok;
}

/** Selects the text of `element` so the user can copy it by hand after a failed copy. */
export function selectContents(element: Element): void {
  const doc = element.ownerDocument;
  const selection = doc.defaultView?.getSelection();
  if (!selection) return;
  const range = doc.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}
