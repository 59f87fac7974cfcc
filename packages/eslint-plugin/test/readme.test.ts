import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

/**
 * The README's "Adding it to a project that already has an ESLint config" section, run as written: its code blocks
 * (found by their `<!-- readme-test: … -->` markers) become the files of a throwaway project, and its command is run
 * with the workspace's ESLint and the built plugin (npm run build first, as for the other ESLint-level tests).
 */
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
const require = createRequire(import.meta.url);
const eslintBin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');

function block(marker: string): string {
  const match = new RegExp(`<!-- readme-test: ${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no code block marked "readme-test: ${marker}"`);
  return match[1]!;
}

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** A project with its own files; `@quiesce/eslint-plugin` and `@eslint/js` installed (linked), nothing else. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'quiesce-readme-'));
  projects.push(dir);
  mkdirSync(path.join(dir, 'node_modules', '@quiesce'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@eslint'), { recursive: true });
  symlinkSync(packageDir, path.join(dir, 'node_modules', '@quiesce', 'eslint-plugin'), 'dir');
  symlinkSync(path.dirname(require.resolve('@eslint/js/package.json')), path.join(dir, 'node_modules', '@eslint', 'js'), 'dir');
  for (const [name, text] of Object.entries({ 'package.json': JSON.stringify({ name: 'app', private: true }), ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Runs a README command line (`npx eslint …`) with the workspace's ESLint. */
function run(command: string, cwd: string): { status: number | null; output: string } {
  const words = command.trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npx', 'eslint']);
  const result = spawnSync(process.execPath, [eslintBin, ...words.slice(2)], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const tsconfig = JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, types: [] }, include: ['src'] });
/** Code with no shutdown hazard, whose comments name rules of plugins this project does not have installed. */
const cleanWithForeignComments = {
  'src/main.js': "// eslint-disable-next-line import/no-unresolved\nimport { readFileSync } from 'node:fs';\n/* eslint-disable-next-line @typescript-eslint/no-explicit-any */\nexport const config = JSON.parse(readFileSync('config.json', 'utf8'));\n",
  'src/util.ts': '// eslint-disable-next-line @typescript-eslint/no-unused-vars\nexport function double(value: number): number {\n  return value * 2;\n}\n',
  'tsconfig.json': tsconfig,
  // The project's own config needs a plugin that is not installed: the separate run must not load it.
  'eslint.config.js': "import unicorn from 'eslint-plugin-unicorn';\nexport default [unicorn.configs.recommended];\n",
};

describe('README: adding the plugin to a project that already has an ESLint config', () => {
  const command = block('separate-config-command').trim();

  it('runs only our rules with a separate config, and exits 0 although the project’s own rules are not installed', { timeout: 240_000 }, () => {
    const dir = project({ ...cleanWithForeignComments, 'quiesce.eslint.config.mjs': block('separate-config') });
    const result = run(command, dir);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('would fail without --no-inline-config (what the section warns about)', { timeout: 240_000 }, () => {
    const dir = project({ ...cleanWithForeignComments, 'quiesce.eslint.config.mjs': block('separate-config') });
    const result = run(command.replace(' --no-inline-config', ''), dir);
    expect(result.output).toContain("Definition for rule '@typescript-eslint/no-explicit-any' was not found");
    expect(result.status).toBe(1);
  });

  it('reports our findings in that run', { timeout: 240_000 }, () => {
    const dir = project({ ...cleanWithForeignComments, 'src/worker.js': 'setInterval(() => {}, 1000);\n', 'quiesce.eslint.config.mjs': block('separate-config') });
    const result = run(command, dir);
    expect(result.output).toContain('quiesce/no-untracked-timer');
    expect(result.status).toBe(1);
  });

  it('adds the plugin to an existing flat config, which exits 0 on clean code', { timeout: 240_000 }, () => {
    const dir = project({
      'src/main.js': "import { readFileSync } from 'node:fs';\nexport const config = JSON.parse(readFileSync('config.json', 'utf8'));\n",
      'src/util.ts': 'export function double(value: number): number {\n  return value * 2;\n}\n',
      'tsconfig.json': tsconfig,
      'eslint.config.mjs': block('existing-flat-config'),
    });
    const clean = run('npx eslint .', dir);
    expect(clean.output).toBe('');
    expect(clean.status).toBe(0);
    writeFileSync(path.join(dir, 'src', 'poll.ts'), 'setInterval(() => {}, 1000);\n');
    const found = run('npx eslint .', dir);
    expect(found.output).toContain('quiesce/no-untracked-timer');
    expect(found.status).toBe(1);
  });
});
