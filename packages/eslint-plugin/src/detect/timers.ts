import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import { isGlobal } from './origin.js';
import {
  calleeName,
  enclosingFunction,
  type FunctionLike,
  isFunctionValue,
  isInside,
  parentOf,
  skipTransparent,
  unparen,
  walk,
} from './syntax.js';

export type TimerName = 'setInterval' | 'setTimeout' | 'setImmediate';
export const timerNames: ReadonlySet<string> = new Set<TimerName>(['setInterval', 'setTimeout', 'setImmediate']);

export interface TimerFlags {
  setTimeout: boolean;
  setImmediate: boolean;
}

export type TimerFinding = 'untrackedTimer' | 'selfReschedulingTimeout';

/** Owner token of the per-file cache of {@link timerCallNames} (one entry, under the key `aliases`). */
const aliasCacheOwner = {};

/**
 * Names that may call a timer in this file: the timer names themselves plus local aliases (`const si = setInterval`,
 * `import { setInterval as every } from 'node:timers'`, `const { setTimeout: later } = globalThis`). A cheap name filter
 * so that only calls that can be timers pay for name resolution.
 */
export function timerCallNames(file: DetectionFile): ReadonlySet<string> {
  const aliasCache = file.fileCache<'aliases', ReadonlySet<string>>(aliasCacheOwner);
  const cached = aliasCache.get('aliases');
  if (cached) return cached;
  if (!mayDefineTimerAlias(file.sourceFile.text)) {
    aliasCache.set('aliases', timerNames);
    return timerNames;
  }
  const names = new Set(timerNames);
  walk(file.sourceFile, (node) => {
    if (ts.isImportSpecifier(node)) {
      if (timerNames.has((node.propertyName ?? node.name).text)) names.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && node.initializer !== undefined) {
      for (const alias of timerAliasesDeclaredBy(node)) names.add(alias);
    }
  });
  aliasCache.set('aliases', names);
  return names;
}

/**
 * Every alias definition names a timer without calling it (`= setInterval;`, `{ setTimeout: later }`,
 * `setInterval as every`): a file whose text only ever writes a timer name right before `(` defines none, and most files
 * are like that, so they skip the scan. Unicode escapes could spell a name unseen: those files scan.
 */
const timerNameNotCalled = /\b(?:setInterval|setTimeout|setImmediate)\b(?!\s*\()/;

function mayDefineTimerAlias(text: string): boolean {
  return timerNameNotCalled.test(text) || text.includes('\\u');
}

function timerAliasesDeclaredBy(declaration: ts.VariableDeclaration): string[] {
  if (ts.isIdentifier(declaration.name)) {
    const init = skipTransparent(declaration.initializer!);
    const initName = ts.isIdentifier(init)
      ? init.text
      : ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.name)
        ? init.name.text
        : undefined;
    return initName !== undefined && timerNames.has(initName) ? [declaration.name.text] : [];
  }
  // Destructuring: the key the alias is read from (`{ setTimeout: later }`).
  if (!ts.isObjectBindingPattern(declaration.name)) return [];
  const aliases: string[] = [];
  for (const element of declaration.name.elements) {
    const key = element.propertyName ?? element.name;
    if (element.dotDotDotToken || !ts.isIdentifier(key) || !ts.isIdentifier(element.name)) continue;
    if (timerNames.has(key.text)) aliases.push(element.name.text);
  }
  return aliases;
}

/** The timer an untracked call starts (the global one, under any of its names), or undefined. */
export function untrackedTimerOf(call: ts.CallExpression, file: DetectionFile): TimerName | undefined {
  const name = calleeName(call);
  if (name === undefined || !timerCallNames(file).has(name)) return undefined;
  const origin = file.origin(call.expression);
  if (origin.kind !== 'global' || !timerNames.has(origin.name)) return undefined;
  return origin.name as TimerName;
}

/** Any `setTimeout`, tracked or not (self-rescheduling loops stay loops after the codemod rewrote one call). */
function isAnySetTimeout(call: ts.CallExpression, file: DetectionFile): boolean {
  const name = calleeName(call);
  if (name === undefined || !timerCallNames(file).has(name)) return false;
  return isGlobal(file.origin(call.expression), 'setTimeout') || file.trackerFunction(call.expression) === 'setTimeout';
}

/**
 * A delay inside running work: `new Promise((resolve) => setTimeout(resolve, ms))` and its variants, where the timeout
 * only resolves (or rejects) the promise of the work that is waiting for it.
 */
export function isDelayInsideWork(call: ts.CallExpression, file: DetectionFile): boolean {
  const executor = enclosingFunction(call);
  if (!isFunctionValue(executor)) return false;
  const parent = parentOf(executor);
  if (!parent || !ts.isNewExpression(parent) || parent.arguments?.[0] === undefined || unparen(parent.arguments[0]) !== executor) {
    return false;
  }
  if (!isGlobal(file.origin(parent.expression), 'Promise')) return false;
  const settlers = new Set(executor.parameters.flatMap((parameter) => (ts.isIdentifier(parameter.name) ? [parameter.name.text] : [])));
  const rawCallback = call.arguments[0];
  if (!rawCallback || settlers.size === 0) return false;
  const callback = unparen(rawCallback);
  if (ts.isIdentifier(callback)) return settlers.has(callback.text);
  if (!isFunctionValue(callback)) return false;
  let settles = false;
  walk(callback, (node) => {
    if (ts.isIdentifier(node) && settlers.has(node.text)) settles = true;
    return !settles;
  });
  return settles;
}

/** The function a timer callback runs: the callback itself, or the function a wrapper arrow calls (`() => tick()`). */
function scheduledFunction(callback: ts.Expression | undefined, file: DetectionFile): FunctionLike | undefined {
  if (!callback || ts.isSpreadElement(callback)) return undefined;
  const target = skipTransparent(callback);
  const wrapped = isFunctionValue(target) ? wrappedCall(target) : undefined;
  return (wrapped && file.functionOf(wrapped.expression)) ?? file.functionOf(target);
}

/** `() => tick()`, `() => void tick()`, `() => { tick(); }` → the call of `tick`. */
function wrappedCall(fn: ts.ArrowFunction | ts.FunctionExpression): ts.CallExpression | undefined {
  let body: ts.Node = fn.body;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (!only || !ts.isExpressionStatement(only)) return undefined;
    body = only.expression;
  }
  body = unparen(body);
  if (ts.isVoidExpression(body)) body = body.expression;
  body = skipTransparent(body);
  return ts.isCallExpression(body) && ts.isIdentifier(unparen(body.expression)) ? body : undefined;
}

/** Owner token of the per-file cache of {@link schedulesItself}. */
const selfSchedulingOwner = {};

/** Whether `fn` sets a timeout that runs `fn` again. */
function schedulesItself(fn: FunctionLike, file: DetectionFile): boolean {
  const selfSchedulingCache = file.fileCache<FunctionLike, boolean>(selfSchedulingOwner);
  const cached = selfSchedulingCache.get(fn);
  if (cached !== undefined) return cached;
  selfSchedulingCache.set(fn, false); // guards against cycles while walking
  let found = false;
  walk(fn, (node) => {
    if (ts.isCallExpression(node) && isAnySetTimeout(node, file) && scheduledFunction(node.arguments[0], file) === fn) {
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
export function isSelfRescheduling(call: ts.CallExpression, file: DetectionFile): boolean {
  const target = scheduledFunction(call.arguments[0], file);
  if (!target) return false;
  if (target.body && isInside(call, target.body)) return true;
  return schedulesItself(target, file);
}

/** What `no-untracked-timer` reports for a call with the given flags (shared with `no-untracked-async-callback`). */
export function timerFinding(
  call: ts.CallExpression,
  file: DetectionFile,
  flags: TimerFlags,
): { timer: TimerName; finding: TimerFinding | undefined } | undefined {
  const timer = untrackedTimerOf(call, file);
  if (timer === undefined) return undefined;
  if (timer === 'setInterval') return { timer, finding: 'untrackedTimer' };
  if (timer === 'setImmediate') return { timer, finding: flags.setImmediate ? 'untrackedTimer' : undefined };
  if (isDelayInsideWork(call, file)) return { timer, finding: undefined };
  if (isSelfRescheduling(call, file)) return { timer, finding: 'selfReschedulingTimeout' };
  return { timer, finding: flags.setTimeout ? 'untrackedTimer' : undefined };
}

