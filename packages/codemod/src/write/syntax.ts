import { scriptKindOf } from '@quiesce/eslint-plugin/detect';
import { createWrappedNode, ts, type SourceFile } from 'ts-morph';
import { messageOf, parseDiagnosticsOf } from '../find/parse-diagnostics.js';

/**
 * Parsing. TypeScript's parser never throws, so every file is checked for syntax errors before it is
 * edited, and every new text is parsed again before it is written.
 */
export class Parser {
  readonly #ts: typeof ts;
  /** True when #ts is the copy the plugin's detection uses: the analysis's SourceFiles can then be reused. */
  readonly #sharesAnalysisCompiler: boolean;

  /**
   * `analysisCompiler`: the copy of TypeScript the plugin's detection parses with, when it is compatible with
   * ts-morph's (same major.minor); it is warmed up by the analysis already, so parsing with it is faster, and the
   * analysis's own SourceFiles can be wrapped. Default: ts-morph's copy.
   */
  constructor(analysisCompiler?: typeof ts) {
    this.#ts = analysisCompiler ?? ts;
    this.#sharesAnalysisCompiler = analysisCompiler !== undefined;
  }

  /**
   * A SourceFile the analysis already parsed for this text: wrapped as it is, which saves a parse per rewritten
   * file. Parsed again when it came from another copy of TypeScript.
   */
  reuse(compilerFile: ts.SourceFile, filePath: string, text: string): SourceFile {
    if (!this.#sharesAnalysisCompiler || compilerFile.text !== text) return this.parse(filePath, text);
    return createWrappedNode(compilerFile) as SourceFile;
  }

  // Each file is parsed by TypeScript directly and wrapped by ts-morph on its own (createWrappedNode):
  // no Project, no in-memory file system to add to and remove from, half the cost per file.
  parse(filePath: string, text: string): SourceFile {
    const compilerFile = this.#ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, scriptKindOf(filePath, this.#ts.ScriptKind) ?? this.#ts.ScriptKind.JS);
    return createWrappedNode(compilerFile) as SourceFile;
  }

  /** The file's syntax errors as `line:column message` strings (empty when it parses cleanly). */
  syntaxErrors(sourceFile: SourceFile): string[] {
    return syntaxErrorsOf(sourceFile.compilerNode, this.#ts);
  }

  /** Syntax errors of a text that is not kept (used to check a rewrite before writing it). */
  syntaxErrorsOfText(filePath: string, text: string): string[] {
    const parsed = this.#ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, scriptKindOf(filePath, this.#ts.ScriptKind) ?? this.#ts.ScriptKind.JS);
    return syntaxErrorsOf(parsed, this.#ts);
  }
}

function syntaxErrorsOf(sourceFile: ts.SourceFile, compiler: typeof ts): string[] {
  return parseDiagnosticsOf(sourceFile, compiler).map((diagnostic) => {
    const message = messageOf(diagnostic, compiler);
    if (diagnostic.start === undefined) return message;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
    return `${line + 1}:${character + 1} ${message}`;
  });
}
