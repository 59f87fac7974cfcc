// Safe in libraries and browsers: importing the shim changes nothing in a process that never
// installs handlers, and the browser build (the `browser` export condition) bundles with a real
// bundler into a few hundred bytes with no Node built-in, passing work through unchanged.

import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { spawnNode } from './support/child.js';

const testDir = dirname(fileURLToPath(import.meta.url));
const packageDir = join(testDir, '..');

describe('importing the shim without installing handlers', () => {
  it.each(['esm', 'cjs'])('(%s) adds no listener, replaces no global, leaves no handle open, and timers run as Node runs them', async (format) => {
    const child = spawnNode(['import-only.mjs'], { env: { FORMAT: format } });
    const result = await child.exited();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const { before, after, fired, isNodeTimeout } = JSON.parse(result.stdout) as {
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      fired: string[];
      isNodeTimeout: boolean;
    };
    expect({ ...after, same: undefined }).toEqual({ ...before, same: undefined });
    expect(after['same']).toBe(true);
    expect(fired).toEqual(['tracked interval', 'global 10 ms', 'tracked 20 ms', 'global 25 ms', 'tracked 30 ms']);
    expect(isNodeTimeout).toBe(true);
  });
});

const entry = `
import * as shim from '@quiesce/runtime-shim';
import '@quiesce/runtime-shim/register';
const promise = Promise.resolve(7);
const fn = () => 1;
const server = { listen() {} };
globalThis.results = {
  samePromise: shim.track(promise, { name: 'x' }) === promise,
  value: shim.track(42),
  sameFn: shim.trackCallback(fn) === fn,
  sameServer: shim.trackServer(server) === server,
  shuttingDown: shim.isShuttingDown(),
  aborted: shim.shutdownSignal.aborted,
  uninstall: typeof shim.installShutdownHandlers(),
  timer: typeof shim.setTimeout(() => {}, 1),
  quiescer: typeof shim.createQuiescer().track,
  names: Object.keys(shim).sort(),
};
`;

async function bundle(options: { platform: 'browser' | 'neutral'; conditions?: string[] }, contents = entry, format: 'iife' | 'esm' = 'iife') {
  const result = await build({
    stdin: { contents, resolveDir: testDir, loader: 'js' },
    bundle: true,
    minify: true,
    format,
    write: false,
    logLevel: 'silent',
    ...options,
  });
  return result.outputFiles[0]!.text;
}

describe('the browser build', () => {
  it('bundles with esbuild for the browser with no Node built-in', async () => {
    const code = await bundle({ platform: 'browser' });
    expect(code).not.toMatch(/node:|require\(|process\.|"(os|net|http|cluster|diagnostics_channel|timers)"/);
  });

  it('is under 2 kB minified with every export (under 1 kB gzipped)', async () => {
    const code = await bundle({ platform: 'browser' }, "export * from '@quiesce/runtime-shim';", 'esm');
    expect(code).not.toMatch(/node:|require\(/);
    const bytes = Buffer.byteLength(code);
    const gzipped = gzipSync(code).byteLength;
    expect(bytes).toBeLessThan(2_048);
    expect(gzipped).toBeLessThan(1_024);
  });

  it('passes work through unchanged, in a context with no Node globals', async () => {
    const code = await bundle({ platform: 'browser' });
    const context: Record<string, unknown> = { AbortController, Promise, setTimeout, clearTimeout, setInterval, clearInterval, Date };
    context['globalThis'] = context;
    runInNewContext(code, context);
    const results = context['results'] as Record<string, unknown>;
    expect(results).toMatchObject({
      samePromise: true,
      value: 42,
      sameFn: true,
      sameServer: true,
      shuttingDown: false,
      aborted: false,
      uninstall: 'function',
      quiescer: 'function',
    });
    // The same names as the Node build.
    const nodeBuild = (await import('../src/index.js')) as Record<string, unknown>;
    expect(results['names']).toEqual(Object.keys(nodeBuild).sort());
  });

  it('is what makes the difference: without the browser condition the bundle needs Node built-ins', async () => {
    await expect(bundle({ platform: 'neutral', conditions: ['import'] })).rejects.toThrow(/node:/);
  });

  it('is small on disk too (bytes of the built file)', () => {
    const bytes = readFileSync(join(packageDir, 'dist/esm/browser.js')).byteLength;
    expect(bytes).toBeLessThan(6_000);
  });
});
