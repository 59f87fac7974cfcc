import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { analyse, type FileAnalysis } from '../util/analysis.js';
import { dottedPath, skipTransparent, staticPropertyName } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { isGlobal } from '../util/origin.js';
import { returnsPromise } from '../util/promises.js';
import { shimBinding } from '../util/shim-import.js';
import { abruptExitsReachedFrom, listenerMethods, shutdownSignals, signalRegistration } from '../util/signals.js';
import { timerFinding, timerNames } from '../util/timers.js';

export type MessageIds = 'asyncCallback' | 'wrapInTrackCallback';

const trackCallbackNames: ReadonlySet<string> = new Set(['trackCallback']);

interface CallbackSite {
  /** What receives the callback, for the message: `setTimeout`, `process.on`, `emitter.on`, `forEach`, … */
  target: string;
  callback: TSESTree.Node;
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
      wrapInTrackCallback: 'Wrap it with trackCallback(…) from @quiesce/runtime-shim.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = analyse(context);
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const site = callbackSite(call, analysis);
        if (!site || site.callback.type === AST_NODE_TYPES.SpreadElement) return;
        // `trackCallback(fn)` returns a promise-returning function too, but its promises are tracked (report contract).
        if (analysis.isTrackerCall(site.callback, trackCallbackNames) || !returnsPromise(site.callback, analysis)) return;
        const callback = site.callback;
        context.report({
          node: callback,
          messageId: 'asyncCallback',
          data: { target: site.target },
          suggest: [
            {
              messageId: 'wrapInTrackCallback',
              fix(fixer) {
                const binding = shimBinding(context, fixer, 'trackCallback');
                return [...binding.fixes, fixer.replaceText(callback, `${binding.local}(${context.sourceCode.getText(callback)})`)];
              },
            },
          ],
        });
      },
    };
  },
});

const queueFunctions = new Set(['queueMicrotask', 'process.nextTick']);

/** The callback argument of a call that drops its callback's promise, when this rule (and no other) should judge it. */
function callbackSite(call: TSESTree.CallExpression, analysis: FileAnalysis): CallbackSite | undefined {
  const callee = skipTransparent(call.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(callee) : undefined;
  if (name === undefined) return undefined;
  const first = call.arguments[0];

  if (name === 'forEach' && callee.type === AST_NODE_TYPES.MemberExpression) return first && { target: 'forEach', callback: first };

  if (listenerMethods.has(name) && callee.type === AST_NODE_TYPES.MemberExpression) {
    const listener = call.arguments[1];
    if (!listener) return undefined;
    const signal = signalRegistration(call, analysis);
    // The codemod replaces a signal listener that exits abruptly as a whole (no-abrupt-exit): never fix it twice.
    if (signal && shutdownSignals.has(signal.signal) && signal.handler && abruptExitsReachedFrom(signal.handler, analysis).length > 0) {
      return undefined;
    }
    const receiver = isGlobal(analysis.origin(callee.object), 'process') ? 'process' : dottedPath(callee.object) ?? 'emitter';
    return { target: `${receiver}.${name}`, callback: listener };
  }

  if (timerNames.has(name) || callee.type === AST_NODE_TYPES.Identifier) {
    const timer = timerFinding(call, analysis, analysis.settings.timers);
    if (timer) {
      // no-untracked-timer reports this call: the tracked timer it is rewritten to waits for its callback already.
      if (timer.finding !== undefined || !first) return undefined;
      return { target: timer.timer, callback: first };
    }
  }

  if (name === 'queueMicrotask' || name === 'nextTick') {
    const origin = analysis.origin(callee);
    if (origin.kind === 'global' && queueFunctions.has(origin.name) && first) return { target: origin.name, callback: first };
  }
  return undefined;
}

