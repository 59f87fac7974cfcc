import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Typed cases build a TypeScript program first (several seconds on a busy machine).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
