import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // src/detect/typescript.cts requires TypeScript for the built plugin (see its comment); Vite does not transform
    // CommonJS TypeScript, so the sources under test import the same package directly.
    alias: [{ find: /^(?:\.{1,2}\/)+(?:detect\/)?typescript\.cjs$/, replacement: 'typescript' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Typed cases build a TypeScript program first (several seconds on a busy machine).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
