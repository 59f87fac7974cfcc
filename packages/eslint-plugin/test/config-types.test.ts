// The configs as a TypeScript user writes them in eslint.config.ts: ESLint's defineConfig, typescript-eslint's
// tseslint.config, and plain spreads into an array typed as ESLint's own Linter.Config[]. A small project under
// test/.tmp (it resolves the built plugin, eslint and typescript-eslint from the workspace) is type-checked by tsc,
// strict, with skipLibCheck off, so that the plugin's own declarations are checked too.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projectDir = path.join(packageDir, 'test', '.tmp', `config-types-${process.pid}`);
const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const forms: Record<string, string> = {
  'define-config.eslint.config.ts': `import { defineConfig } from 'eslint/config';
import quiesce from '@quiesce/eslint-plugin';

export default defineConfig(
  quiesce.configs.recommendedTypeChecked,
  quiesce.configs['recommended-type-checked'],
  { files: ['**/*.js'], extends: [quiesce.configs.disableTypeChecked] },
  { files: ['scripts/**'], extends: [quiesce.configs['disable-type-checked']] },
  quiesce.configs.recommended,
  { plugins: { quiesce }, rules: { 'quiesce/no-untracked-timer': ['error', { setTimeout: true }] } },
);
`,
  'tseslint-config.eslint.config.ts': `import tseslint from 'typescript-eslint';
import quiesce from '@quiesce/eslint-plugin';

export default tseslint.config(
  tseslint.configs.recommendedTypeChecked,
  quiesce.configs.recommendedTypeChecked,
  { files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked, quiesce.configs.disableTypeChecked] },
  { plugins: { quiesce } },
);
`,
  'spread.eslint.config.ts': `import type { Linter } from 'eslint';
import quiesce from '@quiesce/eslint-plugin';

const config: Linter.Config[] = [
  ...quiesce.configs.recommended,
  ...quiesce.configs['recommended-type-checked'],
  ...quiesce.configs.recommendedTypeChecked,
  ...quiesce.configs['disable-type-checked'],
  ...quiesce.configs.disableTypeChecked,
  { plugins: { quiesce } },
];
export default config;
`,
  'untyped-spread.eslint.config.ts': `import quiesce from '@quiesce/eslint-plugin';

export default [...quiesce.configs['recommended-type-checked'], { languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } } }];
`,
  // A mistake the types must catch: a config name that does not exist.
  'unknown-name.eslint.config.ts': `import quiesce from '@quiesce/eslint-plugin';

export default [...quiesce.configs.recomended];
`,
};

afterAll(() => rmSync(projectDir, { recursive: true, force: true }));

async function tsc(): Promise<string> {
  try {
    await run(process.execPath, [tscBin, '-p', '.', '--pretty', 'false'], { cwd: projectDir, timeout: 120_000 });
    return '';
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
}

describe('the configs in eslint.config.ts', () => {
  it('type-check under defineConfig, tseslint.config and a spread; a misspelt config name does not', { timeout: 120_000 }, async () => {
    mkdirSync(projectDir, { recursive: true });
    writeFileSync(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'config-types', private: true, type: 'module' }));
    writeFileSync(
      path.join(projectDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] },
        include: ['*.ts'],
      }),
    );
    for (const [file, text] of Object.entries(forms)) writeFileSync(path.join(projectDir, file), text);

    const output = await tsc();
    const errorLines = output.split('\n').filter((line) => /error TS\d+/.test(line));
    // Exactly the one deliberate mistake, and nothing in the other forms or in any declaration file.
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^unknown-name\.eslint\.config\.ts\(3,\d+\): error TS2551: Property 'recomended' does not exist/);
  });
});
