// The plugin supports ESLint 8.57, 9 and 10 (peer ^8.57.0 || ^9 || ^10, typescript-eslint 8's range). ESLint 10 is the
// workspace's own; ESLint 9 and 8 are installed beside it under the aliases `eslint-v9` and `eslint-v8`. ESLint 10
// and 9 lint each fixture service through its own eslint.config.mjs (the built plugin, type-aware); ESLint 8 through
// the same config written as eslintrc, with the plugin's `legacy-*` configs, as a project that stays on ESLint 8
// would. All three must report the same findings (eslintrc names the rules `@quiesce/<rule>`, flat configs
// `quiesce/<rule>`).

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint as ESLint10 } from 'eslint';
import { ESLint as ESLint8 } from 'eslint-v8';
import { ESLint as ESLint9 } from 'eslint-v9';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtureDirs = globSync(['fixtures/*/eslint.config.mjs'], { cwd: repoRoot, absolute: true }).map((config) => path.dirname(config));

/** Each fixture's eslint.config.mjs as an eslintrc config (`tsconfigRootDir` is added for all). */
const typeCheckedTypeScript = { extends: ['plugin:@quiesce/legacy-recommended-type-checked'] };
const typeCheckedCommonJs = {
  extends: ['plugin:@quiesce/legacy-recommended'],
  overrides: [{ files: ['*.js'], parser: '@typescript-eslint/parser', parserOptions: { sourceType: 'script', projectService: true } }],
};
const eslintrcOf: Record<string, object> = {
  'heat-engine': typeCheckedTypeScript,
  'queue-worker': typeCheckedTypeScript,
  'express-api': typeCheckedCommonJs,
  'fastify-api': typeCheckedCommonJs,
};

interface Finding {
  file: string;
  ruleId: string | null;
  line: number;
  column: number;
}

interface Linter {
  lintFiles(patterns: string[]): Promise<{ filePath: string; messages: { ruleId: string | null; line: number; column: number }[] }[]>;
}

async function findings(eslint: Linter, cwd: string): Promise<Finding[]> {
  const results = await eslint.lintFiles(['.']);
  return results
    .flatMap((result) =>
      result.messages.map((message) => ({
        file: path.relative(cwd, result.filePath),
        ruleId: message.ruleId?.replace(/^@quiesce\//, 'quiesce/') ?? null,
        line: message.line,
        column: message.column,
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)));
}

function eslint8(cwd: string): Linter {
  const config = eslintrcOf[path.basename(cwd)];
  if (!config) throw new Error(`${path.basename(cwd)}: no eslintrc form of its eslint.config.mjs in this test; add one to eslintrcOf`);
  return new ESLint8({
    cwd,
    useEslintrc: false,
    overrideConfig: { root: true, ...config, parserOptions: { tsconfigRootDir: cwd } },
  });
}

describe('ESLint 8 (eslintrc), 9 and 10 report the same findings', () => {
  it('has fixtures to compare and three different majors', () => {
    expect(fixtureDirs.length).toBeGreaterThanOrEqual(3);
    expect(ESLint8.version.split('.')[0]).toBe('8');
    expect(ESLint9.version.split('.')[0]).toBe('9');
    expect(ESLint10.version.split('.')[0]).toBe('10');
    expect(Object.keys(eslintrcOf).sort()).toEqual(fixtureDirs.map((dir) => path.basename(dir)).sort());
  });

  for (const dir of fixtureDirs) {
    it(`on ${path.basename(dir)}`, { timeout: 180_000 }, async () => {
      const ten = await findings(new ESLint10({ cwd: dir }), dir);
      const nine = await findings(new ESLint9({ cwd: dir }), dir);
      const eight = await findings(eslint8(dir), dir);
      expect(ten.filter((finding) => finding.ruleId?.startsWith('quiesce/')).length).toBeGreaterThan(0);
      expect(ten.filter((finding) => finding.ruleId === null)).toEqual([]);
      expect(nine).toEqual(ten);
      expect(eight).toEqual(ten);
    });
  }
});
