import { createWrappedNode, ts, type SourceFile } from 'ts-morph';

/**
 * Parsing. TypeScript's parser never throws, so every file is checked for syntax errors before it is
 * edited, and every new text is parsed again before it is written.
 */
export class Parser {
  readonly #ts: typeof ts;
  /** True when #ts is the copy ESLint's TypeScript parser uses: the lint's SourceFiles can then be reused. */
  readonly #sharesLintCompiler: boolean;

  /**
   * `lintCompiler`: the copy of TypeScript ESLint's parser uses, when it is compatible with ts-morph's (same
   * major.minor); parsing with it is faster, and the lint's own parses can be wrapped. Default: ts-morph's copy.
   */
  constructor(lintCompiler?: typeof ts) {
    this.#ts = lintCompiler ?? ts;
    this.#sharesLintCompiler = lintCompiler !== undefined;
  }

  /**
   * A SourceFile the type-checked lint already parsed (and bound) for this text: wrapped as it is, which
   * saves a parse per rewritten file. Parsed again when it came from another copy of TypeScript.
   */
  reuse(compilerFile: ts.SourceFile, filePath: string, text: string): SourceFile {
    if (!this.#sharesLintCompiler || compilerFile.text !== text) return this.parse(filePath, text);
    return createWrappedNode(compilerFile) as SourceFile;
  }

  // Each file is parsed by TypeScript directly and wrapped by ts-morph on its own (createWrappedNode):
  // no Project, no in-memory file system to add to and remove from, half the cost per file.
  parse(filePath: string, text: string): SourceFile {
    const compilerFile = this.#ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, scriptKindOf(filePath));
    return createWrappedNode(compilerFile) as SourceFile;
  }

  /** The file's syntax errors as `line:column message` strings (empty when it parses cleanly). */
  syntaxErrors(sourceFile: SourceFile): string[] {
    return syntaxErrorsOf(sourceFile.compilerNode);
  }

  /** Syntax errors of a text that is not kept (used to check a rewrite before writing it). */
  syntaxErrorsOfText(filePath: string, text: string): string[] {
    const parsed = this.#ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, scriptKindOf(filePath));
    return syntaxErrorsOf(parsed);
  }
}

function scriptKindOf(filePath: string): ts.ScriptKind {
  if (/\.tsx$/i.test(filePath)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(filePath)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(filePath)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

// TypeScript keeps a file's parse errors on the SourceFile (`parseDiagnostics`). That property is
// internal but has been there since TypeScript 1.x; the public route, a Program's
// getSyntacticDiagnostics, returns the same list for a TypeScript file at ~2 ms per call, which the
// codemod pays twice per rewritten file. The program route stays as the fallback. (For JavaScript the
// program would add "TypeScript-only syntax" errors: ESLint has already parsed every input as
// JavaScript, and no rewrite adds TypeScript syntax.)
function syntaxErrorsOf(sourceFile: ts.SourceFile): string[] {
  const internal = (sourceFile as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  const diagnostics = internal ?? syntacticDiagnosticsViaProgram(sourceFile);
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.start === undefined) return message;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return `${line + 1}:${character + 1} ${message}`;
  });
}

function syntacticDiagnosticsViaProgram(sourceFile: ts.SourceFile): readonly ts.Diagnostic[] {
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
  return ts.createProgram({ rootNames: [sourceFile.fileName], options, host }).getSyntacticDiagnostics(sourceFile);
}
