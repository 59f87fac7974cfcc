import { readFileSync } from 'node:fs';
import path from 'node:path';

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
