import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that index the whole knowledge base on embedded PGlite take tens of seconds; indexing its 2,931
    // procedures takes about 140 s on two idle cores, so the hook gets room for a busy machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: two workers keep PGlite-heavy files from starving each other.
    maxWorkers: 2,
  },
});
