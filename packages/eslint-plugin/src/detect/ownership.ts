import ts from './typescript.cjs';
import type { NameSymbol } from './names.js';

import type { DetectionFile } from './file.js';
import { isGlobal } from './origin.js';
import { calledFunction } from './references.js';
import { shutdownSignals, signalRegistration } from './signals.js';
import {
  enclosingFunction,
  type FunctionLike,
  isAmong,
  isFunctionLike,
  isFunctionValue,
  isMemberAccess,
  parentOf,
  skipTransparent,
  staticPropertyName,
  stringValue,
  unparen,
  walk,
} from './syntax.js';

/**
 * Ownership: whether a timer, promise, server or client is handled by the code that made it, and by which stop path.
 * Real code handles much of its shutdown its own way: a timer stored on the instance and cleared in `close()`, a promise
 * kept in a set that `flush()` awaits, a chain that settles the promise its caller awaits. What is owned needs no shim;
 * what nothing owns is the finding (and, in a library, where the fix is a stop method, not a process-wide handler).
 */
export type Ownership =
  /** Released (cleared, closed, awaited) in a stop path: `close()`, `[Symbol.dispose]`, an `onShutdown` hook, a signal handler. */
  | { readonly owned: true; readonly by: 'stop-path'; readonly stopPath: string }
  /** Released by the code that started it when its work ends (cleared when the job settles, awaited by the caller). */
  | { readonly owned: true; readonly by: 'own-work'; readonly how: string }
  /** Settles an enclosing promise (`.then(resolve, reject)` in its executor) or callback (`.then(() => cb(null), cb)`). */
  | { readonly owned: true; readonly by: 'enclosing-work'; readonly settles: string }
  /** Handed to the caller (returned), who owns it from then on. */
  | { readonly owned: true; readonly by: 'caller' }
  /** Nothing releases it; `holder` names where it is stored, when it is (`this.timer`, `timers`). */
  | { readonly owned: false; readonly holder: string | undefined };

/** Words that name a stop path (`close`, `closeAll`, `_stop`, `onShutdown`, `handleDisconnect`, `tearDown`, …). */
const stopWords: ReadonlySet<string> = new Set([
  'close', 'closed', 'stop', 'stopped', 'destroy', 'dispose', 'shutdown', 'teardown', 'tear', 'disconnect', 'disconnected',
  'quit', 'end', 'ended', 'terminate', 'cleanup', 'clean', 'release', 'cancel', 'abort', 'unsubscribe', 'kill', 'halt',
  'clear', 'flush', 'drain', 'free', 'unmount', 'unwatch', 'unlisten', 'detach', 'deactivate', 'exit', 'finalize',
  'unregister', 'uninstall', 'unload', 'dispose', 'pause', 'unbind',
]);

/** Events whose listener runs when the object that emits them stops: a timer cleared there lives as long as it does. */
const stopEvents: ReadonlySet<string> = new Set(['close', 'end', 'exit', 'disconnect', 'finish', 'destroy', 'destroyed', 'stop', 'shutdown', 'beforeExit']);

/** The words of a name: `closeAll` → close, all; `_stop_now` → stop, now; `SIGTERM` → sigterm. */
function wordsOf(name: string): string[] {
  return name
    .replace(/^[#_$]+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_$-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Whether a function or method name names a stop path. */
export function isStopName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  // `tearDown` → tear, down; `cleanUp` → clean, up: both stop words already.
  return words.some((word) => stopWords.has(word));
}

/** The name a function is known by: declared, a method, an object or class property, a variable or a member it is assigned to. */
export function functionName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessor(fn) || ts.isSetAccessor(fn)) return memberKey(fn.name);
  const parent = parentOf(fn);
  if (!parent) return undefined;
  if (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return memberKey(parent.name);
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && unparen(parent.right) === fn) {
    const left = unparen(parent.left);
    if (ts.isIdentifier(left)) return left.text;
    if (isMemberAccess(left)) return memberAccessName(left);
  }
  return undefined;
}

function memberKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    // `[Symbol.dispose]()`, `[Symbol.asyncDispose]()`.
    const key = unparen(name.expression);
    if (ts.isPropertyAccessExpression(key) && ts.isIdentifier(key.expression) && key.expression.text === 'Symbol') return key.name.text;
  }
  return undefined;
}

function memberAccessName(member: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(member) && ts.isPrivateIdentifier(member.name)) return member.name.text;
  return staticPropertyName(member);
}

const onShutdownNames: ReadonlySet<string> = new Set(['onShutdown']);

/** Why a function is a stop path itself (its name, the hook it is given to, the signal or event it listens for), or undefined. */
export function stopPathNameOf(fn: FunctionLike, file: DetectionFile): string | undefined {
  const name = functionName(fn);
  if (name !== undefined && isStopName(name)) return `${name}()`;
  const parent = parentOf(fn);
  if (parent && ts.isCallExpression(parent) && isAmong(fn, parent.arguments)) {
    if (file.isTrackerCall(parent, onShutdownNames)) return 'an onShutdown hook';
    const callee = skipTransparent(parent.expression);
    const calleeName = ts.isIdentifier(callee) ? callee.text : isMemberAccess(callee) ? staticPropertyName(callee) : undefined;
    // A hook named like one: `app.onClose(fn)`, `server.addHook('onClose', fn)`, `registerShutdown(fn)`.
    if (calleeName !== undefined && calleeName !== 'then' && calleeName !== 'catch' && isStopName(calleeName) && /^(?:on|register|add|before|after)/i.test(calleeName)) {
      return `a ${calleeName} hook`;
    }
    const signal = signalRegistration(parent, file);
    if (signal && shutdownSignals.has(signal.signal)) return `the ${signal.signal} handler`;
    const event = stringValue(parent.arguments[0]);
    if (event !== undefined && parent.arguments[1] !== undefined && unparen(parent.arguments[1]) === fn && calleeName !== undefined && /^(?:on|once|addListener|addEventListener|prependListener|prependOnceListener)$/.test(calleeName)) {
      if (stopEvents.has(event) || isStopName(event)) return `the '${event}' listener`;
    }
    if (calleeName === 'addHook' && event !== undefined && isStopName(event)) return `the ${event} hook`;
  }
  // A disposer handed back to the caller: `return () => clearInterval(timer)`.
  if (parent && (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === fn))) return 'the returned disposer';
  return undefined;
}

/** Owner token of the per-file cache of {@link enclosingStopPath}. */
const stopPathOwner = {};
const maxCallerDepth = 3;

/**
 * The stop path `node` runs in: an enclosing function that is one, or a function of this file that a stop path calls
 * (`close() { this._clearTimers(); }`), a few calls deep.
 */
export function enclosingStopPath(node: ts.Node, file: DetectionFile): string | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const found = stopPathOfFunction(fn, file, 0);
    if (found !== undefined) return found;
  }
  return undefined;
}

function stopPathOfFunction(fn: FunctionLike, file: DetectionFile, depth: number): string | undefined {
  const cache = file.fileCache<FunctionLike, string | null>(stopPathOwner);
  const cached = cache.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  cache.set(fn, null); // guards against cycles
  let found = stopPathNameOf(fn, file);
  if (found === undefined && depth < maxCallerDepth) {
    const name = functionName(fn);
    if (name !== undefined) {
      for (const call of callsOfName(name, file)) {
        for (let caller = enclosingFunction(call); caller && found === undefined; caller = enclosingFunction(caller)) {
          const outer = stopPathOfFunction(caller, file, depth + 1);
          if (outer !== undefined) found = outer;
        }
        if (found !== undefined) break;
      }
    }
  }
  cache.set(fn, found ?? null);
  return found;
}

/** Owner token of the per-file index of calls by callee name. */
const callIndexOwner = {};

function callsOfName(name: string, file: DetectionFile): readonly ts.CallExpression[] {
  const index = file.fileCache<'index', Map<string, ts.CallExpression[]>>(callIndexOwner);
  let byName = index.get('index');
  if (!byName) {
    byName = new Map();
    for (const call of file.calls) {
      const callee = skipTransparent(call.expression);
      const calleeName = ts.isIdentifier(callee) ? callee.text : isMemberAccess(callee) ? memberAccessName(callee) : undefined;
      if (calleeName === undefined) continue;
      const list = byName.get(calleeName);
      if (list) list.push(call);
      else byName.set(calleeName, [call]);
    }
    index.set('index', byName);
  }
  return byName.get(name) ?? [];
}

// --- where a value is kept -------------------------------------------------------------------------------------------

type Holder =
  | { readonly kind: 'variable'; readonly symbol: NameSymbol; readonly name: string }
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'returned' }
  | { readonly kind: 'none' };

const none: Holder = { kind: 'none' };
/** Methods that return their receiver (a Node timer's `unref()`), so the value stays the same object. */
const sameValueMethods = new Set(['unref', 'ref']);
const collectionAdders = new Set(['add', 'push', 'unshift', 'set']);

/** Where the value of `node` goes: a variable, a property (also of a collection: `this.timers.add(t)`), the caller, or nowhere. */
function holderOf(node: ts.Node, file: DetectionFile): Holder {
  let value: ts.Node = node;
  for (let step = 0; step < 8; step++) {
    const parent = value.parent;
    if (!parent) return none;
    if (
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isNonNullExpression(parent) ||
      ts.isSatisfiesExpression(parent) ||
      ts.isTypeAssertionExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== value) ||
      (ts.isBinaryExpression(parent) && parent.right === value && isShortCircuit(parent.operatorToken.kind))
    ) {
      value = parent;
      continue;
    }
    // `setInterval(…).unref()` is the same timer.
    if (isMemberAccess(parent) && parent.expression === value && sameValueMethods.has(memberAccessName(parent) ?? '')) {
      const call = parent.parent;
      if (call && ts.isCallExpression(call) && call.expression === parent) {
        value = call;
        continue;
      }
      return none;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === value) {
      if (!ts.isIdentifier(parent.name)) return none;
      const symbol = file.names.symbolOf(parent.name);
      return symbol ? { kind: 'variable', symbol, name: parent.name.text } : none;
    }
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === value) {
      return assignedHolder(unparen(parent.left), file);
    }
    if (ts.isPropertyAssignment(parent) && parent.initializer === value) {
      const key = memberKey(parent.name);
      return key === undefined ? none : { kind: 'property', name: key };
    }
    if (ts.isPropertyDeclaration(parent) && parent.initializer === value) {
      const key = memberKey(parent.name);
      return key === undefined ? none : { kind: 'property', name: key };
    }
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === value)) return { kind: 'returned' };
    if (ts.isCallExpression(parent) && isAmong(value, parent.arguments)) {
      // `this.timers.add(t)`, `jobs.push(p)`, `pending.set(id, p)`: kept in the collection.
      const callee = skipTransparent(parent.expression);
      if (isMemberAccess(callee) && collectionAdders.has(memberAccessName(callee) ?? '')) return receiverHolder(unparen(callee.expression), file);
      return none;
    }
    if (ts.isArrayLiteralExpression(parent)) {
      value = parent;
      continue;
    }
    return none;
  }
  return none;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken || kind === ts.SyntaxKind.AmpersandAmpersandToken;
}

function assignedHolder(left: ts.Node, file: DetectionFile): Holder {
  if (ts.isIdentifier(left)) {
    const symbol = file.names.symbolOf(left);
    return symbol ? { kind: 'variable', symbol, name: left.text } : none;
  }
  if (ts.isElementAccessExpression(left)) {
    // `this.timers[id] = setTimeout(…)`: kept in the collection the object is.
    const name = memberAccessName(left);
    return name !== undefined ? { kind: 'property', name } : receiverHolder(unparen(left.expression), file);
  }
  if (ts.isPropertyAccessExpression(left)) {
    const name = memberAccessName(left);
    return name === undefined ? none : { kind: 'property', name };
  }
  return none;
}

function receiverHolder(receiver: ts.Node, file: DetectionFile): Holder {
  const target = skipTransparent(receiver);
  if (ts.isIdentifier(target)) {
    const symbol = file.names.symbolOf(target);
    return symbol ? { kind: 'variable', symbol, name: target.text } : none;
  }
  if (isMemberAccess(target)) {
    const name = memberAccessName(target);
    return name === undefined ? none : { kind: 'property', name };
  }
  return none;
}

function describeHolder(holder: Holder): string | undefined {
  if (holder.kind === 'variable') return holder.name;
  if (holder.kind === 'property') return `.${holder.name}`;
  return undefined;
}

/** Owner token of the per-file index of member accesses by property name. */
const propertyIndexOwner = {};

/** The places a holder is read: a variable's references, or every access of a property of that name in the file. */
function referencesOf(holder: Holder, file: DetectionFile): ts.Node[] {
  if (holder.kind === 'variable') {
    return file.names.referencesOf(holder.symbol).filter((identifier) => !isDeclarationName(identifier));
  }
  if (holder.kind !== 'property') return [];
  const index = file.fileCache<'index', Map<string, ts.Node[]>>(propertyIndexOwner);
  let byName = index.get('index');
  if (!byName) {
    byName = new Map();
    const map = byName;
    for (const node of file.propertyReads) {
      let name: string | undefined;
      if (isMemberAccess(node)) name = memberAccessName(node);
      // `const { timer } = this`: the destructured name reads the property.
      else if (ts.isIdentifier(node.propertyName ?? node.name)) name = ((node.propertyName ?? node.name) as ts.Identifier).text;
      if (name === undefined) continue;
      const list = map.get(name);
      if (list) list.push(node);
      else map.set(name, [node]);
    }
    index.set('index', byName);
  }
  return byName.get(holder.name) ?? [];
}

function isDeclarationName(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  return (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent) || isFunctionLike(parent)) && (parent as ts.NamedDeclaration).name === identifier;
}

// --- what releases a value -------------------------------------------------------------------------------------------

type Release = 'clear' | 'close' | 'await';

const clearFunctions = new Set(['clearInterval', 'clearTimeout', 'clearImmediate']);
/** What a timer handle is released by besides the clear functions (`timer.close()`, Node's `Timeout#close`). */
const timerReleaseMethods = new Set(['close', 'refresh']);
export const defaultCloseMethods: ReadonlySet<string> = new Set([
  'close', 'closeAll', 'quit', 'disconnect', 'end', 'destroy', 'stop', 'terminate', 'shutdown', 'dispose', 'tryShutdown',
  'forceShutdown', 'kill', '$disconnect', 'unref',
]);
const promiseCombinators = new Set(['all', 'allSettled', 'race', 'any']);

/** The value of `reference` as it is used: through `await`, `.finally` chains, casts and the like. */
function usesOf(reference: ts.Node): ts.Node {
  let current: ts.Node = reference;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isAsExpression(current.parent))) {
    current = current.parent;
  }
  return current;
}

/** Whether one reference of a holder releases it the given way. */
function releases(reference: ts.Node, how: Release, file: DetectionFile, closeMethods: ReadonlySet<string>): boolean {
  const used = usesOf(reference);
  const parent = used.parent;
  if (!parent) return false;
  if (how === 'clear') {
    if (ts.isCallExpression(parent) && isAmong(used, parent.arguments)) return isClearCall(parent, file);
    if (isMemberAccess(parent) && parent.expression === used) {
      const method = memberAccessName(parent);
      if (method !== undefined && timerReleaseMethods.has(method) && ts.isCallExpression(parent.parent) && method === 'close') return true;
      // A collection of timers: `for (const t of this.timers) clearTimeout(t)`, `this.timers.forEach(clearInterval)`.
      if (method === 'forEach' || method === 'map' || method === 'values') return iterationClears(parent.parent, file);
    }
    if (ts.isForOfStatement(parent) && parent.expression === used) return containsClear(parent.statement, file);
    if (ts.isSpreadElement(parent) || (ts.isCallExpression(parent) && isAmong(used, parent.arguments))) return containsClear(enclosingStatement(parent), file);
    return false;
  }
  if (how === 'close') {
    if (isMemberAccess(parent) && parent.expression === used) {
      const method = memberAccessName(parent);
      if (method !== undefined && closeMethods.has(method) && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) return true;
      if (method === 'forEach' || method === 'map' || method === 'values') return containsCloseCall(parent.parent, closeMethods);
    }
    if (ts.isForOfStatement(parent) && parent.expression === used) return containsCloseCall(parent.statement, closeMethods);
    // Handed to a tracker (`trackServer(server)`) or to a function named like a stop (`closeServer(server)`).
    if (ts.isCallExpression(parent) && isAmong(used, parent.arguments)) {
      const callee = skipTransparent(parent.expression);
      const name = ts.isIdentifier(callee) ? callee.text : isMemberAccess(callee) ? memberAccessName(callee) : undefined;
      return name !== undefined && (isStopName(name) || file.trackerFunction(callee) !== undefined);
    }
    return false;
  }
  return awaits(used, file);
}

function enclosingStatement(node: ts.Node): ts.Node {
  let current: ts.Node = node;
  while (current.parent && !ts.isBlock(current.parent) && !ts.isSourceFile(current.parent) && !isFunctionLike(current.parent)) current = current.parent;
  return current;
}

function isClearCall(call: ts.CallExpression, file: DetectionFile): boolean {
  const callee = skipTransparent(call.expression);
  const origin = file.origin(callee);
  if (origin.kind === 'global' && clearFunctions.has(origin.name)) return true;
  if (file.trackerFunction(callee)?.startsWith('clear')) return true;
  // A helper of the code's own: `clearTimer(this.timer)`, `this._clearTimeout(t)`, `timers.clearTimeout(t)`.
  const name = ts.isIdentifier(callee) ? callee.text : isMemberAccess(callee) ? memberAccessName(callee) : undefined;
  return name !== undefined && /^_*(?:clear|cancel|stop)/i.test(name);
}

function containsClear(root: ts.Node | undefined, file: DetectionFile): boolean {
  if (!root) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && isClearCall(node, file)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function iterationClears(call: ts.Node | undefined, file: DetectionFile): boolean {
  if (!call || !ts.isCallExpression(call)) return false;
  const callback = call.arguments[0] && skipTransparent(call.arguments[0]);
  if (!callback) return false;
  if (ts.isIdentifier(callback) || isMemberAccess(callback)) {
    const origin = file.origin(callback);
    if (origin.kind === 'global' && clearFunctions.has(origin.name)) return true;
  }
  return containsClear(callback, file) || containsClear(enclosingStatement(call), file);
}

function containsCloseCall(root: ts.Node | undefined, closeMethods: ReadonlySet<string>): boolean {
  if (!root) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipTransparent(node.expression);
      if (isMemberAccess(callee) && closeMethods.has(memberAccessName(callee) ?? '')) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** Whether a promise (or a collection of them) is waited for where it is used: awaited, returned, combined, chained into one that is. */
function awaits(used: ts.Node, file: DetectionFile, depth = 0): boolean {
  const parent = used.parent;
  if (!parent || depth > 6) return false;
  // `const pending = Array.from(this.creates).map(reflect); return Promise.all(pending)`: a name for the same values.
  if (ts.isVariableDeclaration(parent) && parent.initializer === used && ts.isIdentifier(parent.name)) {
    const symbol = file.names.symbolOf(parent.name);
    return symbol !== undefined && file.names.referencesOf(symbol).some((reference) => reference !== parent.name && awaits(usesOf(reference), file, depth + 1));
  }
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === used) return true;
  if (ts.isForOfStatement(parent) && parent.expression === used) return parent.awaitModifier !== undefined || containsAwait(parent.statement);
  // `[...pending]`, `Array.from(pending)`, `pending.values()`, `[p1, p2]` inside a combinator.
  if (ts.isSpreadElement(parent) || ts.isArrayLiteralExpression(parent)) return awaits(usesOf(parent.parent && ts.isArrayLiteralExpression(parent.parent) ? parent.parent : parent), file, depth + 1);
  if (isMemberAccess(parent) && parent.expression === used) {
    const method = memberAccessName(parent);
    const call = parent.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== parent) return false;
    // `p.then(…)`, `p.finally(…)` that is itself waited for; `pending.values()` handed to a combinator.
    if (method === 'then' || method === 'finally' || method === 'catch' || method === 'values' || method === 'map' || method === 'filter') return awaits(usesOf(call), file, depth + 1);
    return false;
  }
  if (ts.isCallExpression(parent) && isAmong(used, parent.arguments)) {
    const callee = skipTransparent(parent.expression);
    if (isMemberAccess(callee) && promiseCombinators.has(memberAccessName(callee) ?? '') && isPromiseConstructor(callee.expression, file)) return true;
    if (isMemberAccess(callee) && memberAccessName(callee) === 'from' && isGlobal(file.origin(callee.expression), 'Array')) return awaits(usesOf(parent), file, depth + 1);
    return false;
  }
  return false;
}

/**
 * The global `Promise`, or a promise implementation a library is configured with and keeps by that name
 * (`this._Promise`, `this.Promise`, `Bluebird`): its combinators wait like `Promise.all`.
 */
function isPromiseConstructor(node: ts.Node, file: DetectionFile): boolean {
  if (isGlobal(file.origin(node), 'Promise')) return true;
  const target = skipTransparent(node);
  const name = ts.isIdentifier(target) ? target.text : isMemberAccess(target) ? memberAccessName(target) : undefined;
  return name !== undefined && /^_*(?:Promise|Bluebird)$/.test(name);
}

function containsAwait(root: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/**
 * How the holder is released: the first releasing reference in a stop path wins, else any releasing reference (the
 * value's own work releases it). A variable that is stored on (or kept in) something else is followed once more.
 */
function releaseOf(holder: Holder, how: Release, file: DetectionFile, closeMethods: ReadonlySet<string>, depth = 0): Ownership {
  if (holder.kind === 'returned') return { owned: true, by: 'caller' };
  const description = describeHolder(holder);
  if (holder.kind === 'none') return { owned: false, holder: undefined };
  let elsewhere: string | undefined;
  for (const reference of referencesOf(holder, file)) {
    if (releases(reference, how, file, closeMethods)) {
      const stopPath = enclosingStopPath(reference, file);
      if (stopPath !== undefined) return { owned: true, by: 'stop-path', stopPath };
      elsewhere ??= describeRelease(how);
      continue;
    }
    if (how === 'close' && depth < 2) {
      const owned = closedByOwner(usesOf(reference), file, closeMethods, depth);
      if (owned) return owned;
    }
    if (depth < 2 && holder.kind === 'variable') {
      // `const t = setInterval(…); this.timers.add(t)`, `this.timer = t`: the value moves on.
      const next = holderOf(usesOf(reference), file);
      if (next.kind === 'returned' && how !== 'close') return { owned: true, by: 'caller' };
      if (next.kind === 'variable' || next.kind === 'property') {
        const moved = releaseOf(next, how, file, closeMethods, depth + 1);
        if (moved.owned) return moved;
      }
    }
  }
  if (elsewhere !== undefined) return { owned: true, by: 'own-work', how: elsewhere };
  return { owned: false, holder: description };
}

/**
 * Handed to an owner whose close closes it: `orm.setup(pool)` where a stop path calls `orm.close()`, or
 * `new Store(pool)` kept where a stop path closes it. The owner is the receiver of the method the value is given to
 * (a name or a property, never a global such as `console`), or where the object constructed with it is kept. Only
 * a stop path of this file counts, and only one owner deep.
 */
function closedByOwner(used: ts.Node, file: DetectionFile, closeMethods: ReadonlySet<string>, depth: number): Ownership | undefined {
  const owner = ownerHandedTo(used, file);
  if (owner.kind !== 'variable' && owner.kind !== 'property') return undefined;
  const closed = releaseOf(owner, 'close', file, closeMethods, depth + 1);
  return closed.owned && closed.by === 'stop-path' ? closed : undefined;
}

function ownerHandedTo(used: ts.Node, file: DetectionFile): Holder {
  const parent = used.parent;
  if (!parent) return none;
  if (ts.isNewExpression(parent) && isAmong(used, parent.arguments)) return holderOf(parent, file);
  if (!ts.isCallExpression(parent) || !isAmong(used, parent.arguments)) return none;
  const callee = skipTransparent(parent.expression);
  if (!isMemberAccess(callee)) return none;
  const method = memberAccessName(callee);
  if (method === undefined || chainNames.has(method) || collectionAdders.has(method)) return none;
  const receiver = skipTransparent(callee.expression);
  if ((!ts.isIdentifier(receiver) && !isMemberAccess(receiver)) || file.origin(receiver).kind === 'global') return none;
  return receiverHolder(receiver, file);
}

function describeRelease(how: Release): string {
  return how === 'clear' ? 'cleared by the code that started it' : how === 'close' ? 'closed by the code that made it' : 'awaited by the code that started it';
}

// --- the questions the rules ask --------------------------------------------------------------------------------------

/**
 * Whether a timer call (`setInterval(…)`, `setTimeout(…)`) is owned: started inside a stop path (bounded work of the
 * shutdown itself), stored and cleared (in a stop path, or by the work that started it), or handed to the caller.
 */
export function timerOwnership(call: ts.CallExpression, file: DetectionFile): Ownership {
  const inStop = startedInStopPath(call, file);
  if (inStop !== undefined) return { owned: true, by: 'stop-path', stopPath: inStop };
  return releaseOf(holderOf(call, file), 'clear', file, defaultCloseMethods);
}

/** A stop path the call itself runs in, directly (not through a callback it schedules). */
function startedInStopPath(node: ts.Node, file: DetectionFile): string | undefined {
  const fn = enclosingFunction(node);
  return fn ? stopPathOfFunction(fn, file, 0) : undefined;
}

/**
 * Whether a long-lived object (a server, a client, a pool) made by `creation` is closed in a stop path of this file: the
 * variable or property it is stored in has a `close()`/`quit()`/`disconnect()`/… (`closeMethods`) call, or is handed to
 * a tracker or a function named like a stop, inside a stop path (`close()`, `[Symbol.asyncDispose]`, an `onShutdown`
 * hook, a signal handler). For `no-unclosed-resource`.
 */
export function resourceOwnership(creation: ts.Node, file: DetectionFile, closeMethods: ReadonlySet<string> = defaultCloseMethods): Ownership {
  // `const client = await MongoClient.connect(url)`: what is awaited is the client the variable holds.
  let value = creation;
  while (value.parent && (ts.isAwaitExpression(value.parent) || ts.isParenthesizedExpression(value.parent))) value = value.parent;
  const holder = holderOf(value, file);
  // `orm.setup(knex(config))`: handed straight to an owner.
  if (holder.kind === 'none') return closedByOwner(value, file, closeMethods, 0) ?? releaseOf(holder, 'close', file, closeMethods);
  return releaseOf(holder, 'close', file, closeMethods);
}

/** {@link resourceOwnership}, as a yes or no: closed in a stop path (closing it elsewhere is not shutdown handling). */
export function isClosedInStopPath(creation: ts.Node, file: DetectionFile, closeMethods: ReadonlySet<string> = defaultCloseMethods): boolean {
  const ownership = resourceOwnership(creation, file, closeMethods);
  return ownership.owned && ownership.by !== 'own-work';
}

/** Whether the value a name or member holds is closed in a stop path (`server` in `server.listen()`). */
export function isHolderClosedInStopPath(reference: ts.Node, file: DetectionFile, closeMethods: ReadonlySet<string> = defaultCloseMethods): boolean {
  const holder = receiverHolder(reference, file);
  const ownership = releaseOf(holder, 'close', file, closeMethods);
  return ownership.owned && ownership.by !== 'own-work';
}

/**
 * Whether a promise dropped by an expression statement is owned after all: its chain settles an enclosing promise or
 * callback, or it is a bookkeeping side chain (`p.then(remove, remove)`, `void p.finally(cleanup)`) on a promise that is
 * kept where something waits for it (returned, awaited, combined, kept in a collection a flush awaits).
 */
export function promiseOwnership(value: ts.Node, file: DetectionFile): Ownership {
  const settles = settledEnclosingWork(value, file);
  if (settles !== undefined) return { owned: true, by: 'enclosing-work', settles };
  if (file.role.role === 'library') {
    const kept = keptOnInstanceByCallee(value, file) ?? stoppedByFlag(value, file);
    if (kept !== undefined) return { owned: true, by: 'stop-path', stopPath: kept };
  }
  const root = chainRootOf(value);
  if (root !== value && (ts.isIdentifier(root) || isMemberAccess(root))) {
    const holder = receiverHolder(root, file);
    if (holder.kind === 'variable' || holder.kind === 'property') {
      const kept = keptAndAwaited(holder, root, file);
      if (kept) return kept;
    }
  }
  if (ts.isCallExpression(root)) {
    // `this._trackOperation(promise, this._pendingCreates)`: handed, with a collection that is awaited, to a helper.
    for (const argument of root.arguments) {
      const target = skipTransparent(argument);
      if (!ts.isIdentifier(target) && !isMemberAccess(target)) continue;
      const holder = receiverHolder(target, file);
      if (holder.kind !== 'variable' && holder.kind !== 'property') continue;
      if (referencesOf(holder, file).some((reference) => reference !== target && awaitsContents(usesOf(reference), file))) {
        return { owned: true, by: 'own-work', how: `kept in ${describeHolder(holder)}, which is awaited` };
      }
    }
  }
  return { owned: false, holder: undefined };
}

/**
 * Whether what a collection holds is waited for: `Promise.all(pending)`, `[...pending]` or `pending.values()` handed to
 * a combinator, `for await (… of pending)`. A reference that is itself awaited or returned (`return stack`) waits for
 * that one value, not for the promises a helper was handed it with.
 */
function awaitsContents(used: ts.Node, file: DetectionFile): boolean {
  const parent = used.parent;
  if (!parent) return false;
  if (ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return false;
  if (ts.isArrowFunction(parent) && parent.body === used) return false;
  if (isMemberAccess(parent) && parent.expression === used && chainNames.has(memberAccessName(parent) ?? '')) return false;
  return awaits(used, file);
}

function keptAndAwaited(holder: Holder, root: ts.Node, file: DetectionFile): Ownership | undefined {
  for (const reference of referencesOf(holder, file)) {
    if (reference === root || isInsideNode(reference, root)) continue;
    const used = usesOf(reference);
    if (awaits(used, file)) {
      const stopPath = enclosingStopPath(reference, file);
      return stopPath !== undefined ? { owned: true, by: 'stop-path', stopPath } : { owned: true, by: 'own-work', how: `${describeHolder(holder)} is awaited` };
    }
    const next = holderOf(used, file);
    if (next.kind === 'variable' || next.kind === 'property') {
      if (referencesOf(next, file).some((other) => awaits(usesOf(other), file))) {
        return { owned: true, by: 'own-work', how: `kept in ${describeHolder(next)}, which is awaited` };
      }
    }
  }
  return undefined;
}

function isInsideNode(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

const chainNames = new Set(['then', 'catch', 'finally']);

function chainRootOf(node: ts.Node): ts.Node {
  let current = skipTransparent(node);
  while (ts.isCallExpression(current)) {
    const callee = skipTransparent(current.expression);
    if (!isMemberAccess(callee) || !chainNames.has(memberAccessName(callee) ?? '')) break;
    current = skipTransparent(callee.expression);
  }
  return current;
}

function chainHandlers(node: ts.Node): ts.Expression[] {
  const handlers: ts.Expression[] = [];
  let current = skipTransparent(node);
  while (ts.isCallExpression(current)) {
    const callee = skipTransparent(current.expression);
    if (!isMemberAccess(callee) || !chainNames.has(memberAccessName(callee) ?? '')) break;
    handlers.push(...current.arguments);
    current = skipTransparent(callee.expression);
  }
  return handlers;
}

/**
 * The enclosing promise or callback a chain settles: a handler is (or calls) a settler — a parameter of an enclosing
 * `new Promise` executor, or a parameter of an enclosing function that is called (a callback: `cb`, `done`, `next`).
 * `Promise.resolve(handler(req)).catch(next)` in an Express wrapper settles `next` too.
 */
export function settledEnclosingWork(value: ts.Node, file: DetectionFile): string | undefined {
  const handlers = chainHandlers(value);
  if (handlers.length === 0) return undefined;
  const settlers = enclosingSettlers(value, file);
  if (settlers.size === 0) return undefined;
  for (const handler of handlers) {
    const target = skipTransparent(handler);
    if (ts.isIdentifier(target)) {
      const symbol = file.names.symbolOf(target);
      if (symbol && settlers.has(symbol)) return settlers.get(symbol);
      continue;
    }
    if (!isFunctionValue(target)) continue;
    let found: string | undefined;
    walk(target, (node) => {
      if (found !== undefined) return false;
      if (ts.isIdentifier(node)) {
        const symbol = file.names.symbolOf(node);
        if (symbol && settlers.has(symbol)) found = settlers.get(symbol);
      }
      return true;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The settlers visible where `node` is: executor parameters of enclosing promises, and called parameters of enclosing functions. */
export function enclosingSettlers(node: ts.Node, file: DetectionFile): Map<NameSymbol, string> {
  const settlers = new Map<NameSymbol, string>();
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const executor = isPromiseExecutor(fn, file);
    for (const parameter of fn.parameters) {
      if (!ts.isIdentifier(parameter.name)) continue;
      const symbol = file.names.symbolOf(parameter.name);
      if (!symbol) continue;
      if (executor) settlers.set(symbol, 'the enclosing promise');
      else if (isCallbackName(parameter.name.text) && isCalledIn(symbol, fn, file)) settlers.set(symbol, `the ${parameter.name.text} callback`);
    }
  }
  return settlers;
}

/** Names callers give the callback that reports a function's outcome. */
function isCallbackName(name: string): boolean {
  return /^(?:cb|callback|done|next|resolve|reject|ack|reply|respond|complete|onDone|onComplete|onFinish|onEnd)$/i.test(name) || /(?:Callback|Cb|Done)$/.test(name);
}

function isPromiseExecutor(fn: FunctionLike, file: DetectionFile): boolean {
  if (!isFunctionValue(fn)) return false;
  const parent = parentOf(fn);
  return parent !== undefined && ts.isNewExpression(parent) && parent.arguments?.[0] !== undefined && unparen(parent.arguments[0]) === fn && isGlobal(file.origin(parent.expression), 'Promise');
}

function isCalledIn(symbol: NameSymbol, fn: FunctionLike, file: DetectionFile): boolean {
  return file.names.referencesOf(symbol).some((reference) => {
    if (!isInsideNode(reference, fn)) return false;
    const used = usesOf(reference);
    const parent = used.parent;
    if (parent && ts.isCallExpression(parent) && parent.expression === used) return true;
    // Handed on as a handler: `.then(cb)`, `.catch(next)`, `.on('error', done)`.
    return parent !== undefined && ts.isCallExpression(parent) && isAmong(used, parent.arguments) && isMemberAccess(skipTransparent(parent.expression));
  });
}

/** {@link isHolderClosedInStopPath} with its answer's detail: which stop path closes the value a name or member holds. */
export function holderOwnership(reference: ts.Node, file: DetectionFile, closeMethods: ReadonlySet<string> = defaultCloseMethods): Ownership {
  return releaseOf(receiverHolder(reference, file), 'close', file, closeMethods);
}

/**
 * Whether a call's promise is settled when it returns: it calls a function of this file that is not async and whose
 * every `return` is `Promise.resolve(…)` or `Promise.reject(…)` (of the global or a kept promise implementation). Its
 * work is done synchronously; nothing is left in flight to wait for.
 */
export function settlesAtOnce(value: ts.Node, file: DetectionFile): boolean {
  const call = skipTransparent(value);
  if (!ts.isCallExpression(call)) return false;
  const fn = calledFunction(call, file);
  if (!fn || !fn.body || !ts.isBlock(fn.body) || (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0) return false;
  let returns = 0;
  let settledOnly = true;
  walk(fn.body, (node) => {
    if (!settledOnly || isFunctionLike(node) || ts.isClassLike(node)) return false;
    if (ts.isReturnStatement(node)) {
      returns++;
      const returned = node.expression && skipTransparent(node.expression);
      const callee = returned && ts.isCallExpression(returned) ? skipTransparent(returned.expression) : undefined;
      const method = callee && isMemberAccess(callee) ? memberAccessName(callee) : undefined;
      if (!callee || !isMemberAccess(callee) || (method !== 'resolve' && method !== 'reject') || !isPromiseConstructor(callee.expression, file)) settledOnly = false;
      // `Promise.resolve(work())` settles when work() does: only values, not calls, are settled at once.
      else if (returned && ts.isCallExpression(returned) && returned.arguments.some((argument) => ts.isCallExpression(skipTransparent(argument)) && !ts.isNewExpression(argument))) settledOnly = false;
    }
    return true;
  });
  return settledOnly && returns > 0;
}

// --- a library's own bookkeeping -------------------------------------------------------------------------------------

/**
 * `this.connect()` dropped, where `connect()` keeps its work on the instance (`this._ready = Promise.all(…)`) and a stop
 * path of the class waits for that property (`close() { … this._ready … }`): the owner's stop path, not the caller,
 * owns the work. The stop path's name, or undefined.
 */
function keptOnInstanceByCallee(value: ts.Node, file: DetectionFile): string | undefined {
  const call = skipTransparent(value);
  if (!ts.isCallExpression(call)) return undefined;
  const fn = calledFunction(call, file);
  if (!fn) return undefined;
  const kept = new Set<string>();
  walk(fn, (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipTransparent(node.left);
      if (isMemberAccess(left) && unparen(left.expression).kind === ts.SyntaxKind.ThisKeyword) {
        const name = memberAccessName(left);
        if (name !== undefined) kept.add(name);
      }
    }
  });
  for (const name of kept) {
    for (const reference of referencesOf({ kind: 'property', name }, file)) {
      if (!isMemberAccess(reference) || unparen(reference.expression).kind !== ts.SyntaxKind.ThisKeyword || isInsideNode(reference, fn)) continue;
      const used = usesOf(reference);
      const parent = used.parent;
      // Read as a value in the stop path: awaited, chained, or handed to a helper that waits for it.
      const waited = awaits(used, file) || (parent !== undefined && ts.isCallExpression(parent) && isAmong(used, parent.arguments));
      const stopPath = waited ? enclosingStopPath(reference, file) : undefined;
      if (stopPath !== undefined) return stopPath;
    }
  }
  return undefined;
}

/** Owner token of the per-file set of flags that stop paths set. */
const stopFlagsOwner = {};

/** Properties a stop path of the file sets on the instance: `close() { this.paused = true; … }`. */
function stopFlags(file: DetectionFile): ReadonlyMap<string, string> {
  const cache = file.fileCache<'flags', Map<string, string>>(stopFlagsOwner);
  let flags = cache.get('flags');
  if (!flags) {
    const found = new Map<string, string>();
    walk(file.sourceFile, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken || node.right.kind !== ts.SyntaxKind.TrueKeyword) return;
      const left = skipTransparent(node.left);
      if (!isMemberAccess(left) || unparen(left.expression).kind !== ts.SyntaxKind.ThisKeyword) return;
      const name = memberAccessName(left);
      if (name === undefined || found.has(name)) return;
      const stopPath = enclosingStopPath(node, file);
      if (stopPath !== undefined) found.set(name, stopPath);
    });
    flags = found;
    cache.set('flags', flags);
  }
  return flags;
}

/**
 * A library's chain that stops itself once the owner stops: it (its handlers included), or the function it runs in,
 * reads a flag a stop path sets (`if (this.paused) return;` where `close()` sets `this.paused = true`), so no work
 * continues or starts again after close(). The stop path's name, or undefined.
 */
function stoppedByFlag(value: ts.Node, file: DetectionFile): string | undefined {
  const flags = stopFlags(file);
  if (flags.size === 0) return undefined;
  const readsFlag = (root: ts.Node, nested: boolean): string | undefined => {
    let found: string | undefined;
    walk(root, (node) => {
      if (found !== undefined || (!nested && node !== root && isFunctionLike(node))) return false;
      if (isMemberAccess(node) && unparen(node.expression).kind === ts.SyntaxKind.ThisKeyword) {
        const name = memberAccessName(node);
        const parent = node.parent;
        const written =
          parent !== undefined &&
          ts.isBinaryExpression(parent) &&
          parent.left === node &&
          parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
          parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
        if (name !== undefined && !written && flags.has(name)) found = flags.get(name);
      }
      return found === undefined;
    });
    return found;
  };
  const inChain = readsFlag(value, true);
  if (inChain !== undefined) return inChain;
  const fn = enclosingFunction(value);
  return fn?.body ? readsFlag(fn.body, false) : undefined;
}
