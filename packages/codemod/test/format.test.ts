import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFormatters } from '../src/write/format.js';
import { repositoryRoot, scratchDirectory, writeJson } from './helpers.js';

describe("the project's own formatter", () => {
  it('loads the Prettier installed in the project, with its config, and skips what .prettierignore ignores', async () => {
    const scratch = scratchDirectory('format-prettier');
    try {
      const cwd = scratch.directory;
      writeFileSync(path.join(cwd, '.prettierrc'), '{ "semi": false, "singleQuote": true }\n');
      writeFileSync(path.join(cwd, '.prettierignore'), 'generated/\n');
      const lookup = await new ProjectFormatters(cwd).forFile(path.join(cwd, 'src/a.ts'));
      if (lookup.kind !== 'formatter') throw new Error(`expected a formatter, got ${JSON.stringify(lookup)}`);
      expect(lookup.formatter.name).toBe('prettier');
      expect(lookup.formatter.config).toBe(path.join(cwd, '.prettierrc'));
      expect(await lookup.formatter.format(path.join(cwd, 'src/a.ts'), 'const a = "x";\n')).toBe("const a = 'x'\n");
      expect(await lookup.formatter.format(path.join(cwd, 'generated/b.ts'), 'const a = "x";\n')).toBeUndefined();
    } finally {
      scratch.remove();
    }
  });

  it('takes the nearest configuration, a package.json "prettier" key included', async () => {
    const scratch = scratchDirectory('format-nearest');
    try {
      const cwd = scratch.directory;
      writeFileSync(path.join(cwd, '.prettierrc'), '{}\n');
      mkdirSync(path.join(cwd, 'packages/a'), { recursive: true });
      writeJson(path.join(cwd, 'packages/a/package.json'), { name: 'a', prettier: { tabWidth: 4 } });
      const formatters = new ProjectFormatters(cwd);
      const nested = await formatters.forFile(path.join(cwd, 'packages/a/src/x.js'));
      expect(nested.kind === 'formatter' && nested.formatter.config).toBe(path.join(cwd, 'packages/a/package.json'));
      if (nested.kind !== 'formatter') throw new Error('no formatter');
      expect(await nested.formatter.format(path.join(cwd, 'packages/a/src/x.js'), 'function f() {\nreturn 1;\n}\n')).toBe('function f() {\n    return 1;\n}\n');
      const top = await formatters.forFile(path.join(cwd, 'src/y.js'));
      expect(top.kind === 'formatter' && top.formatter.config).toBe(path.join(cwd, '.prettierrc'));
    } finally {
      scratch.remove();
    }
  });

  it('formats with a project on Prettier 2 whose config is a shared config named by a package.json string', async () => {
    // The project's own node_modules: Prettier 2 (the root's prettier-v2) and its shared config package.
    const directory = mkdtempSync(path.join(os.tmpdir(), 'quiesce-codemod-format-prettier2-'));
    try {
      mkdirSync(path.join(directory, 'node_modules/@acme/prettier-config'), { recursive: true });
      symlinkSync(path.join(repositoryRoot, 'node_modules/prettier-v2'), path.join(directory, 'node_modules/prettier'), 'dir');
      writeJson(path.join(directory, 'node_modules/@acme/prettier-config/package.json'), { name: '@acme/prettier-config', version: '1.0.0', main: 'index.json' });
      writeJson(path.join(directory, 'node_modules/@acme/prettier-config/index.json'), { semi: false, singleQuote: true, tabWidth: 4 });
      writeJson(path.join(directory, 'package.json'), { name: 'service', private: true, prettier: '@acme/prettier-config' });
      writeFileSync(path.join(directory, '.prettierignore'), 'generated/\n');
      const lookup = await new ProjectFormatters(directory).forFile(path.join(directory, 'src/a.ts'));
      if (lookup.kind !== 'formatter') throw new Error(`expected a formatter, got ${JSON.stringify(lookup)}`);
      expect(lookup.formatter.version).toMatch(/^2\./);
      expect(lookup.formatter.config).toBe(path.join(directory, 'package.json'));
      expect(await lookup.formatter.format(path.join(directory, 'src/a.ts'), 'function f() {\nreturn "x";\n}\n')).toBe("function f() {\n    return 'x'\n}\n");
      expect(await lookup.formatter.format(path.join(directory, 'generated/b.ts'), 'const a = "x";\n')).toBeUndefined();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('names a configured formatter that is not installed, and finds none where nothing is configured', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'quiesce-codemod-format-missing-'));
    try {
      writeFileSync(path.join(directory, 'biome.json'), '{}\n');
      const missing = await new ProjectFormatters(directory).forFile(path.join(directory, 'a.ts'));
      expect(missing).toEqual({ kind: 'problem', problem: expect.stringContaining('biome.json configures biome, but @biomejs/biome is not installed in the project') });
      rmSync(path.join(directory, 'biome.json'));
      expect(await new ProjectFormatters(directory).forFile(path.join(directory, 'a.ts'))).toEqual({ kind: 'none' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
