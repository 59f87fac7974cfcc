import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import type { FileAnalysis } from './analysis.js';
import { type FunctionLike, isFunctionLike, skipTransparent, staticPropertyName, stringValue, walk } from './ast.js';
import { isGlobal } from './origin.js';
import { chainMethods } from './promises.js';

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
  /** The listener argument as written (a function, or a name). */
  listener: TSESTree.Node;
  /** The listener's function when it is declared in this file. */
  handler: FunctionLike | undefined;
}

/** `process.on('SIGTERM', handler)` and the other listener methods, on the global or imported `process`. */
export function signalRegistration(call: TSESTree.CallExpression, analysis: FileAnalysis): SignalRegistration | undefined {
  const callee = skipTransparent(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = staticPropertyName(callee);
  if (method === undefined || !listenerMethods.has(method)) return undefined;
  const signal = stringValue(call.arguments[0]);
  const listener = call.arguments[1];
  if (signal === undefined || !signal.startsWith('SIG') || !listener) return undefined;
  if (!isGlobal(analysis.origin(callee.object), 'process')) return undefined;
  return { signal, listener, handler: analysis.functionOf(listener) };
}

export type AbruptExitCall = 'process.exit' | 'process.kill' | 'process.abort';

/** `process.exit(…)`, `process.abort()`, or `process.kill(process.pid, …)` (killing oneself). */
export function abruptExitOf(call: TSESTree.CallExpression, analysis: FileAnalysis): AbruptExitCall | undefined {
  const callee = skipTransparent(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = staticPropertyName(callee);
  if (method !== 'exit' && method !== 'abort' && method !== 'kill') return undefined;
  if (!isGlobal(analysis.origin(callee.object), 'process')) return undefined;
  if (method === 'kill') {
    const target = call.arguments[0];
    if (!target || !isGlobal(analysis.origin(target), 'process.pid')) return undefined;
  }
  return `process.${method}`;
}

export interface AbruptExit {
  call: TSESTree.CallExpression;
  kind: AbruptExitCall;
}

/** Owner token of the per-file cache of {@link abruptExitsReachedFrom}. */
const exitsCacheOwner = {};

/**
 * Every abrupt exit a handler reaches: in its own body (callbacks included, such as `server.close(() => process.exit())`)
 * and through calls of functions declared in the same file, except exits that come after awaiting the shim's
 * `shutdown()`.
 */
export function abruptExitsReachedFrom(handler: FunctionLike, analysis: FileAnalysis): readonly AbruptExit[] {
  const exitsCache = analysis.fileCache<FunctionLike, readonly AbruptExit[]>(exitsCacheOwner);
  const cached = exitsCache.get(handler);
  if (cached) return cached;
  const found: AbruptExit[] = [];
  const visited = new Set<FunctionLike>();
  const pending: FunctionLike[] = [handler];
  while (pending.length > 0) {
    const root = pending.pop()!;
    if (visited.has(root)) continue;
    visited.add(root);
    walk(root, analysis.visitorKeys, (node) => {
      if (node.type !== AST_NODE_TYPES.CallExpression) return;
      const kind = abruptExitOf(node, analysis);
      if (kind !== undefined) {
        if (!comesAfterShimShutdown(node, root, analysis)) found.push({ call: node, kind });
        return;
      }
      const origin = analysis.origin(node.callee);
      if (origin.kind === 'function' && !visited.has(origin.node) && !comesAfterShimShutdown(node, root, analysis)) {
        pending.push(origin.node);
      }
    });
  }
  const unique = [...new Map(found.map((exit) => [exit.call, exit])).values()];
  exitsCache.set(handler, unique);
  return unique;
}

const shutdownNames: ReadonlySet<string> = new Set(['shutdown']);

function isShimShutdownCall(node: TSESTree.Node, analysis: FileAnalysis): boolean {
  return analysis.isTrackerCall(node, shutdownNames);
}

/** `await shutdown(); process.exit(0)` or `shutdown().then(() => process.exit(0))`, within `root`. */
export function comesAfterShimShutdown(node: TSESTree.Node, root: FunctionLike, analysis: FileAnalysis): boolean {
  for (let current: TSESTree.Node = node; current !== root && current.parent; current = current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (
      (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program || parent.type === AST_NODE_TYPES.StaticBlock) &&
      earlierStatementsAwaitShutdown(parent.body, current, analysis)
    ) {
      return true;
    }
    if (parent.type === AST_NODE_TYPES.SwitchCase && earlierStatementsAwaitShutdown(parent.consequent, current, analysis)) {
      return true;
    }
    if (isFunctionLike(current) && parent.type === AST_NODE_TYPES.CallExpression && (parent.arguments as readonly TSESTree.Node[]).includes(current)) {
      const callee = skipTransparent(parent.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = staticPropertyName(callee);
        if (method !== undefined && chainMethods.has(method) && method !== 'catch' && isShimShutdownCall(callee.object, analysis)) {
          return true;
        }
      }
    }
  }
  return false;
}

function earlierStatementsAwaitShutdown(
  statements: readonly TSESTree.Node[],
  current: TSESTree.Node,
  analysis: FileAnalysis,
): boolean {
  for (const statement of statements) {
    if (statement === current) return false;
    let awaits = false;
    walk(statement, analysis.visitorKeys, (node) => {
      if (isFunctionLike(node)) return false;
      if (node.type === AST_NODE_TYPES.AwaitExpression && isShimShutdownCall(node.argument, analysis)) awaits = true;
      return !awaits;
    });
    if (awaits) return true;
  }
  return false;
}
