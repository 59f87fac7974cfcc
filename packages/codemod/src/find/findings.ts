import type { Detection } from '@quiesce/eslint-plugin/detect';
import { Node, type CallExpression, type SourceFile } from 'ts-morph';
import type { TextEdit } from '../plan/edits.js';
import type { FileNames } from '../plan/names.js';
import type { ImportManager } from '../plan/imports.js';
import type { FileStyle } from '../write/source-text.js';

/** What a file is, as the plugin's roleOf says, and why (the reason is shown to users). */
export interface FileRole {
  readonly role: 'service' | 'library' | 'browser' | 'test';
  readonly reason: string;
  /** The directory of the file's nearest package.json (its package), when it has one. */
  readonly packageDir?: string;
}

/** One plugin report (offsets of the file's text, BOM removed), with where it starts as ESLint reports it. */
export interface Finding extends Detection {
  /** 1-based, as ESLint reports them. */
  readonly line: number;
  readonly column: number;
}

/** What a transform gets for one file: the parsed file and the ways to change it. */
export interface TransformContext {
  readonly sourceFile: SourceFile;
  readonly text: string;
  readonly style: FileStyle;
  readonly names: FileNames;
  readonly imports: ImportManager;
  /**
   * The file's role, from the plugin's roles (`@quiesce/eslint-plugin/detect` roleOf): only a `service` may get the
   * shim (the import manager refuses it elsewhere, and the finding becomes a review item).
   */
  readonly role: FileRole;
  /** All of this file's findings, every rule (a transform may need to know what else is reported). */
  readonly allFindings: readonly Finding[];
  edit(...edits: TextEdit[]): void;
  /** Leaves a `/* quiesce-review: … *\/` marker at `node` (once) and a review item in the report. */
  review(node: Node, finding: Finding, reason: string): void;
  /** The node whose range is exactly the finding's, satisfying `accepts`, or undefined. */
  nodeOf<T extends Node>(finding: Finding, accepts: (node: Node) => node is T): T | undefined;
}

/** A rewrite for one rule's findings in one file. */
export interface Transform {
  readonly ruleId: string;
  apply(findings: readonly Finding[], context: TransformContext): void;
}

/** Runs `rewrite` on the node of each finding that `accepts` takes (a finding without one is reported by nodeOf). */
export function forEachReportedNode<T extends Node>(
  findings: readonly Finding[],
  context: TransformContext,
  accepts: (node: Node) => node is T,
  rewrite: (node: T, finding: Finding) => void,
): void {
  for (const finding of findings) {
    const node = context.nodeOf(finding, accepts);
    if (node) rewrite(node, finding);
  }
}

export const isCall = (node: Node): node is CallExpression => Node.isCallExpression(node);
