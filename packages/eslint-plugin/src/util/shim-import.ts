import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { shimModule } from './settings.js';

/**
 * What the rules' suggestions need of ESLint's syntax tree: where an import goes and which name is free. What the rules
 * report is decided over TypeScript's syntax tree (`src/detect`); only the fix is written in ESLint's terms.
 */

export type ModuleKind = 'esm' | 'cjs';

/**
 * ESM or CommonJS, in this order: the extension (`.cjs/.cts`, `.mjs/.mts`), the file's own syntax (import/export
 * statements; top-level `require` or `module.exports`), then the parser's `sourceType`.
 */
export function moduleKindOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ModuleKind {
  const filename = context.filename;
  if (/\.c[jt]s$/.test(filename)) return 'cjs';
  if (/\.m[jt]s$/.test(filename)) return 'esm';
  const program = context.sourceCode.ast;
  for (const statement of program.body) {
    if (
      statement.type === AST_NODE_TYPES.ImportDeclaration ||
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      statement.type === AST_NODE_TYPES.ExportAllDeclaration
    ) {
      return 'esm';
    }
  }
  for (const statement of program.body) {
    if (usesCommonJs(statement, context.sourceCode)) return 'cjs';
  }
  const sourceType = context.languageOptions.sourceType;
  return sourceType === 'commonjs' || sourceType === 'script' ? 'cjs' : 'esm';
}

function usesCommonJs(statement: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
    return statement.declarations.some(
      (declarator) => declarator.init?.type === AST_NODE_TYPES.CallExpression && requiredModule(declarator.init, sourceCode) !== undefined,
    );
  }
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const expression = statement.expression;
  if (expression.type === AST_NODE_TYPES.CallExpression) return requiredModule(expression, sourceCode) !== undefined;
  if (expression.type === AST_NODE_TYPES.AssignmentExpression && expression.left.type === AST_NODE_TYPES.MemberExpression) {
    const target = expression.left.object;
    return (
      (target.type === AST_NODE_TYPES.Identifier && (target.name === 'module' || target.name === 'exports')) ||
      (target.type === AST_NODE_TYPES.MemberExpression && target.object.type === AST_NODE_TYPES.Identifier && target.object.name === 'module')
    );
  }
  return false;
}

/** Where a new first statement goes: after a shebang and the directive prologue, before everything else. */
export function firstStatementInsertion(program: TSESTree.Program): { at: number; after: boolean } {
  let lastDirective: TSESTree.Node | undefined;
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined) lastDirective = statement;
    else return lastDirective ? { at: lastDirective.range[1], after: true } : { at: statement.range[0], after: false };
  }
  return lastDirective ? { at: lastDirective.range[1], after: true } : { at: program.range[1], after: true };
}

/** A fix that inserts one statement as described by {@link firstStatementInsertion}. */
export function insertFirstStatement(program: TSESTree.Program, fixer: TSESLint.RuleFixer, statement: string): TSESLint.RuleFix {
  const { at, after } = firstStatementInsertion(program);
  return fixer.insertTextAfterRange([at, at], after ? `\n${statement}` : `${statement}\n`);
}

/** Whether `name` is free to be declared at module level without shadowing or clashing with anything in the file. */
function isNameFree(name: string, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const scopeManager = sourceCode.scopeManager;
  if (!scopeManager) return false;
  for (const scope of scopeManager.scopes) {
    const variable = scope.set.get(name);
    // Declared here, or a configured global this file uses: either way the name already means something.
    if (variable && (variable.defs.length > 0 || variable.references.length > 0)) return false;
    if (scope.type === 'global' && scope.through.some((reference) => reference.identifier.name === name)) return false;
  }
  return true;
}

/** The local name of a shim export already imported or required in this file (`import { track as t }` → 't'). */
function existingShimBinding(name: string, program: TSESTree.Program, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === shimModule && statement.importKind !== 'type') {
      for (const specifier of statement.specifiers) {
        if (specifier.type !== AST_NODE_TYPES.ImportSpecifier || specifier.importKind === 'type') continue;
        const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
        if (imported === name) return specifier.local.name;
      }
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const init = declarator.init && skipTransparent(declarator.init);
        if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || init?.type !== AST_NODE_TYPES.CallExpression) continue;
        if (requiredModule(init, sourceCode) !== shimModule) continue;
        for (const property of declarator.id.properties) {
          if (property.type !== AST_NODE_TYPES.Property || property.key.type !== AST_NODE_TYPES.Identifier) continue;
          if (property.key.name === name && property.value.type === AST_NODE_TYPES.Identifier) return property.value.name;
        }
      }
    }
  }
  return undefined;
}

export interface ShimBinding {
  /** The name to call in the fixed code. */
  local: string;
  /** The import (or require) to add, when the file does not have the binding yet. */
  fixes: TSESLint.RuleFix[];
}

/**
 * How to call a shim export in a suggestion: reuse the file's import of it, or add one (ESM or CJS as the file is).
 * When the plain name is taken or is the global it replaces (`setInterval`), the import gets an alias such as
 * `trackedSetInterval`, so that other code in the file keeps meaning what it meant.
 */
export function shimBinding(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  fixer: TSESLint.RuleFixer,
  name: string,
): ShimBinding {
  const plan = importPlan(context, name);
  if (plan.insert === undefined) return { local: plan.local, fixes: [] };
  const { at, text } = plan.insert;
  return { local: plan.local, fixes: [fixer.insertTextAfterRange([at, at], text)] };
}

interface ImportPlan {
  local: string;
  /** Where and what to insert, when the file does not import the name yet. */
  insert?: { at: number; text: string };
}

/** The import plans of the file being linted: suggestions are computed for every report, and the plan is the same for
 * all reports in a file, so it is made once per file and name (one slot, as ESLint lints one file at a time). */
let plans: { sourceCode: Readonly<TSESLint.SourceCode>; byName: Map<string, ImportPlan> } | undefined;

function importPlan(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, name: string): ImportPlan {
  if (plans?.sourceCode !== context.sourceCode) plans = { sourceCode: context.sourceCode, byName: new Map() };
  const byName = plans.byName;
  const cached = byName.get(name);
  if (cached) return cached;
  const plan = makeImportPlan(context, name);
  byName.set(name, plan);
  return plan;
}

function makeImportPlan(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, name: string): ImportPlan {
  const sourceCode = context.sourceCode;
  const program = sourceCode.ast;
  const existing = existingShimBinding(name, program, sourceCode);
  if (existing !== undefined) return { local: existing };
  let local = name;
  if (!isNameFree(local, sourceCode)) {
    const base = `tracked${name[0]!.toUpperCase()}${name.slice(1)}`;
    local = base;
    for (let counter = 2; !isNameFree(local, sourceCode) && counter < 100; counter += 1) local = `${base}${counter}`;
  }
  const esm = moduleKindOf(context) === 'esm';
  const statement = esm
    ? `import { ${local === name ? name : `${name} as ${local}`} } from '${shimModule}';`
    : `const { ${local === name ? name : `${name}: ${local}`} } = require('${shimModule}');`;
  const lastImport = esm ? [...program.body].reverse().find((node) => node.type === AST_NODE_TYPES.ImportDeclaration) : undefined;
  if (lastImport) return { local, insert: { at: lastImport.range[1], text: `\n${statement}` } };
  const { at, after } = firstStatementInsertion(program);
  return { local, insert: { at, text: after ? `\n${statement}` : `${statement}\n` } };
}

/** `require('m')` with the global `require` → 'm'. */
function requiredModule(call: TSESTree.CallExpression, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const callee = call.callee;
  const argument = call.arguments[0];
  if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== 'require') return undefined;
  if (argument?.type !== AST_NODE_TYPES.Literal || typeof argument.value !== 'string') return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(call), callee);
  return variable === null || variable.defs.length === 0 ? argument.value : undefined;
}

/** Casts and `!` do not change the value. */
function skipTransparent(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.expression;
  }
  return current;
}
