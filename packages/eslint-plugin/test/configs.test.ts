import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';
import { afterAll, describe, expect, it, vi } from 'vitest';

import plugin from '../src/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('recommended-type-checked on a file no tsconfig includes', () => {
  it('lints it without types (no parsing error) and says so once on stderr', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiesce-configs-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src'));
    mkdirSync(path.join(dir, 'jobs'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src'] }));
    writeFileSync(path.join(dir, 'src', 'main.ts'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(path.join(dir, 'jobs', 'seed.ts'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(path.join(dir, 'jobs', 'migrate.ts'), 'setInterval(() => {}, 1000);\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const config = [
        ...[plugin.configs['recommended-type-checked']].flat(),
        { languageOptions: { parserOptions: { tsconfigRootDir: dir } } },
      ] as ESLint.Options['overrideConfig'];
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
      const results = await eslint.lintFiles(['src/main.ts', 'jobs/seed.ts', 'jobs/migrate.ts']);
      for (const result of results) {
        expect(result.messages.filter((message) => message.fatal)).toEqual([]);
        expect(result.messages.map((message) => message.ruleId)).toContain('quiesce/no-untracked-timer');
      }
      const notes = stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('is in no tsconfig'));
      expect(notes).toHaveLength(1);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('recommended-type-checked on CommonJS in a .js file', () => {
  it('parses a file that only strict mode rejects as CommonJS, unless its package is an ES module package', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiesce-configs-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'esm'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    writeFileSync(path.join(dir, 'esm', 'package.json'), JSON.stringify({ name: 'esm-part', private: true, type: 'module' }));
    // A function named with a word strict mode reserves: fine in CommonJS, a syntax error in an ES module.
    const code = "function protected(req) { return req.user; }\nsetInterval(() => protected({}), 1000);\nmodule.exports = { protected };\n";
    writeFileSync(path.join(dir, 'handler.js'), code);
    writeFileSync(path.join(dir, 'esm', 'handler.js'), code);
    const config = [...[plugin.configs['recommended-type-checked']].flat(), { languageOptions: { parserOptions: { tsconfigRootDir: dir } } }] as ESLint.Options['overrideConfig'];
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
    const [commonJs, esm] = await eslint.lintFiles(['handler.js', 'esm/handler.js']);
    expect(commonJs!.messages.filter((message) => message.fatal)).toEqual([]);
    expect(commonJs!.messages.map((message) => message.ruleId)).toContain('quiesce/no-untracked-timer');
    // In an ES module package the file is a module: the parse error is real and is reported.
    expect(esm!.messages.filter((message) => message.fatal).map((message) => message.message)).toEqual([expect.stringContaining('protected')]);
  });
});
