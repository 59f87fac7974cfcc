#!/usr/bin/env node
// The floor of a detection pass over the TypeScript AST, with no ESLint: the program built as tsc builds it,
// then every source file walked, asking the checker what the plugin's rules ask it (the type of each call in
// statement position: the floating-promise candidates; the symbol of each called identifier: the timer,
// server and exit candidates). No rule logic and no edits: this is what a codemod driven by such a core
// could not go below, measured beside tsc by bench/run.mjs. Usage: detection-floor.mjs <project dir>
import path from 'node:path';
import ts from 'typescript';

const projectDir = process.argv[2];
if (projectDir === undefined) {
  console.error('usage: detection-floor.mjs <directory with a tsconfig.json>');
  process.exit(2);
}
const configPath = path.join(projectDir, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    console.error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    process.exit(2);
  },
});
if (parsed === undefined) process.exit(2);
const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
const checker = program.getTypeChecker();

let statementCalls = 0;
let promiseTyped = 0;
let identifierCalls = 0;
const visit = (node) => {
  if (ts.isExpressionStatement(node) && ts.isCallExpression(node.expression)) {
    statementCalls += 1;
    if (checker.getTypeAtLocation(node.expression).getProperty('then') !== undefined) promiseTyped += 1;
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    identifierCalls += 1;
    checker.getSymbolAtLocation(node.expression);
  }
  ts.forEachChild(node, visit);
};
for (const sourceFile of program.getSourceFiles()) {
  if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
  visit(sourceFile);
}
console.log(JSON.stringify({ statementCalls, promiseTyped, identifierCalls }));
