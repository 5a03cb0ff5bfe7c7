// Test helper for `npm run lab:capture`: the capture script evaluates `labGetHar()` in this DevTools page over CDP.
// getHAR() holds every request since DevTools opened, preflights included (devtools-capture.md §E).
globalThis.labGetHar = () =>
  new Promise((resolve) => chrome.devtools.network.getHAR((har) => resolve(JSON.parse(JSON.stringify(har)))));
