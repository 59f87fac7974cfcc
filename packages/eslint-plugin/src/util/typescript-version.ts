import { createRequire } from 'node:module';
import path from 'node:path';

import ts from '../detect/typescript.cjs';

/**
 * The rules read and type-check the project's code with the TypeScript the plugin loads, which can differ from the
 * project's own (a repository pinned to TypeScript 5.2 checked with 6.0 says nothing about it otherwise). When they
 * differ, this says so once per process, on stderr: both versions and where each was found.
 */

/** The plugin's peer range for typescript (typescript-eslint 8's). */
const supportedTypeScript = (createRequire(import.meta.url)('../../package.json') as { peerDependencies: { typescript: string } }).peerDependencies
  .typescript;

let said = false;
const checked = new Set<string>();

export interface TypeScriptMismatch {
  readonly project: { readonly version: string; readonly path: string };
  readonly plugin: { readonly version: string; readonly path: string };
}

/** The project's TypeScript as Node resolves it from `directory`, when that is another version than the plugin's. */
export function typeScriptMismatch(directory: string): TypeScriptMismatch | undefined {
  let manifest: string;
  try {
    manifest = createRequire(path.join(directory, 'noop.js')).resolve('typescript/package.json');
  } catch {
    return undefined; // the project has no TypeScript of its own: the plugin's is the only one
  }
  const project = createRequire(manifest)(manifest) as { version?: unknown };
  const version = typeof project.version === 'string' ? project.version : undefined;
  if (version === undefined || version === ts.version) return undefined;
  return { project: { version, path: path.dirname(manifest) }, plugin: { version: ts.version, path: pluginTypeScriptPath() } };
}

function pluginTypeScriptPath(): string {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('typescript/package.json'));
  } catch {
    return 'typescript';
  }
}

export function describeMismatch({ project, plugin }: TypeScriptMismatch): string {
  return (
    `@quiesce/eslint-plugin: this project uses TypeScript ${project.version} (${project.path}), but the plugin reads and ` +
    `type-checks it with TypeScript ${plugin.version} (${plugin.path}). Findings that depend on types follow ` +
    `${plugin.version}; to use one version, install the plugin where it resolves the project's typescript (a version the ` +
    `plugin supports: ${supportedTypeScript}).\n`
  );
}

/** Says once per process (on stderr) that the project's TypeScript differs from the plugin's, checking each directory once. */
export function noteTypeScriptVersion(directory: string, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  if (said || checked.has(directory)) return;
  checked.add(directory);
  const mismatch = typeScriptMismatch(directory);
  if (!mismatch) return;
  said = true;
  write(describeMismatch(mismatch));
}

/** For tests: forget that it was said. */
export function resetTypeScriptVersionNote(): void {
  said = false;
  checked.clear();
}
