import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const nodeGlobals = {
  process: 'readonly',
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  setInterval: 'readonly',
  setTimeout: 'readonly',
  setImmediate: 'readonly',
  clearInterval: 'readonly',
  clearTimeout: 'readonly',
  queueMicrotask: 'readonly',
  fetch: 'readonly',
  globalThis: 'readonly',
  global: 'readonly',
  console: 'readonly',
  Promise: 'readonly',
} as const;

/** TypeScript syntax, no type information: the rules' heuristics. */
export const typeScriptTester = new RuleTester();

/** TypeScript with a program: the checker decides (file.ts, file.mts, file.cts under test/fixtures). */
export const typedTester = new RuleTester({
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixturesDir } },
});

/** Plain JavaScript as ESLint parses it by default (espree, ES modules). */
export const javaScriptTester = new RuleTester({
  languageOptions: { parser: espree, ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
});

/** Plain CommonJS JavaScript (espree, `sourceType: 'commonjs'`). */
export const commonJsTester = new RuleTester({
  languageOptions: { parser: espree, ecmaVersion: 'latest', sourceType: 'commonjs', globals: nodeGlobals },
});
