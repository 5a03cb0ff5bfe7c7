/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time and total (inclusive) time per function, so a hot
 * spot is named by function and file:line rather than guessed. `tsx bench/readProfile.ts file.cpuprofile [--top 30]
 * [--filter src/]`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionCost {
  name: string;
  where: string;
  selfMs: number;
  totalMs: number;
}

export function summarizeProfile(profile: Profile): { totalMs: number; functions: FunctionCost[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfByNode = new Map<number, number>();
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const id = profile.samples[i]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + ms);
  }
  const keyOf = (node: ProfileNode): string => {
    const f = node.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    return `${f.functionName || '(anonymous)'}\u0000${file}:${f.lineNumber + 1}`;
  };
  const costs = new Map<string, FunctionCost>();
  const cost = (key: string): FunctionCost => {
    let c = costs.get(key);
    if (c === undefined) {
      const [name, where] = key.split('\u0000') as [string, string];
      c = { name, where, selfMs: 0, totalMs: 0 };
      costs.set(key, c);
    }
    return c;
  };
  for (const [id, ms] of selfByNode) {
    const node = byId.get(id)!;
    cost(keyOf(node)).selfMs += ms;
    // Inclusive time: once per distinct function on the sample's stack (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      cost(key).totalMs += ms;
    }
  }
  return { totalMs, functions: [...costs.values()] };
}

function main(argv: string[]): void {
  const file = argv.find((a) => !a.startsWith('--'));
  if (file === undefined) {
    process.stderr.write('usage: tsx bench/readProfile.ts file.cpuprofile [--top N] [--filter text]\n');
    process.exitCode = 2;
    return;
  }
  const top = Number(argv[argv.indexOf('--top') + 1]) || 30;
  const filterAt = argv.indexOf('--filter');
  const filter = filterAt >= 0 ? argv[filterAt + 1] : undefined;
  const { totalMs, functions } = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const shown = functions.filter((f) => filter === undefined || f.where.includes(filter));
  const line = (f: FunctionCost): string =>
    `${f.selfMs.toFixed(0).padStart(7)} ${((100 * f.selfMs) / totalMs).toFixed(1).padStart(5)}% ${f.totalMs.toFixed(0).padStart(7)} ${((100 * f.totalMs) / totalMs).toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`;
  process.stdout.write(`profile: ${totalMs.toFixed(0)} ms sampled\n\n  self ms  self%  total ms total%  function  where\n`);
  for (const f of [...shown].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) process.stdout.write(`${line(f)}\n`);
  process.stdout.write('\nby inclusive time:\n');
  for (const f of [...shown].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) process.stdout.write(`${line(f)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) main(process.argv.slice(2));
