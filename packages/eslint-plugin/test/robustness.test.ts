import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as typescriptParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { globSync } from 'tinyglobby';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const testDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(testDir, '../../..');

/** Every fixture service in the repository (other engineers add them: whatever exists is linted) plus our odd-syntax files. */
// Build outputs (fixtures' dist/, git-ignored) are left out, so that every checkout lints the same files.
const fixtureFiles = globSync(['fixtures/**/*.{ts,js,mjs,cjs}'], { cwd: repoRoot, absolute: true, ignore: ['**/node_modules/**', '**/dist/**'] });
const unusualFiles = [path.join(testDir, 'robustness', 'unusual-syntax.tsx'), path.join(testDir, 'robustness', 'unusual-syntax.jsx')];
const allFiles = [...fixtureFiles, ...unusualFiles].sort();

const isTypeScript = (file: string) => /\.[cm]?tsx?$/.test(file);
const sourceTypeOf = (file: string) => (/\.c[jt]s$/.test(file) ? 'commonjs' : 'module');

/** Every option each rule has, turned on, so the opt-in paths run too. */
const maximalRules: Linter.RulesRecord = {
  'quiesce/no-untracked-timer': ['error', { setTimeout: true, setImmediate: true }],
  'quiesce/no-untracked-promise': ['error', { allow: ['allowed'], checkThenables: true }],
  'quiesce/require-shutdown-handler': ['error', { entries: ['**/*'], detect: true }],
};
const maximalSettings = { quiesce: { trackers: ['@acme/lifecycle'], timers: { setTimeout: true, setImmediate: true } } };

function flatten(config: unknown): Linter.Config[] {
  return ([] as unknown[]).concat(config).flat(Infinity) as Linter.Config[];
}

/** Lints one file; a rule that throws makes ESLint throw, naming the rule: that is the failure this test looks for. */
function lint(file: string, configs: Linter.Config[]): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat', cwd: repoRoot });
  const base: Linter.Config = {
    // Not '**/*': ESLint does not count a catch-all pattern as matching a file, and an unmatched file is silently skipped.
    files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: sourceTypeOf(file),
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: { process: 'readonly', require: 'readonly', module: 'writable', setInterval: 'readonly', setTimeout: 'readonly' },
    },
  };
  return linter.verify(readFileSync(file, 'utf8'), [base, ...configs], file);
}

/** Parse errors and "no matching configuration" warnings: either means the rules did not run on the file. */
function fatalMessages(messages: Linter.LintMessage[]): string[] {
  return messages.filter((message) => message.ruleId === null).map((message) => `${message.line}:${message.column} ${message.message}`);
}

describe('every rule survives every fixture and the unusual-syntax files', () => {
  let program: ts.Program;

  beforeAll(() => {
    // One program for every file: typed linting without a tsconfig per fixture (compiled output included).
    program = ts.createProgram(allFiles, {
      allowJs: true,
      checkJs: false,
      noEmit: true,
      jsx: ts.JsxEmit.Preserve,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
      skipLibCheck: true,
    });
  }, 120_000);

  it('finds the files it is meant to lint', () => {
    expect(unusualFiles.every((file) => allFiles.includes(file))).toBe(true);
  });

  for (const file of allFiles) {
    const name = path.relative(repoRoot, file);

    it(`recommended (syntax only) on ${name}`, () => {
      // TypeScript needs its parser even without types; JavaScript gets ESLint's default parser (espree).
      const parser: Linter.Config[] = isTypeScript(file) ? [{ languageOptions: { parser: typescriptParser } }] : [];
      const messages = lint(file, [...flatten(plugin.configs.recommended), ...parser]);
      expect(fatalMessages(messages)).toEqual([]);
    });

    it(`recommended (syntax only, every option on) on ${name}`, () => {
      const parser: Linter.Config[] = isTypeScript(file) ? [{ languageOptions: { parser: typescriptParser } }] : [];
      const messages = lint(file, [...flatten(plugin.configs.recommended), ...parser, { rules: maximalRules, settings: maximalSettings }]);
      expect(fatalMessages(messages)).toEqual([]);
    });

    it(`recommended-type-checked on ${name}`, () => {
      const typed: Linter.Config = {
        languageOptions: { parser: typescriptParser, parserOptions: { programs: [program], projectService: false } },
      };
      const messages = lint(file, [...flatten(plugin.configs['recommended-type-checked']), typed, { rules: maximalRules, settings: maximalSettings }]);
      expect(fatalMessages(messages)).toEqual([]);
    });

    it(`disable-type-checked on ${name}`, () => {
      const typed: Linter.Config = { languageOptions: { parser: typescriptParser } };
      const messages = lint(file, [...flatten(plugin.configs['recommended-type-checked']), typed, ...flatten(plugin.configs['disable-type-checked'])]);
      expect(fatalMessages(messages)).toEqual([]);
    });
  }

  it('reports hazards in the unusual-syntax file (the rules ran, not only parsed)', () => {
    const messages = lint(unusualFiles[0]!, [...flatten(plugin.configs.recommended), { languageOptions: { parser: typescriptParser } }]);
    expect(fatalMessages(messages)).toEqual([]);
    const rules = new Set(messages.map((message) => message.ruleId));
    for (const rule of ['no-untracked-timer', 'no-untracked-promise', 'no-untracked-async-callback', 'no-abrupt-exit', 'no-review-markers']) {
      expect(rules, `quiesce/${rule} reported nothing`).toContain(`quiesce/${rule}`);
    }
  });
});
