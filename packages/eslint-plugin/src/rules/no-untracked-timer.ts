import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { rangeOf, unparen } from '../detect/syntax.js';
import { timerCallNames, timerFinding, type TimerFlags } from '../detect/timers.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

export type Options = [Partial<TimerFlags>];
export type MessageIds = 'untrackedTimer' | 'selfReschedulingTimeout' | 'unclearedTimer' | 'useTrackedTimer';
type FindingId = Exclude<MessageIds, 'useTrackedTimer'>;

/** Every untracked timer call of the file; the range is the callee's (what the codemod renames). */
export function findUntrackedTimers(file: DetectionFile, options: Partial<TimerFlags>): RuleFinding<FindingId, { timer: string; kept?: string }>[] {
  const flags: TimerFlags = {
    setTimeout: options.setTimeout ?? file.settings.timers.setTimeout,
    setImmediate: options.setImmediate ?? file.settings.timers.setImmediate,
  };
  const names = timerCallNames(file);
  const findings: RuleFinding<FindingId, { timer: string; kept?: string }>[] = [];
  // A library's timers are its objects' to stop: the finding says what to clear, never to use the shim.
  const library = file.role.role === 'library';
  for (const call of file.calls) {
    // A cheap name check on the callee as written, before resolving any name.
    const callee = unparen(call.expression);
    const hint = ts.isIdentifier(callee)
      ? callee.text
      : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)
        ? callee.name.text
        : undefined;
    if (hint === undefined || !names.has(hint)) continue;
    const result = timerFinding(call, file, flags);
    if (!result?.finding) continue;
    const [start, end] = rangeOf(callee, file.sourceFile);
    const holder = result.ownership?.owned === false ? result.ownership.holder : undefined;
    const kept = holder === undefined ? 'is kept nowhere, so nothing can clear it' : `is kept in ${holder}, but nothing clears it`;
    findings.push(
      library
        ? { messageId: 'unclearedTimer', data: { timer: result.timer, kept }, start, end }
        : { messageId: result.finding, data: { timer: result.timer }, start, end },
    );
  }
  return findings;
}

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
      unclearedTimer:
        'This {{timer}} {{kept}}: it keeps starting work after the app stops this library. Keep it on its owner and clear it in the owner\'s close()/stop() (a library\'s shutdown contract), or clear it when its work is done.',
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
    return {
      Program() {
        for (const finding of findUntrackedTimers(detectionFileOf(context), options)) {
          const { timer } = finding.data;
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            // setImmediate has no tracked counterpart in the shim: nothing to suggest.
            suggest:
              timer === 'setImmediate' || finding.messageId === 'unclearedTimer'
                ? []
                : [
                    {
                      messageId: 'useTrackedTimer',
                      data: { timer },
                      fix(fixer) {
                        const binding = shimBinding(context, fixer, timer);
                        return [...binding.fixes, fixer.replaceTextRange([finding.start, finding.end], binding.local)];
                      },
                    },
                  ],
          });
        }
      },
    };
  },
});
