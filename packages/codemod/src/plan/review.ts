import { ts, type Node } from 'ts-morph';
import { REVIEW_PREFIX } from '../contract.js';
import { insertion, type TextEdit } from './edits.js';


export function reviewMarker(reason: string): string {
  // A reason must not end the comment early.
  return `/* ${REVIEW_PREFIX} ${reason.replace(/\*\//g, '* /')} */`;
}

/** Whether a review marker already sits right before `node` (so a second run adds none). */
export function hasReviewMarker(node: Node): boolean {
  const text = node.getSourceFile().getFullText();
  const position = node.getFullStart();
  // TypeScript's "leading" comments leave out those on the previous token's line (`if (x) /* marker */ work();`,
  // `on('e', /* marker */ fn)`), which it counts as that token's trailing comments: a marker may be either.
  const comments = [...(ts.getTrailingCommentRanges(text, position) ?? []), ...(ts.getLeadingCommentRanges(text, position) ?? [])];
  return comments.some((comment) => text.slice(comment.pos, comment.end).includes(REVIEW_PREFIX));
}

/** The edit that puts a marker before `node`; markers go before any other edit at that position. */
export function reviewMarkerEdit(node: Node, reason: string): TextEdit {
  return insertion(node.getStart(), `${reviewMarker(reason)} `, Number.MIN_SAFE_INTEGER);
}
