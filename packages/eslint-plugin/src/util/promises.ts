import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import type { FileAnalysis, TypeServices } from './analysis.js';
import { type FunctionLike, isFunctionLike, skipTransparent, staticPropertyName, walk } from './ast.js';
import { type Origin, timerModuleGlobals } from './origin.js';
import { typeUtils } from './type-utils.js';

/** What a dropped value is: one promise, an array (or tuple) of promises, or a non-promise thenable. */
export type PromiseKind = 'promise' | 'array' | 'thenable';

export const chainMethods: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Modules whose every function returns a promise (heuristic without type information). */
const promiseModules = new Set(['fs/promises', 'dns/promises', 'stream/promises', 'timers/promises', 'readline/promises']);
const promiseStatics = new Set(['resolve', 'reject', 'all', 'allSettled', 'race', 'any', 'try']);

/** `p.then(…)`, `p.catch(…)`, `p.finally(…)` (also with `?.`). */
export function isChainCall(node: TSESTree.Node): boolean {
  const target = skipTransparent(node);
  if (target.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipTransparent(target.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = staticPropertyName(callee);
  return name !== undefined && chainMethods.has(name);
}

/** The first link of a `.then/.catch/.finally` chain: `a().then(f).catch(g)` → `a()`. */
export function chainRoot(node: TSESTree.Node): TSESTree.Node {
  let current = skipTransparent(node);
  while (isChainCall(current)) {
    const callee = skipTransparent((current as TSESTree.CallExpression).callee) as TSESTree.MemberExpression;
    current = skipTransparent(callee.object);
  }
  return current;
}

/**
 * The documented heuristic used without type information: calls of functions declared `async` in this file (also
 * methods called on `this`, and immediately invoked async functions), `.then/.catch/.finally` chains, `new Promise`,
 * `Promise.resolve/all/…`, `fetch`, and the functions of `fs/promises`, `dns/promises`, `stream/promises`,
 * `timers/promises` and `readline/promises` (also `fs.promises.*`); a `const` bound to one of those.
 */
export function isPromiseBySyntax(raw: TSESTree.Node, analysis: FileAnalysis): boolean {
  const node = skipTransparent(raw);
  if (node.type === AST_NODE_TYPES.NewExpression) return isPromiseConstructor(analysis.origin(node.callee));
  if (node.type === AST_NODE_TYPES.Identifier) {
    const origin = analysis.origin(node);
    return origin.kind === 'instance' && instanceIsPromise(origin);
  }
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  if (isChainCall(node)) return true;
  const callee = skipTransparent(node.callee);
  if (isFunctionLike(callee)) return callee.async && !callee.generator;
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression) {
    const method = callee.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${callee.property.name}` : staticPropertyName(callee);
    return method !== undefined && isAsyncMethodOfEnclosingClass(callee, method);
  }
  return calleeReturnsPromise(analysis.origin(callee));
}

function isPromiseConstructor(origin: Origin): boolean {
  return origin.kind === 'global' && origin.name === 'Promise';
}

function instanceIsPromise(origin: Extract<Origin, { kind: 'instance' }>): boolean {
  return origin.via === 'new' ? isPromiseConstructor(origin.callee) : calleeReturnsPromise(origin.callee);
}

function calleeReturnsPromise(origin: Origin): boolean {
  switch (origin.kind) {
    case 'function':
      return isAsyncFunction(origin.node);
    case 'global':
      if (origin.name === 'fetch') return true;
      return origin.name.startsWith('Promise.') && promiseStatics.has(origin.name.slice('Promise.'.length));
    case 'module':
      if (promiseModules.has(origin.module) && origin.name !== '') return true;
      return origin.module === 'fs' && origin.name.startsWith('promises.');
    default:
      return false;
  }
}

function isAsyncFunction(fn: FunctionLike): boolean {
  return fn.async && !fn.generator;
}

function isAsyncMethodOfEnclosingClass(member: TSESTree.MemberExpression, name: string): boolean {
  for (let current: TSESTree.Node | undefined = member.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) {
      return current.body.some(
        (element) =>
          (element.type === AST_NODE_TYPES.MethodDefinition || element.type === AST_NODE_TYPES.PropertyDefinition) &&
          !element.computed &&
          memberKeyName(element.key) === name &&
          isFunctionLike(element.value) &&
          isAsyncFunction(element.value),
      );
    }
    // `this` inside a non-arrow function is not the class instance any more.
    if (current.type === AST_NODE_TYPES.FunctionDeclaration) return false;
    if (current.type === AST_NODE_TYPES.FunctionExpression && current.parent?.type !== AST_NODE_TYPES.MethodDefinition) return false;
  }
  return false;
}

/** `name` for a plain key, `#name` for a private one. */
function memberKeyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  return undefined;
}

/** What the checker says a value is; `any`/`unknown` are never promises (nothing can be said about them). */
export function promiseKindOfType(type: ts.Type, types: TypeServices, node: ts.Node, checkThenables: boolean): PromiseKind | undefined {
  const parts = type.isUnion() ? type.types : [type];
  let kind: PromiseKind | undefined;
  for (const part of parts) {
    if (typeUtils().isPromiseLike(types.program, part)) return 'promise';
    if (kind === undefined && (types.checker.isArrayType(part) || types.checker.isTupleType(part))) {
      const elements = types.checker.getTypeArguments(part as ts.TypeReference);
      if (elements.some((element) => promiseKindOfType(element, types, node, checkThenables) !== undefined)) kind = 'array';
    }
    if (kind === undefined && checkThenables && isThenable(part, types, node)) kind = 'thenable';
  }
  return kind;
}

function isThenable(type: ts.Type, types: TypeServices, node: ts.Node): boolean {
  const then = type.getProperty('then');
  if (!then) return false;
  return types.checker.getTypeOfSymbolAtLocation(then, node).getCallSignatures().length > 0;
}

/** A value's promise kind, by type when the program is typed and by the heuristic otherwise. */
export function promiseKindOf(node: TSESTree.Node, analysis: FileAnalysis, checkThenables: boolean): PromiseKind | undefined {
  if (isPromiseBySyntax(node, analysis)) return 'promise';
  if (isAsyncMap(node, analysis)) return 'array';
  const types = analysis.types;
  if (!types || returnsNoPromiseBySyntax(node, analysis)) return undefined;
  return promiseKindOfType(types.typeOf(node), types, types.tsNodeOf(node), checkThenables);
}

/** Globals that never return a promise; their calls skip the type checker (the costly part of typed linting). */
const nonPromiseGlobals = new Set([...timerModuleGlobals, 'queueMicrotask', 'structuredClone']);

/**
 * A cheap syntactic "certainly not a promise", checked before asking the type checker: calls of timer and console
 * functions, and of non-async functions of this file whose body returns no value.
 */
function returnsNoPromiseBySyntax(raw: TSESTree.Node, analysis: FileAnalysis): boolean {
  const node = skipTransparent(raw);
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const origin = analysis.origin(node.callee);
  if (origin.kind === 'global') {
    return nonPromiseGlobals.has(origin.name) || origin.name.startsWith('console.') || origin.name === 'process.nextTick';
  }
  return origin.kind === 'function' && returnsNothing(origin.node, analysis);
}

/** Owner token of the per-file cache of {@link returnsNothing}. */
const returnsNothingOwner = {};

function returnsNothing(fn: FunctionLike, analysis: FileAnalysis): boolean {
  if (fn.async || fn.generator || fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const returnsNothingCache = analysis.fileCache<FunctionLike, boolean>(returnsNothingOwner);
  const cached = returnsNothingCache.get(fn);
  if (cached !== undefined) return cached;
  let returnsValue = false;
  walk(fn.body, analysis.visitorKeys, (node) => {
    if (isFunctionLike(node)) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument !== null) returnsValue = true;
    return !returnsValue;
  });
  returnsNothingCache.set(fn, !returnsValue);
  return !returnsValue;
}

/** `items.map(async (item) => …)`: an array of promises whatever `items` is (heuristic, also used without types). */
function isAsyncMap(raw: TSESTree.Node, analysis: FileAnalysis): boolean {
  const node = skipTransparent(raw);
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipTransparent(node.callee);
  const mapper = node.arguments[0];
  if (callee.type !== AST_NODE_TYPES.MemberExpression || staticPropertyName(callee) !== 'map' || !mapper) return false;
  const fn = analysis.functionOf(mapper);
  return fn !== undefined && fn.async && !fn.generator;
}

/** Whether calling `fn` returns a promise: declared async, or (with types) its return type is a promise. */
export function returnsPromise(fn: TSESTree.Node, analysis: FileAnalysis): boolean {
  const target = skipTransparent(fn);
  const declaration = analysis.functionOf(target);
  if (declaration?.generator) return false;
  if (declaration?.async) return true;
  const types = analysis.types;
  if (!types) return false;
  const signatures = types.typeOf(target).getCallSignatures();
  return signatures.some((signature) => {
    const returned = types.checker.getReturnTypeOfSignature(signature);
    return promiseKindOfType(returned, types, types.tsNodeOf(target), false) === 'promise';
  });
}
