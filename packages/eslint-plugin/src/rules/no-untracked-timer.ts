import type { TSESTree } from '@typescript-eslint/utils';

import { analyse } from '../util/analysis.js';
import { createRule } from '../util/create-rule.js';
import { shimBinding } from '../util/shim-import.js';
import { timerCallNames, timerFinding, type TimerFlags } from '../util/timers.js';

export type Options = [Partial<TimerFlags>];
export type MessageIds = 'untrackedTimer' | 'selfReschedulingTimeout' | 'useTrackedTimer';

export const noUntrackedTimer = createRule<Options, MessageIds>({
  name: 'no-untracked-timer',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow timers that the shutdown drain does not know about',
      recommended: 'recommended',
    },
    hasSuggestions: true,
    messages: {
      untrackedTimer:
        '{{timer}} schedules work that SIGTERM neither stops nor waits for. Use the tracked {{timer}} from @quiesce/runtime-shim so intake stops it and a running callback can finish.',
      selfReschedulingTimeout:
        'This setTimeout reschedules its own function: an interval in disguise that keeps starting work during shutdown. Use the tracked setTimeout from @quiesce/runtime-shim.',
      useTrackedTimer: 'Use the tracked {{timer}} from @quiesce/runtime-shim.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          setTimeout: { type: 'boolean', description: 'Also report every untracked setTimeout (not only loops).' },
          setImmediate: { type: 'boolean', description: 'Also report untracked setImmediate.' },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{}],
  create(context, [options]) {
    const analysis = analyse(context);
    const flags: TimerFlags = {
      setTimeout: options.setTimeout ?? analysis.settings.timers.setTimeout,
      setImmediate: options.setImmediate ?? analysis.settings.timers.setImmediate,
    };
    const names = timerCallNames(analysis);
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const callee = call.callee;
        const hint = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : undefined;
        if (hint === undefined || !names.has(hint)) return;
        const result = timerFinding(call, analysis, flags);
        if (!result?.finding) return;
        const { timer, finding } = result;
        context.report({
          node: callee,
          messageId: finding,
          data: { timer },
          // setImmediate has no tracked counterpart in the shim: nothing to suggest.
          suggest:
            timer === 'setImmediate'
              ? []
              : [
                  {
                    messageId: 'useTrackedTimer',
                    data: { timer },
                    fix(fixer) {
                      const binding = shimBinding(context, fixer, timer);
                      return [...binding.fixes, fixer.replaceText(callee, binding.local)];
                    },
                  },
                ],
        });
      },
    };
  },
});
