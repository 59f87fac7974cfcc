import type { TSESTree } from '@typescript-eslint/utils';

import { analyse } from '../util/analysis.js';
import { createRule } from '../util/create-rule.js';
import { abruptExitsReachedFrom, shutdownSignals, signalRegistration } from '../util/signals.js';

export type MessageIds = 'abruptExit';

export const noAbruptExit = createRule<[], MessageIds>({
  name: 'no-abrupt-exit',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow exiting the process from a shutdown signal handler before in-flight work has drained',
      recommended: 'recommended',
    },
    messages: {
      abruptExit:
        '{{call}}() in this {{signal}} handler ends the process while timers, requests and promises are still running. Let the shim drain first: onShutdown(…) for the handler\'s work, or await shutdown() from @quiesce/runtime-shim before exiting.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = analyse(context);
    const reported = new Set<TSESTree.Node>();
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const registration = signalRegistration(call, analysis);
        if (!registration?.handler || !shutdownSignals.has(registration.signal)) return;
        for (const exit of abruptExitsReachedFrom(registration.handler, analysis)) {
          // An exit in a helper shared by several handlers is one finding, not one per handler.
          if (reported.has(exit.call)) continue;
          reported.add(exit.call);
          context.report({ node: exit.call, messageId: 'abruptExit', data: { call: exit.kind, signal: registration.signal } });
        }
      },
    };
  },
});
