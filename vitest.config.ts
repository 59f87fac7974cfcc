import { defineConfig } from 'vitest/config';

// One `vitest run` at the root runs every package's suite and the end-to-end tests;
// each project keeps its own config (timeouts, setup files) next to its tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'test'],
  },
});
