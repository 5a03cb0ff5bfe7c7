/** Mounts the panel into a page and applies the source's theme. */
import { render } from 'preact';
import { App, type PanelDeps } from './App.js';
import './panel.css';

export type { PanelDeps } from './App.js';

export function applyTheme(doc: Document, theme: 'light' | 'dark'): void {
  doc.documentElement.dataset.theme = theme;
}

export function mountPanel(root: HTMLElement, deps: PanelDeps): () => void {
  applyTheme(root.ownerDocument, deps.source.theme);
  deps.source.onThemeChange?.((theme) => applyTheme(root.ownerDocument, theme));
  render(<App {...deps} />, root);
  return () => render(null, root);
}
