// The shim's layout is a rule, not a habit: the core (src/core/) imports no feature, and a
// feature imports the core's surface (core/index.ts) and its own files, never another feature.
// Only the entries (index.ts, register.ts, testing.ts and the browser build) know every feature.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const entries = new Set(['index.ts', 'register.ts', 'testing.ts', 'browser.ts', 'browser-register.ts', 'browser-testing.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, as paths of src files relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(src, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

/** A file's feature: its top folder, or its own name for a top-level file or an integration; the core is 'core'. */
function featureOf(path: string): string {
  if (path.startsWith('integrations/')) return path.replace(/\.ts$/, '');
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : path.replace(/\.ts$/, '');
}

const files = sourceFiles(src).map((file) => relative(src, file));

describe('module layout', () => {
  it('finds the core, the features and their imports', () => {
    expect(files).toContain('core/quiescer.ts');
    expect(files).toContain('signals.ts');
    expect(files).toContain('integrations/fastify.ts');
    expect(featureOf('integrations/fastify.ts')).not.toBe(featureOf('integrations/ws.ts'));
    expect(importsOf(join(src, 'signals.ts'))).toContain('core/index.ts');
  });

  it('the core imports nothing outside the core', () => {
    const outside = files
      .filter((file) => file.startsWith('core/'))
      .flatMap((file) => importsOf(join(src, file)).filter((target) => !target.startsWith('core/')).map((target) => `${file} → ${target}`));
    expect(outside).toEqual([]);
  });

  it('a feature imports only the core surface and its own files; nothing imports a feature but an entry', () => {
    const wrong = files
      .filter((file) => !file.startsWith('core/') && !entries.has(file))
      .flatMap((file) =>
        importsOf(join(src, file))
          .filter((target) => target !== 'core/index.ts' && featureOf(target) !== featureOf(file))
          .map((target) => `${file} → ${target}`),
      );
    expect(wrong).toEqual([]);
  });
});
