import ts from './typescript.cjs';

const scriptKinds: Readonly<Record<string, ts.ScriptKind>> = {
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
};

/**
 * A file as the rules see it when ESLint lints it without a program: TypeScript as typescript-eslint's parser parses
 * it (a module whatever its syntax, as ESLint's default `sourceType` has it; JSDoc not parsed), JavaScript as the rules
 * parse the text ESLint's default parser had. A name without a known extension is read as JavaScript, under a name
 * TypeScript accepts as a program's root (the rules bind the file with a one-file program).
 */
export function parseFile(fileName: string, text: string): ts.SourceFile {
  const extension = /\.[cm]?[jt]sx?$/.exec(fileName)?.[0] ?? '';
  const kind = scriptKinds[extension];
  if (kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX) {
    const options: ts.CreateSourceFileOptions = {
      languageVersion: ts.ScriptTarget.Latest,
      jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
      setExternalModuleIndicator: markAsModule,
    };
    return ts.createSourceFile(fileName, text, options, true, kind);
  }
  return ts.createSourceFile(kind === undefined ? `${fileName}.js` : fileName, text, ts.ScriptTarget.Latest, true, kind ?? ts.ScriptKind.JS);
}

function markAsModule(sourceFile: ts.SourceFile): void {
  (sourceFile as { externalModuleIndicator?: unknown }).externalModuleIndicator = true;
}
