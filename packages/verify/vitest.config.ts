import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Real services under load with their exit lag measured: one file at a time, so that they do
    // not compete for the CPU with each other.
    fileParallelism: false,
  },
});
