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

/**
 * The rule tests' files are virtual files inside this package's test folder, which role inference would call test code
 * (no shutdown rules): they are services unless a case says otherwise. Role inference has its own tests (roles.test.ts).
 */
export const serviceSettings = { quiesce: { role: 'service' } };

/** TypeScript syntax, no type information: the rules' heuristics. */
export const typeScriptTester = new RuleTester({ settings: serviceSettings });

/** TypeScript with a program: the checker decides (file.ts, file.mts, file.cts under test/fixtures). */
export const typedTester = new RuleTester({
  settings: serviceSettings,
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixturesDir } },
});

/** Plain JavaScript as ESLint parses it by default (espree, ES modules). */
export const javaScriptTester = new RuleTester({
  settings: serviceSettings,
  languageOptions: { parser: espree, ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
});

/** Plain CommonJS JavaScript (espree, `sourceType: 'commonjs'`). */
export const commonJsTester = new RuleTester({
  settings: serviceSettings,
  languageOptions: { parser: espree, ecmaVersion: 'latest', sourceType: 'commonjs', globals: nodeGlobals },
});
