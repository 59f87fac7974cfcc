// Shared by the analysis, which parses with the copy of TypeScript the plugin's detection uses, and the rewrite,
// which parses with ts-morph's copy or that same one. The two copies have separate type declarations, so this asks
// of a copy of TypeScript only the little it uses; and it loads neither, so that the analysis can use it without
// loading ts-morph.

/** What this needs of a SourceFile. */
interface ParsedFile {
  readonly fileName: string;
}

/** What this needs of a diagnostic. */
export interface ParseDiagnostic {
  readonly start?: number | undefined;
  readonly messageText: unknown;
}

/** What this needs of a copy of TypeScript to print a diagnostic. */
export interface MessageFlattener {
  flattenDiagnosticMessageText(messageText: unknown, newLine: string): string;
}

/** What this needs of a copy of TypeScript: the one that made the SourceFile (of type `SourceFile`). */
export interface Compiler<SourceFile extends ParsedFile> extends MessageFlattener {
  createProgram(options: { rootNames: readonly string[]; options: OneFileOptions; host?: object }): {
    getSyntacticDiagnostics(sourceFile: SourceFile): readonly ParseDiagnostic[];
  };
}

interface OneFileOptions {
  allowJs?: boolean;
  noLib?: boolean;
  noResolve?: boolean;
  types?: string[];
}

interface OneFileHost {
  getSourceFile(fileName: string): unknown;
  getDefaultLibFileName(): string;
  writeFile(): void;
  getCurrentDirectory(): string;
  getCanonicalFileName(fileName: string): string;
  useCaseSensitiveFileNames(): boolean;
  getNewLine(): string;
  fileExists(fileName: string): boolean;
  readFile(): undefined;
}

// TypeScript keeps a file's parse errors on the SourceFile (`parseDiagnostics`). That property is
// internal but has been there since TypeScript 1.x (typescript-estree reads it too, to tell ESLint that
// a file does not parse); the public route, a Program's getSyntacticDiagnostics, returns the same list
// for a TypeScript file at ~2 ms per call, which the codemod would pay for every file. The program route
// stays as the fallback. (For JavaScript the program would add "TypeScript-only syntax" errors, which
// ESLint does not report either, and no rewrite adds TypeScript syntax.)
/** The file's syntax errors, in source order (empty when it parses cleanly). */
export function parseDiagnosticsOf<SourceFile extends ParsedFile>(sourceFile: SourceFile, compiler: Compiler<NoInfer<SourceFile>>): readonly ParseDiagnostic[] {
  const internal = (sourceFile as { parseDiagnostics?: readonly ParseDiagnostic[] }).parseDiagnostics;
  return internal ?? syntacticDiagnosticsViaProgram(sourceFile, compiler);
}

/** A diagnostic's message on one line. */
export function messageOf(diagnostic: ParseDiagnostic, compiler: MessageFlattener): string {
  return compiler.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

function syntacticDiagnosticsViaProgram<SourceFile extends ParsedFile>(sourceFile: SourceFile, compiler: Compiler<SourceFile>): readonly ParseDiagnostic[] {
  const options: OneFileOptions = { allowJs: true, noLib: true, noResolve: true, types: [] };
  const host: OneFileHost = {
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
  return compiler.createProgram({ rootNames: [sourceFile.fileName], options, host }).getSyntacticDiagnostics(sourceFile);
}
