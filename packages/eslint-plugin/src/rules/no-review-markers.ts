import { createRule } from '../util/create-rule.js';

export type MessageIds = 'reviewMarker';

/** The marker the codemod leaves where it could not rewrite safely. */
const marker = /^\s*\*?\s*quiesce-review:\s*([\s\S]*?)\s*$/;

export const noReviewMarkers = createRule<[], MessageIds>({
  name: 'no-review-markers',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `quiesce-review` markers that the codemod left for a person to resolve',
      recommended: 'recommended',
    },
    messages: {
      reviewMarker: 'The quiesce codemod could not rewrite this safely: {{reason}}. Fix it by hand, then delete the marker.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          if (!comment.value.includes('quiesce-review:')) continue;
          const match = marker.exec(comment.value);
          if (!match) continue;
          context.report({ loc: comment.loc, messageId: 'reviewMarker', data: { reason: match[1] || 'no reason given' } });
        }
      },
    };
  },
});
