// The shim is imported by services, and services pin old TypeScript for years (two real ones on 4.2 got 26 parse
// errors from its declarations). tsc writes `import { type X }` into .d.ts files as the sources have it, and
// those inline type modifiers parse only from TypeScript 4.5 on. In a declaration file every import is already
// type-only, so the modifier means nothing there: this removes it (found with TypeScript's own parser, edited
// from the end of the file back so that earlier offsets stay right), which makes the declarations parse from
// TypeScript 4.2 on (test/resolution.test.ts type-checks a consumer with 4.2, 4.4 and newer).
// downlevel-dts would do more, but it depends on `typescript@next`, so it installs whatever TypeScript's next
// major is at the time; this is the only rewrite the declarations need.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The text of one declaration file without inline `type` modifiers on import and export specifiers. */
export function withoutInlineTypeModifiers(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const cuts = [];
  for (const statement of source.statements) {
    const specifiers = ts.isImportDeclaration(statement)
      ? statement.importClause?.namedBindings && ts.isNamedImports(statement.importClause.namedBindings)
        ? statement.importClause.namedBindings.elements
        : []
      : ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)
        ? statement.exportClause.elements
        : [];
    for (const specifier of specifiers) {
      if (!specifier.isTypeOnly) continue;
      // `type X` or `type X as Y`: cut from the keyword to the first name.
      const first = specifier.propertyName ?? specifier.name;
      cuts.push([specifier.getStart(source), first.getStart(source)]);
    }
  }
  let result = text;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) result = result.slice(0, start) + result.slice(end);
  return result;
}

/** Rewrites every .d.ts under `directory` in place. */
export function rewriteDeclarations(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    const rewritten = withoutInlineTypeModifiers(file, text);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}
