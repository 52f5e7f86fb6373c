import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts', 'scripts/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    testTimeout: 60_000,
    // expect.poll waits for outcomes (a page updating, a report computing), not for speed: a
    // loaded machine must not fail a test that would pass with more time.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    hookTimeout: 60_000,
    // DuckDB and SQLite files per test; two cores on the reference machine.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
