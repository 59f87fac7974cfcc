import ts from './typescript.cjs';

import { normaliseModule } from '../util/settings.js';
import type { FileNames } from './names.js';
import {
  type FunctionLike,
  importCallModule,
  isFunctionLike,
  requireCallModule,
  skipTransparent,
  staticPropertyName,
  unparen,
} from './syntax.js';

/**
 * Where a value comes from, found by what its names are bound to. Names of the global object (`globalThis.x`,
 * `global.x`) are folded into plain globals, and Node's `process` and `timers` modules into the globals they mirror, so
 * that every rule compares one shape: `setInterval`, `globalThis.setInterval` and `require('node:timers').setInterval`
 * are all `{ kind: 'global', name: 'setInterval' }`.
 */
export type Origin =
  /** A global (no declaration in the file); `name` is dotted for members: `process.exit`, `Promise.resolve`. */
  | { kind: 'global'; name: string }
  /** An import or require; `name` is '' for the module object, dotted for members: `promises.readFile`. */
  | { kind: 'module'; module: string; name: string }
  /** The result of calling (`via: 'call'`) or constructing (`via: 'new'`) what `callee` is. */
  | { kind: 'instance'; via: 'call' | 'new'; callee: Origin }
  | { kind: 'function'; node: FunctionLike }
  | { kind: 'class'; node: ts.ClassDeclaration | ts.ClassExpression }
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

/** A resolver for one file; origins depend only on the file, so they are cached for every rule. */
export function createOriginResolver(names: FileNames): (node: ts.Node) => Origin {
  const cache = new Map<ts.Node, Origin>();
  const resolve = (raw: ts.Node, depth: number): Origin => {
    if (depth > maxDepth) return unknown;
    const node = skipTransparent(raw);
    const cached = cache.get(node);
    if (cached) return cached;
    const origin = compute(node, depth);
    cache.set(node, origin);
    return origin;
  };

  const compute = (node: ts.Node, depth: number): Origin => {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        return resolveIdentifier(node as ts.Identifier, depth);
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression: {
        const member = node as ts.PropertyAccessExpression | ts.ElementAccessExpression;
        const property = staticPropertyName(member);
        if (property === undefined) return unknown;
        return memberOf(resolve(member.expression, depth + 1), property);
      }
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        const required = requiredModule(call, names);
        if (required !== undefined) return moduleOrigin(required, '');
        if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return unknown;
        return { kind: 'instance', via: 'call', callee: resolve(call.expression, depth + 1) };
      }
      case ts.SyntaxKind.NewExpression:
        return { kind: 'instance', via: 'new', callee: resolve((node as ts.NewExpression).expression, depth + 1) };
      case ts.SyntaxKind.AwaitExpression: {
        const awaited = skipTransparent((node as ts.AwaitExpression).expression);
        if (!ts.isCallExpression(awaited)) return unknown;
        const imported = importCallModule(awaited);
        return imported !== undefined ? moduleOrigin(imported, '') : unknown;
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return { kind: 'function', node: node as FunctionLike };
      case ts.SyntaxKind.ClassExpression:
        return { kind: 'class', node: node as ts.ClassExpression };
      default:
        return unknown;
    }
  };

  const resolveIdentifier = (identifier: ts.Identifier, depth: number): Origin => {
    const declarations = names.declarationsOf(identifier);
    if (declarations.length === 0) {
      return globalObjectNames.has(identifier.text) ? { kind: 'global', name: '' } : { kind: 'global', name: identifier.text };
    }
    if (declarations.length !== 1) return unknown;
    const declaration = declarations[0]!;
    switch (declaration.kind) {
      case ts.SyntaxKind.ImportSpecifier:
      case ts.SyntaxKind.ImportClause:
      case ts.SyntaxKind.NamespaceImport:
      case ts.SyntaxKind.ImportEqualsDeclaration:
        return importOrigin(declaration);
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
        return isFunctionLike(declaration) && (declaration as ts.FunctionDeclaration).body !== undefined
          ? { kind: 'function', node: declaration as FunctionLike }
          : unknown;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        return { kind: 'class', node: declaration as ts.ClassDeclaration | ts.ClassExpression };
      case ts.SyntaxKind.VariableDeclaration:
      case ts.SyntaxKind.BindingElement:
        return variableOrigin(declaration as ts.VariableDeclaration | ts.BindingElement, identifier, depth);
      default:
        return unknown;
    }
  };

  const variableOrigin = (declaration: ts.VariableDeclaration | ts.BindingElement, identifier: ts.Identifier, depth: number): Origin => {
    // The keys from the destructured value to the name: `const { a: { b: name } } = x` → ['a', 'b'].
    const path: string[] = [];
    let current: ts.Node = declaration;
    while (ts.isBindingElement(current)) {
      if (!ts.isObjectBindingPattern(current.parent)) return unknown;
      const key = bindingKey(current);
      if (key === undefined) return unknown;
      path.unshift(key);
      current = current.parent.parent;
    }
    if (!ts.isVariableDeclaration(current) || current.initializer === undefined) return unknown;
    // A binding written again later may hold anything: only single-assignment bindings are followed.
    const list = current.parent;
    const isConst = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst) {
      const symbol = names.symbolOf(identifier);
      if (symbol === undefined || names.isReassigned(symbol)) return unknown;
    }
    let origin = resolve(current.initializer, depth + 1);
    for (const key of path) origin = memberOf(origin, key);
    return origin;
  };

  return (node) => resolve(node, 0);
}

/** The key a destructured name is read from: `{ a: name }` and `{ name }` → the key; computed non-strings → undefined. */
function bindingKey(element: ts.BindingElement): string | undefined {
  if (element.dotDotDotToken) return undefined;
  const key = element.propertyName ?? element.name;
  if (ts.isIdentifier(key)) return key.text;
  if (ts.isStringLiteral(key)) return key.text;
  if (ts.isComputedPropertyName(key) && ts.isStringLiteral(unparen(key.expression))) return (unparen(key.expression) as ts.StringLiteral).text;
  return undefined;
}

/** `require('m')` with the global `require` → 'm'. */
export function requiredModule(call: ts.CallExpression, names: FileNames): string | undefined {
  const module = requireCallModule(call);
  if (module === undefined) return undefined;
  return names.isGlobal(unparen(call.expression) as ts.Identifier) ? module : undefined;
}

function importOrigin(declaration: ts.Declaration): Origin {
  if (ts.isImportEqualsDeclaration(declaration)) {
    const reference = declaration.moduleReference;
    return ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression)
      ? moduleOrigin(reference.expression.text, '')
      : unknown;
  }
  const importDeclaration = ts.isImportSpecifier(declaration)
    ? declaration.parent.parent.parent
    : ts.isNamespaceImport(declaration)
      ? declaration.parent.parent
      : (declaration as ts.ImportClause).parent;
  if (!ts.isImportDeclaration(importDeclaration) || !ts.isStringLiteral(importDeclaration.moduleSpecifier)) return unknown;
  const source = importDeclaration.moduleSpecifier.text;
  if (!ts.isImportSpecifier(declaration)) {
    // A default or namespace import: the default export of a CommonJS package or Node built-in is its module object.
    return moduleOrigin(source, '');
  }
  const imported = (declaration.propertyName ?? declaration.name).text;
  return moduleOrigin(source, imported === 'default' ? '' : imported);
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

