import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import { isGlobal } from './origin.js';
import { chainMethods, promiseKindOfType } from './promises.js';
import { type ServerKind, serverKindOf } from './servers.js';
import { calledFunction, functionReferencedBy, functionsReachedFrom } from './references.js';
import {
  enclosingFunction,
  type FunctionLike,
  isAmong,
  isFunctionLike,
  isMemberAccess,
  parentOf,
  skipTransparent,
  staticPropertyName,
  stringValue,
  textMaySpell,
  unparen,
  walk,
} from './syntax.js';

/** The signals a process manager or a terminal sends to stop a service. */
export const shutdownSignals: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);
/** EventEmitter methods that register a listener; the listener's return value is dropped. */
export const listenerMethods: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);

export interface SignalRegistration {
  /** The signal the listener is for: SIGTERM when it is one of several, else the first one. */
  signal: string;
  /** Every signal the listener is registered for (several when registered in a loop over a list of names). */
  signals: readonly string[];
  /** The listener argument as written (a function, or a name), without parentheses. */
  listener: ts.Expression;
  /** The listener's function when it is declared in this file (also by reference: `this.stop.bind(this)`). */
  handler: FunctionLike | undefined;
}

/**
 * `process.on('SIGTERM', handler)` and the other listener methods, on the global or imported `process`; the signal
 * may be a loop variable over a list of names: `for (const s of ['SIGINT', 'SIGTERM']) process.on(s, stop)`.
 */
export function signalRegistration(call: ts.CallExpression, file: DetectionFile): SignalRegistration | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee)) return undefined;
  const method = staticPropertyName(callee);
  if (method === undefined || !listenerMethods.has(method)) return undefined;
  const rawListener = call.arguments[1];
  if (!rawListener || !call.arguments[0]) return undefined;
  const signals = signalNamesOf(call.arguments[0], file).filter((name) => name.startsWith('SIG'));
  if (signals.length === 0) return undefined;
  if (!isGlobal(file.origin(callee.expression), 'process')) return undefined;
  const listener = unparen(rawListener);
  const signal = signals.includes('SIGTERM') ? 'SIGTERM' : signals.find((name) => shutdownSignals.has(name)) ?? signals[0]!;
  return { signal, signals, listener, handler: functionReferencedBy(listener, file) };
}

/** The names a signal argument can hold: a string, or the variable of a loop over a list of strings. */
function signalNamesOf(argument: ts.Node, file: DetectionFile): string[] {
  const literal = stringValue(argument);
  if (literal !== undefined) return [literal];
  const target = skipTransparent(argument);
  if (!ts.isIdentifier(target)) return [];
  const declaration = file.names.declarationsOf(target)[0];
  if (!declaration) return [];
  if (ts.isParameter(declaration) && ts.isIdentifier(declaration.name)) {
    // `['SIGINT', 'SIGTERM'].forEach((signal) => process.on(signal, stop))`
    const fn = declaration.parent;
    const call = parentOf(fn);
    if (!isFunctionLike(fn) || fn.parameters[0] !== declaration || !call || !ts.isCallExpression(call)) return [];
    const forEach = skipTransparent(call.expression);
    if (!isMemberAccess(forEach) || staticPropertyName(forEach) !== 'forEach' || !isAmong(fn, call.arguments)) return [];
    return stringsOfList(forEach.expression, file);
  }
  if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent)) {
    // `for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop)`
    const loop = declaration.parent.parent;
    if (loop && ts.isForOfStatement(loop) && loop.initializer === declaration.parent) return stringsOfList(loop.expression, file);
    // `const signal = 'SIGTERM'`
    if (declaration.initializer && (declaration.parent.flags & ts.NodeFlags.Const) !== 0) {
      const value = stringValue(declaration.initializer);
      return value === undefined ? [] : [value];
    }
  }
  return [];
}

/** The strings of an array literal, written in place or held by a `const` of this file. */
function stringsOfList(node: ts.Node, file: DetectionFile, depth = 0): string[] {
  const target = skipTransparent(node);
  if (ts.isArrayLiteralExpression(target)) return target.elements.flatMap((element) => stringValue(element) ?? []);
  if (ts.isIdentifier(target) && depth < 2) {
    const declaration = file.names.declarationsOf(target)[0];
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      return stringsOfList(declaration.initializer, file, depth + 1);
    }
  }
  return [];
}

export type AbruptExitCall = 'process.exit' | 'process.kill' | 'process.abort';

/** `process.exit(…)`, `process.abort()`, or `process.kill(process.pid, …)` (killing oneself). */
export function abruptExitOf(call: ts.CallExpression, file: DetectionFile): AbruptExitCall | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee)) return undefined;
  const method = staticPropertyName(callee);
  if (method !== 'exit' && method !== 'abort' && method !== 'kill') return undefined;
  if (!isGlobal(file.origin(callee.expression), 'process')) return undefined;
  if (method === 'kill') {
    const target = call.arguments[0];
    if (!target || !isGlobal(file.origin(target), 'process.pid')) return undefined;
  }
  return `process.${method}`;
}

export interface AbruptExit {
  call: ts.CallExpression;
  kind: AbruptExitCall;
}

/** Owner token of the per-file cache of {@link abruptExitsReachedFrom}. */
const exitsCacheOwner = {};

/**
 * Every abrupt exit a handler reaches: in its own body (callbacks included, such as `server.close(() => process.exit())`)
 * and through calls of functions declared in the same file, except exits that come after awaiting the shim's
 * `shutdown()` or, earlier in an enclosing block, an awaited stop of the process's own work (`await queue.close()`).
 */
export function abruptExitsReachedFrom(handler: FunctionLike, file: DetectionFile): readonly AbruptExit[] {
  const exitsCache = file.fileCache<FunctionLike, readonly AbruptExit[]>(exitsCacheOwner);
  const cached = exitsCache.get(handler);
  if (cached) return cached;
  const found: AbruptExit[] = [];
  const visited = new Set<FunctionLike>();
  const pending: FunctionLike[] = [handler];
  while (pending.length > 0) {
    const root = pending.pop()!;
    if (visited.has(root)) continue;
    visited.add(root);
    walk(root, (node) => {
      if (!ts.isCallExpression(node)) return;
      const kind = abruptExitOf(node, file);
      if (kind !== undefined) {
        if (!comesAfterShutdownOrStop(node, root, file)) found.push({ call: node, kind });
        return;
      }
      const callee = calledFunction(node, file);
      if (callee && !visited.has(callee) && !comesAfterShutdownOrStop(node, root, file)) pending.push(callee);
    });
  }
  const unique = [...new Map(found.map((exit) => [exit.call, exit])).values()];
  exitsCache.set(handler, unique);
  return unique;
}

const shutdownNames: ReadonlySet<string> = new Set(['shutdown']);

function isShimShutdownCall(node: ts.Node, file: DetectionFile): boolean {
  return file.isTrackerCall(node, shutdownNames);
}

/**
 * `await shutdown(); process.exit(0)` or `shutdown().then(() => process.exit(0))`, within `root`; or
 * `await queue.close(); process.exit(0)`: a statement of an enclosing block before it awaits a stop (see awaitsOwnStop).
 */
export function comesAfterShutdownOrStop(node: ts.Node, root: FunctionLike, file: DetectionFile): boolean {
  for (let current: ts.Node = node; current !== root && current.parent; current = current.parent) {
    const parent: ts.Node = current.parent;
    if ((ts.isBlock(parent) || ts.isSourceFile(parent)) && earlierStatementsAwaitShutdown(parent.statements, current, file)) {
      return true;
    }
    if ((ts.isCaseClause(parent) || ts.isDefaultClause(parent)) && earlierStatementsAwaitShutdown(parent.statements, current, file)) {
      return true;
    }
    if (isFunctionLike(current)) {
      const call = parentOf(current);
      if (call && ts.isCallExpression(call) && isAmong(current, call.arguments)) {
        const callee = skipTransparent(call.expression);
        if (isMemberAccess(callee)) {
          const method = staticPropertyName(callee);
          if (method !== undefined && chainMethods.has(method) && method !== 'catch' && isShimShutdownCall(callee.expression, file)) {
            return true;
          }
        }
      }
    }
  }
  return false;
}

function earlierStatementsAwaitShutdown(statements: readonly ts.Node[], current: ts.Node, file: DetectionFile): boolean {
  for (const statement of statements) {
    if (statement === current) return false;
    if (awaitsOwnStop(statement, file)) return true;
    let awaits = false;
    walk(statement, (node) => {
      if (isFunctionLike(node)) return false;
      if (ts.isAwaitExpression(node) && isShimShutdownCall(node.expression, file)) awaits = true;
      return !awaits;
    });
    if (awaits) return true;
  }
  return false;
}

/**
 * Methods that stop a process's own work and, awaited, resolve once it is done: a queue's `close()` waits for its running
 * jobs, a worker's `stop()`, a pool's `drain()`, a client's `quit()`/`disconnect()`.
 */
const ownStopMethods: ReadonlySet<string> = new Set([
  'close', 'closeAll', 'stop', 'shutdown', 'drain', 'disconnect', '$disconnect', 'quit', 'end', 'destroy', 'terminate', 'dispose',
]);
/** Servers whose `close()`/`stop()` returns a promise that settles once they are closed; a Node server's takes a callback. */
const promiseClosingServers: ReadonlySet<ServerKind> = new Set(['fastify', 'nestjs', 'hapi']);

/**
 * A statement that is itself the await of the process's own work stopping, so whatever follows it in the same block runs
 * after that work is done on every path: `await queue.close();`, `const done = await worker.stop();`,
 * `await Promise.all([queue.close(), pool.drain()]);`. Only a stop method called on a value (a name or a property, not
 * a call's result) counts, and never one whose value is known not to be a promise: a Node server's `close()` returns
 * the server (awaiting it waits for nothing), which its type says with types and its origin without.
 */
function awaitsOwnStop(statement: ts.Node, file: DetectionFile): boolean {
  let expression: ts.Node | undefined;
  if (ts.isExpressionStatement(statement)) expression = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) expression = statement.declarationList.declarations[0]!.initializer;
  const awaited = expression && skipTransparent(expression);
  if (!awaited || !ts.isAwaitExpression(awaited)) return false;
  const value = skipTransparent(awaited.expression);
  if (isShimShutdownCall(value, file)) return true;
  if (ts.isCallExpression(value)) {
    const callee = skipTransparent(value.expression);
    // `Promise.all([a.close(), b.stop()])`: every element a stop.
    if (isMemberAccess(callee) && (staticPropertyName(callee) === 'all' || staticPropertyName(callee) === 'allSettled') && isGlobal(file.origin(callee.expression), 'Promise')) {
      const list = value.arguments[0] && skipTransparent(value.arguments[0]);
      return list !== undefined && ts.isArrayLiteralExpression(list) && list.elements.length > 0 && list.elements.every((element) => isOwnStopCall(element, file));
    }
  }
  return isOwnStopCall(value, file);
}

function isOwnStopCall(node: ts.Node, file: DetectionFile): boolean {
  const call = skipTransparent(node);
  if (!ts.isCallExpression(call)) return false;
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee)) return false;
  const method = staticPropertyName(callee) ?? (ts.isPropertyAccessExpression(callee) && ts.isPrivateIdentifier(callee.name) ? callee.name.text : undefined);
  if (method === undefined || !ownStopMethods.has(method)) return false;
  const receiver = skipTransparent(callee.expression);
  if (!ts.isIdentifier(receiver) && !isMemberAccess(receiver)) return false;
  if (isGlobal(file.origin(receiver), 'process')) return false;
  const server = serverKindOf(receiver, file);
  if (server !== undefined && !promiseClosingServers.has(server)) return false;
  const types = file.types;
  if (types) {
    const type = types.typeOf(call);
    if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0) return promiseKindOfType(type, types, call, false) === 'promise';
  }
  return true;
}

/** Owner token of the per-file cache of {@link shutdownHandlerOf}. */
const shutdownPathOwner = {};

/**
 * Whether `fn` runs when the process gets SIGTERM: it is a SIGTERM listener of this file (also by reference), or a
 * function of the file such a listener calls (directly or through other functions of the file).
 */
export function shutdownHandlerOf(fn: FunctionLike, file: DetectionFile): boolean {
  const cache = file.fileCache<'reached', ReadonlySet<FunctionLike>>(shutdownPathOwner);
  let reached = cache.get('reached');
  if (!reached) {
    reached = functionsReachedFromSigterm(file);
    cache.set('reached', reached);
  }
  return reached.has(fn);
}

const maxReachedFunctions = 100;

function functionsReachedFromSigterm(file: DetectionFile): ReadonlySet<FunctionLike> {
  if (!file.sourceFile.text.includes('SIGTERM')) return new Set();
  const handlers: FunctionLike[] = [];
  for (const call of file.calls) {
    const registration = signalRegistration(call, file);
    if (registration?.handler && registration.signals.includes('SIGTERM')) handlers.push(registration.handler);
  }
  return functionsReachedFrom(handlers, file, maxReachedFunctions);
}

const onShutdownNames: ReadonlySet<string> = new Set(['onShutdown']);

/**
 * Libraries that install SIGTERM handling of their own when called (a service that calls one handles shutdown its own
 * way); the callbacks given to them (`onSignal`, `onShutdown`, close-with-grace's function) run at shutdown.
 */
export const shutdownLibraries: ReadonlySet<string> = new Set([
  '@godaddy/terminus',
  'http-graceful-shutdown',
  'close-with-grace',
  'lightship',
  'async-exit-hook',
  'exit-hook',
  'node-graceful-shutdown',
  'graceful-shutdown',
  '@moebius/http-graceful-shutdown',
  'death',
  'signal-exit',
]);

/** A call of a function of a shutdown library (also of what one made: `createLightship().registerShutdownHandler`). */
export function isShutdownLibraryCall(call: ts.CallExpression, file: DetectionFile): boolean {
  if (!mayImportShutdownLibrary(file)) return false;
  const origin = file.origin(call.expression);
  if (origin.kind === 'module') return shutdownLibraries.has(origin.module);
  if (isMemberAccess(skipTransparent(call.expression))) {
    const receiver = file.origin((skipTransparent(call.expression) as ts.PropertyAccessExpression).expression);
    return receiver.kind === 'instance' && receiver.callee.kind === 'module' && shutdownLibraries.has(receiver.callee.module);
  }
  return false;
}

/** Owner token of the per-file cache of {@link mayImportShutdownLibrary}. */
const shutdownLibraryTextOwner = {};

/**
 * Whether the file can import a shutdown library at all: a module comes from an import, `require('m')` or `import('m')`,
 * whose specifier is a string literal, so a file whose text spells none of their names (most files) has no call of
 * one, and skips resolving the callee of every call for it.
 */
function mayImportShutdownLibrary(file: DetectionFile): boolean {
  const cache = file.fileCache<'spelled', boolean>(shutdownLibraryTextOwner);
  let spelled = cache.get('spelled');
  if (spelled === undefined) {
    spelled = textMaySpell(file.sourceFile.text, shutdownLibraries);
    cache.set('spelled', spelled);
  }
  return spelled;
}

/**
 * Inside a function that runs at shutdown: an `onShutdown(…)` hook of a tracker module, a SIGTERM handler of this file
 * (also passed by reference) or a function it calls, or a callback given to a shutdown library (directly or as a
 * property of an options object: terminus's `onSignal`).
 */
export function isInsideShutdownPath(node: ts.Node, file: DetectionFile): boolean {
  return shutdownPathOf(node, file) !== undefined;
}

/**
 * What runs the shutdown path `node` is in: the shim (`'hook'`, an `onShutdown(…)` hook: inside its phases), or the
 * process's signal itself without the shim (`'signal'`: a SIGTERM handler of this file or a function it calls, or a
 * callback given to a shutdown library). Undefined outside every shutdown path. The innermost function decides.
 */
export function shutdownPathOf(node: ts.Node, file: DetectionFile): 'hook' | 'signal' | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (shutdownHandlerOf(fn, file)) return 'signal';
    let holder: ts.Node | undefined = parentOf(fn);
    // `{ onSignal: async () => … }` or `{ async onSignal() { … } }` given to the call.
    if (holder && ts.isPropertyAssignment(holder)) holder = parentOf(holder);
    else if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)) holder = fn.parent;
    if (holder && ts.isObjectLiteralExpression(holder)) holder = parentOf(holder);
    if (holder && ts.isCallExpression(holder)) {
      if (file.isTrackerCall(holder, onShutdownNames)) return 'hook';
      if (isShutdownLibraryCall(holder, file)) return 'signal';
    }
  }
  return undefined;
}
