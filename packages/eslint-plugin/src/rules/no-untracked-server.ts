import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { isServerTracked, listenReceiver, serverKindOf, type ServerKind } from '../detect/servers.js';
import { rangeOf, unparen } from '../detect/syntax.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

export type MessageIds = 'untrackedServer' | 'wrapInTrackServer';

export interface UntrackedServer extends RuleFinding<'untrackedServer', { server: ServerKind }> {
  /** The receiver of `listen` when it is a plain name: only that is safe to repeat inside trackServer(…). */
  readonly receiverName?: { readonly name: string; readonly start: number; readonly end: number };
}

/** Every `listen` call that starts a server the drain does not track; the range is the call's. */
export function findUntrackedServers(file: DetectionFile): UntrackedServer[] {
  const findings: UntrackedServer[] = [];
  for (const call of file.calls) {
    // A cheap check of the callee as written: `x.listen(…)`.
    const callee = unparen(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name) || callee.name.text !== 'listen') continue;
    const receiver = listenReceiver(call);
    if (!receiver) continue;
    const server = serverKindOf(receiver, file);
    if (server === undefined || isServerTracked(call, file)) continue;
    const [start, end] = rangeOf(call, file.sourceFile);
    const [receiverStart, receiverEnd] = rangeOf(receiver, file.sourceFile);
    findings.push({
      messageId: 'untrackedServer',
      data: { server },
      start,
      end,
      ...(ts.isIdentifier(receiver) ? { receiverName: { name: receiver.text, start: receiverStart, end: receiverEnd } } : {}),
    });
  }
  return findings;
}

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
    return {
      Program() {
        for (const finding of findUntrackedServers(detectionFileOf(context))) {
          const receiver = finding.receiverName;
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            suggest: receiver
              ? [
                  {
                    messageId: 'wrapInTrackServer',
                    fix(fixer) {
                      const binding = shimBinding(context, fixer, 'trackServer');
                      return [...binding.fixes, fixer.replaceTextRange([receiver.start, receiver.end], `${binding.local}(${receiver.name})`)];
                    },
                  },
                ]
              : [],
          });
        }
      },
    };
  },
});
