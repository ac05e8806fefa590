import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // End-to-end tests start real processes; two cores are all we have.
    poolOptions: { forks: { maxForks: 2 } },
    pool: 'forks',
  },
})
