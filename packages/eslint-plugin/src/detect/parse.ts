import ts from './typescript.cjs';

/**
 * The script kind TypeScript gives a file by its extension, or undefined for an extension it does not take as a
 * program's root (it compares them case-sensitively: `a.TS` is not one). `kinds` is the `ScriptKind` of the copy of
 * TypeScript that will parse the file, so that a caller holding another copy (ts-morph's) gets that copy's values.
 */
export function scriptKindOf<Kind>(fileName: string, kinds: { readonly JS: Kind; readonly JSX: Kind; readonly TS: Kind; readonly TSX: Kind }): Kind | undefined {
  const extension = /\.[cm]?[jt]sx?$/.exec(fileName)?.[0];
  if (extension === '.tsx') return kinds.TSX;
  if (extension === '.jsx') return kinds.JSX;
  if (extension?.endsWith('ts')) return kinds.TS;
  return extension === undefined ? undefined : kinds.JS;
}

/**
 * A file as the rules see it when ESLint lints it without a program: TypeScript as typescript-eslint's parser parses
 * it (a module whatever its syntax, as ESLint's default `sourceType` has it; JSDoc not parsed), JavaScript as the rules
 * parse the text ESLint's default parser had. A name without a known extension is read as JavaScript, under a name
 * TypeScript accepts as a program's root (the rules bind the file with a one-file program).
 */
export function parseFile(fileName: string, text: string): ts.SourceFile {
  const kind = scriptKindOf(fileName, ts.ScriptKind);
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
