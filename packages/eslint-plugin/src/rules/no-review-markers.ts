import ts from '../detect/typescript.cjs';

import type { DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { createRule } from '../util/create-rule.js';
import { detectionFileOf, locOf } from '../util/detection-context.js';

export type MessageIds = 'reviewMarker';

/** The marker the codemod leaves where it could not rewrite safely. */
const marker = /^\s*\*?\s*quiesce-review:\s*([\s\S]*?)\s*$/;

/** Every `quiesce-review:` marker comment; the range is the comment's. */
export function findReviewMarkers(file: DetectionFile): RuleFinding<'reviewMarker', { reason: string }>[] {
  if (!file.text.includes('quiesce-review:')) return [];
  const findings: RuleFinding<'reviewMarker', { reason: string }>[] = [];
  for (const comment of commentsOf(file.sourceFile)) {
    const value = file.text.slice(comment.pos + 2, comment.kind === ts.SyntaxKind.MultiLineCommentTrivia ? comment.end - 2 : comment.end);
    if (!value.includes('quiesce-review:')) continue;
    const match = marker.exec(value);
    if (!match) continue;
    findings.push({ messageId: 'reviewMarker', data: { reason: match[1] || 'no reason given' }, start: comment.pos, end: comment.end });
  }
  return findings;
}

/** Every comment of the file, in source order: the trivia around its tokens (a file with a marker is rare: it pays). */
function commentsOf(sourceFile: ts.SourceFile): ts.CommentRange[] {
  const text = sourceFile.text;
  const byPosition = new Map<number, ts.CommentRange>();
  const collect = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) byPosition.set(range.pos, range);
  };
  const visit = (node: ts.Node): void => {
    const children = node.getChildren(sourceFile);
    if (children.length === 0) {
      collect(ts.getLeadingCommentRanges(text, node.pos));
      collect(ts.getTrailingCommentRanges(text, node.end));
    }
    for (const child of children) {
      // A JSDoc comment is also a node to TypeScript; as a comment it is the trivia of the token after it.
      if (child.kind < ts.SyntaxKind.FirstJSDocNode || child.kind > ts.SyntaxKind.LastJSDocNode) visit(child);
    }
  };
  visit(sourceFile);
  return [...byPosition.values()].sort((a, b) => a.pos - b.pos);
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
