/**
 * The text of one file as the codemod sees it: the BOM split off (ESLint and our positions both work on
 * the text without it) and the file's own conventions, so inserted code looks like the code around it.
 */
export interface FileStyle {
  /** `'` or `"`: the quote most string literals in the file already use. */
  readonly quote: "'" | '"';
  /** Whether statements end with `;` (false for a semicolon-free file). */
  readonly semicolons: boolean;
  /** `\r\n` when the file uses CRLF line endings, else `\n`. */
  readonly eol: '\n' | '\r\n';
}

export interface SourceText {
  /** The text without a leading BOM. Every position in the codemod refers to this text. */
  readonly text: string;
  readonly hasBom: boolean;
  readonly style: FileStyle;
}

const BOM = '\uFEFF';

export function readSourceText(raw: string): SourceText {
  const hasBom = raw.startsWith(BOM);
  const text = hasBom ? raw.slice(1) : raw;
  return { text, hasBom, style: detectStyle(text) };
}

/** The bytes to write back: the BOM restored when the file had one. */
export function toFileContent(source: SourceText, newText: string): string {
  return source.hasBom ? BOM + newText : newText;
}

export function detectStyle(text: string): FileStyle {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const single = (text.match(/(?<![\w\\])'(?:[^'\\\n]|\\.)*'/g) ?? []).length;
  const double = (text.match(/(?<![\w\\])"(?:[^"\\\n]|\\.)*"/g) ?? []).length;
  return {
    quote: double > single ? '"' : "'",
    semicolons: usesSemicolons(text),
    eol: crlf > lf ? '\r\n' : '\n',
  };
}

// A file is semicolon-free when no code line ends with `;` but some lines end like statements.
// Counting line ends is cheap and matches what a reader sees; it only decides how inserted lines end.
function usesSemicolons(text: string): boolean {
  let withSemicolon = 0;
  let withoutSemicolon = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    if (line === '' || /^\s*(\/\/|\/\*|\*|#!)/.test(line)) continue;
    if (line.endsWith(';')) withSemicolon++;
    else if (/[\w)\]'"`]$/.test(line)) withoutSemicolon++;
  }
  return withSemicolon > 0 || withoutSemicolon === 0;
}

/** The indentation (spaces or tabs) of the line holding `position`. */
export function indentationAt(text: string, position: number): string {
  const lineStart = lineStartOf(text, position);
  const match = /^[ \t]*/.exec(text.slice(lineStart, position));
  return match?.[0] ?? '';
}

export function lineStartOf(text: string, position: number): number {
  let index = position;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}

/**
 * Offsets of line starts, with the same line breaks as ESLint (`\r\n`, `\r`, `\n`, U+2028, U+2029),
 * so a message's line/column maps to the same character ESLint meant.
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    const lineBreak = /\r\n|[\r\n\u2028\u2029]/g;
    for (let match = lineBreak.exec(text); match; match = lineBreak.exec(text)) {
      this.#starts.push(match.index + match[0].length);
    }
  }

  /** `line` is 1-based and `column` 0-based, as in ESLint's `loc`. */
  offsetOf(line: number, column: number): number {
    const start = this.#starts[line - 1];
    if (start === undefined) throw new RangeError(`line ${line} is past the end of the file`);
    return start + column;
  }

  /** 1-based line and 1-based column, as in SARIF and editor messages. */
  positionOf(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }
}
