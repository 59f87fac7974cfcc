import type { Node, SourceFile, ts } from 'ts-morph';
import { applyEdits, EditConflictError, type TextEdit } from '../plan/edits.js';
import type { FileRole, Finding, TransformContext } from '../find/findings.js';
import { ImportManager, ShimRefused } from '../plan/imports.js';
import { moduleKindOf, type CompilerFacts, type PackageTypeLookup } from '../plan/module-kind.js';
import { FileNames } from '../plan/names.js';
import { hasReviewMarker, reviewMarkerEdit, type CommentRules } from '../plan/review.js';
import type { SourceText } from './source-text.js';
import type { Parser } from './syntax.js';
import { transforms } from '../plan/transforms/index.js';
import { connectOwnSignalListeners, ownSignalListenersConsidered, SIGNAL_LISTENER_RULE } from '../plan/transforms/signal-listeners.js';

export interface FileReview {
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly reason: string;
  readonly marker: 'added' | 'present' | 'none';
}

/** What the rewrite does about one finding (same order as the input's findings). */
export interface FindingFix {
  readonly fix: 'rewrite' | 'review' | 'none';
  readonly reason?: string;
}

interface Dispositions {
  /** One per input finding, in order. */
  readonly fixesOfFindings: readonly FindingFix[];
  /** Whether the file's own shutdown-signal listeners were looked at (and connected where they could be). */
  readonly listenersConsidered?: boolean;
}

export type RewriteOutcome = Dispositions &
  (
    | { readonly status: 'changed'; readonly text: string; readonly fixes: Record<string, number>; readonly reviews: FileReview[] }
    | { readonly status: 'unchanged'; readonly reviews: FileReview[] }
    | { readonly status: 'skipped'; readonly reason: string; readonly reviews: FileReview[] }
    | { readonly status: 'error'; readonly reason: string; readonly reviews: FileReview[] }
  );

export interface RewriteInput {
  readonly filePath: string;
  readonly source: SourceText;
  readonly findings: readonly Finding[];
  /** The same text as the analysis parsed it (with types, the SourceFile of its program), if any. */
  readonly parsed?: ts.SourceFile;
  /** How TypeScript compiles the file, when the analysis had types. */
  readonly compiler?: CompilerFacts;
  /** The file's role from the plugin; the shim is added only to services. Absent: a service. */
  readonly role?: FileRole;
  /** What the project's ESLint config asks of comments here (`max-len`, `capitalized-comments`), for markers. */
  readonly commentRules?: CommentRules;
  /**
   * Connect the file's own shutdown-signal listeners to the shim's drain whatever its findings: an entry file of a
   * package whose other files got work on the shim (entry-listeners.ts).
   */
  readonly connectSignalListeners?: boolean;
}

/**
 * Rewrites one file: parse (refusing a file with syntax errors), let each rule's transform collect text
 * edits at the reported nodes, add imports, apply every edit in one pass, and parse the result again,
 * refusing it if it gained a syntax error. Returns the new text; writing is the caller's business.
 */
export function rewriteFile(input: RewriteInput, parser: Parser, packageTypes: PackageTypeLookup): RewriteOutcome {
  const { filePath, source, parsed } = input;
  const sourceFile = parsed ? parser.reuse(parsed, filePath, source.text) : parser.parse(filePath, source.text);
  return rewriteParsed(sourceFile, input, parser, packageTypes);
}

function rewriteParsed(
  sourceFile: SourceFile,
  input: RewriteInput,
  parser: Parser,
  packageTypes: PackageTypeLookup,
): RewriteOutcome {
  const reviews: FileReview[] = [];
  const untouched = (reason: string): FindingFix[] => input.findings.map(() => ({ fix: 'none', reason }));
  const syntaxErrors = parser.syntaxErrors(sourceFile);
  if (syntaxErrors.length > 0) {
    const reason = `syntax error at ${syntaxErrors[0]}`;
    return { status: 'skipped', reason, reviews, fixesOfFindings: untouched(reason) };
  }
  const verdict = moduleKindOf(sourceFile, packageTypes, input.compiler);
  if (verdict.kind === 'review') {
    reviews.push({ line: 1, column: 1, ruleId: verdict.ruleId, reason: verdict.review, marker: 'none' });
    return { status: 'skipped', reason: verdict.reason, reviews, fixesOfFindings: untouched(verdict.reason) };
  }
  const text = input.source.text;
  const role = input.role ?? { role: 'service', reason: 'no role given' };
  const names = new FileNames(sourceFile);
  const imports = new ImportManager(sourceFile, verdict.kind, input.source.style, names, role.role === 'service' ? undefined : shimRefusal(role));
  const edits: TextEdit[] = [];
  const located = new Map<string, number>();
  const reviewed = new Set<Finding>();
  const markedStarts = new Set<number>();

  // The ESLint config's rules when it sets them; otherwise xo's defaults where the package lints with xo.
  const commentRules: CommentRules = input.commentRules ?? (packageTypes.lintsWithXo(input.filePath) ? { capitalized: true } : {});
  const review = (node: Node, finding: Finding, reason: string): void => {
    if (reviewed.has(finding)) return;
    reviewed.add(finding);
    const present = hasReviewMarker(node);
    reviews.push({ line: finding.line, column: finding.column, ruleId: finding.ruleId, reason, marker: present ? 'present' : 'added' });
    if (!present && !markedStarts.has(node.getStart())) {
      markedStarts.add(node.getStart());
      edits.push(reviewMarkerEdit(node, reason, commentRules));
    }
  };
  const context: TransformContext = {
    sourceFile,
    text,
    style: input.source.style,
    names,
    imports,
    role,
    allFindings: input.findings,
    edit: (...newEdits) => {
      edits.push(...newEdits);
    },
    review,
    nodeOf: (finding, accepts) => {
      const node = nodeAt(sourceFile, finding.start, finding.end, accepts);
      if (node) {
        located.set(finding.ruleId, (located.get(finding.ruleId) ?? 0) + 1);
        return node;
      }
      // Never a file error: the finding gets a marker and a review item, the file's other fixes are applied.
      const found = innermostAt(sourceFile, finding.start);
      review(found, finding, `the codemod has no rewrite for this ${found.getKindName()} (${finding.ruleId.replace(/^quiesce\//, '')} is rewritten on other shapes of code); fix it by hand`);
      return undefined;
    },
  };

  for (const transform of transforms) {
    const findings = input.findings.filter((finding) => finding.ruleId === transform.ruleId);
    if (findings.length === 0) continue;
    const before = { edits: edits.length, reviews: reviews.length, marked: new Set(markedStarts), located: located.get(transform.ruleId) ?? 0 };
    try {
      transform.apply(findings, context);
    } catch (error) {
      // A transform that cannot finish (the shim refused in library code, or a bug) changes nothing in this file:
      // its edits are dropped and each of its findings becomes a review item saying why.
      edits.length = before.edits;
      reviews.splice(before.reviews);
      markedStarts.clear();
      for (const start of before.marked) markedStarts.add(start);
      located.set(transform.ruleId, before.located);
      for (const finding of findings) reviewed.delete(finding);
      const reason =
        error instanceof ShimRefused
          ? error.message
          : `the codemod failed on this finding (internal error, please report it: ${(error as Error).message}); fix it by hand`;
      for (const finding of findings) review(innermostAt(sourceFile, finding.start), finding, reason);
    }
  }
  if (input.connectSignalListeners && !ownSignalListenersConsidered(context)) {
    const before = edits.length;
    try {
      const connected = connectOwnSignalListeners(context);
      if (connected > 0) located.set(SIGNAL_LISTENER_RULE, connected);
    } catch (error) {
      // As for a transform: its edits are dropped; a shim refused here is no finding of the file, so no review item.
      edits.length = before;
      if (!(error instanceof ShimRefused)) throw error;
    }
  }
  const fixes = fixCounts(located, reviews, input.findings);
  const fixesOfFindings = (): FindingFix[] =>
    input.findings.map((finding) => {
      if (reviewed.has(finding)) return { fix: 'review', reason: reviews.find((item) => item.line === finding.line && item.column === finding.column && item.ruleId === finding.ruleId)?.reason ?? 'review' };
      return { fix: 'rewrite' };
    });

  let newText: string;
  try {
    newText = applyEdits(text, withoutSwallowedEdits([...edits, ...imports.edits(edits)]));
  } catch (error) {
    if (!(error instanceof EditConflictError)) throw error;
    const reason = `rewrites collide (${error.message}); file left as it was`;
    return { status: 'error', reason, reviews, fixesOfFindings: untouched(reason) };
  }
  const listenersConsidered = ownSignalListenersConsidered(context);
  if (newText === text) return { status: 'unchanged', reviews, fixesOfFindings: fixesOfFindings(), listenersConsidered };
  const newErrors = parser.syntaxErrorsOfText(input.filePath, newText);
  if (newErrors.length > 0) {
    const reason = `the rewrite would introduce a syntax error (${newErrors[0]}); file left as it was`;
    return { status: 'error', reason, reviews, fixesOfFindings: untouched(reason) };
  }
  return { status: 'changed', text: newText, fixes, reviews, fixesOfFindings: fixesOfFindings(), listenersConsidered };
}

/** Why the shim cannot be added to a file of this role (the plugin's roles: only services own the process). */
function shimRefusal(role: FileRole): string {
  return role.role === 'library'
    ? `library code (${role.reason}) gets no shim: clear, close or await this in the owner's stop path (close/stop/destroy)`
    : `${role.role} code (${role.reason}) gets no shim: no shutdown rewrite applies to it`;
}

/** The innermost node at `position` (for a marker where no node matches a report exactly). */
function innermostAt(sourceFile: SourceFile, position: number): Node {
  return sourceFile.getDescendantAtPos(position) ?? sourceFile;
}

/**
 * Findings rewritten per rule: those located at a node, less those that got a review marker instead. A review placed
 * elsewhere than its finding (a shutdown library's or Nest's call, reviewed because the finding's fix put work on
 * the shim) comes beside the fix, not instead of it.
 */
function fixCounts(
  located: ReadonlyMap<string, number>,
  reviews: readonly FileReview[],
  findings: readonly Finding[],
): Record<string, number> {
  const fixes: Record<string, number> = {};
  for (const [ruleId, count] of located) {
    const reviewed = reviews.filter(
      (review) =>
        review.ruleId === ruleId &&
        findings.some((finding) => finding.ruleId === ruleId && finding.line === review.line && finding.column === review.column),
    ).length;
    if (count > reviewed) fixes[ruleId] = count - reviewed;
  }
  // This rule reports the file, not a node.
  if (findings.some((finding) => finding.ruleId === 'quiesce/require-shutdown-handler')) {
    fixes['quiesce/require-shutdown-handler'] = 1;
  }
  return fixes;
}

/** The node whose range is exactly [start, end) and that `accepts` takes, innermost first. */
function nodeAt<T extends Node>(
  sourceFile: SourceFile,
  start: number,
  end: number,
  accepts: (node: Node) => node is T,
): T | undefined {
  let node: Node | undefined = sourceFile.getDescendantAtPos(start);
  while (node && node.getStart() >= start && node.getEnd() <= end) {
    if (node.getStart() === start && node.getEnd() === end && accepts(node)) return node;
    node = node.getParent();
  }
  return undefined;
}

/**
 * A deletion (a removed signal listener) swallows edits of nodes inside it; every other overlap is a bug
 * in a transform and throws when the edits are applied.
 */
function withoutSwallowedEdits(edits: readonly TextEdit[]): TextEdit[] {
  const deletions = edits.filter((edit) => edit.text === '' && edit.end > edit.start);
  const swallowedBy = (edit: TextEdit, deletion: TextEdit): boolean =>
    edit !== deletion &&
    (edit.start === edit.end
      ? edit.start > deletion.start && edit.start < deletion.end
      : edit.start >= deletion.start && edit.end <= deletion.end);
  return edits.filter((edit) => !deletions.some((deletion) => swallowedBy(edit, deletion)));
}
