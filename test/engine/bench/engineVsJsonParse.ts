/**
 * Benchmark (not a test): the engine on 10,000 exchanges vs JSON.parse of the HAR holding them.
 * The exchanges are the lab capture's (test/fixtures/chromium), repeated; that capture is failure-heavy and has no
 * response bodies, so JSON.parse is cheap here: real HARs make the ratio smaller.
 *
 *   npx tsx test/engine/bench/engineVsJsonParse.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateExchange } from '../../../src/explain/evaluateExchange.js';
import type { CapturedExchange } from '../../../src/model/exchange.js';
import { explainHar } from '../../../src/lib/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/chromium');
const file = readdirSync(fixtures).filter((f) => /^lab-\d{4}-\d{2}-\d{2}\.har$/.test(f)).sort().at(-1)!;
const har = JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as { log?: { entries: unknown[] }; entries?: unknown[] };
const log = (har.log ?? har) as { entries: unknown[] };
const exchanges: CapturedExchange[] = [];
explainHar(har, {}, { evaluate: (e) => (exchanges.push(e), evaluateExchange(e)) });

const N = 10_000;
const entriesText = JSON.stringify({ log: { ...log, entries: Array.from({ length: N }, (_, i) => log.entries[i % log.entries.length]) } });
const work = Array.from({ length: N }, (_, i) => exchanges[i % exchanges.length]!);

for (let round = 1; round <= 5; round++) {
  let t = performance.now();
  JSON.parse(entriesText);
  const parse = performance.now() - t;
  t = performance.now();
  for (const e of work) evaluateExchange(e);
  const engine = performance.now() - t;
  console.log(
    `round ${round}: JSON.parse ${parse.toFixed(0)} ms for ${N} entries (${(entriesText.length / 1e6).toFixed(1)} MB); engine ${engine.toFixed(0)} ms for ${N} exchanges; ratio ${(engine / parse).toFixed(2)}`,
  );
}
