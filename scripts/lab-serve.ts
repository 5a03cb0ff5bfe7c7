/**
 * `npm run lab`: the CORS lab alone (its servers and the page), without launching a browser. Open the printed URL in
 * any browser with DevTools open. Ctrl-C, SIGTERM or SIGHUP (to this process or to the `npm run lab` that runs it:
 * package.json `exec`s node, so npm's signal reaches it) stops the servers.
 *
 * `npm run lab -- --beside` also serves the scenarios beside textbook CORS and prints the Chromium switches they need
 * (their `*.example` pages exist only for a Chromium started with them; `npm start` does all of it).
 */
import { besideCorsScenarios } from '../test/lab/beside-scenarios.js';
import { scenarios } from '../test/lab/scenarios.js';
import { startLab } from '../test/lab/server.js';

const beside = process.argv.includes('--beside');
const lab = await startLab({ scenarios: beside ? [...scenarios, ...besideCorsScenarios] : scenarios });
console.log(`cors-lens lab: page     ${lab.pageUrl}`);
console.log(`cors-lens lab: API      ${lab.apiOrigin}`);
console.log(`cors-lens lab: redirect ${lab.otherOrigin}`);
for (const [variant, origin] of Object.entries(lab.origins.pages ?? {})) console.log(`cors-lens lab: ${variant.padEnd(8)} ${origin}/`);
if (lab.chromiumArgs.length > 0) {
  console.log(`cors-lens lab: start Chromium with ${lab.chromiumArgs.map((a) => JSON.stringify(a)).join(' ')}`);
  console.log('cors-lens lab: (the Local Network Access grant, DevTools request blocking and the blocker extension are what `npm start` adds)');
}
console.log(`cors-lens lab: ${lab.scenarios.length} scenarios; open the page with DevTools on the CORS tab, then press "Run all". Ctrl-C stops.`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void lab.stop().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
