import type { Node, SourceFile, ts } from 'ts-morph';
import { applyEdits, EditConflictError, type TextEdit } from '../plan/edits.js';
import type { Finding, TransformContext } from '../find/findings.js';
import { ImportManager } from '../plan/imports.js';
import { moduleKindOf, type CompilerFacts, type PackageTypeLookup } from '../plan/module-kind.js';
import { FileNames } from '../plan/names.js';
import { hasReviewMarker, reviewMarkerEdit } from '../plan/review.js';
import type { SourceText } from './source-text.js';
import type { Parser } from './syntax.js';
import { transforms } from '../plan/transforms/index.js';

export interface FileReview {
  readonly line: number;
  readonly column: number;
  readonly ruleId: string;
  readonly reason: string;
  readonly marker: 'added' | 'present' | 'none';
}

export type RewriteOutcome =
  | { readonly status: 'changed'; readonly text: string; readonly fixes: Record<string, number>; readonly reviews: FileReview[] }
  | { readonly status: 'unchanged'; readonly reviews: FileReview[] }
  | { readonly status: 'skipped'; readonly reason: string; readonly reviews: FileReview[] }
  | { readonly status: 'error'; readonly reason: string; readonly reviews: FileReview[] };

export interface RewriteInput {
  readonly filePath: string;
  readonly source: SourceText;
  readonly findings: readonly Finding[];
  /** The same text as the analysis parsed it (with types, the SourceFile of its program), if any. */
  readonly parsed?: ts.SourceFile;
  /** How TypeScript compiles the file, when the analysis had types. */
  readonly compiler?: CompilerFacts;
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
  const syntaxErrors = parser.syntaxErrors(sourceFile);
  if (syntaxErrors.length > 0) {
    return { status: 'skipped', reason: `syntax error at ${syntaxErrors[0]}`, reviews };
  }
  const verdict = moduleKindOf(sourceFile, packageTypes, input.compiler);
  if (verdict.kind === 'review') {
    reviews.push({ line: 1, column: 1, ruleId: verdict.ruleId, reason: verdict.review, marker: 'none' });
    return { status: 'skipped', reason: verdict.reason, reviews };
  }
  const text = input.source.text;
  const names = new FileNames(sourceFile);
  const imports = new ImportManager(sourceFile, verdict.kind, input.source.style, names);
  const edits: TextEdit[] = [];
  const located = new Map<string, number>();
  const problems: string[] = [];
  const markedStarts = new Set<number>();

  const context: TransformContext = {
    sourceFile,
    text,
    style: input.source.style,
    names,
    imports,
    allFindings: input.findings,
    edit: (...newEdits) => {
      edits.push(...newEdits);
    },
    review: (node, finding, reason) => {
      const present = hasReviewMarker(node);
      reviews.push({ line: finding.line, column: finding.column, ruleId: finding.ruleId, reason, marker: present ? 'present' : 'added' });
      if (!present && !markedStarts.has(node.getStart())) {
        markedStarts.add(node.getStart());
        edits.push(reviewMarkerEdit(node, reason));
      }
    },
    nodeOf: (finding, accepts) => {
      const node = nodeAt(sourceFile, finding.start, finding.end, accepts);
      if (node) located.set(finding.ruleId, (located.get(finding.ruleId) ?? 0) + 1);
      else problems.push(`no node at ${finding.line}:${finding.column} matches the ${finding.ruleId} report`);
      return node;
    },
  };

  for (const transform of transforms) {
    const findings = input.findings.filter((finding) => finding.ruleId === transform.ruleId);
    if (findings.length === 0) continue;
    transform.apply(findings, context);
  }
  const fixes = fixCounts(located, reviews, input.findings);
  if (problems.length > 0) {
    return { status: 'error', reason: problems.join('; '), reviews };
  }

  let newText: string;
  try {
    newText = applyEdits(text, withoutSwallowedEdits([...edits, ...imports.edits()]));
  } catch (error) {
    if (!(error instanceof EditConflictError)) throw error;
    return { status: 'error', reason: `rewrites collide (${error.message}); file left as it was`, reviews };
  }
  if (newText === text) return { status: 'unchanged', reviews };
  const newErrors = parser.syntaxErrorsOfText(input.filePath, newText);
  if (newErrors.length > 0) {
    return { status: 'error', reason: `the rewrite would introduce a syntax error (${newErrors[0]}); file left as it was`, reviews };
  }
  return { status: 'changed', text: newText, fixes, reviews };
}

/** Findings rewritten per rule: those located at a node, less those that got a review marker instead. */
function fixCounts(
  located: ReadonlyMap<string, number>,
  reviews: readonly FileReview[],
  findings: readonly Finding[],
): Record<string, number> {
  const fixes: Record<string, number> = {};
  for (const [ruleId, count] of located) {
    const reviewed = reviews.filter((review) => review.ruleId === ruleId).length;
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
