import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import plugin from '@quiesce/eslint-plugin';
import { REWRITTEN_RULE_IDS } from '../src/contract.js';

export const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repositoryRoot = path.resolve(packageDirectory, '../..');
export const cliPath = path.join(packageDirectory, 'dist/cli/cli.js');

/** Rule ids the codemod rewrites (all but no-review-markers). */
export const rewritableRules: readonly string[] = [...REWRITTEN_RULE_IDS];

export const defaultTsconfig = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
    allowJs: true,
  },
  include: ['**/*'],
};

/**
 * A scratch directory in the OS temp dir, with the repository's node_modules linked in so that
 * `@types/node` and `@quiesce/runtime-shim` resolve for type-checking. Remove it with `remove()`.
 */
export function scratchDirectory(prefix: string): { directory: string; remove(): void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), `quiesce-codemod-${prefix}-`));
  symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  return { directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Lints files with the plugin's own configs (as a user would), independently of the codemod's linter:
 * the "one truth" check runs this on the codemod's output.
 */
export async function lintWithPlugin(
  cwd: string,
  files: readonly string[],
  options: { typeCheck: boolean; settings?: Record<string, unknown>; entries?: readonly string[] },
): Promise<Linter.LintMessage[][]> {
  const configs = (plugin as unknown as { configs: Record<string, Linter.Config | Linter.Config[]> }).configs;
  const asArray = (config: Linter.Config | Linter.Config[] | undefined): Linter.Config[] =>
    config === undefined ? [] : Array.isArray(config) ? config : [config];
  const typeChecked = asArray(configs['recommended-type-checked']);
  const parser = typeChecked.find((config) => config.languageOptions?.parser)?.languageOptions?.parser;
  const base = options.typeCheck
    ? [
        ...typeChecked,
        { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parserOptions: { tsconfigRootDir: cwd } } },
        // As the codemod does: JavaScript that a tsconfig includes (allowJs) is linted with types too.
        { files: ['**/*.{js,jsx,mjs,cjs}'], languageOptions: { ...(parser ? { parser } : {}), parserOptions: { projectService: true, tsconfigRootDir: cwd } } },
      ]
    : [...asArray(configs['recommended']), { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { ...(parser ? { parser } : {}) } }];
  const extra: Linter.Config[] = [{ files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'] }];
  if (options.settings) extra.push({ settings: { quiesce: options.settings } });
  if (options.entries?.length) {
    extra.push({ rules: { 'quiesce/require-shutdown-handler': ['error', { entries: [...options.entries] }] } });
  }
  const eslint = new ESLint({ cwd, overrideConfigFile: true, ignore: false, overrideConfig: [...base, ...extra] });
  const results = await eslint.lintFiles([...files]);
  return results.map((result) => result.messages);
}

/** A case's other source files: `<name>.input.<ext>`, copied as `<name>.<ext>`, expected as `<name>.output.<ext>`. */
export function companionsOf(entries: readonly string[]): { input: string; copiedAs: string; output: string }[] {
  return entries
    .filter((entry) => /^[^.]+\.input\.[a-z]+$/.test(entry))
    .map((input) => ({ input, copiedAs: input.replace('.input.', '.'), output: input.replace('.input.', '.output.') }));
}
