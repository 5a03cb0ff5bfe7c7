/**
 * `npm run lab`: the CORS lab alone (its three servers and the page), without launching a browser. Open the printed
 * URL in any browser with DevTools open. Ctrl-C, SIGTERM or SIGHUP (to this process or to the `npm run lab` that runs
 * it: package.json `exec`s node, so npm's signal reaches it) stops the servers.
 */
import { startLab } from '../test/lab/server.js';

const lab = await startLab();
console.log(`cors-lens lab: page     ${lab.pageUrl}`);
console.log(`cors-lens lab: API      ${lab.apiOrigin}`);
console.log(`cors-lens lab: redirect ${lab.otherOrigin}`);
console.log(`cors-lens lab: ${lab.scenarios.length} scenarios; open the page with DevTools on the CORS tab, then press "Run all". Ctrl-C stops.`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void lab.stop().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
