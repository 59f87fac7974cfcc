// Each file's program (src/programs.ts), compared with the program typescript-estree itself gives ESLint's parser
// for the same file, text and parser options.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { typescript } from '@quiesce/eslint-plugin/detect';
import { parseAndGenerateServices, type TSESTreeOptions } from '@typescript-eslint/typescript-estree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esmImportsForbidden, FilePrograms } from '../src/find/programs.js';
import { scratchDirectory, writeJson } from './helpers.js';

const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], noEmit: true, skipLibCheck: true };

/**
 * A repository: `src` (TypeScript, its tsconfig.json includes no JavaScript), `scripts/tool.js` (no tsconfig includes
 * it), `legacy` (JavaScript a tsconfig includes with allowJs), `cjs` (verbatimModuleSyntax, CommonJS package), and
 * tsconfigs with other names for `--project`.
 */
function writeRepository(root: string): void {
  for (const directory of ['src', 'scripts', 'legacy', 'cjs']) mkdirSync(path.join(root, directory));
  const write = (file: string, text: string): void => writeFileSync(path.join(root, file), text);
  writeJson(path.join(root, 'package.json'), { name: 'programs', private: true, type: 'module' });
  writeJson(path.join(root, 'tsconfig.json'), { compilerOptions, include: ['src'] });
  write('src/helper.ts', 'export async function refresh(): Promise<void> {}\n');
  write('src/main.ts', "import { refresh } from './helper.js';\n\nsetInterval(() => {\n  refresh();\n}, 1000);\n");
  write('scripts/tool.js', 'setInterval(() => {}, 1000);\n');
  writeJson(path.join(root, 'legacy/tsconfig.json'), { compilerOptions: { ...compilerOptions, allowJs: true, checkJs: true }, include: ['*.js'] });
  write('legacy/job.js', 'export async function job() {}\njob();\n');
  writeJson(path.join(root, 'cjs/package.json'), { type: 'commonjs' });
  writeJson(path.join(root, 'cjs/tsconfig.json'), { compilerOptions: { ...compilerOptions, verbatimModuleSyntax: true }, include: ['*.ts', '*.mts'] });
  write('cjs/script.ts', 'export const value = 1;\n');
  write('cjs/module.mts', 'export const value = 2;\n');
  writeJson(path.join(root, 'tsconfig.build.json'), { compilerOptions, files: ['src/main.ts'] });
  writeJson(path.join(root, 'tsconfig.tools.json'), { compilerOptions: { ...compilerOptions, allowJs: true }, include: ['scripts'] });
}

/** The program typescript-estree gives ESLint's parser for this file, or the error it throws when it has none. */
function estreeProgram(file: string, text: string, options: TSESTreeOptions): typescript.Program | Error {
  try {
    const { services } = parseAndGenerateServices(text, { filePath: file, loc: true, range: true, ...options });
    return services.program ?? new Error('no program');
  } catch (error) {
    return error as Error;
  }
}

/**
 * Runs `body` with typescript-estree's single-run mode set, whatever the environment says (it turns itself on when
 * `CI=true`). In a single run it counts the parses of each file and gives a file parsed a second time (an ESLint fix
 * pass) a program of that file alone, so the tests that are not about a single run must not count theirs.
 */
function withSingleRun<T>(singleRun: boolean, body: () => T): T {
  const saved = process.env['TSESTREE_SINGLE_RUN'];
  process.env['TSESTREE_SINGLE_RUN'] = String(singleRun);
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env['TSESTREE_SINGLE_RUN'];
    else process.env['TSESTREE_SINGLE_RUN'] = saved;
  }
}

/** What identifies a program: its root files and options. */
function describeProgram(program: typescript.Program | undefined): unknown {
  return program && { rootFiles: [...program.getRootFileNames()].sort(), options: program.getCompilerOptions() };
}

describe('programs', () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  let root: string;
  const file = (name: string): string => path.join(root, name);
  // The file as the codemod reads it, changed from what is on disk: the program must hold this text.
  const textOf = (name: string): string => `${readFileSync(file(name), 'utf8')}// edited, not saved\n`;

  beforeAll(() => {
    scratch = scratchDirectory('programs');
    root = scratch.directory;
    writeRepository(root);
  });
  afterAll(() => scratch.remove());

  it('by default, gives each file the project service program typescript-eslint gives it, or none', () => {
    const programs = new FilePrograms({ root, typeCheck: true, tsconfigs: [] });
    for (const name of ['src/main.ts', 'src/helper.ts', 'legacy/job.js', 'scripts/tool.js', 'cjs/script.ts']) {
      const text = textOf(name);
      const ours = programs.parse(file(name), text);
      const theirs = withSingleRun(false, () => estreeProgram(file(name), text, { projectService: true, tsconfigRootDir: root }));
      expect(ours.sourceFile.text, name).toBe(text);
      if (theirs instanceof Error) {
        expect(theirs.message, name).toMatch(/was not found by the project service/);
        expect(ours.program, name).toBeUndefined();
      } else {
        expect(describeProgram(ours.program), name).toEqual(describeProgram(theirs));
        expect(ours.program?.getSourceFile(file(name)), name).toBe(ours.sourceFile);
      }
    }
    expect(programs.parse(file('scripts/tool.js'), textOf('scripts/tool.js')).program).toBeUndefined();
    expect(programs.parse(file('legacy/job.js'), textOf('legacy/job.js')).program).toBeDefined();
  });

  it('with tsconfigs of other names, gives a file the first of their programs that contains it, as `npx eslint` does', () => {
    const tsconfigs = [file('tsconfig.build.json'), file('tsconfig.tools.json')];
    const programs = new FilePrograms({ root, typeCheck: true, tsconfigs });
    // typescript-estree's single run, which the ESLint CLI gets: one program per tsconfig, made once, and each file
    // parsed once (no other test of this file parses in a single run).
    for (const name of ['src/main.ts', 'src/helper.ts', 'scripts/tool.js', 'legacy/job.js']) {
      const text = readFileSync(file(name), 'utf8');
      const ours = programs.parse(file(name), text);
      const theirs = withSingleRun(true, () => estreeProgram(file(name), text, { projectService: false, project: tsconfigs, tsconfigRootDir: root }));
      if (theirs instanceof Error) {
        expect(theirs.message, name).toMatch(/was not found in any of the provided project/);
        expect(ours.program, name).toBeUndefined();
      } else {
        expect(describeProgram(ours.program), name).toEqual(describeProgram(theirs));
      }
    }
    expect(programs.parse(file('src/helper.ts'), readFileSync(file('src/helper.ts'), 'utf8')).program?.getRootFileNames()).toEqual([file('src/main.ts')]);
    expect(programs.parse(file('legacy/job.js'), readFileSync(file('legacy/job.js'), 'utf8')).program).toBeUndefined();
  });

  it('without type checking, parses each file alone, as the plugin gets it from ESLint', () => {
    const programs = new FilePrograms({ root, typeCheck: false, tsconfigs: [] });
    const text = 'setInterval(() => {}, 1000);\n';
    for (const name of ['a.ts', 'a.mts', 'a.cts', 'a.tsx']) {
      const ours = programs.parse(file(name), text);
      expect(ours.program).toBeUndefined();
      // typescript-estree's SourceFile, with ESLint's default `sourceType` (`module`).
      const { ast, services } = parseAndGenerateServices(text, { filePath: file(name), sourceType: 'module', loc: true, range: true });
      const theirs = services.esTreeNodeToTSNodeMap.get(ast) as unknown as typescript.SourceFile;
      expect(typescript.isExternalModule(ours.sourceFile), name).toBe(typescript.isExternalModule(theirs));
      expect(typescript.isExternalModule(ours.sourceFile), name).toBe(true);
      expect(ours.sourceFile.languageVariant, name).toBe(theirs.languageVariant);
    }
    // JavaScript goes to espree, and the plugin parses the text itself with TypeScript's defaults.
    const { JS, JSX } = typescript.ScriptKind;
    for (const [name, kind] of [['a.js', JS], ['a.mjs', JS], ['a.cjs', JS], ['a.jsx', JSX]] as const) {
      const ours = programs.parse(file(name), text);
      expect(ours.program).toBeUndefined();
      const plain = typescript.createSourceFile(file(name), text, typescript.ScriptTarget.Latest, true, kind);
      expect(typescript.isExternalModule(ours.sourceFile), name).toBe(typescript.isExternalModule(plain));
      expect(ours.sourceFile.languageVariant, name).toBe(plain.languageVariant);
    }
  });

  it('knows when TypeScript forbids ES imports in a file (verbatimModuleSyntax with CommonJS output)', () => {
    const programs = new FilePrograms({ root, typeCheck: true, tsconfigs: [] });
    const forbidden = (name: string): boolean => {
      const { sourceFile, program } = programs.parse(file(name), readFileSync(file(name), 'utf8'));
      if (!program) throw new Error(`${name} has no program`);
      return esmImportsForbidden(program, sourceFile);
    };
    expect(forbidden('cjs/script.ts')).toBe(true);
    expect(forbidden('cjs/module.mts')).toBe(false);
    expect(forbidden('src/main.ts')).toBe(false);
  });

  it('runs the project service on the copy of TypeScript the detection uses', () => {
    const requireFromService = createRequire(import.meta.resolve('@typescript-eslint/project-service'));
    expect(requireFromService('typescript/lib/tsserverlibrary')).toBe(typescript);
  });
});
