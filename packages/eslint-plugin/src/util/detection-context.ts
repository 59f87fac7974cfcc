import type { TSESLint } from '@typescript-eslint/utils';
import ts from '../detect/typescript.cjs';

import { createDetectionFile, type DetectionFile } from '../detect/file.js';
import type { RuleFinding } from '../detect/finding.js';
import { readSettings } from './settings.js';

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
  const sourceCode = context.sourceCode;
  const services = sourceCode.parserServices;
  const program = services?.program ?? undefined;
  // typescript-eslint's parser keeps the TypeScript syntax tree of the file (the program's, when typed); any other parser
  // (espree for plain JavaScript) leaves it to be parsed here, from the very text ESLint parsed.
  const parsed = services?.esTreeNodeToTSNodeMap?.get(sourceCode.ast as never) as ts.Node | undefined;
  const sourceFile =
    parsed && ts.isSourceFile(parsed) && parsed.text === sourceCode.text ? parsed : parseText(context.filename, sourceCode.text);
  return createDetectionFile(sourceFile, {
    settings: readSettings(context.settings),
    program: program && program.getSourceFile(sourceFile.fileName) === sourceFile ? program : undefined,
  });
}

const scriptKinds: Readonly<Record<string, ts.ScriptKind>> = {
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
};

function parseText(filename: string, text: string): ts.SourceFile {
  const extension = /\.[cm]?[jt]sx?$/.exec(filename)?.[0] ?? '';
  const kind = scriptKinds[extension];
  // A name TypeScript accepts as a program's root: the file is bound by a one-file program.
  const fileName = kind === undefined ? `${filename}.js` : filename;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind ?? ts.ScriptKind.JS);
}

/** ESLint's `loc` of a finding. */
export function locOf(context: AnyContext, finding: RuleFinding): TSESLint.AST.SourceLocation {
  return { start: context.sourceCode.getLocFromIndex(finding.start), end: context.sourceCode.getLocFromIndex(finding.end) };
}
