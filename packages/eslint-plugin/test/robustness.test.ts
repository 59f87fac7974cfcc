import path from 'node:path';

import * as typescriptParser from '@typescript-eslint/parser';
import type { Linter } from 'eslint';
import type ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import {
  allFiles,
  fatalMessages,
  flatten,
  isTypeScript,
  lint,
  maximalRules,
  maximalSettings,
  programOfAllFiles,
  repoRoot,
  unusualFiles,
} from './repository-files.js';

describe('every rule survives every fixture and the unusual-syntax files', () => {
  let program: ts.Program;

  beforeAll(() => {
    program = programOfAllFiles();
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
    // The file sits in the test folder: forced to be a service so that every rule runs on it.
    const service = { settings: { quiesce: { role: 'service' } } };
    const messages = lint(unusualFiles[0]!, [...flatten(plugin.configs.recommended), { languageOptions: { parser: typescriptParser } }, service]);
    expect(fatalMessages(messages)).toEqual([]);
    const rules = new Set(messages.map((message) => message.ruleId));
    for (const rule of ['no-untracked-timer', 'no-untracked-promise', 'no-untracked-async-callback', 'no-abrupt-exit', 'no-review-markers']) {
      expect(rules, `quiesce/${rule} reported nothing`).toContain(`quiesce/${rule}`);
    }
  });
});
