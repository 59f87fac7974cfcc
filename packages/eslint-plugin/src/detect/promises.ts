import ts from './typescript.cjs';

import { typeUtils } from '../util/type-utils.js';
import type { DetectionFile, TypeServices } from './file.js';
import { type Origin, timerModuleGlobals } from './origin.js';
import { isUntypedListenerRegistration } from './receivers.js';
import {
  type FunctionLike,
  isAsyncFunction,
  isFunctionLike,
  isFunctionValue,
  isGenerator,
  isAsync,
  isMemberAccess,
  skipTransparent,
  staticPropertyName,
  unparen,
  walk,
} from './syntax.js';

/** What a dropped value is: one promise, an array (or tuple) of promises, or a non-promise thenable. */
export type PromiseKind = 'promise' | 'array' | 'thenable';

export const chainMethods: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Modules whose every function returns a promise (heuristic without type information). */
const promiseModules = new Set(['fs/promises', 'dns/promises', 'stream/promises', 'timers/promises', 'readline/promises']);
const promiseStatics = new Set(['resolve', 'reject', 'all', 'allSettled', 'race', 'any', 'try']);

/** `p.then(…)`, `p.catch(…)`, `p.finally(…)` (also with `?.`). */
export function isChainCall(node: ts.Node): boolean {
  const target = skipTransparent(node);
  if (!ts.isCallExpression(target)) return false;
  const callee = skipTransparent(target.expression);
  if (!isMemberAccess(callee)) return false;
  const name = staticPropertyName(callee);
  return name !== undefined && chainMethods.has(name);
}

/** The first link of a `.then/.catch/.finally` chain: `a().then(f).catch(g)` → `a()`. */
export function chainRoot(node: ts.Node): ts.Node {
  let current = skipTransparent(node);
  while (isChainCall(current)) {
    const callee = skipTransparent((current as ts.CallExpression).expression) as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    current = skipTransparent(callee.expression);
  }
  return current;
}

/**
 * The documented heuristic used without type information: calls of functions declared `async` in this file (also
 * methods called on `this`, and immediately invoked async functions), `.then/.catch/.finally` chains, `new Promise`,
 * `Promise.resolve/all/…`, `fetch`, and the functions of `fs/promises`, `dns/promises`, `stream/promises`,
 * `timers/promises` and `readline/promises` (also `fs.promises.*`); a `const` bound to one of those.
 */
export function isPromiseBySyntax(raw: ts.Node, file: DetectionFile): boolean {
  const node = skipTransparent(raw);
  if (ts.isNewExpression(node)) return isPromiseConstructor(file.origin(node.expression));
  if (ts.isIdentifier(node)) {
    const origin = file.origin(node);
    return origin.kind === 'instance' && instanceIsPromise(origin);
  }
  if (!ts.isCallExpression(node)) return false;
  if (isChainCall(node)) return true;
  const callee = skipTransparent(node.expression);
  if (isFunctionValue(callee)) return isAsyncFunction(callee);
  if (isMemberAccess(callee) && unparen(callee.expression).kind === ts.SyntaxKind.ThisKeyword) {
    const method =
      ts.isPropertyAccessExpression(callee) && ts.isPrivateIdentifier(callee.name) ? callee.name.text : staticPropertyName(callee);
    return method !== undefined && isAsyncMethodOfEnclosingClass(callee, method);
  }
  return calleeReturnsPromise(file.origin(callee));
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

function isAsyncMethodOfEnclosingClass(member: ts.Node, name: string): boolean {
  for (let current: ts.Node | undefined = member.parent; current; current = current.parent) {
    if (ts.isClassDeclaration(current) || ts.isClassExpression(current)) {
      return current.members.some((element) => {
        const key = element.name;
        if (key === undefined || memberKeyName(key) !== name) return false;
        if (ts.isMethodDeclaration(element)) return element.body !== undefined && isAsyncFunction(element);
        if (ts.isPropertyDeclaration(element) && element.initializer !== undefined) {
          const value = unparen(element.initializer);
          return isFunctionValue(value) && isAsyncFunction(value);
        }
        return false;
      });
    }
    // `this` inside a non-arrow function (or an object literal's method) is not the class instance any more.
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return false;
    if ((ts.isMethodDeclaration(current) || ts.isGetAccessor(current) || ts.isSetAccessor(current)) && ts.isObjectLiteralExpression(current.parent)) {
      return false;
    }
  }
  return false;
}

/** `name` for a plain key, `#name` for a private one; computed keys have none. */
function memberKeyName(key: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(key)) return key.text;
  if (ts.isPrivateIdentifier(key)) return key.text;
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
export function promiseKindOf(node: ts.Node, file: DetectionFile, checkThenables: boolean): PromiseKind | undefined {
  if (isPromiseBySyntax(node, file)) {
    // `.then/.catch/.finally` are names, not types: a framework's `bot.catch(handler)` returns the bot. With types the
    // receiver's type decides (a value typed `any` keeps the name's word); without, a constructed object is no promise.
    if (!isChainCall(node)) return 'promise';
    return chainIsPromise(node, file, checkThenables) ? 'promise' : undefined;
  }
  if (isAsyncMap(node, file)) return 'array';
  const types = file.types;
  if (!types || returnsNoPromiseBySyntax(node, file)) return undefined;
  const target = unparen(node);
  if (ts.isCallExpression(target) && isUntypedListenerRegistration(target, file)) return undefined;
  const type = types.typeOf(target);
  if ((type.flags & ts.TypeFlags.Any) !== 0 && ts.isCallExpression(target)) return callReturnsPromiseWhereAny(target, types) ? 'promise' : undefined;
  return promiseKindOfType(type, types, target, checkThenables);
}

/**
 * Plain JavaScript types a module-level `let client;` that an `if` later assigns (`client = new Redis(…)`) as `any`, and
 * so every function that returns `client.del(…)`. For a call typed `any`, the function it calls is read: one of its
 * `return`s is a promise by type, or a method call on such a `let`, typed by what the file assigns it. One level deep.
 */
function callReturnsPromiseWhereAny(call: ts.CallExpression, types: TypeServices): boolean {
  if (methodOfUntypedNameReturnsPromise(call, types)) return true;
  const declaration = types.checker.getResolvedSignature(call)?.getDeclaration();
  return declaration !== undefined && isFunctionLike(declaration) && functionReturnsPromiseWhereAny(declaration, types);
}

const anyReturnCache = new WeakMap<ts.Node, boolean>();

function functionReturnsPromiseWhereAny(fn: FunctionLike, types: TypeServices): boolean {
  const cached = anyReturnCache.get(fn);
  if (cached !== undefined) return cached;
  anyReturnCache.set(fn, false);
  const returned: ts.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returned.push(fn.body as ts.Expression);
  else if (fn.body) {
    walk(fn.body, (node) => {
      if (isFunctionLike(node)) return false;
      if (ts.isReturnStatement(node) && node.expression) returned.push(node.expression);
      return true;
    });
  }
  const found = returned.some((expression) => {
    const value = skipTransparent(expression);
    const type = types.typeOf(value);
    if ((type.flags & ts.TypeFlags.Any) === 0) return promiseKindOfType(type, types, value, false) === 'promise';
    return ts.isCallExpression(value) && methodOfUntypedNameReturnsPromise(value, types);
  });
  anyReturnCache.set(fn, found);
  return found;
}

/**
 * `recv.method(…)` where `recv` is a name declared with no type whose values are known: a `let` with no value that the
 * file assigns (`client = new Redis(…)` in an `if`), or a binding initialised with one. A value typed `any` because
 * `require` gave an ES module's namespace (`new (require('ioredis'))(…)`) is typed by the module's default export, which
 * is what such a package's CommonJS entry exports.
 */
function methodOfUntypedNameReturnsPromise(call: ts.CallExpression, types: TypeServices): boolean {
  const callee = skipTransparent(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return false;
  const receiver = skipTransparent(callee.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const symbol = types.checker.getSymbolAtLocation(receiver);
  const declaration = symbol?.valueDeclaration;
  if (!symbol || !declaration || !ts.isVariableDeclaration(declaration) || declaration.type || !ts.isIdentifier(declaration.name)) return false;
  const method = callee.name.text;
  const values = declaration.initializer ? [declaration.initializer, ...assignedValues(symbol, declaration, types)] : assignedValues(symbol, declaration, types);
  return values.some((value) => {
    const type = valueType(value, types);
    const property = type && types.checker.getPropertyOfType(type, method);
    if (!property) return false;
    return types.checker.getTypeOfSymbolAtLocation(property, value).getCallSignatures().some((signature) => promiseKindOfType(types.checker.getReturnTypeOfSignature(signature), types, value, false) === 'promise');
  });
}

function valueType(value: ts.Expression, types: TypeServices): ts.Type | undefined {
  const type = types.typeOf(value);
  if ((type.flags & ts.TypeFlags.Any) === 0) return type;
  const target = skipTransparent(value);
  if (!ts.isNewExpression(target)) return undefined;
  const constructor = types.typeOf(target.expression);
  if (constructor.getConstructSignatures().length > 0) return undefined;
  const defaultExport = constructor.getProperty('default');
  const signature = defaultExport && types.checker.getTypeOfSymbolAtLocation(defaultExport, target).getConstructSignatures()[0];
  return signature ? types.checker.getReturnTypeOfSignature(signature) : undefined;
}

function assignedValues(symbol: ts.Symbol, declaration: ts.VariableDeclaration, types: TypeServices): ts.Expression[] {
  const name = (declaration.name as ts.Identifier).text;
  const values: ts.Expression[] = [];
  walk(declaration.getSourceFile(), (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipTransparent(node.left);
      if (ts.isIdentifier(left) && left.text === name && types.checker.getSymbolAtLocation(left) === symbol) values.push(node.right);
    }
    return values.length < 8;
  });
  return values;
}

function chainIsPromise(node: ts.Node, file: DetectionFile, checkThenables: boolean): boolean {
  const types = file.types;
  if (types) {
    const target = unparen(node);
    const type = types.typeOf(target);
    if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return true;
    return promiseKindOfType(type, types, target, true) !== undefined || (checkThenables && isThenable(type, types, target));
  }
  const root = chainRoot(node);
  if (!ts.isIdentifier(root) && !ts.isNewExpression(root)) return true;
  const origin = ts.isNewExpression(root) ? { kind: 'instance' as const, via: 'new' as const, callee: file.origin(root.expression) } : file.origin(root);
  return !(origin.kind === 'instance' && origin.via === 'new' && !isPromiseConstructor(origin.callee));
}

/** Globals that never return a promise; their calls skip the type checker (the costly part of typed linting). */
const nonPromiseGlobals = new Set([...timerModuleGlobals, 'queueMicrotask', 'structuredClone']);

/**
 * A cheap syntactic "certainly not a promise", checked before asking the type checker: calls of timer and console
 * functions, and of non-async functions of this file whose body returns no value.
 */
function returnsNoPromiseBySyntax(raw: ts.Node, file: DetectionFile): boolean {
  const node = skipTransparent(raw);
  if (!ts.isCallExpression(node)) return false;
  const origin = file.origin(node.expression);
  if (origin.kind === 'global') {
    return nonPromiseGlobals.has(origin.name) || origin.name.startsWith('console.') || origin.name === 'process.nextTick';
  }
  return origin.kind === 'function' && returnsNothing(origin.node, file);
}

/** Owner token of the per-file cache of {@link returnsNothing}. */
const returnsNothingOwner = {};

function returnsNothing(fn: FunctionLike, file: DetectionFile): boolean {
  if (isAsync(fn) || isGenerator(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return false;
  const returnsNothingCache = file.fileCache<FunctionLike, boolean>(returnsNothingOwner);
  const cached = returnsNothingCache.get(fn);
  if (cached !== undefined) return cached;
  let returnsValue = false;
  walk(fn.body, (node) => {
    if (isFunctionLike(node)) return false;
    if (ts.isReturnStatement(node) && node.expression !== undefined) returnsValue = true;
    return !returnsValue;
  });
  returnsNothingCache.set(fn, !returnsValue);
  return !returnsValue;
}

/** `items.map(async (item) => …)`: an array of promises whatever `items` is (heuristic, also used without types). */
function isAsyncMap(raw: ts.Node, file: DetectionFile): boolean {
  const node = skipTransparent(raw);
  if (!ts.isCallExpression(node)) return false;
  const callee = skipTransparent(node.expression);
  const mapper = node.arguments[0];
  if (!isMemberAccess(callee) || staticPropertyName(callee) !== 'map' || !mapper) return false;
  const fn = file.functionOf(mapper);
  return fn !== undefined && isAsyncFunction(fn);
}

/** Whether calling `fn` returns a promise: declared async, or (with types) its return type is a promise. */
export function returnsPromise(fn: ts.Node, file: DetectionFile): boolean {
  const target = skipTransparent(fn);
  const declaration = file.functionOf(target);
  if (declaration && isGenerator(declaration)) return false;
  if (declaration && isAsync(declaration)) return true;
  const types = file.types;
  if (!types) return false;
  const signatures = types.typeOf(target).getCallSignatures();
  return signatures.some((signature) => {
    const returned = types.checker.getReturnTypeOfSignature(signature);
    if ((returned.flags & ts.TypeFlags.Any) !== 0) {
      const declared = signature.getDeclaration();
      return declared !== undefined && isFunctionLike(declared) && functionReturnsPromiseWhereAny(declared, types);
    }
    return promiseKindOfType(returned, types, target, false) === 'promise';
  });
}
