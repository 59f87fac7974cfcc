import { Node, ts } from 'ts-morph';
import { CAPITALIZED_REVIEW_PREFIX, REVIEW_PREFIX } from '../contract.js';
import { insertion, type TextEdit } from './edits.js';

/**
 * What the project's lint asks of comments (ESLint's `max-len` and `capitalized-comments`, xo's defaults), so that a
 * marker passes it: plain data, copied to analysis threads.
 */
export interface CommentRules {
  /** `max-len`'s `code` (tabs counted as `tabWidth`, default 4): no marker line is longer. */
  readonly maxLength?: number;
  readonly tabWidth?: number;
  /** `capitalized-comments` ("always"): the marker starts with a capital. */
  readonly capitalized?: boolean;
}

const prefixOf = (rules: CommentRules): string => (rules.capitalized ? CAPITALIZED_REVIEW_PREFIX : REVIEW_PREFIX);

/** Whether a comment's text is a review marker (either case). */
export function isReviewMarkerText(text: string): boolean {
  return text.includes(REVIEW_PREFIX) || text.includes(CAPITALIZED_REVIEW_PREFIX);
}

export function reviewMarker(reason: string, rules: CommentRules = {}): string {
  // A reason must not end the comment early.
  return `/* ${prefixOf(rules)} ${reason.replace(/\*\//g, '* /')} */`;
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
  return comments.some((comment) => isReviewMarkerText(text.slice(comment.pos, comment.end)));
}

/**
 * The edit that puts a marker on its own line above the statement that holds `node`, indented as that statement and
 * wrapped so that no line is longer than the file's longest, nor than the project's `max-len`. Where the statement does not start its line (`a(); b();`,
 * `} else b();`), the marker goes right before `node` on its line, as the only place that is unambiguous. Markers go
 * before any other edit at their position.
 */
export function reviewMarkerEdit(node: Node, reason: string, rules: CommentRules = {}): TextEdit {
  const text = node.getSourceFile().getFullText();
  const statement = markedStatementOf(node);
  if (statement) {
    const start = statement.getStart();
    const lineStart = lineStartAt(text, start);
    const indent = text.slice(lineStart, start);
    if (/^[ \t]*$/.test(indent)) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const width = rules.maxLength === undefined ? longestLine(text) : Math.min(longestLine(text), rules.maxLength);
      const lines = wrappedMarker(reason, indent, width, rules);
      return insertion(lineStart, lines.map((line) => line + eol).join(''), Number.MIN_SAFE_INTEGER);
    }
  }
  return insertion(node.getStart(), `${reviewMarker(reason, rules)} `, Number.MIN_SAFE_INTEGER);
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

/**
 * `/* quiesce-review: … *\/` over as few lines as fit in `width` columns (a tab counts as `max-len` counts it; a word
 * longer than that gets its own line). The closing `*\/` ends the last line when it fits, else its own line.
 */
function wrappedMarker(reason: string, indent: string, width: number, rules: CommentRules): string[] {
  const columns = (line: string): number => line.length + tabExtra(line, rules);
  const single = `${indent}${reviewMarker(reason, rules)}`;
  if (columns(single) <= width) return [single];
  const words = `${prefixOf(rules)} ${reason.replace(/\*\//g, '* /')}`.split(/\s+/);
  const lines: string[] = [];
  let line = `${indent}/*`;
  let hasWord = false;
  for (const word of words) {
    if (hasWord && columns(`${line} ${word}`) > width) {
      lines.push(line);
      line = `${indent}  `;
    }
    line = `${line} ${word}`;
    hasWord = true;
  }
  if (columns(`${line} */`) > width) lines.push(line, `${indent} */`);
  else lines.push(`${line} */`);
  return lines;
}

/** The columns a line's tabs add beyond one character each, as `max-len` counts them (only with a configured max-len). */
function tabExtra(line: string, rules: CommentRules): number {
  if (rules.maxLength === undefined) return 0;
  const tabs = line.length - line.replaceAll('\t', '').length;
  return tabs * ((rules.tabWidth ?? 4) - 1);
}

export function longestLine(text: string): number {
  let longest = 0;
  for (const line of text.split(/\r\n|\r|\n/)) longest = Math.max(longest, line.length);
  return longest;
}

function lineStartAt(text: string, position: number): number {
  let index = position;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}
