import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Linter } from 'eslint';
import { globSync } from 'tinyglobby';
import ts from 'typescript';

/** The repository's real sources the rules are run over by the robustness and the detection tests. */
export const testDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(testDir, '../../..');

/** Every fixture service in the repository (other engineers add them: whatever exists is linted) plus our odd-syntax files. */
// Build outputs (fixtures' dist/, git-ignored) are left out, so that every checkout lints the same files.
const fixtureFiles = globSync(['fixtures/**/*.{ts,js,mjs,cjs}'], { cwd: repoRoot, absolute: true, ignore: ['**/node_modules/**', '**/dist/**'] });
export const unusualFiles = [path.join(testDir, 'robustness', 'unusual-syntax.tsx'), path.join(testDir, 'robustness', 'unusual-syntax.jsx')];
export const allFiles = [...fixtureFiles, ...unusualFiles].sort();

export const isTypeScript = (file: string) => /\.[cm]?tsx?$/.test(file);
export const sourceTypeOf = (file: string) => (/\.c[jt]s$/.test(file) ? 'commonjs' : 'module');

/** Every option each rule has, turned on, so the opt-in paths run too. */
export const maximalRules: Linter.RulesRecord = {
  'quiesce/no-untracked-timer': ['error', { setTimeout: true, setImmediate: true }],
  'quiesce/no-untracked-promise': ['error', { allow: ['allowed'], checkThenables: true }],
  'quiesce/require-shutdown-handler': ['error', { entries: ['**/*'], detect: true }],
};
/** Every setting on, and every file a service, so that every rule runs on every file (test files included). */
export const maximalSettings = { quiesce: { trackers: ['@acme/lifecycle'], timers: { setTimeout: true, setImmediate: true }, role: 'service' } };

export function flatten(config: unknown): Linter.Config[] {
  return ([] as unknown[]).concat(config).flat(Infinity) as Linter.Config[];
}

/** Lints one file; a rule that throws makes ESLint throw, naming the rule: that is the failure this test looks for. */
export function lint(file: string, configs: Linter.Config[]): Linter.LintMessage[] {
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
export function fatalMessages(messages: Linter.LintMessage[]): string[] {
  return messages.filter((message) => message.ruleId === null).map((message) => `${message.line}:${message.column} ${message.message}`);
}

/** One program for every file: typed linting without a tsconfig per fixture (compiled output included). */
export function programOfAllFiles(): ts.Program {
  return ts.createProgram(allFiles, {
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
}
