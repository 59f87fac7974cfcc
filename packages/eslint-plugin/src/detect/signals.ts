import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import { isGlobal } from './origin.js';
import { chainMethods } from './promises.js';
import {
  type FunctionLike,
  isAmong,
  isFunctionLike,
  isMemberAccess,
  parentOf,
  skipTransparent,
  staticPropertyName,
  stringValue,
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
  signal: string;
  /** The listener argument as written (a function, or a name), without parentheses. */
  listener: ts.Expression;
  /** The listener's function when it is declared in this file. */
  handler: FunctionLike | undefined;
}

/** `process.on('SIGTERM', handler)` and the other listener methods, on the global or imported `process`. */
export function signalRegistration(call: ts.CallExpression, file: DetectionFile): SignalRegistration | undefined {
  const callee = skipTransparent(call.expression);
  if (!isMemberAccess(callee)) return undefined;
  const method = staticPropertyName(callee);
  if (method === undefined || !listenerMethods.has(method)) return undefined;
  const signal = stringValue(call.arguments[0]);
  const rawListener = call.arguments[1];
  if (signal === undefined || !signal.startsWith('SIG') || !rawListener) return undefined;
  if (!isGlobal(file.origin(callee.expression), 'process')) return undefined;
  const listener = unparen(rawListener);
  return { signal, listener, handler: file.functionOf(listener) };
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
 * `shutdown()`.
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
        if (!comesAfterShimShutdown(node, root, file)) found.push({ call: node, kind });
        return;
      }
      const origin = file.origin(node.expression);
      if (origin.kind === 'function' && !visited.has(origin.node) && !comesAfterShimShutdown(node, root, file)) {
        pending.push(origin.node);
      }
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

/** `await shutdown(); process.exit(0)` or `shutdown().then(() => process.exit(0))`, within `root`. */
export function comesAfterShimShutdown(node: ts.Node, root: FunctionLike, file: DetectionFile): boolean {
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
