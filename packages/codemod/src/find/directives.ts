import { ConfigCommentParser } from '@eslint/plugin-kit';
import { commentsOf, type typescript } from '@quiesce/eslint-plugin/detect';
import type { LineIndex } from '../write/source-text.js';

// ESLint's disable directives, read and applied as ESLint 10 does (languages/js/source-code/source-code.js,
// getInlineConfigNodes and getDisableDirectives; linter/linter.js, createDisableDirectives; and
// linter/apply-disable-directives.js), so that the codemod drops exactly the reports ESLint would suppress.
// The comments are those typescript-estree gives ESLint (the plugin's commentsOf: ts-api-utils' iterateComments), each directive is parsed
// by ESLint's own parser (@eslint/plugin-kit's ConfigCommentParser).

/** Where a report starts, as ESLint compares it with directives: 1-based line and column. */
export interface ReportPosition {
  readonly ruleId: string;
  readonly line: number;
  readonly column: number;
}

interface Directive {
  readonly type: 'disable' | 'enable';
  /** null: every rule. */
  readonly ruleId: string | null;
  readonly line: number;
  readonly column: number;
}

const commentParser = new ConfigCommentParser();

const directiveTypes: Readonly<Record<string, 'disable' | 'enable' | 'disable-line' | 'disable-next-line'>> = {
  'eslint-disable': 'disable',
  'eslint-enable': 'enable',
  'eslint-disable-line': 'disable-line',
  'eslint-disable-next-line': 'disable-next-line',
};

/** The `eslint-disable…`/`eslint-enable` comments of one file. */
export class DisableDirectives {
  /** `/* eslint-disable *\/` and `/* eslint-enable *\/` comments, in source order. */
  readonly #block: readonly Directive[];
  /** `eslint-disable-line` and `eslint-disable-next-line`, each as a disable and an enable around its line. */
  readonly #line: readonly Directive[];

  private constructor(block: readonly Directive[], line: readonly Directive[]) {
    this.#block = block;
    this.#line = line;
  }

  static of(sourceFile: typescript.SourceFile, lines: LineIndex): DisableDirectives {
    const { text } = sourceFile;
    // Every directive's label is in the text as written: most files have none, and are not walked token by token.
    if (!text.includes('eslint-disable') && !text.includes('eslint-enable')) return new DisableDirectives([], []);
    const block: Directive[] = [];
    const line: Directive[] = [];
    for (const comment of commentsOf(sourceFile)) {
      const directive = commentParser.parseDirective(comment.value);
      const type = directive ? directiveTypes[directive.label] : undefined;
      if (!directive || !type) continue;
      const isLineComment = text.startsWith('//', comment.pos);
      // A `//` comment can only disable its own line or the next one.
      if (isLineComment && type !== 'disable-line' && type !== 'disable-next-line') continue;
      const start = lines.positionOf(comment.pos);
      const end = lines.positionOf(comment.end);
      // ESLint reports `eslint-disable-line` over several lines as a problem, and does not apply it.
      if (type === 'disable-line' && start.line !== end.line) continue;
      // A directive that names rules applies to those rules only. ESLint also drops (and reports) a name that is
      // no rule; that changes nothing for the plugin's reports, whose rules all exist.
      const ruleIds = Object.keys(commentParser.parseListConfig(directive.value));
      for (const ruleId of ruleIds.length > 0 ? ruleIds : [null]) {
        switch (type) {
          case 'disable':
          case 'enable':
            block.push({ type, ruleId, line: start.line, column: start.column });
            break;
          case 'disable-line':
            line.push({ type: 'disable', ruleId, line: start.line, column: 1 }, { type: 'enable', ruleId, line: start.line + 1, column: 0 });
            break;
          case 'disable-next-line':
            // The line after the comment's last line.
            line.push({ type: 'disable', ruleId, line: end.line + 1, column: 1 }, { type: 'enable', ruleId, line: end.line + 2, column: 0 });
            break;
        }
      }
    }
    return new DisableDirectives(block.sort(compareLocations), line.sort(compareLocations));
  }

  /** Whether ESLint would suppress this report. */
  suppresses(report: ReportPosition): boolean {
    return disabledAt(this.#block, report) || disabledAt(this.#line, report);
  }
}

/** The last directive for this rule (or for every rule) at or before the report decides. */
function disabledAt(directives: readonly Directive[], report: ReportPosition): boolean {
  let disabled = false;
  for (const directive of directives) {
    if (compareLocations(directive, report) > 0) break;
    if (directive.ruleId === null || directive.ruleId === report.ruleId) disabled = directive.type === 'disable';
  }
  return disabled;
}

function compareLocations(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}
