import { Node, ts } from 'ts-morph';
import { REVIEW_PREFIX } from '../contract.js';
import { insertion, type TextEdit } from './edits.js';


export function reviewMarker(reason: string): string {
  // A reason must not end the comment early.
  return `/* ${REVIEW_PREFIX} ${reason.replace(/\*\//g, '* /')} */`;
}

/** Whether a review marker already sits right before `node` or above its statement (so a second run adds none). */
export function hasReviewMarker(node: Node): boolean {
  const statement = markedStatementOf(node);
  return hasMarkerBefore(node) || (statement !== undefined && hasMarkerBefore(statement));
}

function hasMarkerBefore(node: Node): boolean {
  const text = node.getSourceFile().getFullText();
  const position = node.getFullStart();
  // TypeScript's "leading" comments leave out those on the previous token's line (`if (x) /* marker */ work();`,
  // `on('e', /* marker */ fn)`), which it counts as that token's trailing comments: a marker may be either.
  const comments = [...(ts.getTrailingCommentRanges(text, position) ?? []), ...(ts.getLeadingCommentRanges(text, position) ?? [])];
  return comments.some((comment) => text.slice(comment.pos, comment.end).includes(REVIEW_PREFIX));
}

/**
 * The edit that puts a marker on its own line above the statement that holds `node`, indented as that statement and
 * wrapped so that no line is longer than the file's longest. Where the statement does not start its line (`a(); b();`,
 * `} else b();`), the marker goes right before `node` on its line, as the only place that is unambiguous. Markers go
 * before any other edit at their position.
 */
export function reviewMarkerEdit(node: Node, reason: string): TextEdit {
  const text = node.getSourceFile().getFullText();
  const statement = markedStatementOf(node);
  if (statement) {
    const start = statement.getStart();
    const lineStart = lineStartAt(text, start);
    const indent = text.slice(lineStart, start);
    if (/^[ \t]*$/.test(indent)) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const lines = wrappedMarker(reason, indent, longestLine(text));
      return insertion(lineStart, lines.map((line) => line + eol).join(''), Number.MIN_SAFE_INTEGER);
    }
  }
  return insertion(node.getStart(), `${reviewMarker(reason)} `, Number.MIN_SAFE_INTEGER);
}

/**
 * The statement a marker goes above: the nearest ancestor (or `node`) that is a statement in a list of statements
 * (a block, a file, a case clause) or a class member. Undefined inside JSX, where a comment line would be text.
 */
function markedStatementOf(node: Node): Node | undefined {
  for (let current: Node | undefined = node; current; current = current.getParent()) {
    if (Node.isJsxElement(current) || Node.isJsxFragment(current) || Node.isJsxSelfClosingElement(current)) return undefined;
    const parent = current.getParent();
    if (!parent) return undefined;
    const inList = Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isModuleBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent);
    if ((inList && Node.isStatement(current)) || Node.isClassDeclaration(parent) || Node.isClassExpression(parent)) return current;
  }
  return undefined;
}

/** `/* quiesce-review: … *\/` over as few lines as fit in `width` characters (a word longer than that gets its own line). */
function wrappedMarker(reason: string, indent: string, width: number): string[] {
  const single = `${indent}${reviewMarker(reason)}`;
  if (single.length <= width) return [single];
  const words = `${REVIEW_PREFIX} ${reason.replace(/\*\//g, '* /')}`.split(/\s+/);
  const lines: string[] = [];
  let line = `${indent}/*`;
  let hasWord = false;
  for (const word of words) {
    if (hasWord && `${line} ${word}`.length > width) {
      lines.push(line);
      line = `${indent}  `;
    }
    line = `${line} ${word}`;
    hasWord = true;
  }
  if (`${line} */`.length > width) lines.push(line, `${indent} */`);
  else lines.push(`${line} */`);
  return lines;
}

function longestLine(text: string): number {
  let longest = 0;
  for (const line of text.split(/\r\n|\r|\n/)) longest = Math.max(longest, line.length);
  return longest;
}

function lineStartAt(text: string, position: number): number {
  let index = position;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}
