import { Project, ts, type SourceFile } from 'ts-morph';

/**
 * Parsing. TypeScript's parser never throws, so every file is checked for syntax errors before it is
 * edited, and every new text is parsed again before it is written.
 */
export class Parser {
  // One in-memory project for the whole run; files are added for the time they are edited, then removed.
  readonly #project = new Project({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: true, noLib: true, noResolve: true, types: [], jsx: ts.JsxEmit.Preserve },
  });

  parse(filePath: string, text: string): SourceFile {
    return this.#project.createSourceFile(filePath, text, { overwrite: true });
  }

  release(sourceFile: SourceFile): void {
    this.#project.removeSourceFile(sourceFile);
  }

  /** The file's syntax errors as `line:column message` strings (empty when it parses cleanly). */
  syntaxErrors(sourceFile: SourceFile): string[] {
    return syntaxErrorsOf(sourceFile.compilerNode);
  }

  /** Syntax errors of a text that is not kept (used to check a rewrite before writing it). */
  syntaxErrorsOfText(filePath: string, text: string): string[] {
    const kind = scriptKindOf(filePath);
    const parsed = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, kind);
    return syntaxErrorsOf(parsed);
  }
}

function scriptKindOf(filePath: string): ts.ScriptKind {
  if (/\.tsx$/i.test(filePath)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(filePath)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(filePath)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

// A one-file program answers getSyntacticDiagnostics: the parser's errors plus, for JavaScript files,
// TypeScript-only syntax (type annotations in a .js file). noLib/noResolve keep it from loading anything else.
function syntaxErrorsOf(sourceFile: ts.SourceFile): string[] {
  const options: ts.CompilerOptions = { allowJs: true, noLib: true, noResolve: true, types: [] };
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === sourceFile.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({ rootNames: [sourceFile.fileName], options, host });
  return program.getSyntacticDiagnostics(sourceFile).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.start === undefined) return message;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return `${line + 1}:${character + 1} ${message}`;
  });
}
