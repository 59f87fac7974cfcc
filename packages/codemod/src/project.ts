import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';

export class ProjectConfigError extends Error {}

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
    if (!existsSync(absolute)) throw new ProjectConfigError(`--project ${entry}: no such file (give the path of a tsconfig.json)`);
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
    throw new ProjectConfigError(`${tsconfig}: cannot read this tsconfig (${problems.join('; ') || 'unknown error'}); fix it or pass --no-type-check`);
  }
  return parsed;
}

/**
 * Entry files named by `package.json` `main` and `bin` of the packages around the run, when they are
 * source files of the run (a `main` pointing into a build output is not rewritten).
 */
export function packageEntries(packageJsonFiles: readonly string[], files: ReadonlySet<string>): string[] {
  const entries = new Set<string>();
  for (const manifestPath of new Set(packageJsonFiles)) {
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    const targets: unknown[] = [manifest['main']];
    const bin = manifest['bin'];
    if (typeof bin === 'string') targets.push(bin);
    else if (bin && typeof bin === 'object') targets.push(...Object.values(bin));
    for (const target of targets) {
      if (typeof target !== 'string') continue;
      const absolute = path.resolve(path.dirname(manifestPath), target);
      if (files.has(absolute)) entries.add(absolute);
    }
  }
  return [...entries].sort();
}
