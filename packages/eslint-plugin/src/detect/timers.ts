import ts from './typescript.cjs';
import type { NameSymbol } from './names.js';

import type { DetectionFile } from './file.js';
import { isGlobal } from './origin.js';
import { enclosingSettlers, type Ownership, timerOwnership } from './ownership.js';
import {
  calleeName,
  enclosingFunction,
  type FunctionLike,
  isFunctionValue,
  isInside,
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
  for (const specifier of file.importSpecifiers) {
    if (timerNames.has((specifier.propertyName ?? specifier.name).text)) names.add(specifier.name.text);
  }
  for (const declaration of file.initializedVariables) {
    for (const alias of timerAliasesDeclaredBy(declaration)) names.add(alias);
  }
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
 * only resolves (or rejects) the promise of the work that is waiting for it; also a wait helper's poll, a timeout
 * rescheduling a check that settles the enclosing promise or callback when its condition holds
 * (`new Promise((resolve) => { const check = () => ready() ? resolve() : setTimeout(check, 50); check(); })`), and a
 * delay that calls the enclosing function's callback (`setTimeout(next, 10)` in a stream's write). Cancelling such a
 * timer at intake would leave the awaited work pending until the deadline.
 */
export function isDelayInsideWork(call: ts.CallExpression, file: DetectionFile): boolean {
  const rawCallback = call.arguments[0];
  if (!rawCallback || !enclosingFunction(call)) return false;
  const settlers = enclosingSettlers(call, file);
  if (settlers.size === 0) return false;
  const callback = skipTransparent(rawCallback);
  if (ts.isIdentifier(callback)) {
    const symbol = file.names.symbolOf(callback);
    if (symbol && settlers.has(symbol)) return true;
  }
  // The callback, or the function it names or wraps (`check`, `() => check()`), settles what encloses it.
  const scheduled = isFunctionValue(callback) ? callback : scheduledFunction(rawCallback, file);
  const bodies = [scheduled, isFunctionValue(callback) ? scheduledFunction(rawCallback, file) : undefined];
  return bodies.some((fn) => fn !== undefined && referencesAny(fn, settlers, file));
}

function referencesAny(fn: FunctionLike, settlers: ReadonlyMap<NameSymbol, string>, file: DetectionFile): boolean {
  let found = false;
  walk(fn, (node) => {
    if (found) return false;
    if (ts.isIdentifier(node)) {
      const symbol = file.names.symbolOf(node);
      if (symbol && settlers.has(symbol)) found = true;
    }
    return true;
  });
  return found;
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
): { timer: TimerName; finding: TimerFinding | undefined; ownership?: Ownership } | undefined {
  const timer = untrackedTimerOf(call, file);
  if (timer === undefined) return undefined;
  let finding: TimerFinding | undefined;
  if (timer === 'setInterval') finding = 'untrackedTimer';
  else if (timer === 'setImmediate') finding = flags.setImmediate ? 'untrackedTimer' : undefined;
  else if (isDelayInsideWork(call, file)) return { timer, finding: undefined };
  else if (isSelfRescheduling(call, file)) finding = 'selfReschedulingTimeout';
  else finding = flags.setTimeout ? 'untrackedTimer' : undefined;
  if (finding === undefined) return { timer, finding };
  // A timer its owner stores and clears (in close(), or when its work ends) needs no tracking.
  const ownership = timerOwnership(call, file);
  return ownership.owned ? { timer, finding: undefined, ownership } : { timer, finding, ownership };
}
