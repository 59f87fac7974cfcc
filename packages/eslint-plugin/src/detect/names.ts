import ts from './typescript.cjs';

import { walk } from './syntax.js';

/**
 * What a name in the file refers to: its name and its declarations. A TypeScript symbol when the checker answers, or
 * the same two facts of an ESLint scope variable (`util/scope-names.ts`); compared by identity.
 */
export interface NameSymbol {
  readonly name: string;
  readonly declarations?: readonly ts.Declaration[] | undefined;
}

/** The symbol a name refers to where it is written (as a value or an import), undefined for a global. */
export type NameResolver = (identifier: ts.Identifier) => NameSymbol | undefined;

/**
 * Resolution by TypeScript's checker (the program's own when linting with types, else a program of this one file: see
 * `bindingProgram`). Looked up by name as a value or an alias: `getSymbolAtLocation` also resolves an import to learn
 * whether it is a value, and in a program that cannot resolve it (the one-file program typescript-eslint makes for a
 * file linted twice in one run) TypeScript crashed while wording the error it would report.
 */
export function checkerResolver(checker: ts.TypeChecker): NameResolver {
  return (identifier) => checker.resolveName(identifier.text, identifier, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false);
}

/**
 * What a name means in one file. Scope analysis in ESLint terms: a name declared in this file is a variable with its
 * definitions here; any other name is a global.
 */
export class FileNames {
  readonly #sourceFile: ts.SourceFile;
  readonly #resolve: NameResolver;
  /** Identifiers written to (assigned, updated, destructured into), by name; built on first use. */
  #writes: Map<string, ts.Identifier[]> | undefined;
  /** Every identifier of the file, by name; built on first use (only files with servers need it). */
  #identifiers: Map<string, ts.Identifier[]> | undefined;
  /** The declarations in this file of each symbol asked about: finding a declaration's file walks up to its root. */
  readonly #localDeclarations = new Map<NameSymbol, readonly ts.Declaration[]>();

  constructor(sourceFile: ts.SourceFile, resolve: NameResolver) {
    this.#sourceFile = sourceFile;
    this.#resolve = resolve;
  }

  /** The symbol a name refers to where it is written, aliases (imports) not followed. */
  symbolOf(identifier: ts.Identifier): NameSymbol | undefined {
    return this.#resolve(identifier);
  }

  /** The declarations of what `identifier` names that are in this file; none for a global. */
  declarationsOf(identifier: ts.Identifier): readonly ts.Declaration[] {
    return this.declarationsOfSymbol(this.symbolOf(identifier));
  }

  declarationsOfSymbol(symbol: NameSymbol | undefined): readonly ts.Declaration[] {
    const declarations = symbol?.declarations;
    if (!declarations) return [];
    let local = this.#localDeclarations.get(symbol);
    if (local === undefined) {
      local = declarations.filter((declaration) => declaration.getSourceFile() === this.#sourceFile);
      this.#localDeclarations.set(symbol, local);
    }
    return local;
  }

  /** Whether `identifier` names nothing declared in this file. */
  isGlobal(identifier: ts.Identifier): boolean {
    return this.declarationsOf(identifier).length === 0;
  }

  /** Whether the variable is written anywhere besides its declaration's initializer. */
  isReassigned(symbol: NameSymbol): boolean {
    this.#writes ??= collectWrites(this.#sourceFile);
    return (this.#writes.get(symbol.name) ?? []).some((target) => this.symbolOf(target) === symbol);
  }

  /** Every identifier of this file that refers to `symbol` (its declaration's name included). */
  referencesOf(symbol: NameSymbol): ts.Identifier[] {
    this.#identifiers ??= collectIdentifiers(this.#sourceFile);
    return (this.#identifiers.get(symbol.name) ?? []).filter((identifier) => this.symbolOf(identifier) === symbol);
  }
}

function add(map: Map<string, ts.Identifier[]>, identifier: ts.Identifier): void {
  const list = map.get(identifier.text);
  if (list) list.push(identifier);
  else map.set(identifier.text, [identifier]);
}

function collectIdentifiers(sourceFile: ts.SourceFile): Map<string, ts.Identifier[]> {
  const identifiers = new Map<string, ts.Identifier[]>();
  walk(sourceFile, (node) => {
    if (ts.isIdentifier(node) && !isPropertyName(node)) add(identifiers, node);
  });
  return identifiers;
}

/** A name that is a property's, not a variable's: `x.name`, `{ name: 1 }`, `{ name: local } = x`, `class { name }`. */
function isPropertyName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  switch (parent.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (parent as ts.PropertyAccessExpression).name === identifier;
    case ts.SyntaxKind.QualifiedName:
      return (parent as ts.QualifiedName).right === identifier;
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.ExportSpecifier:
      return (parent as ts.BindingElement | ts.ImportSpecifier | ts.ExportSpecifier).propertyName === identifier;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumMember:
    case ts.SyntaxKind.JsxAttribute:
      return (parent as ts.NamedDeclaration).name === identifier;
    default:
      return false;
  }
}

function collectWrites(sourceFile: ts.SourceFile): Map<string, ts.Identifier[]> {
  const writes = new Map<string, ts.Identifier[]>();
  const target = (node: ts.Node): void => {
    if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) {
      target(node.expression);
    } else if (ts.isIdentifier(node)) {
      add(writes, node);
    } else if (ts.isArrayLiteralExpression(node)) {
      for (const element of node.elements) target(element);
    } else if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isShorthandPropertyAssignment(property)) add(writes, property.name);
        else if (ts.isPropertyAssignment(property)) target(property.initializer);
        else if (ts.isSpreadAssignment(property)) target(property.expression);
      }
    } else if (ts.isSpreadElement(node)) {
      target(node.expression);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // A default value inside a destructuring assignment: `[a = 1] = list`.
      target(node.left);
    }
  };
  walk(sourceFile, (node) => {
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      target(node.left);
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      target(node.operand);
    } else if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
      target(node.initializer);
    }
  });
  return writes;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/**
 * A program of one file, without the standard library or imports, for its binder and checker: what each name in the
 * file refers to, when no program with types is at hand. Declarations elsewhere are unknown to it, so every name not
 * declared in the file is a global, as in ESLint's scope analysis.
 */
export function bindingProgram(sourceFile: ts.SourceFile): ts.Program {
  const options: ts.CompilerOptions = {
    noLib: true,
    noResolve: true,
    types: [],
    allowJs: true,
    noEmit: true,
    target: ts.ScriptTarget.Latest,
    jsx: ts.JsxEmit.Preserve,
  };
  const host: ts.CompilerHost = {
    getSourceFile: () => sourceFile,
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: () => true,
    readFile: () => undefined,
  };
  return ts.createProgram({ rootNames: [sourceFile.fileName], options, host });
}
