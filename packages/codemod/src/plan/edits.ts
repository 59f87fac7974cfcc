/**
 * Minimal text edits. Every rewrite is expressed as replacements of exact ranges of the original text,
 * collected per file and applied in one pass, so code nobody touched keeps every byte.
 */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /**
   * Orders edits at the same position. Wrapping a node opens before (lower) and closes after (higher)
   * any edit of a node inside it: openers use minus the wrapped node's length, closers plus.
   */
  readonly order: number;
}

export function insertion(position: number, text: string, order = 0): TextEdit {
  return { start: position, end: position, text, order };
}

export function replacement(start: number, end: number, text: string): TextEdit {
  return { start, end, text, order: 0 };
}

/** `open` + node + `close`, ordered so wraps of nested nodes nest correctly. */
export function wrap(start: number, end: number, open: string, close: string): TextEdit[] {
  const length = end - start;
  return [insertion(start, open, -length), insertion(end, close, length)];
}

export class EditConflictError extends Error {}

function compareEdits(a: TextEdit, b: TextEdit): number {
  return a.start - b.start || a.end - a.start - (b.end - b.start) || a.order - b.order;
}

/** Applies non-overlapping edits to `text` in one pass. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(compareEdits);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) {
      throw new EditConflictError(`overlapping edits at offset ${edit.start}`);
    }
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}
