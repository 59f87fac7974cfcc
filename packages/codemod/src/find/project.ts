import { existsSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { UsageProblem } from '../errors.js';


/**
 * The `--project` tsconfigs with their project references followed (a solution-style config with
 * `files: []` and `references` stands for the projects it references).
 */
export function expandProjects(cwd: string, given: readonly string[]): string[] {
  const tsconfigs: string[] = [];
  const seen = new Set<string>();
  const visit = (tsconfig: string): void => {
    if (seen.has(tsconfig)) return;
    seen.add(tsconfig);
    const parsed = parseTsconfig(tsconfig);
    if (parsed.fileNames.length > 0) tsconfigs.push(tsconfig);
    for (const reference of parsed.projectReferences ?? []) visit(ts.resolveProjectReferencePath(reference));
  };
  for (const entry of given) {
    const absolute = path.resolve(cwd, entry);
    if (!existsSync(absolute)) throw new UsageProblem(`--project ${entry}: no such file (give the path of a tsconfig.json)`);
    visit(absolute);
  }
  return tsconfigs;
}

function parseTsconfig(tsconfig: string): ts.ParsedCommandLine {
  const problems: string[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      problems.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, host);
  if (!parsed) {
    throw new UsageProblem(`${tsconfig}: cannot read this tsconfig (${problems.join('; ') || 'unknown error'}); fix it or pass --no-type-check`);
  }
  return parsed;
}
