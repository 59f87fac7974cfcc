// The codemod's rewrite is clean under typescript-eslint: its `recommendedTypeChecked` config, run on every fixture
// before and after quiesce-codemod, reports nothing new on any file — counted by rule and file, so a finding that
// moves with the code it is about is the same finding, and one more of a rule in a file is a new one.
//
// One setting beside typescript-eslint's config: `no-require-imports` is off for CommonJS JavaScript, as that rule's
// docs say it does not apply to a project that uses CommonJS `require` (there is no `import` in a CommonJS file: the
// codemod's own `require('@quiesce/runtime-shim')` is the file's module system, like every other require in it).
// ES modules and TypeScript keep the rule.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { rewriteFixtureCopy, snapshotSources } from './support/codemod.mjs';
import { fixturesDir } from './support/paths.mjs';
import { copyFixture, removeCopy } from './support/workspace.mjs';

const fixtureNames = (await readdir(fixturesDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

const copies: string[] = [];
afterAll(async () => {
  if (process.env['QUIESCE_KEEP_TMP'] !== '1') await Promise.all(copies.map(removeCopy));
});

/** The project's CommonJS JavaScript files under src/, by Node's rules (extension, then package.json "type"). */
async function commonJsFiles(dir: string): Promise<string[]> {
  const { type } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { type?: string };
  const files = [...(await snapshotSources(dir)).keys()];
  return files.filter((file) => extname(file) === '.cjs' || (['.js', '.jsx'].includes(extname(file)) && type !== 'module'));
}

/** `file rule` → how many findings of that rule typescript-eslint's recommendedTypeChecked reports in that file. */
async function typescriptEslintFindings(dir: string): Promise<{ counts: Map<string, number>; linted: string[] }> {
  const commonJs = await commonJsFiles(dir);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      ...tseslint.configs.recommendedTypeChecked,
      { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dir } } },
      ...(commonJs.length > 0 ? [{ files: commonJs, rules: { '@typescript-eslint/no-require-imports': 'off' as const } }] : []),
    ] as ESLint.Options['overrideConfig'],
  });
  const counts = new Map<string, number>();
  const linted: string[] = [];
  for (const result of await eslint.lintFiles(['src'])) {
    const file = relative(dir, result.filePath).split('\\').join('/');
    linted.push(file);
    for (const message of result.messages) {
      if (message.ruleId === null) throw new Error(`${file}:${message.line}: ${message.message}`);
      const key = `${file} ${message.ruleId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return { counts, linted };
}

describe("typescript-eslint's recommendedTypeChecked before and after the codemod", () => {
  it('has every fixture to run on', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(4);
  });

  for (const name of fixtureNames) {
    it(`${name}: nothing new on any rewritten file`, { timeout: 240_000 }, async () => {
      const before = await copyFixture(name, 'typescript-eslint-before');
      copies.push(before);
      const { dir: after } = await rewriteFixtureCopy(name, 'typescript-eslint-after');
      copies.push(after);

      const original = await snapshotSources(before);
      const rewritten = await snapshotSources(after);
      const changed = [...rewritten.keys()].filter((file) => rewritten.get(file) !== original.get(file));
      expect(changed.length, 'the codemod changed no file').toBeGreaterThan(0);

      const found = { before: await typescriptEslintFindings(before), after: await typescriptEslintFindings(after) };
      for (const file of changed) expect(found.after.linted).toContain(file);
      const added = [...found.after.counts]
        .filter(([key, count]) => count > (found.before.counts.get(key) ?? 0))
        .map(([key, count]) => `${key}: ${found.before.counts.get(key) ?? 0} before, ${count} after`);
      expect(added).toEqual([]);
    });
  }
});
