import { createRequire } from 'node:module';
import path from 'node:path';
import { parseFile, typescript } from '@quiesce/eslint-plugin/detect';
import { createProjectService } from '@typescript-eslint/project-service';
import { getParsedConfigFile } from '@typescript-eslint/tsconfig-utils';

// For each file, the TypeScript program typescript-eslint would give the plugin's rules under the configs the
// codemod stands for (`recommended-type-checked`, or `recommended` without types), built the way
// @typescript-eslint/typescript-estree 8.72 builds it (useProgramFromProjectService.js, create-program/*.js),
// without ESLint. Everything is built with the copy of TypeScript the plugin's detection exports, so that the
// checker and the detection share one copy.

/** How the detection sees one file: its syntax tree, and the program that has its types when there is one. */
export interface ParsedFile {
  readonly sourceFile: typescript.SourceFile;
  /** Absent: the file is analysed without types, as ESLint lints a file that no tsconfig includes. */
  readonly program?: typescript.Program;
}

export interface ProgramOptions {
  /** typescript-eslint's `tsconfigRootDir` (ESLint's base path): the project service looks no higher for a tsconfig.json. */
  readonly root: string;
  readonly typeCheck: boolean;
  /** `--project` tsconfigs (absolute, references expanded); empty: each file's nearest tsconfig.json. */
  readonly tsconfigs: readonly string[];
}

/** Finds each file's program. One per thread: it holds the programs (a project service, or one program per tsconfig). */
export class FilePrograms {
  readonly #typed: TypedPrograms | undefined;

  constructor(options: ProgramOptions) {
    if (!options.typeCheck) return;
    // The project service finds each file's nearest tsconfig.json and follows project references to their
    // sources, which `parserOptions.project` cannot. So a tsconfig with another name is the only reason to
    // give typescript-eslint (and so build here) an explicit list of projects.
    const needsExplicitProjects = options.tsconfigs.some((tsconfig) => path.basename(tsconfig) !== 'tsconfig.json');
    this.#typed = needsExplicitProjects ? new ExplicitProjects(options.tsconfigs) : new ProjectServicePrograms(options.root);
  }

  /** `text` is the file's content (BOM removed), which the program's SourceFile holds too. */
  parse(file: string, text: string): ParsedFile {
    // Without a program: the file as the plugin's rules see it when ESLint lints it without one.
    return this.#typed?.find(file, text) ?? { sourceFile: parseFile(file, text) };
  }
}

interface TypedPrograms {
  /** The file in the program that has its types, or undefined when no project includes it. */
  find(file: string, text: string): Required<ParsedFile> | undefined;
}

/**
 * `parserOptions: { projectService: true, tsconfigRootDir }`: typescript-eslint's project service (a TypeScript
 * server's ProjectService) opens each file with its text and takes the program of the file's default project.
 */
class ProjectServicePrograms implements TypedPrograms {
  readonly #root: string;
  #service: ReturnType<typeof createProjectService>['service'] | undefined;

  constructor(root: string) {
    this.#root = root;
  }

  find(file: string, text: string): Required<ParsedFile> | undefined {
    const service = (this.#service ??= createService(this.#root));
    let opened = service.openClientFile(file, text, undefined, this.#root);
    let openedAs = file;
    if (!opened.configFileName) {
      // A file reachable through a symlink can be in a project only under the symlinked path. Otherwise, or not
      // there either: typescript-eslint's "was not found by the project service", and ESLint lints it without types.
      const symlinked = symlinkedPathInProjects(service, file);
      if (symlinked === undefined) return undefined;
      opened = service.openClientFile(symlinked, text, undefined, this.#root);
      if (!opened.configFileName) return undefined;
      openedAs = symlinked;
    }
    const scriptInfo = service.getScriptInfo(openedAs);
    if (!scriptInfo) return undefined;
    const program = service.getDefaultProjectForFile(scriptInfo.fileName, true)?.getLanguageService(true).getProgram();
    if (!program) return undefined;
    const sourceFile = sourceFileOf(program, file);
    return sourceFile ? { sourceFile, program } : undefined;
  }
}

function createService(root: string): ReturnType<typeof createProjectService>['service'] {
  assertServiceTypeScript();
  const { service } = createProjectService({ options: {}, jsDocParsingMode: typescript.JSDocParsingMode.ParseAll, tsconfigRootDir: root });
  return service;
}

// The project service runs the TypeScript that it resolves itself; the detection reads that program's nodes and
// types with its own copy, whose syntax kinds and flags are numbers that can change between versions.
function assertServiceTypeScript(): void {
  const requireFromService = createRequire(import.meta.resolve('@typescript-eslint/project-service'));
  const { version } = requireFromService('typescript/lib/tsserverlibrary') as { version: string };
  if (version !== typescript.version) {
    throw new Error(
      `@typescript-eslint/project-service runs TypeScript ${version} but @quiesce/eslint-plugin's detection uses ` +
        `TypeScript ${typescript.version}: install one version of typescript for both`,
    );
  }
}

/**
 * `parserOptions: { projectService: false, project: [...tsconfigs] }` as `npx eslint` runs it (typescript-eslint's
 * single run): one program per tsconfig, made when a file is not in the ones before it, and a file gets the first
 * that contains it.
 */
class ExplicitProjects implements TypedPrograms {
  readonly #tsconfigs: readonly string[];
  readonly #programs = new Map<string, typescript.Program>();

  constructor(tsconfigs: readonly string[]) {
    this.#tsconfigs = tsconfigs;
  }

  find(file: string): Required<ParsedFile> | undefined {
    for (const tsconfig of this.#tsconfigs) {
      const program = this.#programOf(tsconfig);
      const sourceFile = sourceFileOf(program, file);
      if (sourceFile) return { sourceFile, program };
    }
    return undefined;
  }

  #programOf(tsconfig: string): typescript.Program {
    let program = this.#programs.get(tsconfig);
    if (!program) {
      // typescript-estree's createProgramFromConfigFile (with getParsedConfigFile, which throws on a tsconfig error).
      const parsed = getParsedConfigFile(typescript, tsconfig);
      program = typescript.createProgram(parsed.fileNames, parsed.options, typescript.createCompilerHost(parsed.options, true));
      this.#programs.set(tsconfig, program);
    }
    return program;
  }
}

/** `verbatimModuleSyntax` with CommonJS output for this file: TypeScript rejects ES imports in it (TS1295). */
export function esmImportsForbidden(program: typescript.Program, sourceFile: typescript.SourceFile): boolean {
  if (!program.getCompilerOptions().verbatimModuleSyntax) return false;
  // Program#getEmitModuleFormatOfFile: TypeScript 5.6 and later, public but missing from its declarations.
  const formatOf = (program as { getEmitModuleFormatOfFile?: (file: typescript.SourceFile) => typescript.ModuleKind }).getEmitModuleFormatOfFile;
  return formatOf?.call(program, sourceFile) === typescript.ModuleKind.CommonJS;
}

// typescript-estree's getAstFromProgram (create-program/shared.js): the file under its own path, its real path,
// or the path a symlinked directory of the program's root files gives it; and not when the program's file has
// another extension (a `.js` path answered with a `.d.ts`).
function sourceFileOf(program: typescript.Program, file: string): typescript.SourceFile | undefined {
  const sourceFile = sourceFileUnderAnyPath(program, file);
  return sourceFile && extensionOf(sourceFile.fileName) === extensionOf(file) ? sourceFile : undefined;
}

function sourceFileUnderAnyPath(program: typescript.Program, file: string): typescript.SourceFile | undefined {
  const direct = program.getSourceFile(file);
  if (direct) return direct;
  const realPath = realPathOf(file);
  const fromRealPath = realPath === file ? undefined : program.getSourceFile(realPath);
  if (fromRealPath) return fromRealPath;
  const symlinked = pathToSameFile(symlinkedDirectoriesOf(program), file);
  return symlinked === undefined ? undefined : program.getSourceFile(symlinked);
}

const declarationExtensions = ['.d.ts', '.d.cts', '.d.mts'];

function extensionOf(fileName: string): string {
  return declarationExtensions.find((extension) => fileName.endsWith(extension)) ?? path.extname(fileName);
}

const realPaths = new Map<string, string>();

function realPathOf(file: string): string {
  let realPath = realPaths.get(file);
  if (realPath === undefined) {
    realPath = typescript.sys.realpath?.(file) ?? file;
    realPaths.set(file, realPath);
  }
  return realPath;
}

function canonical(file: string): string {
  let normalized = path.normalize(file);
  if (normalized.endsWith(path.sep)) normalized = normalized.slice(0, -1);
  return typescript.sys.useCaseSensitiveFileNames ? normalized : normalized.toLowerCase();
}

/** Directories reachable only through a symlink, by their canonical real path: the path the project knows them by. */
function symlinkedDirectories(fileNames: Iterable<string>): Map<string, string> {
  const directories = new Set([...fileNames].map((fileName) => path.dirname(fileName)));
  const symlinked = new Map<string, string>();
  for (const directory of directories) {
    const realPath = realPathOf(directory);
    if (realPath !== directory) symlinked.set(canonical(realPath), directory);
  }
  return symlinked;
}

function pathToSameFile(directories: ReadonlyMap<string, string>, file: string): string | undefined {
  const realPath = realPathOf(file);
  const directory = directories.get(canonical(path.dirname(realPath)));
  return directory === undefined ? undefined : path.join(directory, path.basename(realPath));
}

const programSymlinkedDirectories = new WeakMap<typescript.Program, Map<string, string>>();

function symlinkedDirectoriesOf(program: typescript.Program): Map<string, string> {
  let directories = programSymlinkedDirectories.get(program);
  if (!directories) {
    // Only a program's root files can be under a directory it knows by a symlinked path.
    directories = symlinkedDirectories(program.getRootFileNames());
    programSymlinkedDirectories.set(program, directories);
  }
  return directories;
}

function symlinkedPathInProjects(service: ReturnType<typeof createProjectService>['service'], file: string): string | undefined {
  for (const project of service.configuredProjects.values()) {
    const found = pathToSameFile(symlinkedDirectories(project.getFileNames(true, true)), file);
    if (found !== undefined) return found;
  }
  return undefined;
}
