import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { findUnclosedResources } from '../detect/resources.js';
import { rangeOf } from '../detect/syntax.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

export type MessageIds = 'unclosedResource' | 'unkeptResource' | 'closeOnShutdown';

export interface UnclosedResourceData extends Record<string, string> {
  /** What it is: `Redis client`, `PostgreSQL pool`, … or, found by type, its type's name. */
  what: string;
  /** The package it comes from, or `type` when its type alone said it can be closed. */
  module: string;
  /** The method that closes it: `quit`, `end`, `close`, `disconnect`, `$disconnect`, `tryShutdown`, … */
  method: string;
  /** Where it is kept (`client`, `this.client`); '' when it is not kept. */
  holder: string;
  /** The close call the advice shows: `client.quit()`. */
  close: string;
}

export interface UnclosedResourceFinding extends RuleFinding<'unclosedResource' | 'unkeptResource', UnclosedResourceData> {
  /** Where `onShutdown(() => …)` goes: the end of the statement that keeps it, when it is a plain variable's. */
  readonly insertAt?: number;
  /** The start of that statement (its indentation is the hook's). */
  readonly statementStart?: number;
}

/** Every long-lived object created when the module loads that no shutdown path closes; the range is its creation. */
export function findUnclosedResourceFindings(file: DetectionFile): UnclosedResourceFinding[] {
  return findUnclosedResources(file).map(({ creation, kind, holder, statement }) => {
    const [start, end] = rangeOf(creation, file.sourceFile);
    const kept = holder ?? '';
    const data: UnclosedResourceData = {
      what: kind.what,
      module: kind.module,
      method: kind.method,
      holder: kept,
      close: `${kept === '' ? 'it' : kept}.${kind.method}()`,
    };
    const plainVariable = holder !== undefined && !holder.startsWith('this.') && statement !== undefined;
    return {
      messageId: holder === undefined ? 'unkeptResource' : 'unclosedResource',
      data,
      start,
      end,
      ...(plainVariable ? { insertAt: statement.end, statementStart: statement.getStart(file.sourceFile) } : {}),
    };
  });
}

export const noUnclosedResource = createRule<[], MessageIds>({
  name: 'no-unclosed-resource',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require long-lived clients, pools, consumers and workers of a service to be closed at shutdown',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      unclosedResource:
        'This {{what}} stays open when the service shuts down: nothing closes it at SIGTERM, so its in-flight work is cut off and its connections are dropped. Close it in a shutdown hook: onShutdown(() => {{close}}) from @quiesce/runtime-shim.',
      unkeptResource:
        'This {{what}} is not kept anywhere, so nothing can close it when the service shuts down. Keep it in a variable and close it in a shutdown hook: onShutdown(() => x.{{method}}()) from @quiesce/runtime-shim.',
      closeOnShutdown: 'Close it at shutdown: onShutdown(() => {{close}}).',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const finding of findUnclosedResourceFindings(detectionFileOf(context))) {
          const insertAt = finding.insertAt;
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            suggest:
              insertAt === undefined
                ? []
                : [
                    {
                      messageId: 'closeOnShutdown',
                      data: { close: finding.data.close },
                      fix(fixer) {
                        const binding = shimBinding(context, fixer, 'onShutdown');
                        const line = context.sourceCode.getLocFromIndex(finding.statementStart ?? finding.start).line;
                        const indent = /^\s*/.exec(context.sourceCode.lines[line - 1] ?? '')?.[0] ?? '';
                        return [...binding.fixes, fixer.insertTextAfterRange([insertAt, insertAt], `\n${indent}${binding.local}(() => ${finding.data.close});`)];
                      },
                    },
                  ],
          });
        }
      },
    };
  },
});
