import ts from './typescript.cjs';

import type { DetectionFile } from './file.js';
import type { Origin } from './origin.js';
import { skipTransparent } from './syntax.js';

/**
 * Receivers: whether `x.on(event, listener)` registers with an emitter, which drops what its listeners return, or with
 * something else that happens to use the name (a bot framework's router awaits its handlers).
 *
 * With types the receiver's type decides: a class or interface named `EventEmitter` or `EventTarget` (Node's, DOM's,
 * `eventemitter3`'s), or one of `settings.quiesce.emitters`, anywhere along its base types (`Socket extends
 * StrictEventEmitter extends EventEmitter`). A receiver typed `any` says nothing and is judged as without types.
 *
 * Without types the name decides, conservatively (a listener method is taken for an emitter's), except for receivers
 * made by frameworks known to await their handlers: grammY and Telegraf (`bot.on`), `@octokit/webhooks`.
 */
export function isEmitterLike(receiver: ts.Node, file: DetectionFile): boolean {
  const types = file.types;
  if (types) {
    const type = types.typeOf(skipTransparent(receiver));
    if ((type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) === 0) {
      return hasEmitterBase(type, types.checker, new Set([...emitterNames, ...file.settings.emitters]), 0);
    }
  }
  return !isMadeByAwaitingFramework(file.origin(receiver));
}

const emitterNames = ['EventEmitter', 'EventTarget'];
/** Modules whose objects' `on(…)` awaits the handlers it is given (documented in the rule's docs). */
const awaitingFrameworks = new Set(['grammy', 'telegraf', '@octokit/webhooks']);
const maxBaseDepth = 8;

function hasEmitterBase(type: ts.Type, checker: ts.TypeChecker, names: ReadonlySet<string>, depth: number): boolean {
  if (depth > maxBaseDepth) return false;
  if (type.isUnionOrIntersection()) return type.types.some((part) => hasEmitterBase(part, checker, names, depth + 1));
  const apparent = checker.getApparentType(type);
  const symbol = apparent.getSymbol() ?? apparent.aliasSymbol;
  if (symbol && names.has(symbol.getName())) return true;
  const target = (apparent as ts.TypeReference).target ?? apparent;
  if ((target.flags & ts.TypeFlags.Object) !== 0 && ((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) !== 0) {
    for (const base of checker.getBaseTypes(target as ts.InterfaceType)) {
      if (hasEmitterBase(base, checker, names, depth + 1)) return true;
    }
  }
  // A class's constructor side or a value declared `typeof emitter`: its declared heritage names the base.
  for (const declaration of symbol?.getDeclarations() ?? []) {
    if (!ts.isClassLike(declaration) && !ts.isInterfaceDeclaration(declaration)) continue;
    for (const clause of declaration.heritageClauses ?? []) {
      for (const heritage of clause.types) {
        const name = ts.isIdentifier(heritage.expression) ? heritage.expression.text : ts.isPropertyAccessExpression(heritage.expression) ? heritage.expression.name.text : undefined;
        if (name !== undefined && names.has(name)) return true;
      }
    }
  }
  return false;
}

/**
 * Methods that register or remove an event listener. Emitters return themselves (or nothing) from them, never a promise.
 */
export const listenerRegistrationMethods: ReadonlySet<string> = new Set([
  'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners',
  'addEventListener', 'removeEventListener',
]);

/**
 * `client.on('error', …)` whose receiver's type says nothing about the method: the receiver is typed `any`/`unknown`,
 * or its type does not declare the method and only an index signature answers for it (a client whose `EventEmitter`
 * base did not resolve, because the project has no `@types/node`, and whose commands are an index signature of
 * promise-returning functions). Such a call is taken for the listener registration its name says, not a promise. When
 * the type declares the method, the type decides (an `on()` declared to return a promise is one).
 */
export function isUntypedListenerRegistration(call: ts.CallExpression, file: DetectionFile): boolean {
  const types = file.types;
  const callee = skipTransparent(call.expression);
  if (!types || !ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name) || !listenerRegistrationMethods.has(callee.name.text)) return false;
  const receiver = types.typeOf(skipTransparent(callee.expression));
  if ((receiver.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) return true;
  const declared = types.checker.getApparentType(types.checker.getNonNullableType(receiver));
  return types.checker.getPropertyOfType(declared, callee.name.text) === undefined;
}

function isMadeByAwaitingFramework(origin: Origin): boolean {
  let current = origin;
  for (let depth = 0; depth < 4 && current.kind === 'instance'; depth++) current = current.callee;
  return current.kind === 'module' && (awaitingFrameworks.has(current.module) || [...awaitingFrameworks].some((name) => current.kind === 'module' && current.module.startsWith(`${name}/`)));
}
