// The README's examples of `@quiesce/runtime-shim/testing` (examples/testing/), run by the real
// runners against the built package: vitest, node:test and jest each pass on the worker, and fail on
// the leaky worker (polling with the global setInterval), naming the jobs it began after intake and
// where. Each run works on a copy of the examples inside the package (so that the package resolves)
// with worker.cjs as given or replaced by leaky-worker.cjs.

import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, type ExitResult } from './support/child.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(packageDir, 'examples', 'testing');
const scratch = join(packageDir, '.tmp');
const require = createRequire(import.meta.url);
const vitestEntry = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const jestEntry = join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');

const copies: string[] = [];
afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

/** A copy of the examples whose worker.cjs is the worker or the leaky one. */
function examplesWith(worker: 'worker.cjs' | 'leaky-worker.cjs'): string {
  mkdirSync(scratch, { recursive: true });
  const copy = mkdtempSync(join(scratch, 'testing-examples-'));
  copies.push(copy);
  cpSync(examples, copy, { recursive: true });
  cpSync(join(examples, worker), join(copy, 'worker.cjs'));
  return copy;
}

// The runner under test must not think it runs inside this vitest.
const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => name.startsWith('VITEST') || name.startsWith('JEST') || name === 'NODE_ENV' || name === 'TEST')
    .map((name) => [name, undefined]),
);

const runners: Record<string, (dir: string) => string[]> = {
  vitest: (dir) => [vitestEntry, 'run', '--root', join(dir, 'vitest')],
  'node:test': (dir) => ['--test', join(dir, 'node-test', 'worker.test.mjs')],
  jest: (dir) => [jestEntry, '--ci', '--rootDir', join(dir, 'jest')],
};

async function run(runner: string, worker: 'worker.cjs' | 'leaky-worker.cjs'): Promise<ExitResult & { output: string }> {
  const dir = examplesWith(worker);
  const child = spawnNode(runners[runner]!(dir), { cwd: dir, env: { ...cleanEnv, FORCE_COLOR: '0', NO_COLOR: '1', CI: '1' } });
  const result = await child.exited(90_000);
  return { ...result, output: `${result.stdout}\n${result.stderr}` };
}

describe.each(Object.keys(runners))('the %s example', (runner) => {
  it('passes on the worker that drains', async () => {
    const result = await run(runner, 'worker.cjs');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/pass|✓/i);
    expect(result.output).not.toMatch(/AssertionError/);
  }, 120_000);

  it('fails on the leaky worker, naming each job begun after intake and where it began', async () => {
    const result = await run(runner, 'leaky-worker.cjs');
    expect(result.code, result.output).not.toBe(0);
    // node:assert's AssertionError, which each runner reports as a failed assertion with its message.
    expect(result.output).toMatch(/AssertionError|assert\.fail/);
    expect(result.output).toMatch(/expected no work to begin after intake, but \d+ piece\(s\) did/);
    // Job 1 was in flight at the shutdown; the ones after it were taken by the interval nothing stopped.
    expect(result.output).toMatch(/task 'job 2' at \S*worker\.cjs:\d+:\d+/);
    expect(result.output).not.toMatch(/task 'job 1' at/);
  }, 120_000);
});
