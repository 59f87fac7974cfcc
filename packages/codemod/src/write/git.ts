import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The work tree's top directory, or undefined outside a git work tree (or without git). */
export function gitTopLevel(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Of `files`, those with uncommitted changes (staged, unstaged or untracked): rewriting them would mix the
 * codemod's changes with the user's, with no clean way back.
 */
export function dirtyFiles(topLevel: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const output = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...files.map((file) => path.relative(topLevel, file))], {
    cwd: topLevel,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const dirty = new Set<string>();
  const entries = output.split('\0');
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    dirty.add(path.resolve(topLevel, entry.slice(3)));
    // A rename's entry is followed by its original path.
    if (status.includes('R') || status.includes('C')) index++;
  }
  return files.filter((file) => dirty.has(path.resolve(file)));
}
