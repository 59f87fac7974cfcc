import fs from 'node:fs';
import path from 'node:path';

import ts from './typescript.cjs';

/**
 * Plain JavaScript that no tsconfig covers, analysed with TypeScript's own inference: a program of the file (as the
 * linter has its text) and what it imports, with `allowJs` and `checkJs` off (the types TypeScript infers, and JSDoc
 * where there is some; no errors are ever reported), the default lib, and the `@types` packages the file's directory
 * can see (`@types/node` among them). So `function save(x) { return fetch(…) }` is known to return a promise, in the
 * same file or imported, without annotations.
 *
 * One program per file, built from source files parsed once per process and shared between programs (TypeScript binds a
 * source file once), as a language service's document registry does: about the cost of one-file binding plus the
 * checker's set-up per file.
 */

/** What the inferred programs are built with: the compiler options of a `jsconfig.json` with `checkJs` off. */
export const inferenceCompilerOptions: Readonly<ts.CompilerOptions> = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  // Packages' own JavaScript stays out: only their declarations are read (as tsc does by default).
  maxNodeModuleJsDepth: 0,
  skipLibCheck: true,
  jsx: ts.JsxEmit.Preserve,
  allowNonTsExtensions: true,
  resolveJsonModule: false,
  noLib: false,
};

const javaScriptFile = /\.(?:[cm]?js|jsx)$/;

/** Whether a file is one the inference applies to: JavaScript by its extension. */
export function isInferredJavaScript(fileName: string): boolean {
  return javaScriptFile.test(fileName);
}

interface Root {
  readonly host: ts.CompilerHost;
  readonly resolutionCache: ts.ModuleResolutionCache;
}

/** Source files read from disk, by path, shared by every inferred program of the process. */
const sharedFiles = new Map<string, ts.SourceFile | undefined>();
/** A host per directory the programs resolve from (their `@types` and module resolution depend on it). */
const roots = new Map<string, Root>();
const maxSharedFiles = 20_000;

/**
 * The program that infers types for a JavaScript `sourceFile` (parsed with parent pointers, with the text the linter
 * has): it contains that very source file object, so its nodes are the program's. Undefined for files that are not
 * JavaScript.
 */
export function inferredProgramOf(sourceFile: ts.SourceFile): ts.Program | undefined {
  if (!isInferredJavaScript(sourceFile.fileName)) return undefined;
  const directory = path.dirname(path.resolve(sourceFile.fileName));
  const root = rootFor(directory);
  const own = path.resolve(sourceFile.fileName);
  const host: ts.CompilerHost = {
    ...root.host,
    getSourceFile: (fileName, languageVersion, onError, shouldCreate) =>
      path.resolve(fileName) === own ? sourceFile : root.host.getSourceFile(fileName, languageVersion, onError, shouldCreate),
    fileExists: (fileName) => path.resolve(fileName) === own || root.host.fileExists(fileName),
    readFile: (fileName) => (path.resolve(fileName) === own ? sourceFile.text : root.host.readFile(fileName)),
  };
  return ts.createProgram({ rootNames: [sourceFile.fileName], options: { ...inferenceCompilerOptions }, host });
}

function rootFor(directory: string): Root {
  const existing = roots.get(directory);
  if (existing) return existing;
  const base = ts.createCompilerHost({ ...inferenceCompilerOptions }, true);
  const resolutionCache = ts.createModuleResolutionCache(directory, (name) => name, { ...inferenceCompilerOptions });
  const host: ts.CompilerHost = {
    ...base,
    getCurrentDirectory: () => directory,
    getSourceFile(fileName) {
      const key = path.resolve(fileName);
      if (sharedFiles.has(key)) return sharedFiles.get(key);
      const text = readText(key);
      const parsed =
        text === undefined
          ? undefined
          : ts.createSourceFile(key, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, true);
      if (sharedFiles.size >= maxSharedFiles) sharedFiles.clear();
      sharedFiles.set(key, parsed);
      return parsed;
    },
    resolveModuleNameLiterals(literals, containingFile, redirectedReference, options, containingSourceFile) {
      return literals.map((literal) =>
        ts.resolveModuleName(
          literal.text,
          containingFile,
          options,
          host,
          resolutionCache,
          redirectedReference,
          ts.getModeForUsageLocation(containingSourceFile, literal, options),
        ),
      );
    },
  };
  const root = { host, resolutionCache };
  roots.set(directory, root);
  return root;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Forgets every file read (for tests that write files, and long-lived processes whose files change). */
export function clearInferenceCache(): void {
  sharedFiles.clear();
  roots.clear();
}
