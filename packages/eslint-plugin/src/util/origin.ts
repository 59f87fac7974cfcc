import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { type FunctionLike, isFunctionLike, skipTransparent, staticPropertyName } from './ast.js';
import { normaliseModule } from './settings.js';

/**
 * Where a value comes from, found by scope analysis. Names of the global object (`globalThis.x`, `global.x`) are folded
 * into plain globals, and Node's `process` and `timers` modules into the globals they mirror, so that every rule
 * compares one shape: `setInterval`, `globalThis.setInterval` and `require('node:timers').setInterval` are all
 * `{ kind: 'global', name: 'setInterval' }`.
 */
export type Origin =
  /** A global (no declaration in the file); `name` is dotted for members: `process.exit`, `Promise.resolve`. */
  | { kind: 'global'; name: string }
  /** An import or require; `name` is '' for the module object, dotted for members: `promises.readFile`. */
  | { kind: 'module'; module: string; name: string }
  /** The result of calling (`via: 'call'`) or constructing (`via: 'new'`) what `callee` is. */
  | { kind: 'instance'; via: 'call' | 'new'; callee: Origin }
  | { kind: 'function'; node: FunctionLike }
  | { kind: 'class'; node: TSESTree.ClassDeclaration | TSESTree.ClassExpression }
  | { kind: 'unknown' };

const unknown: Origin = { kind: 'unknown' };
const globalObjectNames = new Set(['globalThis', 'global', 'window', 'self']);
const maxDepth = 8;
/** What Node's `timers` module shares with the globals: the timer functions and their clear functions. */
export const timerModuleGlobals: ReadonlySet<string> = new Set([
  'setInterval',
  'setTimeout',
  'setImmediate',
  'clearInterval',
  'clearTimeout',
  'clearImmediate',
]);

interface ResolverState {
  sourceCode: Readonly<TSESLint.SourceCode>;
  /** Origins depend only on the syntax tree: one cache per file, shared by every rule (a Map, not a WeakMap, so the
   * garbage collector sees one object per file instead of one weak entry per node). */
  cache: Map<TSESTree.Node, Origin>;
}

/** A resolver for one file's syntax tree. */
export function createOriginResolver(sourceCode: Readonly<TSESLint.SourceCode>): (node: TSESTree.Node) => Origin {
  const state: ResolverState = { sourceCode, cache: new Map() };
  return (node) => resolveExpression(node, state, 0);
}

function resolveExpression(raw: TSESTree.Node, state: ResolverState, depth: number): Origin {
  if (depth > maxDepth) return unknown;
  const node = skipTransparent(raw);
  const cached = state.cache.get(node);
  if (cached) return cached;
  const origin = compute(node, state, depth);
  state.cache.set(node, origin);
  return origin;
}

function compute(node: TSESTree.Node, state: ResolverState, depth: number): Origin {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return resolveIdentifier(node, state, depth);
    case AST_NODE_TYPES.MemberExpression: {
      const property = staticPropertyName(node);
      if (property === undefined) return unknown;
      return memberOf(resolveExpression(node.object, state, depth + 1), property);
    }
    case AST_NODE_TYPES.CallExpression: {
      const required = requiredModule(node, state.sourceCode);
      if (required !== undefined) return moduleOrigin(required, '');
      return { kind: 'instance', via: 'call', callee: resolveExpression(node.callee, state, depth + 1) };
    }
    case AST_NODE_TYPES.NewExpression:
      return { kind: 'instance', via: 'new', callee: resolveExpression(node.callee, state, depth + 1) };
    case AST_NODE_TYPES.AwaitExpression: {
      const awaited = skipTransparent(node.argument);
      if (awaited.type === AST_NODE_TYPES.ImportExpression && awaited.source.type === AST_NODE_TYPES.Literal) {
        return typeof awaited.source.value === 'string' ? moduleOrigin(awaited.source.value, '') : unknown;
      }
      return unknown;
    }
    case AST_NODE_TYPES.ArrowFunctionExpression:
    case AST_NODE_TYPES.FunctionExpression:
    case AST_NODE_TYPES.FunctionDeclaration:
      return { kind: 'function', node };
    case AST_NODE_TYPES.ClassExpression:
    case AST_NODE_TYPES.ClassDeclaration:
      return { kind: 'class', node };
    default:
      return unknown;
  }
}

/** `require('m')` with the global `require` → 'm'. */
export function requiredModule(
  call: TSESTree.CallExpression,
  sourceCode: Readonly<TSESLint.SourceCode>,
): string | undefined {
  const callee = call.callee;
  const argument = call.arguments[0];
  if (callee.type !== AST_NODE_TYPES.Identifier || callee.name !== 'require') return undefined;
  if (argument?.type !== AST_NODE_TYPES.Literal || typeof argument.value !== 'string') return undefined;
  const variable = ASTUtils.findVariable(sourceCode.getScope(call), callee);
  return variable === null || variable.defs.length === 0 ? argument.value : undefined;
}

function resolveIdentifier(identifier: TSESTree.Identifier, state: ResolverState, depth: number): Origin {
  const variable = ASTUtils.findVariable(state.sourceCode.getScope(identifier), identifier);
  if (variable === null || variable.defs.length === 0) {
    return globalObjectNames.has(identifier.name) ? { kind: 'global', name: '' } : { kind: 'global', name: identifier.name };
  }
  if (variable.defs.length !== 1) return unknown;
  const definition = variable.defs[0]!;
  switch (definition.type) {
    case 'ImportBinding':
      return importOrigin(definition.node);
    case 'FunctionName':
      return isFunctionLike(definition.node) ? { kind: 'function', node: definition.node } : unknown;
    case 'ClassName':
      return definition.node.type === AST_NODE_TYPES.ClassDeclaration || definition.node.type === AST_NODE_TYPES.ClassExpression
        ? { kind: 'class', node: definition.node }
        : unknown;
    case 'Variable': {
      const declarator = definition.node;
      if (declarator.init === null) return unknown;
      // A binding written again later may hold anything: only single-assignment bindings are followed.
      if (definition.parent.kind !== 'const' && variable.references.filter((reference) => reference.isWrite()).length > 1) {
        return unknown;
      }
      if (declarator.id.type === AST_NODE_TYPES.Identifier) return resolveExpression(declarator.init, state, depth + 1);
      const path = patternPath(declarator.id, definition.name);
      if (path === undefined) return unknown;
      let origin = resolveExpression(declarator.init, state, depth + 1);
      for (const key of path) origin = memberOf(origin, key);
      return origin;
    }
    default:
      return unknown;
  }
}

function importOrigin(
  specifier: TSESTree.ImportClause | TSESTree.TSImportEqualsDeclaration | TSESTree.Node,
): Origin {
  if (specifier.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
    const reference = specifier.moduleReference;
    if (reference.type === AST_NODE_TYPES.TSExternalModuleReference && reference.expression.type === AST_NODE_TYPES.Literal) {
      return typeof reference.expression.value === 'string' ? moduleOrigin(reference.expression.value, '') : unknown;
    }
    return unknown;
  }
  const declaration = specifier.parent;
  if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return unknown;
  const source = declaration.source.value;
  switch (specifier.type) {
    case AST_NODE_TYPES.ImportDefaultSpecifier:
    case AST_NODE_TYPES.ImportNamespaceSpecifier:
      // The default export of a CommonJS package or Node built-in is its module object.
      return moduleOrigin(source, '');
    case AST_NODE_TYPES.ImportSpecifier: {
      const imported =
        specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
      return moduleOrigin(source, imported === 'default' ? '' : imported);
    }
    default:
      return unknown;
  }
}

/** Keys leading from the destructured value to `name`: `{ a: { b: name } }` → ['a', 'b']. */
function patternPath(pattern: TSESTree.Node, name: TSESTree.Identifier): string[] | undefined {
  if (pattern.type === AST_NODE_TYPES.AssignmentPattern) return patternPath(pattern.left, name);
  if (pattern.type === AST_NODE_TYPES.Identifier) return pattern === name ? [] : undefined;
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property) continue;
    let key: string | undefined;
    if (!property.computed && property.key.type === AST_NODE_TYPES.Identifier) key = property.key.name;
    else if (property.key.type === AST_NODE_TYPES.Literal && typeof property.key.value === 'string') key = property.key.value;
    const rest = patternPath(property.value, name);
    if (rest !== undefined) return key === undefined ? undefined : [key, ...rest];
  }
  return undefined;
}

function moduleOrigin(specifier: string, name: string): Origin {
  const module = normaliseModule(specifier);
  // Node's `process` and `timers` modules export the very functions the globals hold.
  if (module === 'process') return { kind: 'global', name: name === '' ? 'process' : `process.${name}` };
  if (module === 'timers' && timerModuleGlobals.has(name)) return { kind: 'global', name };
  return { kind: 'module', module, name };
}

export function memberOf(origin: Origin, property: string): Origin {
  if (origin.kind === 'global') return { kind: 'global', name: origin.name === '' ? property : `${origin.name}.${property}` };
  if (origin.kind === 'module') {
    return moduleOrigin(origin.module, origin.name === '' ? property : `${origin.name}.${property}`);
  }
  return unknown;
}

export function isGlobal(origin: Origin, name: string): boolean {
  return origin.kind === 'global' && origin.name === name;
}
