import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['.tmp/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each suite runs real services under load and measures their exit: one at a time, so that
    // they do not compete for the CPU with each other.
    fileParallelism: false,
  },
});
