import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type ts from '../detect/typescript.cjs';

import type { NameResolver, NameSymbol } from '../detect/names.js';

const { DefinitionType } = TSESLint.Scope;
type ScopeVariable = TSESLint.Scope.Variable;
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
  let variableOf: Map<ts.Node, ScopeVariable | null> | undefined;
  const symbols = new Map<ScopeVariable, NameSymbol | undefined>();

  const index = (): Map<ts.Node, ScopeVariable | null> => {
    const found = new Map<ts.Node, ScopeVariable | null>();
    const note = (identifier: TSESTree.Node, variable: ScopeVariable | null): void => {
      const tsNode = maps.esTreeNodeToTSNodeMap.get(identifier);
      // A shorthand `{ a }` is two ESTree identifiers of one TypeScript identifier: the variable's answer wins.
      if (tsNode !== undefined && (variable !== null || !found.has(tsNode))) found.set(tsNode, variable);
    };
    for (const scope of scopeManager.scopes) {
      for (const variable of scope.variables) for (const definition of variable.defs) note(definition.name, variable);
      for (const reference of scope.references) note(reference.identifier, reference.resolved);
    }
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
    variableOf ??= index();
    const variable = variableOf.get(identifier);
    return variable ? symbolOf(variable) : undefined;
  };
}
