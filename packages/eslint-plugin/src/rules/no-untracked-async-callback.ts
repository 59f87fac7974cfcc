import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { isGlobal } from '../detect/origin.js';
import { callbackReturnsPromise, eventTargetMethods, hasNoAsyncWork, isBoundToTracker } from '../detect/callbacks.js';
import { functionReferencedBy } from '../detect/references.js';
import { isStopName } from '../detect/ownership.js';
import { isEmitterLike } from '../detect/receivers.js';
import { abruptExitsReachedFrom, listenerMethods, shutdownSignals, signalRegistration } from '../detect/signals.js';
import { calleeName, dottedPath, type FunctionLike, isFunctionLike, isMemberAccess, rangeOf, skipTransparent, staticPropertyName, unparen, walk } from '../detect/syntax.js';
import { timerFinding, timerNames } from '../detect/timers.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

export type MessageIds = 'asyncCallback' | 'unownedAsyncCallback' | 'wrapInTrackCallback';
type FindingId = Exclude<MessageIds, 'wrapInTrackCallback'>;

const trackCallbackNames: ReadonlySet<string> = new Set(['trackCallback']);

interface CallbackSite {
  /** What receives the callback, for the message: `setTimeout`, `process.on`, `emitter.on`, `forEach`, … */
  target: string;
  callback: ts.Expression;
}

/** Every async callback whose promise the API calling it drops; the range is the callback's. */
export function findUntrackedAsyncCallbacks(file: DetectionFile): RuleFinding<FindingId, { target: string }>[] {
  const findings: RuleFinding<FindingId, { target: string }>[] = [];
  // A library's callbacks are its owner's to wait for: the finding advises ownership, never the shim.
  const messageId: FindingId = file.role.role === 'library' ? 'unownedAsyncCallback' : 'asyncCallback';
  for (const call of file.calls) {
    const site = callbackSite(call, file);
    if (!site || ts.isSpreadElement(site.callback)) continue;
    // `trackCallback(fn)` returns a promise-returning function too, but its promises are tracked (report contract), also
    // when it is bound to a name or a property at its definition and passed by reference.
    if (!callbackReturnsPromise(site.callback, file) || isBoundToTracker(site.callback, file, trackCallbackNames)) continue;
    // An async callback that awaits nothing has no work in flight when its promise is dropped.
    const fn = functionReferencedBy(site.callback, file);
    if (fn && hasNoAsyncWork(fn)) continue;
    const [start, end] = rangeOf(site.callback, file.sourceFile);
    findings.push({ messageId, data: { target: site.target }, start, end });
  }
  return findings;
}

const shutdownNames: ReadonlySet<string> = new Set(['shutdown']);

/** `await shutdown()` of the shim (or a configured tracker) in the handler's own body. */
function awaitsShimShutdown(handler: FunctionLike, file: DetectionFile): boolean {
  let found = false;
  walk(handler, (node) => {
    if (found || (isFunctionLike(node) && node !== handler)) return false;
    if (ts.isAwaitExpression(node) && file.isTrackerCall(node.expression, shutdownNames)) found = true;
    return !found;
  });
  return found;
}

/** `await x.stop()`, `await cleanUp()`, `await close()` in the handler's own body: a call named like a stop path. */
function awaitsStopCall(handler: FunctionLike): boolean {
  let found = false;
  walk(handler, (node) => {
    if (found || (isFunctionLike(node) && node !== handler)) return false;
    if (ts.isAwaitExpression(node)) {
      const awaited = skipTransparent(node.expression);
      if (ts.isCallExpression(awaited)) {
        const name = calleeName(awaited);
        if (name !== undefined && isStopName(name)) found = true;
      }
    }
    return !found;
  });
  return found;
}

const queueFunctions = new Set(['queueMicrotask', 'process.nextTick']);

/** The callback argument of a call that drops its callback's promise, when this rule (and no other) should judge it. */
function callbackSite(call: ts.CallExpression, file: DetectionFile): CallbackSite | undefined {
  const callee = skipTransparent(call.expression);
  const isMember = isMemberAccess(callee);
  const name = ts.isIdentifier(callee) ? callee.text : isMember ? staticPropertyName(callee) : undefined;
  if (name === undefined) return undefined;
  const first = call.arguments[0] && unparen(call.arguments[0]);

  if (name === 'forEach' && isMember) return first && { target: 'forEach', callback: first };

  if ((listenerMethods.has(name) || eventTargetMethods.has(name)) && isMember) {
    const listener = call.arguments[1];
    if (!listener) return undefined;
    const signal = signalRegistration(call, file);
    // A shutdown signal's listener written as no-abrupt-exit advises (`async () => { await shutdown(); process.exit(0); }`)
    // is the shutdown path itself: the shim's drain runs inside it. One that exits abruptly is no-abrupt-exit's (the
    // codemod replaces it as a whole: never fix it twice).
    if (signal?.handler && signal.signals.some((name) => shutdownSignals.has(name))) {
      if (awaitsShimShutdown(signal.handler, file) || abruptExitsReachedFrom(signal.handler, file).length > 0) return undefined;
      // The service's own shutdown: it awaits a stop (`await cleanUp()`, `await runner.stop()`) and never exits, so the
      // process lives until that work ends; nothing else is there to drop its promise.
      if (awaitsStopCall(signal.handler)) return undefined;
    }
    // With types, only an emitter drops what its listeners return: a framework's router that awaits them is not one.
    if (!signal && !isEmitterLike(callee.expression, file)) return undefined;
    const receiver = isGlobal(file.origin(callee.expression), 'process') ? 'process' : dottedPath(callee.expression) ?? 'emitter';
    return { target: `${receiver}.${name}`, callback: unparen(listener) };
  }

  if (timerNames.has(name) || ts.isIdentifier(callee)) {
    const timer = timerFinding(call, file, file.settings.timers);
    if (timer) {
      // no-untracked-timer reports this call: the tracked timer it is rewritten to waits for its callback already. An
      // owned timer's callback is its owner's: the stop path that clears it decides what becomes of a running tick.
      if (timer.finding !== undefined || timer.ownership?.owned === true || !first) return undefined;
      return { target: timer.timer, callback: first };
    }
  }

  if (name === 'queueMicrotask' || name === 'nextTick') {
    const origin = file.origin(callee);
    if (origin.kind === 'global' && queueFunctions.has(origin.name) && first) return { target: origin.name, callback: first };
  }
  return undefined;
}

export const noUntrackedAsyncCallback = createRule<[], MessageIds>({
  name: 'no-untracked-async-callback',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow async callbacks whose promise is dropped by the API that calls them',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      asyncCallback:
        '{{target}} drops the promise this async callback returns: nobody waits for its work, so SIGTERM can cut it off mid-way. Wrap it with trackCallback(…) from @quiesce/runtime-shim so the drain waits for it.',
      unownedAsyncCallback:
        '{{target}} drops the promise this async callback returns: when the app stops this library, its work can be cut off mid-way. Keep its promise where the owner\'s close() awaits it (and handle its errors).',
      wrapInTrackCallback: 'Wrap it with trackCallback(…) from @quiesce/runtime-shim.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const finding of findUntrackedAsyncCallbacks(detectionFileOf(context))) {
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            suggest: finding.messageId === 'unownedAsyncCallback' ? [] : [
              {
                messageId: 'wrapInTrackCallback',
                fix(fixer) {
                  const binding = shimBinding(context, fixer, 'trackCallback');
                  const text = context.sourceCode.text.slice(finding.start, finding.end);
                  return [...binding.fixes, fixer.replaceTextRange([finding.start, finding.end], `${binding.local}(${text})`)];
                },
              },
            ],
          });
        }
      },
    };
  },
});
