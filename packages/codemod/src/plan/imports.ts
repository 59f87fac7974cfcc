import { Node, ts, type SourceFile, type ImportDeclaration, type VariableStatement } from 'ts-morph';
import { insertion, type TextEdit } from './edits.js';
import type { ModuleKind } from './module-kind.js';
import { isTopLevelRequire } from './module-kind.js';
import type { FileNames } from './names.js';
import { REGISTER_MODULE, SHIM_MODULE, aliasFor, type ShimExport } from './shim.js';
import { lineStartOf, type FileStyle } from '../write/source-text.js';

interface RequestedName {
  readonly exportName: ShimExport;
  readonly local: string;
}

/** `const { a, b: c } = require('@quiesce/runtime-shim')` or `import { a, b as c } from '…'`. */
interface MergeTarget {
  /** Offset right after the last specifier (or inside empty braces). */
  readonly position: number;
  readonly separator: string;
  readonly aliasKeyword: ' as ' | ': ';
  readonly emptyBraces: boolean;
}

/** The shim may not be added to this file (library, browser or test code): the message says why and what to do. */
export class ShimRefused extends Error {}

/**
 * Adds the shim's names to one file: reuses a name already imported from the shim, merges into an
 * existing shim import or require, otherwise adds one declaration in the file's module syntax and style.
 * Emits text edits only; nothing is printed by ts-morph, so the rest of the file keeps its formatting.
 */
export class ImportManager {
  readonly #sourceFile: SourceFile;
  readonly #kind: ModuleKind;
  readonly #style: FileStyle;
  readonly #names: FileNames;
  readonly #existing = new Map<ShimExport, string>();
  readonly #requested: RequestedName[] = [];
  readonly #claimed = new Set<string>();
  #mergeTarget: MergeTarget | undefined;
  #hasRegister = false;
  #wantsRegister = false;
  readonly #refusal: string | undefined;

  /** `refusal`: set for code that must not get the shim (not a service): asking for a new shim name throws ShimRefused with it. */
  constructor(sourceFile: SourceFile, kind: ModuleKind, style: FileStyle, names: FileNames, refusal?: string) {
    this.#refusal = refusal;
    this.#sourceFile = sourceFile;
    this.#kind = kind;
    this.#style = style;
    this.#names = names;
    this.#scanExisting();
  }

  get kind(): ModuleKind {
    return this.#kind;
  }

  /**
   * The local name under which `exportName` from the shim is usable in this file. `canShadow` says the
   * export's own name may be used although it already occurs in the file (the caller has checked that every
   * occurrence is one it rewrites to mean the shim's export, e.g. every global `setInterval` call is reported).
   */
  localName(exportName: ShimExport, canShadow = false): string {
    const existing = this.#existing.get(exportName);
    if (existing) return existing;
    if (this.#refusal !== undefined) throw new ShimRefused(this.#refusal);
    const requested = this.#requested.find((entry) => entry.exportName === exportName);
    if (requested && (requested.local !== exportName || canShadow || !this.#names.isUsed(exportName))) {
      return requested.local;
    }
    const local = this.#freeName(exportName, canShadow);
    this.#requested.push({ exportName, local });
    this.#claimed.add(local);
    return local;
  }

  /** Whether the file already loads `@quiesce/runtime-shim/register` (or will after this run). */
  get installsHandlers(): boolean {
    return this.#hasRegister || this.#wantsRegister;
  }

  requireRegister(): void {
    if (this.#hasRegister) return;
    if (this.#refusal !== undefined) throw new ShimRefused(this.#refusal);
    this.#wantsRegister = true;
  }

  /**
   * The import edits. `otherEdits`: the file's other edits, which may use the names requested here: a new CommonJS
   * `require` of the shim must bind them before the first top-level statement that runs one (see #declarationAnchor).
   */
  edits(otherEdits: readonly TextEdit[] = []): TextEdit[] {
    const top = topInsertionPoint(this.#sourceFile);
    const atTop: string[] = [];
    const edits: TextEdit[] = [];
    if (this.#wantsRegister) {
      atTop.push(
        this.#kind === 'esm'
          ? `import ${this.#quoted(REGISTER_MODULE)}${this.#semicolon}`
          : `require(${this.#quoted(REGISTER_MODULE)})${this.#semicolon}`,
      );
    }
    const merge = this.#mergeTarget;
    const anchor = merge ? undefined : this.#declarationAnchor(otherEdits);
    if (this.#requested.length > 0) {
      if (merge) {
        const specifiers = this.#requested.map((entry) => this.#specifier(entry, merge.aliasKeyword));
        const text = merge.emptyBraces ? ` ${specifiers.join(', ')} ` : merge.separator + specifiers.join(merge.separator);
        edits.push(insertion(merge.position, text));
      } else if (anchor) {
        const end = lineEndOf(this.#sourceFile.getFullText(), anchor.getEnd());
        // Before any other edit at the same offset (a statement inserted after the anchor may use the names).
        edits.push(insertion(end, this.#style.eol + this.#declaration(), Number.MIN_SAFE_INTEGER));
      } else {
        atTop.push(this.#declaration());
      }
    }
    if (atTop.length > 0) {
      // A new import block above code gets a blank line between, as hand-written imports do.
      const separate = top.beforeCode && !anchor ? this.#style.eol : '';
      edits.push(insertion(top.position, top.wrap(atTop.join(this.#style.eol) + separate, this.#style.eol), -1));
    }
    return edits;
  }

  get #semicolon(): string {
    return this.#style.semicolons ? ';' : '';
  }

  #quoted(text: string): string {
    return this.#style.quote + text + this.#style.quote;
  }

  #specifier(entry: RequestedName, aliasKeyword: ' as ' | ': '): string {
    return entry.local === entry.exportName ? entry.local : entry.exportName + aliasKeyword + entry.local;
  }

  #declaration(): string {
    if (this.#kind === 'esm') {
      const specifiers = this.#requested.map((entry) => this.#specifier(entry, ' as ')).join(', ');
      return `import { ${specifiers} } from ${this.#quoted(SHIM_MODULE)}${this.#semicolon}`;
    }
    const properties = this.#requested.map((entry) => this.#specifier(entry, ': ')).join(', ');
    return `const { ${properties} } = require(${this.#quoted(SHIM_MODULE)})${this.#semicolon}`;
  }

  #freeName(exportName: ShimExport, canShadow: boolean): string {
    const isFree = (name: string): boolean => !this.#claimed.has(name) && !this.#names.isUsed(name);
    if (isFree(exportName) || (canShadow && !this.#claimed.has(exportName))) return exportName;
    const alias = aliasFor(exportName);
    for (let suffix = 1; ; suffix++) {
      const candidate = suffix === 1 ? alias : `${alias}${suffix}`;
      if (isFree(candidate)) return candidate;
    }
  }

  // ESM imports are hoisted, so the new one goes after the last import. A `const … = require(…)` is not: it
  // goes after the leading run of requires, before any code that could call the names it declares, and above the
  // first statement of that run that uses one of them (`const server = trackServer(require('http').createServer(…))`,
  // a cleanup hook right after `const db = require('knex')(…)`): a use above the binding is a ReferenceError at
  // start-up (the temporal dead zone). TypeScript's `import x = require(…)` counts as either.
  // Undefined: the declaration goes at the top.
  #declarationAnchor(otherEdits: readonly TextEdit[]): Node | undefined {
    const run: Node[] = [];
    for (const statement of this.#sourceFile.getStatements()) {
      if (this.#kind === 'esm') {
        if (Node.isImportDeclaration(statement) || Node.isImportEqualsDeclaration(statement)) run.push(statement);
      } else if (isTopLevelRequire(statement) || Node.isImportEqualsDeclaration(statement)) {
        run.push(statement);
      } else if (!isDirective(statement)) {
        break;
      }
    }
    // A declaration another edit removes (a library import the rewrite left unused) cannot hold the new one after it.
    const removed = (statement: Node): boolean => otherEdits.some((edit) => edit.text === '' && edit.start <= statement.getStart() && edit.end >= statement.getEnd());
    for (let index = run.length - 1; index >= 0; index--) if (removed(run[index]!)) run.splice(index, 1);
    const last = run[run.length - 1];
    if (this.#kind === 'esm' || last === undefined || this.#requested.length === 0) return last;
    const locals = this.#requested.map((entry) => entry.local);
    const uses = new RegExp(`(?<![\\w$.])(?:${locals.join('|')})(?![\\w$])`);
    // The names in inserted code (its string literals aside), and in the file itself (a global call the rewrite
    // shadows); an edit at a statement's end (a statement inserted after it) counts as that statement's.
    const firstUse = Math.min(
      ...otherEdits.filter((edit) => uses.test(edit.text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''"))).map((edit) => edit.start),
      ...locals.flatMap((local) => this.#names.occurrences(local)),
    );
    const firstUser = run.findIndex((statement) => firstUse <= statement.getEnd());
    if (firstUser === -1) return last;
    return firstUser === 0 ? undefined : run[firstUser - 1];
  }

  #scanExisting(): void {
    for (const statement of this.#sourceFile.getStatements()) {
      if (Node.isImportDeclaration(statement)) this.#scanImport(statement);
      else if (Node.isVariableStatement(statement)) this.#scanRequire(statement);
      else if (Node.isExpressionStatement(statement) && requiredModule(statement.getExpression()) === REGISTER_MODULE) {
        this.#hasRegister = true;
      }
    }
  }

  #scanImport(declaration: ImportDeclaration): void {
    const moduleName = declaration.getModuleSpecifierValue();
    if (moduleName === REGISTER_MODULE) this.#hasRegister = true;
    if (moduleName !== SHIM_MODULE || declaration.isTypeOnly()) return;
    const namedImports = declaration.getImportClause()?.getNamedBindings();
    if (!namedImports || !Node.isNamedImports(namedImports)) return;
    const elements = namedImports.getElements();
    for (const element of elements) {
      if (element.isTypeOnly()) continue;
      this.#existing.set(element.getName() as ShimExport, element.getAliasNode()?.getText() ?? element.getName());
    }
    this.#mergeTarget ??= mergeTargetIn(namedImports.compilerNode, elements.map((element) => element.compilerNode), ' as ');
  }

  #scanRequire(statement: VariableStatement): void {
    for (const declaration of statement.getDeclarations()) {
      const initializer = declaration.getInitializer();
      if (!initializer || requiredModule(initializer) !== SHIM_MODULE) continue;
      const pattern = declaration.getNameNode();
      if (!Node.isObjectBindingPattern(pattern)) continue;
      const elements = pattern.getElements();
      for (const element of elements) {
        const property = element.getPropertyNameNode()?.getText() ?? element.getName();
        this.#existing.set(property as ShimExport, element.getName());
      }
      this.#mergeTarget ??= mergeTargetIn(pattern.compilerNode, elements.map((element) => element.compilerNode), ': ');
    }
  }
}

function requiredModule(expression: Node): string | undefined {
  if (!Node.isCallExpression(expression)) return undefined;
  const callee = expression.getExpression();
  const [argument] = expression.getArguments();
  if (!Node.isIdentifier(callee) || callee.getText() !== 'require' || !argument) return undefined;
  return Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument)
    ? argument.getLiteralValue()
    : undefined;
}

function mergeTargetIn(
  braces: ts.Node,
  elements: readonly ts.Node[],
  aliasKeyword: ' as ' | ': ',
): MergeTarget | undefined {
  const last = elements[elements.length - 1];
  const text = braces.getSourceFile().text;
  if (!last) {
    return { position: braces.getStart() + 1, separator: ', ', aliasKeyword, emptyBraces: true };
  }
  if (elements.some((element) => ts.isBindingElement(element) && element.dotDotDotToken)) return undefined;
  // One specifier per line stays one per line, with the same indentation.
  const first = elements[0]!;
  const multiline = /[\r\n]/.test(text.slice(braces.getStart(), first.getStart()));
  const indentation = /[ \t]*$/.exec(text.slice(lineStartOf(text, first.getStart()), first.getStart()))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    position: last.getEnd(),
    separator: multiline ? `,${eol}${indentation}` : ', ',
    aliasKeyword,
    emptyBraces: false,
  };
}

function lineEndOf(text: string, position: number): number {
  let index = position;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
  return index;
}

interface TopInsertion {
  readonly position: number;
  /** True when a statement that is not an import or require follows the position. */
  readonly beforeCode: boolean;
  /** Makes `statement` a line of its own at `position`. */
  wrap(statement: string, eol: string): string;
}

/**
 * Where a statement goes to be the file's first: after a shebang and the directive prologue
 * ('use strict'), above the first statement and the comments attached to it (a JSDoc stays with
 * its function), below a detached header comment (a licence stays on top).
 */
export function topInsertionPoint(sourceFile: SourceFile): TopInsertion {
  const text = sourceFile.getFullText();
  const shebangEnd = text.startsWith('#!') ? lineEndOf(text, 0) : 0;
  const statements = sourceFile.getStatements();
  let lowerBound = shebangEnd;
  let index = 0;
  for (; index < statements.length; index++) {
    const statement = statements[index]!;
    if (!isDirective(statement)) break;
    lowerBound = statement.getEnd();
  }
  const first = statements[index];
  let position: number;
  if (!first) {
    position = text.length;
  } else {
    let anchor = first.getStart();
    const comments = ts.getLeadingCommentRanges(text, first.getFullStart()) ?? [];
    for (let c = comments.length - 1; c >= 0; c--) {
      const comment = comments[c]!;
      if (comment.pos < lowerBound) break;
      const gap = text.slice(comment.end, anchor);
      if ((gap.match(/\r\n|\r|\n/g) ?? []).length > 1) break;
      anchor = comment.pos;
    }
    position = Math.max(lineStartOf(text, anchor), lowerBound);
  }
  if (position === lowerBound && position > 0) {
    // Right after the shebang or a directive: continue on the next line when the rest of this one is empty.
    const lineEnd = lineEndOf(text, position);
    if (text.slice(position, lineEnd).trim() === '' && lineEnd < text.length) {
      position = lineEnd + (text.startsWith('\r\n', lineEnd) ? 2 : 1);
    }
  }
  const atLineStart = position === 0 ? shebangEnd === 0 : text[position - 1] === '\n' || text[position - 1] === '\r';
  return {
    position,
    beforeCode: first !== undefined && !Node.isImportDeclaration(first) && !isTopLevelRequire(first) && position <= first.getStart(),
    wrap: (statement, eol) => {
      if (atLineStart) return statement + eol;
      return position === text.length ? eol + statement + (text.length > 0 ? '' : eol) : eol + statement + eol;
    },
  };
}

function isDirective(statement: Node): boolean {
  return Node.isExpressionStatement(statement) && Node.isStringLiteral(statement.getExpression());
}
