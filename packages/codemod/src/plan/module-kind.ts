import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';

export type ModuleKind = 'esm' | 'cjs';

/** How to add imports to a file, or why none can be added (`review`: the file gets a review item, no edit). */
export type ModuleKindVerdict =
  | { readonly kind: ModuleKind }
  | { readonly kind: 'review'; readonly ruleId: string; readonly reason: string; readonly review: string };

/** What the type-checked analysis knows of how TypeScript compiles the file (nothing without types). */
export interface CompilerFacts {
  /** `verbatimModuleSyntax` with CommonJS output: TypeScript rejects ES imports in the file (TS1295). */
  readonly esmImportsForbidden?: boolean;
}

/** Nearest `package.json` `type` per directory, cached for the run. */
export class PackageTypeLookup {
  readonly #byDirectory = new Map<string, 'module' | 'commonjs'>();
  readonly #xoByDirectory = new Map<string, boolean>();

  /**
   * Whether the nearest package.json lints with xo (a dependency), whose defaults include `capitalized-comments`,
   * unless its `xo.rules` turn that off.
   */
  lintsWithXo(filePath: string): boolean {
    return this.#xoLookup(path.dirname(filePath));
  }

  #xoLookup(directory: string): boolean {
    const cached = this.#xoByDirectory.get(directory);
    if (cached !== undefined) return cached;
    const manifest = readJson(path.join(directory, 'package.json'));
    const parent = path.dirname(directory);
    let found: boolean;
    if (manifest !== undefined) {
      const dependencies = ['dependencies', 'devDependencies'].map((key) => manifest[key]);
      const hasXo = dependencies.some((list) => typeof list === 'object' && list !== null && 'xo' in list);
      const xo = manifest['xo'];
      const rules = typeof xo === 'object' && xo !== null ? (xo as Record<string, unknown>)['rules'] : undefined;
      const override = typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>)['capitalized-comments'] : undefined;
      const off = override === 'off' || override === 0 || (Array.isArray(override) && (override[0] === 'off' || override[0] === 0 || override[1] === 'never'));
      found = hasXo && !off;
    } else {
      found = parent === directory ? false : this.#xoLookup(parent);
    }
    this.#xoByDirectory.set(directory, found);
    return found;
  }

  typeFor(filePath: string): 'module' | 'commonjs' {
    return this.#lookup(path.dirname(filePath));
  }

  #lookup(directory: string): 'module' | 'commonjs' {
    const cached = this.#byDirectory.get(directory);
    if (cached) return cached;
    let found: 'module' | 'commonjs';
    const manifest = readJson(path.join(directory, 'package.json'));
    const parent = path.dirname(directory);
    if (manifest !== undefined) found = manifest['type'] === 'module' ? 'module' : 'commonjs';
    else if (parent === directory) found = 'commonjs';
    else found = this.#lookup(parent);
    this.#byDirectory.set(directory, found);
    return found;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/**
 * Whether imports go in as `import` or `require`. A .ts/.tsx file: see typeScriptImportKind. Otherwise a
 * decisive extension (.mjs/.mts, .cjs/.cts) wins, then the file's own syntax, then the nearest package.json
 * `type`. A file whose syntax says both (or contradicts its extension) is not edited: any import we add would
 * be wrong for one half of it.
 */
export function moduleKindOf(sourceFile: SourceFile, packageTypes: PackageTypeLookup, compiler: CompilerFacts = {}): ModuleKindVerdict {
  const filePath = sourceFile.getFilePath();
  const fromExtension = kindFromExtension(filePath);
  const syntax = moduleSyntaxOf(sourceFile);
  if (/\.tsx?$/i.test(filePath)) return typeScriptImportKind(syntax, compiler);
  if (syntax.esm && syntax.cjs) return mixed('the file mixes ESM (import/export) and CommonJS (require/module.exports)');
  const fromSyntax: ModuleKind | undefined = syntax.esm ? 'esm' : syntax.cjs ? 'cjs' : undefined;
  if (fromExtension && fromSyntax && fromExtension !== fromSyntax) {
    return mixed(`the file's ${fromSyntax === 'esm' ? 'ESM' : 'CommonJS'} syntax contradicts its ${path.extname(filePath)} extension`);
  }
  const kind =
    fromExtension ?? fromSyntax ?? (packageTypes.typeFor(filePath) === 'module' ? 'esm' : 'cjs');
  return { kind };
}

function mixed(reason: string): ModuleKindVerdict {
  return { kind: 'review', ruleId: 'quiesce-codemod/mixed-module', reason, review: `${reason}; make it one module kind, then run the codemod again` };
}

/**
 * TypeScript (.ts/.tsx) compiles import declarations to the module format the project emits (a `require` for
 * CommonJS), and a file may mix them with require calls, so imports go in as `import` declarations. A `require`
 * we declared in a file TypeScript treats as a script (no import or export) would be global:
 * `const { setInterval } = require(…)` then clashes with the global `setInterval` (TS2451). A CommonJS module
 * in TypeScript syntax (`export =`) keeps the `require` form, and so does every module where TypeScript
 * forbids ES imports (`verbatimModuleSyntax` with CommonJS output); a script there can take neither form.
 */
function typeScriptImportKind(syntax: ModuleSyntax, compiler: CompilerFacts): ModuleKindVerdict {
  if (compiler.esmImportsForbidden) {
    if (syntax.exportEquals || syntax.importEquals) return { kind: 'cjs' };
    const reason = 'a TypeScript script compiled to CommonJS under verbatimModuleSyntax takes no import declaration (TS1295), and a require here would be global';
    return {
      kind: 'review',
      ruleId: 'quiesce-codemod/commonjs-script',
      reason,
      review: `${reason}; make it a module with \`import … = require(…)\` or \`export = …\`, then run the codemod again`,
    };
  }
  return { kind: syntax.exportEquals && !syntax.esm ? 'cjs' : 'esm' };
}

function kindFromExtension(filePath: string): ModuleKind | undefined {
  if (/\.m[jt]s$/i.test(filePath)) return 'esm';
  if (/\.c[jt]s$/i.test(filePath)) return 'cjs';
  return undefined;
}

interface ModuleSyntax {
  readonly esm: boolean;
  readonly cjs: boolean;
  /** `export = …`: a CommonJS module in TypeScript syntax. */
  readonly exportEquals: boolean;
  /** `import x = require(…)`: TypeScript's CommonJS import, which makes the file a module. */
  readonly importEquals: boolean;
}

// Only top-level forms count: a lazy `require()` inside a function of a TypeScript file is common and
// harmless, and a local binding named `require` (createRequire) is not CommonJS.
function moduleSyntaxOf(sourceFile: SourceFile): ModuleSyntax {
  let esm = false;
  let cjs = false;
  let exportEquals = false;
  let importEquals = false;
  const requireIsLocal = sourceFile.getVariableDeclaration('require') !== undefined;
  for (const statement of sourceFile.getStatements()) {
    if (
      Node.isImportDeclaration(statement) ||
      Node.isExportDeclaration(statement) ||
      Node.isExportAssignment(statement) ||
      hasExportModifier(statement)
    ) {
      if (Node.isExportAssignment(statement) && statement.isExportEquals()) cjs = exportEquals = true;
      else esm = true;
      continue;
    }
    if (Node.isImportEqualsDeclaration(statement)) {
      importEquals = true;
      continue;
    }
    if (!requireIsLocal && isTopLevelRequire(statement)) cjs = true;
    if (assignsModuleExports(statement)) cjs = true;
  }
  return { esm, cjs, exportEquals, importEquals };
}

function hasExportModifier(statement: Node): boolean {
  return Node.isModifierable(statement) && statement.hasModifier(SyntaxKind.ExportKeyword);
}

export function isTopLevelRequire(statement: Node): boolean {
  const initializers = Node.isVariableStatement(statement)
    ? statement.getDeclarations().map((declaration) => declaration.getInitializer())
    : Node.isExpressionStatement(statement)
      ? [statement.getExpression()]
      : [];
  return initializers.some((initializer) => initializer !== undefined && isRequireChain(initializer));
}

// `require('x')`, `require('x').y`, `require('x')(options)`.
function isRequireChain(node: Node): boolean {
  let current: Node = node;
  for (;;) {
    if (Node.isCallExpression(current)) {
      const callee = current.getExpression();
      if (Node.isIdentifier(callee) && callee.getText() === 'require') return true;
      current = callee;
    } else if (Node.isPropertyAccessExpression(current) || Node.isElementAccessExpression(current)) {
      current = current.getExpression();
    } else if (Node.isAwaitExpression(current) || Node.isParenthesizedExpression(current)) {
      current = current.getExpression();
    } else {
      return false;
    }
  }
}

function assignsModuleExports(statement: Node): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const expression = statement.getExpression();
  if (!Node.isBinaryExpression(expression)) return false;
  if (expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return false;
  const target = expression.getLeft().getText();
  return /^(module\.exports|exports)\b/.test(target);
}
