/**
 * Writes the hostile-input corpus (test/security/corpus.ts) to a folder, to try by hand or with other tools:
 *
 *   npx tsx scripts/hostile-corpus.ts --out /tmp/hostile [--long]
 *
 * `--long` adds the largest cases (100,000 headers, 150,000 entries, nesting 1,000,000 deep: about 200 MB).
 * Each file is named as its case says (some names are themselves hostile: control characters, `$(…)`); an index,
 * `cases.json`, lists the name, file name and the exit codes `cors-lens explain` may end with.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hostileCorpus } from '../test/security/corpus.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, long: { type: 'boolean', default: false } } });
if (values.out === undefined) {
  console.error('usage: npx tsx scripts/hostile-corpus.ts --out <folder> [--long]');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const cases = hostileCorpus().filter((kase) => values.long || kase.scale === 'short');
for (const kase of cases) {
  writeFileSync(join(values.out, kase.fileName), kase.content());
  console.log(`${JSON.stringify(kase.fileName)}: ${kase.name}`);
}
writeFileSync(
  join(values.out, 'cases.json'),
  `${JSON.stringify(cases.map(({ name, fileName, exits, scale, boundMs }) => ({ name, fileName, exits, scale, boundMs })), null, 2)}\n`,
);
console.log(`${cases.length} cases in ${values.out}`);
