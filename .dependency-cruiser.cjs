/**
 * The layering of CORS Lens, enforced by dependency-cruiser (`npm run lint:layers`, and test/architecture/layers.test.ts
 * in `npm test`). Data flows one way: each stage imports only from the stages before it (and from itself), never from
 * a later one, and folders of the same stage do not import each other. docs/architecture.md is generated from `STAGES`
 * (`npm run docs:architecture`; the test fails when it is stale).
 */
/** In flow order. `folders` are under the repository root. */
const STAGES = [
  { name: 'model', folders: ['src/model'], role: 'the shared vocabulary: captured exchange, engine findings, origins, header values' },
  { name: 'capture', folders: ['src/capture'], role: 'HAR entries read and normalized, preflights paired, Firefox reconciliation, the DevTools network shape' },
  { name: 'engine', folders: ['src/engine'], role: 'the algorithm: the CORS checks in the browser’s order, and one unit per blocker beside CORS; ids and values only' },
  { name: 'explain', folders: ['src/explain'], role: 'words as data, reports, warnings, Chrome’s and Firefox’s console lines' },
  { name: 'fixes', folders: ['src/fixes'], role: 'the server configs that fix a blocked request, per stack' },
  { name: 'store', folders: ['src/store'], role: 'the exchange store: coordinates capture, engine and reports, live or from a file' },
  { name: 'check', folders: ['src/check'], role: 'cors-lens check: a live server judged as the browser would' },
  { name: 'library', folders: ['src/lib'], role: 'the package’s public API' },
  { name: 'surfaces', folders: ['src/cli', 'src/panel'], role: 'the command line and the DevTools panel (no browser API)' },
  { name: 'shell', folders: ['extension'], role: 'the browser-bound extension shell: devtools page, panel entry' },
];

const escape = (folder) => folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const rules = [];
STAGES.forEach((stage, index) => {
  const later = STAGES.slice(index + 1).flatMap((s) => s.folders);
  for (const folder of stage.folders) {
    const siblings = stage.folders.filter((f) => f !== folder);
    const forbidden = [...later, ...siblings];
    if (forbidden.length === 0) continue;
    rules.push({
      name: `${stage.name}-imports-only-earlier-stages`,
      comment: `${folder} (${stage.name}) may import only from earlier stages: ${STAGES.slice(0, index).map((s) => s.name).join(', ') || 'none'}`,
      severity: 'error',
      from: { path: `^${escape(folder)}/` },
      to: { path: `^(${forbidden.map(escape).join('|')})/` },
    });
  }
});
rules.push({
  name: 'no-circular',
  comment: 'No import cycles anywhere in the product code.',
  severity: 'error',
  from: { path: '^(src|extension)/' },
  to: { circular: true },
});

module.exports = {
  forbidden: rules,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};

// Not part of dependency-cruiser's schema: read by scripts/architecture.ts and the layering test.

// The stages, for scripts/architecture.ts and test/architecture/layers.test.ts (not enumerable: dependency-cruiser
// validates its configuration's own keys).
Object.defineProperty(module.exports, 'STAGES', { value: STAGES, enumerable: false });
