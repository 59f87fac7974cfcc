import { commentsOf } from '../detect/comments.js';
import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';

export type MessageIds = 'reviewMarker';

/**
 * The marker the codemod leaves where it could not rewrite safely; `Quiesce-review:` is its spelling in a project
 * whose lint requires capitalized comments (`capitalized-comments`, xo).
 */
const marker = /^\s*\*?\s*[Qq]uiesce-review:\s*([\s\S]*?)\s*$/;
const mentionsMarker = (text: string): boolean => text.includes('quiesce-review:') || text.includes('Quiesce-review:');

/** Every `quiesce-review:` marker comment; the range is the comment's. */
export function findReviewMarkers(file: DetectionFile): RuleFinding<'reviewMarker', { reason: string }>[] {
  if (!mentionsMarker(file.sourceFile.text)) return [];
  const findings: RuleFinding<'reviewMarker', { reason: string }>[] = [];
  for (const comment of commentsOf(file.sourceFile)) {
    if (!mentionsMarker(comment.value)) continue;
    const match = marker.exec(comment.value);
    if (!match) continue;
    findings.push({ messageId: 'reviewMarker', data: { reason: match[1] || 'no reason given' }, start: comment.pos, end: comment.end });
  }
  return findings;
}

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
        for (const finding of findReviewMarkers(detectionFileOf(context))) {
          context.report({ loc: locOf(context, finding), messageId: finding.messageId, data: finding.data });
        }
      },
    };
  },
});
