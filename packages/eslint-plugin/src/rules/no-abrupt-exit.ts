import type ts from 'typescript';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { abruptExitsReachedFrom, shutdownSignals, signalRegistration } from '../detect/signals.js';
import { rangeOf } from '../detect/syntax.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';

export type MessageIds = 'abruptExit';

/** Every abrupt exit a shutdown signal handler reaches; the range is the exit call's. */
export function findAbruptExits(file: DetectionFile): RuleFinding<'abruptExit', { call: string; signal: string }>[] {
  const reported = new Set<ts.CallExpression>();
  const findings: RuleFinding<'abruptExit', { call: string; signal: string }>[] = [];
  for (const call of file.calls) {
    const registration = signalRegistration(call, file);
    if (!registration?.handler || !shutdownSignals.has(registration.signal)) continue;
    for (const exit of abruptExitsReachedFrom(registration.handler, file)) {
      // An exit in a helper shared by several handlers is one finding, not one per handler.
      if (reported.has(exit.call)) continue;
      reported.add(exit.call);
      const [start, end] = rangeOf(exit.call, file.sourceFile);
      findings.push({ messageId: 'abruptExit', data: { call: exit.kind, signal: registration.signal }, start, end });
    }
  }
  return findings;
}

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
    return {
      Program() {
        for (const finding of findAbruptExits(detectionFileOf(context))) {
          context.report({ loc: locOf(context, finding), messageId: finding.messageId, data: finding.data });
        }
      },
    };
  },
});
