import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import type { FileAnalysis } from './analysis.js';
import { calleeName, enclosingFunction, type FunctionLike, isFunctionLike, isInside, skipTransparent, walk } from './ast.js';
import { isGlobal } from './origin.js';

export type TimerName = 'setInterval' | 'setTimeout' | 'setImmediate';
export const timerNames: ReadonlySet<string> = new Set<TimerName>(['setInterval', 'setTimeout', 'setImmediate']);

export interface TimerFlags {
  setTimeout: boolean;
  setImmediate: boolean;
}

export type TimerFinding = 'untrackedTimer' | 'selfReschedulingTimeout';

/**
 * Names that may call a timer in this file: the timer names themselves plus local aliases (`const si = setInterval`,
 * `import { setInterval as every } from 'node:timers'`, `const { setTimeout: later } = globalThis`). A cheap name filter
 * so that only calls that can be timers pay for scope analysis.
 */
/** Owner token of the per-file cache of {@link timerCallNames} (one entry, under the key `aliases`). */
const aliasCacheOwner = {};

export function timerCallNames(analysis: FileAnalysis): ReadonlySet<string> {
  const aliasCache = analysis.fileCache<'aliases', ReadonlySet<string>>(aliasCacheOwner);
  const cached = aliasCache.get('aliases');
  if (cached) return cached;
  if (!mayDefineTimerAlias(analysis.sourceCode.text)) {
    aliasCache.set('aliases', timerNames);
    return timerNames;
  }
  const names = new Set(timerNames);
  const scopeManager = analysis.sourceCode.scopeManager;
  // In a module (or CommonJS) the file's own declarations live below the global scope, which then holds only the
  // hundreds of built-in globals: skipping it keeps this scan cheap.
  const skipGlobal = scopeManager !== null && (scopeManager.isModule() || scopeManager.isGlobalReturn());
  for (const scope of scopeManager?.scopes ?? []) {
    if (skipGlobal && scope.type === 'global') continue;
    for (const variable of scope.variables) {
      if (variable.defs.some((definition) => definesTimerAlias(definition.node, definition.name as TSESTree.Node))) {
        names.add(variable.name);
      }
    }
  }
  aliasCache.set('aliases', names);
  return names;
}

/**
 * Every alias definition names a timer without calling it (`= setInterval;`, `{ setTimeout: later }`,
 * `setInterval as every`): a file whose text only ever writes a timer name right before `(` defines none, and most files
 * are like that, so they skip the scan of every variable. Unicode escapes could spell a name unseen: those files scan.
 */
const timerNameNotCalled = /\b(?:setInterval|setTimeout|setImmediate)\b(?!\s*\()/;

function mayDefineTimerAlias(text: string): boolean {
  return timerNameNotCalled.test(text) || text.includes('\\u');
}

function definesTimerAlias(node: TSESTree.Node, name: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.ImportSpecifier) {
    const imported = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
    return timerNames.has(imported);
  }
  if (node.type !== AST_NODE_TYPES.VariableDeclarator || node.init === null) return false;
  if (node.id.type === AST_NODE_TYPES.Identifier) {
    const init = skipTransparent(node.init);
    const initName =
      init.type === AST_NODE_TYPES.Identifier
        ? init.name
        : init.type === AST_NODE_TYPES.MemberExpression && init.property.type === AST_NODE_TYPES.Identifier
          ? init.property.name
          : undefined;
    return initName !== undefined && timerNames.has(initName);
  }
  // Destructuring: the key the alias is read from (`{ setTimeout: later }`).
  return name.type === AST_NODE_TYPES.Identifier && destructuredKey(node.id, name) !== undefined;
}

function destructuredKey(pattern: TSESTree.Node, name: TSESTree.Identifier): string | undefined {
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return undefined;
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.key.type !== AST_NODE_TYPES.Identifier) continue;
    const value = property.value.type === AST_NODE_TYPES.AssignmentPattern ? property.value.left : property.value;
    if (value === name && timerNames.has(property.key.name)) return property.key.name;
  }
  return undefined;
}

/** The timer an untracked call starts (the global one, under any of its names), or undefined. */
export function untrackedTimerOf(call: TSESTree.CallExpression, analysis: FileAnalysis): TimerName | undefined {
  const name = calleeName(call);
  if (name === undefined || !timerCallNames(analysis).has(name)) return undefined;
  const origin = analysis.origin(call.callee);
  if (origin.kind !== 'global' || !timerNames.has(origin.name)) return undefined;
  return origin.name as TimerName;
}

/** Any `setTimeout`, tracked or not (self-rescheduling loops stay loops after the codemod rewrote one call). */
function isAnySetTimeout(call: TSESTree.CallExpression, analysis: FileAnalysis): boolean {
  const name = calleeName(call);
  if (name === undefined || !timerCallNames(analysis).has(name)) return false;
  return isGlobal(analysis.origin(call.callee), 'setTimeout') || analysis.trackerFunction(call.callee) === 'setTimeout';
}

/**
 * A delay inside running work: `new Promise((resolve) => setTimeout(resolve, ms))` and its variants, where the timeout
 * only resolves (or rejects) the promise of the work that is waiting for it.
 */
export function isDelayInsideWork(call: TSESTree.CallExpression, analysis: FileAnalysis): boolean {
  const executor = enclosingFunction(call);
  const parent = executor?.parent;
  if (!executor || parent?.type !== AST_NODE_TYPES.NewExpression || parent.arguments[0] !== executor) return false;
  if (!isGlobal(analysis.origin(parent.callee), 'Promise')) return false;
  const settlers = new Set(
    executor.params.flatMap((parameter) => (parameter.type === AST_NODE_TYPES.Identifier ? [parameter.name] : [])),
  );
  const callback = call.arguments[0];
  if (!callback || settlers.size === 0) return false;
  if (callback.type === AST_NODE_TYPES.Identifier) return settlers.has(callback.name);
  if (!isFunctionLike(callback)) return false;
  let settles = false;
  walk(callback, analysis.visitorKeys, (node) => {
    if (node.type === AST_NODE_TYPES.Identifier && settlers.has(node.name)) settles = true;
    return !settles;
  });
  return settles;
}

/** The function a timer callback runs: the callback itself, or the function a wrapper arrow calls (`() => tick()`). */
function scheduledFunction(callback: TSESTree.Node | undefined, analysis: FileAnalysis): FunctionLike | undefined {
  if (!callback || callback.type === AST_NODE_TYPES.SpreadElement) return undefined;
  const target = skipTransparent(callback);
  const wrapped = isFunctionLike(target) ? wrappedCall(target) : undefined;
  return (wrapped && analysis.functionOf(wrapped.callee)) ?? analysis.functionOf(target);
}

/** `() => tick()`, `() => void tick()`, `() => { tick(); }` → the call of `tick`. */
function wrappedCall(fn: FunctionLike): TSESTree.CallExpression | undefined {
  let body: TSESTree.Node = fn.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) {
    const only = body.body.length === 1 ? body.body[0] : undefined;
    if (only?.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
    body = only.expression;
  }
  if (body.type === AST_NODE_TYPES.UnaryExpression && body.operator === 'void') body = body.argument;
  body = skipTransparent(body);
  return body.type === AST_NODE_TYPES.CallExpression && body.callee.type === AST_NODE_TYPES.Identifier ? body : undefined;
}

/** Owner token of the per-file cache of {@link schedulesItself}. */
const selfSchedulingOwner = {};

/** Whether `fn` sets a timeout that runs `fn` again. */
function schedulesItself(fn: FunctionLike, analysis: FileAnalysis): boolean {
  const selfSchedulingCache = analysis.fileCache<FunctionLike, boolean>(selfSchedulingOwner);
  const cached = selfSchedulingCache.get(fn);
  if (cached !== undefined) return cached;
  selfSchedulingCache.set(fn, false); // guards against cycles while walking
  let found = false;
  walk(fn, analysis.visitorKeys, (node) => {
    if (
      node.type === AST_NODE_TYPES.CallExpression &&
      isAnySetTimeout(node, analysis) &&
      scheduledFunction(node.arguments[0], analysis) === fn
    ) {
      found = true;
    }
    return !found;
  });
  selfSchedulingCache.set(fn, found);
  return found;
}

/**
 * A `setTimeout` that is part of a self-rescheduling loop: either the call inside a function that schedules that same
 * function, or the call that starts such a function.
 */
export function isSelfRescheduling(call: TSESTree.CallExpression, analysis: FileAnalysis): boolean {
  const target = scheduledFunction(call.arguments[0], analysis);
  if (!target) return false;
  if (isInside(call, target.body)) return true;
  return schedulesItself(target, analysis);
}

/** What `no-untracked-timer` reports for a call with the given flags (shared with `no-untracked-async-callback`). */
export function timerFinding(
  call: TSESTree.CallExpression,
  analysis: FileAnalysis,
  flags: TimerFlags,
): { timer: TimerName; finding: TimerFinding | undefined } | undefined {
  const timer = untrackedTimerOf(call, analysis);
  if (timer === undefined) return undefined;
  if (timer === 'setInterval') return { timer, finding: 'untrackedTimer' };
  if (timer === 'setImmediate') return { timer, finding: flags.setImmediate ? 'untrackedTimer' : undefined };
  if (isDelayInsideWork(call, analysis)) return { timer, finding: undefined };
  if (isSelfRescheduling(call, analysis)) return { timer, finding: 'selfReschedulingTimeout' };
  return { timer, finding: flags.setTimeout ? 'untrackedTimer' : undefined };
}
