import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { promiseOwnership, settlesAtOnce } from '../detect/ownership.js';
import { chainRoot, isChainCall, type PromiseKind, promiseKindOf } from '../detect/promises.js';
import { calleeName, dottedPath, enclosingFunction, rangeOf, skipTransparent, unparen } from '../detect/syntax.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';
import { shimBinding } from '../util/shim-import.js';

export type Options = [{ allow?: string[]; checkThenables?: boolean }];
export type MessageIds = 'floatingPromise' | 'voidedPromise' | 'droppedChain' | 'unownedPromise' | 'wrapInTrack';
type FindingId = Exclude<MessageIds, 'wrapInTrack'>;

export interface UntrackedPromise extends RuleFinding<FindingId, { kind: PromiseKind; method: string; what: string }> {
  /** The dropped value (for `void p`, `p`): what `track(…)` wraps. */
  readonly value: { readonly start: number; readonly end: number };
}

// The shim's `shutdown()` is the drain itself, not work for it: `void shutdown(signal).then(() => process.exit(0))` in a
// signal listener starts it and exits after it, and wrapping it in track(…) would make the drain wait for itself.
const trackNames: ReadonlySet<string> = new Set(['track', 'shutdown']);

/** Expressions that can hold a promise; anything else (assignments, arithmetic, literals…) is skipped before any type lookup. */
const candidateKinds = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.NewExpression,
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PropertyAccessExpression,
  ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.TaggedTemplateExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.NonNullExpression,
]);

/** Every expression statement whose value is a promise nobody waits for; the range is the statement's expression. */
export function findUntrackedPromises(file: DetectionFile, options: Options[0]): UntrackedPromise[] {
  const allow = new Set(options.allow ?? []);
  const checkThenables = options.checkThenables === true;
  const findings: UntrackedPromise[] = [];
  for (const statement of file.expressionStatements) {
    const expression = unparen(statement.expression);
    const voided = ts.isVoidExpression(expression);
    const value = voided ? unparen(expression.expression) : expression;
    if (!candidateKinds.has(value.kind) || (ts.isCallExpression(value) && value.expression.kind === ts.SyntaxKind.ImportKeyword)) continue;
    // Most statements are not promises: decide that first, then whether a promise is tracked or allowed.
    const kind = promiseKindOf(value, file, checkThenables);
    if (kind === undefined || isTrackedOrAllowed(value, file, allow) || (file.entry && isStartUp(statement)) || isDiscard(value)) continue;
    // Owned work: a chain that settles an enclosing promise or callback, a side chain on a promise that is kept and awaited.
    if (promiseOwnership(value, file).owned || settlesAtOnce(value, file)) continue;
    const chain = skipTransparent(value);
    const messageId: FindingId =
      file.role.role === 'library' ? 'unownedPromise' : voided ? 'voidedPromise' : isChainCall(chain) ? 'droppedChain' : 'floatingPromise';
    const method = isChainCall(chain) ? calleeName(chain as ts.CallExpression) ?? 'then' : 'then';
    const [start, end] = rangeOf(expression, file.sourceFile);
    const [valueStart, valueEnd] = rangeOf(value, file.sourceFile);
    findings.push({ messageId, data: { kind, method, what: describe(kind) }, start, end, value: { start: valueStart, end: valueEnd } });
  }
  return findings;
}

/**
 * A statement at the top level of a service's entry file: its start-up (connect, then listen), which the process runs
 * before any SIGTERM can find work in flight; the work it starts (servers, timers, handlers) is judged where it is.
 */
function isStartUp(statement: ts.ExpressionStatement): boolean {
  return enclosingFunction(statement) === undefined;
}

/** `reader.cancel()`, `body.cancel().catch(…)`: cancelling discards a stream; there is no work to wait for. */
function isDiscard(value: ts.Node): boolean {
  const root = skipTransparent(chainRoot(value));
  return ts.isCallExpression(root) && calleeName(root) === 'cancel';
}

function describe(kind: PromiseKind): string {
  return kind === 'array' ? 'array of promises' : kind === 'thenable' ? 'thenable' : 'promise';
}

function isTrackedOrAllowed(value: ts.Node, file: DetectionFile, allow: ReadonlySet<string>): boolean {
  const root = chainRoot(value);
  if (file.isTrackerCall(root, trackNames)) return true;
  if (allow.size === 0 || !ts.isCallExpression(root)) return false;
  const path = dottedPath(root.expression);
  if (path === undefined) return false;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return allow.has(path) || allow.has(last);
}

export const noUntrackedPromise = createRule<Options, MessageIds>({
  name: 'no-untracked-promise',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow promises that nobody waits for, including `void p` and dropped `.then/.catch/.finally` chains',
      recommended: 'recommended',
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    messages: {
      floatingPromise:
        'Nobody waits for this {{what}}, so SIGTERM can cut its work off mid-way. Await it, return it, or wrap it with track(…) from @quiesce/runtime-shim.',
      voidedPromise:
        '`void` drops this promise: nobody waits for it, so SIGTERM can cut its work off mid-way. Use track(…) from @quiesce/runtime-shim instead of void.',
      droppedChain:
        'Nobody waits for this .{{method}}(…) chain: handling its outcome does not keep its work alive, so SIGTERM can cut it off mid-way. Await it, return it, or wrap it with track(…) from @quiesce/runtime-shim.',
      unownedPromise:
        'Nobody waits for this {{what}}: when the app stops this library, its work can be cut off mid-way. Await it or return it, or keep it where the owner\'s close()/flush() awaits it.',
      wrapInTrack: 'Wrap it with track(…) from @quiesce/runtime-shim.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          allow: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: 'Calls known to be safe to drop, by callee name or dotted path (`metrics.flush`).',
          },
          checkThenables: { type: 'boolean', description: 'Also report non-promise thenables (needs type information).' },
        },
        additionalProperties: false,
      },
    ],
  },
  defaultOptions: [{ allow: [], checkThenables: false }],
  create(context, [options]) {
    return {
      Program() {
        for (const finding of findUntrackedPromises(detectionFileOf(context), options)) {
          context.report({
            loc: locOf(context, finding),
            messageId: finding.messageId,
            data: finding.data,
            // A library's promises are its owner's to await: no shim to suggest.
            suggest: finding.messageId === 'unownedPromise' ? [] : [
              {
                messageId: 'wrapInTrack',
                fix(fixer) {
                  const binding = shimBinding(context, fixer, 'track');
                  const text = context.sourceCode.text.slice(finding.value.start, finding.value.end);
                  const wrapped = finding.data.kind === 'array' ? `Promise.all(${text})` : text;
                  return [...binding.fixes, fixer.replaceTextRange([finding.start, finding.end], `${binding.local}(${wrapped})`)];
                },
              },
            ],
          });
        }
      },
    };
  },
});
