import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { analyse } from '../util/analysis.js';
import { createRule } from '../util/create-rule.js';
import { isServerTracked, listenReceiver, serverKindOf } from '../util/servers.js';
import { shimBinding } from '../util/shim-import.js';

export type MessageIds = 'untrackedServer' | 'wrapInTrackServer';

export const noUntrackedServer = createRule<[], MessageIds>({
  name: 'no-untracked-server',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow servers whose connections the shutdown drain does not close and wait for',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      untrackedServer:
        'This {{server}} server keeps accepting connections during shutdown and its in-flight requests are cut off on exit. Pass it to trackServer(…) from @quiesce/runtime-shim, or close it in an onShutdown hook.',
      wrapInTrackServer: 'Pass the server to trackServer(…) from @quiesce/runtime-shim.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = analyse(context);
    return {
      CallExpression(call: TSESTree.CallExpression) {
        // A plain listener and a property check: cheaper than an attribute selector matched on every call.
        const callee = call.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'listen') {
          return;
        }
        const receiver = listenReceiver(call);
        if (!receiver) return;
        const server = serverKindOf(receiver, analysis);
        if (server === undefined || isServerTracked(call, analysis)) return;
        context.report({
          node: call,
          messageId: 'untrackedServer',
          data: { server },
          // Only a plain name is safe to repeat inside trackServer(…) without changing what runs.
          suggest:
            receiver.type === AST_NODE_TYPES.Identifier
              ? [
                  {
                    messageId: 'wrapInTrackServer',
                    fix(fixer) {
                      const binding = shimBinding(context, fixer, 'trackServer');
                      return [...binding.fixes, fixer.replaceText(receiver, `${binding.local}(${receiver.name})`)];
                    },
                  },
                ]
              : [],
        });
      },
    };
  },
});
