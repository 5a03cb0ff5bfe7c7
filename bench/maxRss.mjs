// Preloaded with `node --import` into a benchmarked process: on exit, writes its peak resident set size (bytes) and the
// CPU time it used (ms, user + system, all threads) as JSON to the file named by CORS_LENS_BENCH_RSS_FILE.
// Plain JS so it loads without a TypeScript loader.
import { writeFileSync } from 'node:fs';

const target = process.env.CORS_LENS_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes, CPU times in microseconds.
    writeFileSync(target, JSON.stringify({ maxRss: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
