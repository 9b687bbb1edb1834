import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites that index the whole national listing on embedded PGlite take tens of seconds.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: two workers keep PGlite-heavy files from starving each other.
    maxWorkers: 2,
  },
});
