#!/usr/bin/env node
// The plugin's detection alone, with no rewrite: the program built as tsc builds it, then `detect()` of
// @quiesce/eslint-plugin/detect on every source file, with types. What the codemod pays to find its work, measured
// beside tsc and the codemod by bench/run.mjs. Usage: detect-only.mjs <directory with a tsconfig.json>
import path from 'node:path';
import { detect, typescript as ts } from '@quiesce/eslint-plugin/detect';

const projectDir = process.argv[2];
if (projectDir === undefined) {
  console.error('usage: detect-only.mjs <directory with a tsconfig.json>');
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

let files = 0;
let findings = 0;
for (const sourceFile of program.getSourceFiles()) {
  if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
  files += 1;
  findings += detect(sourceFile, { cwd: projectDir }, program).length;
}
console.log(JSON.stringify({ files, findings }));
