// One measured ESLint run in a fresh process (no program or module cache carried between runs).
// Usage: node bench/lint-once.mjs <scenario> <corpusDir> [--eslint-contexts-copied]; prints one JSON line.
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import * as parser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

import plugin from '../dist/index.js';

const [scenario, corpusDir, experiment] = process.argv.slice(2);

/**
 * An experiment, never the aims' figure: ESLint (9.27 to at least 10.16) builds every rule's context of a file with
 * `Object.create(fileContext)`, so each file's context becomes a prototype, which V8 keeps through minor GCs by the map
 * it makes for that prototype; the file's whole source code (ESTree, TypeScript tree, tokens, scopes) is then promoted
 * instead of dying young. That is a cost of enabling any rule, not of what rules do. With this flag the rule contexts
 * copy the file context's fields instead (the same values, the same prototype methods), which shows what is ours.
 */
function copyRuleContexts() {
  const require = createRequire(import.meta.url);
  const fileContextPath = path.join(path.dirname(require.resolve('eslint')), 'linter', 'file-context.js');
  const { FileContext } = require(fileContextPath);
  if (typeof FileContext?.prototype?.extend !== 'function') {
    throw new Error(`${fileContextPath} has no FileContext.prototype.extend: this ESLint builds rule contexts another way; run without --eslint-contexts-copied`);
  }
  FileContext.prototype.extend = function extend(extension) {
    return Object.freeze(Object.assign(Object.create(FileContext.prototype), this, extension));
  };
}
if (experiment === '--eslint-contexts-copied') copyRuleContexts();
else if (experiment !== undefined) {
  console.error(`lint-once: unknown option ${experiment} (the only one is --eslint-contexts-copied)`);
  process.exit(2);
}
const typeScriptFiles = ['**/*.ts'];

/**
 * The corpus is a service's code, but it sits in this package's bench folder, which role inference (rightly) calls a
 * benchmark with no shutdown rules: the role is forced, as a user would for such a layout.
 */
const asService = { settings: { quiesce: { role: 'service' } } };

/** The four configurations compared; each pair differs only in the rules. */
const scenarios = {
  // ESLint + our recommended-type-checked: TypeScript parser with the project service, our seven rules.
  'typed-quiesce': [...plugin.configs['recommended-type-checked'], { languageOptions: { parserOptions: { tsconfigRootDir: corpusDir } } }, asService],
  // ESLint + only @typescript-eslint/no-floating-promises, same parser and project service.
  'typed-no-floating-promises': [
    {
      files: typeScriptFiles,
      languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: corpusDir } },
      plugins: { '@typescript-eslint': tseslint.plugin },
      rules: { '@typescript-eslint/no-floating-promises': 'error' },
    },
  ],
  // Our recommended (syntax only) on the TypeScript parser without a project.
  'syntax-quiesce': [...plugin.configs.recommended, { files: typeScriptFiles, languageOptions: { parser } }, asService],
  // The same parser with no rules at all.
  'syntax-no-rules': [{ files: typeScriptFiles, languageOptions: { parser } }],
  // Reference: the same parser with one trivial core rule (what any enabled rule costs in ESLint's traversal).
  'syntax-one-core-rule': [{ files: typeScriptFiles, languageOptions: { parser }, rules: { 'no-debugger': 'error' } }],
};

const config = scenarios[scenario];
if (!config || !corpusDir) {
  console.error(`usage: node bench/lint-once.mjs <${Object.keys(scenarios).join('|')}> <corpusDir>`);
  process.exit(2);
}

const eslint = new ESLint({ cwd: corpusDir, overrideConfigFile: true, overrideConfig: config });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const results = await eslint.lintFiles(['src/**/*.ts']);
const cpu = process.cpuUsage(cpuBefore);
const ms = performance.now() - started;
// CPU time of this process (all its threads): on a shared machine far steadier than wall time.
const cpuMs = (cpu.user + cpu.system) / 1000;
const problems = {};
let fatal = 0;
for (const result of results) {
  for (const message of result.messages) {
    if (message.fatal || message.ruleId === null) fatal += 1;
    else problems[message.ruleId] = (problems[message.ruleId] ?? 0) + 1;
  }
}
console.log(JSON.stringify({ scenario, experiment: experiment ?? null, ms, cpuMs, files: results.length, fatal, problems, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
