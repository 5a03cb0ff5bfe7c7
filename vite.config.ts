import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

// The extension only. `npm run build` also writes dist/lib and dist/cli (tsc), so vite empties dist/extension alone.
export default defineConfig({
  plugins: [preact(), crx({ manifest })],
  publicDir: 'public',
  build: {
    outDir: 'dist/extension',
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: false,
    modulePreload: false,
    rollupOptions: {
      // The devtools page is reached through the manifest; the panel page only through panels.create, so list it here.
      input: { panel: 'extension/panel.html' },
    },
  },
});
