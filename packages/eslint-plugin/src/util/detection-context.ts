import type { TSESLint } from '@typescript-eslint/utils';
import ts from '../detect/typescript.cjs';

import { createDetectionFile, type DetectionFile } from '../detect/file.js';
import { inferredProgramOf } from '../detect/inference.js';
import { parseFile } from '../detect/parse.js';
import type { RuleFinding } from '../detect/finding.js';
import { isEntry, roleOfFile, roleWithText, type FileRole } from '../detect/roles.js';
import { scopeResolver } from './scope-names.js';
import { nodesFromTraversal } from './traversal-nodes.js';
import { readSettings } from './settings.js';
import { noteTypeScriptVersion } from './typescript-version.js';

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * The detection of the file being linted, shared by the rules. ESLint creates every rule for a file and then traverses
 * it synchronously, so one slot suffices (no module-level WeakMap keyed by the file: a young key in an old WeakMap keeps
 * the whole file's syntax tree alive through every minor GC).
 */
let current: { sourceCode: AnyContext['sourceCode']; file: DetectionFile } | undefined;

export function detectionFileOf(context: AnyContext): DetectionFile {
  if (current?.sourceCode === context.sourceCode) return current.file;
  const file = build(context);
  current = { sourceCode: context.sourceCode, file };
  return file;
}

function build(context: AnyContext): DetectionFile {
  noteTypeScriptVersion(context.cwd);
  const sourceCode = context.sourceCode;
  const services = sourceCode.parserServices;
  const program = services?.program ?? undefined;
  // typescript-eslint's parser keeps the TypeScript syntax tree of the file (the program's, when typed); any other parser
  // (espree for plain JavaScript) leaves it to be parsed here, from the very text ESLint parsed. The tree must have the
  // offsets of ESLint's text: the parser got the same text but for a shebang, which ESLint turns into `//`.
  const parsed = services?.esTreeNodeToTSNodeMap?.get(sourceCode.ast as never) as ts.Node | undefined;
  const sourceFile =
    parsed && ts.isSourceFile(parsed) && parsed.text.length === sourceCode.text.length ? parsed : parseFile(context.filename, sourceCode.text);
  const settings = readSettings(context.settings);
  const typed = program && program.getSourceFile(sourceFile.fileName) === sourceFile ? program : undefined;
  // ESLint's scope analysis is of this very tree only when the parser's tree is the one analysed.
  const ownTree = sourceFile === parsed && services?.esTreeNodeToTSNodeMap !== undefined;
  const scopeManager = ownTree ? sourceCode.scopeManager : null;
  return createDetectionFile(sourceFile, {
    resolveNames: scopeManager ? scopeResolver(scopeManager, services as never) : undefined,
    // ESLint's traversal of the parser's tree is the TypeScript tree's, node for node.
    nodes: ownTree ? nodesFromTraversal(sourceCode as never, services!.esTreeNodeToTSNodeMap as never) : undefined,
    settings,
    role: roleOfContext(context),
    entry: isEntry(context.filename, context.cwd, settings, []),
    // Plain JavaScript without a program: TypeScript's inference (src/detect/inference.ts), as detect() does.
    program: typed ?? (settings.inferJavaScript ? inferredProgramOf(sourceFile) : undefined),
  });
}

/** ESLint's `loc` of a finding. */
export function locOf(context: AnyContext, finding: RuleFinding): TSESLint.AST.SourceLocation {
  return { start: context.sourceCode.getLocFromIndex(finding.start), end: context.sourceCode.getLocFromIndex(finding.end) };
}

/** One slot, as for the detection: every rule asks the role of the file being linted. */
let currentRole: { sourceCode: AnyContext['sourceCode']; filename: string; cwd: string; settings: unknown; role: FileRole } | undefined;

/** The role of the file being linted (inferred from its package, or `settings.quiesce.role`). */
export function roleOfContext(context: AnyContext): FileRole {
  const settings = context.settings['quiesce'];
  // The text is part of the key: a file that imports a stylesheet is browser code (roleWithText).
  if (currentRole?.sourceCode === context.sourceCode && currentRole.filename === context.filename && currentRole.cwd === context.cwd && currentRole.settings === settings) {
    return currentRole.role;
  }
  const role = roleWithText(roleOfFile(context.filename, context.cwd, readSettings(context.settings)), context.sourceCode.text);
  currentRole = { sourceCode: context.sourceCode, filename: context.filename, cwd: context.cwd, settings, role };
  return role;
}
