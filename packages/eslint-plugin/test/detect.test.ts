import { readFileSync } from 'node:fs';
import path from 'node:path';

import * as typescriptParser from '@typescript-eslint/parser';
import type { Linter } from 'eslint';
import type ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

import { type Detection, detect, parseFile, scriptKindOf, typescript } from '../src/detect/index.js';
import plugin from '../src/index.js';
import { allFiles, flatten, isTypeScript, lint, programOfAllFiles, repoRoot } from './repository-files.js';

/**
 * `detect()` is the plugin's findings without ESLint (what the codemod rewrites): on every real source of the repository,
 * it must give what ESLint with the plugin's configs reports, message for message.
 */
const settings = { trackers: ['@acme/lifecycle'], timers: { setTimeout: true, setImmediate: true } };
const entries = ['fixtures/heat-engine/**'];

interface Report {
  ruleId: string | null;
  messageId: string | undefined;
  message: string;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
}

function reportsOfEslint(messages: Linter.LintMessage[]): Report[] {
  return messages.map(({ ruleId, messageId, message, line, column, endLine, endColumn }) => ({
    ruleId,
    messageId,
    message,
    line,
    column,
    endLine,
    endColumn,
  }));
}

function reportsOfDetect(sourceFile: ts.SourceFile, detections: Detection[]): Report[] {
  const position = (offset: number) => sourceFile.getLineAndCharacterOfPosition(offset);
  return detections.map(({ ruleId, messageId, message, start, end }) => ({
    ruleId,
    messageId,
    message,
    line: position(start).line + 1,
    column: position(start).character + 1,
    endLine: position(end).line + 1,
    endColumn: position(end).character + 1,
  }));
}

function parse(file: string): ts.SourceFile {
  const kind = /\.tsx$/.test(file)
    ? typescript.ScriptKind.TSX
    : isTypeScript(file)
      ? typescript.ScriptKind.TS
      : /\.jsx$/.test(file)
        ? typescript.ScriptKind.JSX
        : typescript.ScriptKind.JS;
  return typescript.createSourceFile(file, readFileSync(file, 'utf8'), typescript.ScriptTarget.Latest, true, kind);
}

const parserFor = (file: string): Linter.Config[] => (isTypeScript(file) ? [{ languageOptions: { parser: typescriptParser } }] : []);

describe('detect() reports what ESLint with the plugin reports', () => {
  let program: ts.Program;

  beforeAll(() => {
    program = programOfAllFiles();
  }, 120_000);

  // One detect() over every source of the repository (plain JavaScript with its inferred program each): a whole-repository pass.
  it('has files to compare, and finds hazards in them', { timeout: 120_000 }, () => {
    expect(allFiles.length).toBeGreaterThan(10);
    const found = allFiles.flatMap((file) => detect(parse(file), { cwd: repoRoot }));
    expect(new Set(found.map((detection) => detection.ruleId)).size).toBeGreaterThanOrEqual(6);
  });

  for (const file of allFiles) {
    const name = path.relative(repoRoot, file);

    it(`without types: ${name}`, () => {
      const eslint = lint(file, [...flatten(plugin.configs.recommended), ...parserFor(file)]);
      const sourceFile = parse(file);
      expect(reportsOfDetect(sourceFile, detect(sourceFile, { cwd: repoRoot }))).toEqual(reportsOfEslint(eslint));
    });

    it(`without types, with settings and entries: ${name}`, () => {
      const eslint = lint(file, [
        ...flatten(plugin.configs.recommended),
        ...parserFor(file),
        { settings: { quiesce: settings }, rules: { 'quiesce/require-shutdown-handler': ['error', { entries }] } },
      ]);
      const sourceFile = parse(file);
      expect(reportsOfDetect(sourceFile, detect(sourceFile, { cwd: repoRoot, settings, entries }))).toEqual(reportsOfEslint(eslint));
    });

    it(`with types: ${name}`, () => {
      const typed: Linter.Config = {
        languageOptions: { parser: typescriptParser, parserOptions: { programs: [program], projectService: false } },
      };
      const eslint = lint(file, [...flatten(plugin.configs['recommended-type-checked']), typed]);
      const sourceFile = program.getSourceFile(file)!;
      expect(reportsOfDetect(sourceFile, detect(sourceFile, { cwd: repoRoot }, program))).toEqual(reportsOfEslint(eslint));
    });
  }

  it('names a bad setting', () => {
    expect(() => detect(parse(allFiles[0]!), { cwd: repoRoot, settings: { trackers: 'x' } })).toThrow(/settings\.quiesce\.trackers/);
  });
});

describe('scriptKindOf', () => {
  it('gives the kind TypeScript takes each extension as, in the values of the copy it is given', () => {
    const kinds = { JS: 'js', JSX: 'jsx', TS: 'ts', TSX: 'tsx' } as const;
    const table = ['a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.d.ts', 'a.TS', 'a.json', 'a'].map((name) => [name, scriptKindOf(name, kinds)]);
    expect(table).toEqual([
      ['a.js', 'js'], ['a.mjs', 'js'], ['a.cjs', 'js'], ['a.jsx', 'jsx'],
      ['a.ts', 'ts'], ['a.mts', 'ts'], ['a.cts', 'ts'], ['a.tsx', 'tsx'], ['a.d.ts', 'ts'],
      // TypeScript compares extensions case-sensitively: these are not roots it takes.
      ['a.TS', undefined], ['a.json', undefined], ['a', undefined],
    ]);
    expect(scriptKindOf('a.tsx', typescript.ScriptKind)).toBe(typescript.ScriptKind.TSX);
  });

  it('parseFile reads a file of another extension as JavaScript, under a name TypeScript takes as a root', () => {
    const sourceFile = parseFile('/app/a.TS', 'let x = <T,>(y: T) => y;\n');
    expect(sourceFile.fileName).toBe('/app/a.TS.js');
    expect(parseFile('/app/a.mts', 'export {};\n').fileName).toBe('/app/a.mts');
  });
});
