/** The incremental reader: every way of cutting the bytes into chunks gives the entries JSON.parse gives. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarScanError, HarScanner } from '../../src/cli/harScanner.js';
import { ROOT } from './run.js';

interface Scanned {
  entries: unknown[];
  fields: Record<string, unknown>;
  oversized: number[];
}

function scan(bytes: Buffer, cuts: number[] = [], maxEntryBytes?: number): Scanned {
  const result: Scanned = { entries: [], fields: {}, oversized: [] };
  const scanner = new HarScanner(
    {
      entry: (index, value) => void (result.entries[index] = value),
      logField: (name, value) => void (result.fields[name] = value),
      oversizedEntry: (index) => void result.oversized.push(index),
    },
    maxEntryBytes === undefined ? {} : { maxEntryBytes },
  );
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(from, cut));
    from = cut;
  }
  scanner.push(bytes.subarray(from));
  scanner.end();
  return result;
}

/** What the scanner promises: the entries JSON.parse gives, with request and response bodies emptied. */
function expected(har: { log: { entries: unknown[]; creator?: unknown; pages?: unknown } }): Scanned {
  const entries = structuredClone(har.log.entries) as Record<string, Record<string, Record<string, unknown>>>[];
  for (const entry of entries) {
    if (typeof entry?.response?.content?.text === 'string') entry.response.content.text = '';
    if (typeof entry?.request?.postData?.text === 'string') entry.request.postData.text = '';
  }
  const fields: Record<string, unknown> = {};
  if (har.log.creator !== undefined) fields.creator = har.log.creator;
  if (har.log.pages !== undefined) fields.pages = har.log.pages;
  return { entries, fields, oversized: [] };
}

const fixtures = ['chromium', 'firefox', 'hand'].flatMap((folder) =>
  readdirSync(join(ROOT, 'test/fixtures', folder))
    .filter((name) => name.endsWith('.har'))
    .map((name) => join('test/fixtures', folder, name)),
);

describe('HarScanner', () => {
  it.each(fixtures)('reads %s as JSON.parse does, however the bytes are cut', (path) => {
    const bytes = readFileSync(join(ROOT, path));
    const parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as { log?: unknown; entries?: unknown[] };
    const har = (parsed.log === undefined ? { log: parsed } : parsed) as Parameters<typeof expected>[0];
    const want = expected(har);
    expect(scan(bytes)).toEqual(want);
    // Every 7 bytes, and at random places: strings, escapes and keys split between chunks.
    const every7 = Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7);
    expect(scan(bytes, every7)).toEqual(want);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 }), (cuts) => {
        expect(scan(bytes, cuts)).toEqual(want);
      }),
      { numRuns: 25 },
    );
  });

  it('reads generated HARs with hostile strings (escapes, quotes, braces, non-ASCII) as JSON.parse does', () => {
    const text = fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'a', 'é', '😀', '\n', '\u2028', ' ') });
    const entry = fc.record({
      request: fc.record({ method: fc.constant('GET'), url: text, postData: fc.record({ mimeType: text, text }) }),
      response: fc.record({ status: fc.integer(), content: fc.record({ size: fc.integer(), text, mimeType: text }), headers: fc.array(fc.record({ name: text, value: text })) }),
      [`_${'x'}`]: fc.dictionary(text, fc.jsonValue()),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), (entries, cuts, pretty) => {
        const har = { log: { version: '1.2', creator: { name: 'x' }, entries } };
        const bytes = Buffer.from(JSON.stringify(har, null, pretty ? 2 : undefined));
        const parsed = JSON.parse(bytes.toString('utf8')) as typeof har;
        expect(scan(bytes, cuts.map((cut) => cut % (bytes.length + 1)))).toEqual(expected(parsed));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts bodies out without keeping them, and refuses an entry over the limit by its size alone', () => {
    const body = 'A'.repeat(3_000_000);
    const har = { log: { entries: [{ request: { url: 'http://a.test/' }, response: { status: 200, content: { size: 3e6, text: body } } }, { big: 'B'.repeat(2_000_000) }] } };
    const result = scan(Buffer.from(JSON.stringify(har)), [], 1_000_000);
    expect(result.entries[0]).toEqual({ request: { url: 'http://a.test/' }, response: { status: 200, content: { size: 3e6, text: '' } } });
    expect(result.oversized).toEqual([1]);
  });

  it('refuses duplicate "log" and "log.entries" keys instead of dropping what the first holds', () => {
    const twoLogs = '{"log": {"entries": [{"a": 1}]}, "log": {"entries": []}}';
    expect(() => scan(Buffer.from(twoLogs))).toThrow(/two "log" fields/);
    const twoEntries = '{"log": {"entries": [{"a": 1}], "entries": []}}';
    expect(() => scan(Buffer.from(twoEntries))).toThrow(/two "log.entries" fields/);
    const both = '{"entries": [], "log": {"entries": []}}';
    expect(() => scan(Buffer.from(both))).toThrow(HarScanError);
  });

  it('says what is wrong with input that is not a HAR, at the first byte that shows it', () => {
    expect(() => scan(Buffer.from('[1, 2]'))).toThrow('not a HAR: the top level is an array, not an object with "log"');
    expect(() => scan(Buffer.from('<html>'))).toThrow('not valid JSON: it starts with "<", not "{"');
    expect(() => scan(Buffer.from('{"log": []}'))).toThrow('not a HAR: no "log" object at the top level');
    expect(() => scan(Buffer.from('{"log": {"entries": {}}}'))).toThrow('not a HAR: "log.entries" is not an array');
    expect(() => scan(Buffer.from('{"log": {"version": "1.2"}}'))).toThrow('not a HAR: "log.entries" is not an array');
    expect(() => scan(Buffer.from('{"log": {"entries": [{"a": 1}, {"b": '))).toThrow(/looks truncated.*after 1 complete entries/);
    expect(() => scan(Buffer.from('{"log": {"entries": [{"a": tru}]}}'))).toThrow(/not valid JSON in entry 0/);
    expect(() => scan(Buffer.from('{"log": {"entries": []}} x'))).toThrow(/after the end of the top-level object/);
  });
});
