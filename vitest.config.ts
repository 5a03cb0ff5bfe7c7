import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts so unit tests never load the extension build plugins.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Real-browser suites start Chromium and servers; two cores, so never run two of those at once.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
