import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { analyse, type FileAnalysis } from '../util/analysis.js';
import { calleeName, dottedPath, skipTransparent } from '../util/ast.js';
import { createRule } from '../util/create-rule.js';
import { chainRoot, isChainCall, type PromiseKind, promiseKindOf } from '../util/promises.js';
import { shimBinding } from '../util/shim-import.js';

export type Options = [{ allow?: string[]; checkThenables?: boolean }];
export type MessageIds = 'floatingPromise' | 'voidedPromise' | 'droppedChain' | 'wrapInTrack';

const trackNames: ReadonlySet<string> = new Set(['track']);

/** Expressions that can hold a promise; anything else (assignments, arithmetic, literals…) is skipped before any type lookup. */
const candidateTypes = new Set<string>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.ChainExpression,
  AST_NODE_TYPES.TaggedTemplateExpression,
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSNonNullExpression,
]);

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
    const analysis = analyse(context);
    const allow = new Set(options.allow ?? []);
    const checkThenables = options.checkThenables === true;

    return {
      ExpressionStatement(statement: TSESTree.ExpressionStatement) {
        if (statement.directive !== undefined) return;
        const expression = statement.expression;
        const voided = expression.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void';
        const value = voided ? expression.argument : expression;
        if (!candidateTypes.has(value.type)) return;
        // Most statements are not promises: decide that first, then whether a promise is tracked or allowed.
        const kind = promiseKindOf(value, analysis, checkThenables);
        if (kind === undefined || isTrackedOrAllowed(value, analysis, allow)) return;
        const chain = skipTransparent(value);
        const messageId: MessageIds = voided ? 'voidedPromise' : isChainCall(chain) ? 'droppedChain' : 'floatingPromise';
        const method = isChainCall(chain) ? calleeName(chain as TSESTree.CallExpression) ?? 'then' : 'then';
        context.report({
          node: expression,
          messageId,
          data: { kind, method, what: describe(kind) },
          suggest: [
            {
              messageId: 'wrapInTrack',
              fix(fixer) {
                const binding = shimBinding(context, fixer, 'track');
                const text = context.sourceCode.getText(value);
                const wrapped = kind === 'array' ? `Promise.all(${text})` : text;
                return [...binding.fixes, fixer.replaceText(expression, `${binding.local}(${wrapped})`)];
              },
            },
          ],
        });
      },
    };
  },
});

function describe(kind: PromiseKind): string {
  return kind === 'array' ? 'array of promises' : kind === 'thenable' ? 'thenable' : 'promise';
}

function isTrackedOrAllowed(value: TSESTree.Node, analysis: FileAnalysis, allow: ReadonlySet<string>): boolean {
  const root = chainRoot(value);
  if (analysis.isTrackerCall(root, trackNames)) return true;
  if (allow.size === 0 || root.type !== AST_NODE_TYPES.CallExpression) return false;
  const path = dottedPath(root.callee);
  if (path === undefined) return false;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return allow.has(path) || allow.has(last);
}
