import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type ts from '../detect/typescript.cjs';

import type { NameResolver, NameSymbol } from '../detect/names.js';

const { DefinitionType } = TSESLint.Scope;
type ScopeVariable = TSESLint.Scope.Variable;
/** A definition's name or a reference's identifier, with the variable it is of (null: a reference to no variable). */
interface NamedIdentifier {
  readonly identifier: TSESTree.Identifier | TSESTree.JSXIdentifier;
  readonly variable: ScopeVariable | null;
}
type NodeMaps = {
  readonly esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node | undefined };
};

/**
 * Names resolved by the scope analysis ESLint has already made of the file (typescript-eslint's scope manager), for
 * linting without types: the same answers as binding the file again with a one-file TypeScript program, which cost
 * most of the plugin's time on such a run (docs/benchmark.md). Each reference and each definition of a variable is
 * mapped back to its TypeScript identifier through the parser's node maps; a name that resolves to no variable, or to
 * a global with no definition in the file (the library's `Promise`), is a global: undefined, as the checker of a
 * one-file program without a library says.
 */
export function scopeResolver(scopeManager: TSESLint.Scope.ScopeManager, maps: NodeMaps): NameResolver {
  let namesIndex: Map<string, NamedIdentifier[]> | undefined;
  const variablesByName = new Map<string, Map<ts.Node, ScopeVariable | null>>();
  const symbols = new Map<ScopeVariable, NameSymbol | undefined>();

  // Every definition and reference by its name, in scope order; only the names the rules ask about are then mapped to
  // TypeScript's identifiers (mapping all of them was most of this resolver's time, and on the benchmark's corpus the
  // rules ask about one identifier in six).
  const indexNames = (): Map<string, NamedIdentifier[]> => {
    const byName = new Map<string, NamedIdentifier[]>();
    const note = (identifier: TSESTree.Node, variable: ScopeVariable | null): void => {
      // Only identifiers can answer for a TypeScript identifier (a definition's name can be a string literal).
      if (identifier.type !== AST_NODE_TYPES.Identifier && identifier.type !== AST_NODE_TYPES.JSXIdentifier) return;
      const named = byName.get(identifier.name);
      if (named) named.push({ identifier, variable });
      else byName.set(identifier.name, [{ identifier, variable }]);
    };
    for (const scope of scopeManager.scopes) {
      for (const variable of scope.variables) for (const definition of variable.defs) note(definition.name, variable);
      for (const reference of scope.references) note(reference.identifier, reference.resolved);
    }
    return byName;
  };

  const variablesNamed = (name: string): Map<ts.Node, ScopeVariable | null> => {
    let found = variablesByName.get(name);
    if (found) return found;
    found = new Map();
    namesIndex ??= indexNames();
    for (const { identifier, variable } of namesIndex.get(name) ?? []) {
      const tsNode = maps.esTreeNodeToTSNodeMap.get(identifier);
      // A shorthand `{ a }` is two ESTree identifiers of one TypeScript identifier: the variable's answer wins.
      if (tsNode !== undefined && (variable !== null || !found.has(tsNode))) found.set(tsNode, variable);
    }
    variablesByName.set(name, found);
    return found;
  };

  const symbolOf = (variable: ScopeVariable): NameSymbol | undefined => {
    if (symbols.has(variable)) return symbols.get(variable);
    // What the checker's `resolveName` for a value or an alias would find: imports (type-only ones too), and
    // variables that are values; a type alias or interface of the same name is not one.
    const isValue = variable.defs.some((definition) => definition.type === DefinitionType.ImportBinding) || ('isValueVariable' in variable && variable.isValueVariable);
    const declarations = isValue
      ? variable.defs.flatMap((definition) => {
          const name = maps.esTreeNodeToTSNodeMap.get(definition.name);
          return name?.parent === undefined ? [] : [name.parent as ts.Declaration];
        })
      : [];
    const symbol = declarations.length === 0 ? undefined : { name: variable.name, declarations };
    symbols.set(variable, symbol);
    return symbol;
  };

  return (identifier) => {
    const variable = variablesNamed(identifier.text).get(identifier);
    return variable ? symbolOf(variable) : undefined;
  };
}
