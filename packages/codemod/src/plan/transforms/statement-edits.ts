import { SyntaxKind, type Block } from 'ts-morph';
import type { Node } from 'ts-morph';
import { insertion, replacement, type TextEdit } from '../edits.js';
import { indentationAt, lineStartOf } from '../../write/source-text.js';

/** Removes a statement: its whole line when it is alone on it, else from the previous statement's end. */
export function removalOfStatement(text: string, statement: Node): TextEdit {
  const start = statement.getStart();
  const end = statement.getEnd();
  const onlyOnItsLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, start), start)) && /^[ \t]*(\r\n|\r|\n|$)/.test(text.slice(end));
  if (onlyOnItsLine) return removalOfLines(text, start, end);
  const previous = statement.getPreviousSibling();
  return replacement(previous ? previous.getEnd() : start, end, '');
}

function removalOfLines(text: string, start: number, end: number): TextEdit {
  const from = lineStartOf(text, start);
  const lineBreak = /^[ \t]*(\r\n|\r|\n)?/.exec(text.slice(end));
  let to = end + (lineBreak?.[0].length ?? 0);
  // Between two blank lines, take one of them too, so the removal leaves no double gap.
  const blankBefore = from === 0 || /(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)$/.test(text.slice(Math.max(0, from - 4), from));
  const blankAfter = /^[ \t]*(\r\n|\r|\n)/.exec(text.slice(to));
  let begin = from;
  if (blankBefore && blankAfter) to += blankAfter[0].length;
  else if (blankBefore && to === text.length && from > 0) begin -= text.slice(0, from).endsWith('\r\n') ? 2 : 1;
  return replacement(begin, to, '');
}

/** The indentation of the line a node starts on. */
export function indentationOf(text: string, node: Node): string {
  return indentationAt(text, node.getStart());
}

/**
 * One level of the file's indentation, for lines the codemod nests: a tab where tabs indent most lines, else the
 * smallest indent of a code line (block-comment continuations, ` * …`, left out), two spaces when nothing tells.
 */
export function indentUnitOf(text: string): string {
  let tabs = 0;
  let spaced = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of text.split(/\r?\n/, 2_000)) {
    const indent = /^[ \t]+(?=[^ \t*])/.exec(line)?.[0];
    if (indent === undefined) continue;
    if (indent.startsWith('\t')) {
      tabs++;
    } else {
      spaced++;
      smallest = Math.min(smallest, indent.length);
    }
  }
  if (tabs > spaced) return '\t';
  return smallest >= 2 && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

/** `;` when the file ends statements with one. */
export function semicolon(semicolons: boolean): string {
  return semicolons ? ';' : '';
}

/**
 * Puts `statement` first in a block: on its own line, indented as the block's first statement, when that starts a
 * line of its own; otherwise on the block's line (`{ statement; first(); }`).
 */
export function insertionAtBlockStart(text: string, block: Block, statement: string, eol: string): TextEdit {
  const first = block.getStatements()[0];
  const open = block.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
  if (first && first.getStartLineNumber() !== block.getStartLineNumber()) {
    return insertion(open.getEnd(), `${eol}${indentationOf(text, first)}${statement}`);
  }
  return insertion(open.getEnd(), ` ${statement}${first ? '' : ' '}`);
}
