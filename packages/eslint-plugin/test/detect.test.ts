import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as typescriptParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import type ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

/**
 * The same property for each class of code the real-code evaluation showed is handled already (and one that is not, per
 * class), written to disk so that roles and imports are read as they would be: detect(), which the codemod rewrites
 * from, reports what ESLint reports, with and without types.
 */
describe('detect() equals ESLint on handled shutdown code (real-code evaluation classes)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quiesce-detect-classes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'svc', private: true, scripts: { start: 'node src/main.js' } }),
    'index.html': '<script type="module" src="/src/front.js"></script>\n',
    'tools/pr/package.json': JSON.stringify({ name: 'pr', version: '1.0.0', bin: { pr: './cli.mjs' } }),
    'tools/pr/cli.mjs': "fetch('https://example.invalid');\nsetInterval(() => {}, 1000);\n",
    'src/front.js': "setInterval(() => {}, 1000);\nfetch('/api');\n",
    // Class 1: listener registration on a receiver typed any / through an index signature.
    'src/cache.ts': "declare const cache: { connect(): Promise<void>; [command: string]: (...args: unknown[]) => Promise<unknown> };\ndeclare const loose: any;\ncache.on('error', () => {});\nloose.once('ready', () => {});\nexport function warm() { cache.flushall(); }\n",
    // Class 2: exits after an awaited stop, and one before it.
    'src/worker.ts': "declare const jobs: { close(): Promise<void> };\nprocess.on('SIGTERM', async () => {\n  await jobs.close();\n  process.exit(0);\n});\nprocess.on('SIGINT', async () => {\n  void jobs.close();\n  process.exit(1);\n});\n",
    // Class 3: async listeners with and without async work of their own.
    'src/socket.ts': "import { EventEmitter } from 'node:events';\nconst hub = new EventEmitter();\nhub.on('outer', async (inner: EventEmitter) => {\n  inner.once('ready', async () => { await Promise.resolve(); });\n});\nhub.on('ack', async (reply: () => void) => { reply(); });\n",
    // Classes 4 and 5: a Socket.IO server over a server started elsewhere, a pool handed to an owner a stop path closes.
    'src/app.ts': "import http from 'node:http';\nimport { Server } from 'socket.io';\nimport knex from 'knex';\nimport { orm } from './orm';\nexport class App {\n  httpServer = http.createServer();\n  io = new Server(this.httpServer);\n  connect() { orm.setup(knex({ client: 'pg' })); }\n  async close() { await orm.close(); }\n}\nconst open = http.createServer();\nopen.listen(1);\nexport const io = new Server(open);\nexport const pool = knex({ client: 'pg' });\n",
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const sources = Object.keys(files).filter((name) => /\.(?:[cm]?[jt]s)$/.test(name)).map((name) => path.join(dir, name));

  it('reports something where the code is not handled, so the comparison is not vacuous', () => {
    const found = sources.flatMap((file) => detect(parse(file), { cwd: dir }).map((detection) => `${path.relative(dir, file)} ${detection.ruleId}`));
    expect(found).toEqual(expect.arrayContaining(['src/worker.ts quiesce/no-abrupt-exit', 'src/socket.ts quiesce/no-untracked-async-callback', 'src/app.ts quiesce/no-unclosed-resource']));
    expect(found.filter((entry) => entry.startsWith('src/front.js') || entry.startsWith('tools/pr/'))).toEqual([]);
  });

  for (const name of Object.keys(files).filter((file) => /\.(?:[cm]?[jt]s)$/.test(file))) {
    it(`without types and with types: ${name}`, () => {
      const file = path.join(dir, name);
      const linter = new Linter({ configType: 'flat', cwd: dir });
      const text = readFileSync(file, 'utf8');
      const lintHere = (configs: Linter.Config[]) => linter.verify(text, [{ files: ['**/*.{js,mjs,cjs,ts,mts,cts}'], languageOptions: { globals: { process: 'readonly' } } }, ...configs], file);
      const untyped = lintHere([...flatten(plugin.configs.recommended), ...parserFor(file)]);
      const sourceFile = parse(file);
      expect(reportsOfDetect(sourceFile, detect(sourceFile, { cwd: dir }))).toEqual(reportsOfEslint(untyped));
      const program = typescript.createProgram([file], { allowJs: true, checkJs: false, noEmit: true, strict: true, target: typescript.ScriptTarget.ES2022, module: typescript.ModuleKind.NodeNext, moduleResolution: typescript.ModuleResolutionKind.NodeNext, types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules/@types')] });
      const typedConfig: Linter.Config = { languageOptions: { parser: typescriptParser, parserOptions: { programs: [program], projectService: false } } };
      const typed = lintHere([...flatten(plugin.configs['recommended-type-checked']), typedConfig]);
      const typedFile = program.getSourceFile(file)!;
      expect(reportsOfDetect(typedFile, detect(typedFile, { cwd: dir }, program))).toEqual(reportsOfEslint(typed));
    });
  }
});
