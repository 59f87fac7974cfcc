// The analysis pool: several threads must find exactly what one thread finds, file for file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultThreads, MIN_FILES_PER_THREAD, threadsFor, type analyseAll as AnalyseAll } from '../src/find/analyse-all.js';
import { cliPath, defaultTsconfig, packageDirectory, scratchDirectory, writeJson } from './helpers.js';

// Enough files for two threads; a quarter have nothing to rewrite, one (8) is broken.
const FILE_COUNT = 2 * MIN_FILES_PER_THREAD + 10;

/** The pool starts compiled workers, so the tests drive the build (npm test builds first). */
async function compiledAnalyseAll(): Promise<typeof AnalyseAll> {
  const compiled = (await import(pathToFileURL(path.join(packageDirectory, 'dist/find/analyse-all.js')).href)) as { analyseAll: typeof AnalyseAll };
  return compiled.analyseAll;
}

function service(index: number): string {
  if (index % 4 === 3) return `export const value${index} = ${index};\n`;
  return [
    `import { helper } from './helper.js';`,
    ``,
    `async function flush${index}(): Promise<void> {`,
    `  await helper(${index});`,
    `}`,
    ``,
    `setInterval(() => {`,
    `  flush${index}();`,
    `}, ${1000 + index});`,
    ``,
  ].join('\n');
}

describe('analysis in several threads', () => {
  let scratch: ReturnType<typeof scratchDirectory>;
  let files: string[];

  beforeAll(() => {
    scratch = scratchDirectory('threads');
    const src = path.join(scratch.directory, 'src');
    mkdirSync(src);
    writeJson(path.join(scratch.directory, 'tsconfig.json'), defaultTsconfig);
    writeJson(path.join(scratch.directory, 'package.json'), { name: 'threads', private: true, type: 'module' });
    writeFileSync(path.join(src, 'helper.ts'), 'export async function helper(n: number): Promise<number> {\n  return n;\n}\n');
    files = [];
    for (let index = 0; index < FILE_COUNT; index += 1) {
      const file = path.join(src, `service-${String(index).padStart(3, '0')}.ts`);
      writeFileSync(file, index === 8 ? 'setInterval(() => {\n' : service(index));
      files.push(file);
    }
  });
  afterAll(() => scratch.remove());

  it('starts a thread per 100 files at most, and never more than asked', () => {
    expect(threadsFor(99, 4)).toBe(1);
    expect(threadsFor(250, 4)).toBe(2);
    expect(threadsFor(250, 1)).toBe(1);
    expect(threadsFor(10_000, 3)).toBe(3);
  });

  it('by default leaves a CPU free, starts at most 4 threads, and no more than the free memory holds', () => {
    const GiB = 2 ** 30;
    expect(defaultThreads({ cpus: 2, freeBytes: 64 * GiB, fileCount: 2000 })).toBe(1);
    expect(defaultThreads({ cpus: 4, freeBytes: 64 * GiB, fileCount: 2000 })).toBe(3);
    expect(defaultThreads({ cpus: 16, freeBytes: 64 * GiB, fileCount: 2000 })).toBe(4);
    // 2,000 files: about 800 MB a thread.
    expect(defaultThreads({ cpus: 16, freeBytes: 2 * GiB, fileCount: 2000 })).toBe(2);
    expect(defaultThreads({ cpus: 16, freeBytes: 1 * GiB, fileCount: 2000 })).toBe(1);
    expect(defaultThreads({ cpus: 1, freeBytes: 64 * GiB, fileCount: 2000 })).toBe(1);
  });

  it('two threads return the same outcomes, in file order, as one', async () => {
    const analyseAll = await compiledAnalyseAll();
    const lintOptions = { root: scratch.directory, typeCheck: true, tsconfigs: [], entries: [] };
    let progressCalls = 0;
    const hooks = { shouldStop: () => false, onOutcome: () => void (progressCalls += 1) };
    const pooled = await analyseAll(files, lintOptions, hooks, 2);
    const single = await analyseAll(files, lintOptions, { shouldStop: () => false, onOutcome: () => undefined }, 1);

    expect(pooled.threads).toBe(2);
    expect(single.threads).toBe(1);
    expect(progressCalls).toBe(files.length);
    expect(pooled.outcomes.map((outcome) => outcome.file)).toEqual(files);
    expect(pooled.outcomes).toEqual(single.outcomes);
    const statuses = new Map<string, number>();
    for (const outcome of pooled.outcomes) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    // 8 is broken (skipped); every fourth file has nothing to rewrite; the rest use a promise type from another file.
    expect(Object.fromEntries(statuses)).toEqual({ changed: 157, unchanged: 52, skipped: 1 });
    const changed = pooled.outcomes.find((outcome) => outcome.status === 'changed');
    expect(changed?.status === 'changed' && changed.after).toContain("void track(flush0(), { name: 'flush0()' })");
  }, 180_000);

  it('stops handing out files when asked to stop, and reports the run as interrupted', async () => {
    const analyseAll = await compiledAnalyseAll();
    let done = 0;
    const result = await analyseAll(
      files,
      { root: scratch.directory, typeCheck: false, tsconfigs: [], entries: [] },
      { shouldStop: () => done >= 20, onOutcome: (count) => void (done = count) },
      2,
    );
    expect(result.interrupted).toBe(true);
    expect(result.outcomes.length).toBeGreaterThanOrEqual(20);
    expect(result.outcomes.length).toBeLessThan(files.length);
  }, 120_000);

  it('keeps the analysis in this thread when the settings cannot be copied to another', async () => {
    const analyseAll = await compiledAnalyseAll();
    const settings = { trackers: ['@acme/lifecycle'], describe: () => 'not cloneable' };
    let done = 0;
    const result = await analyseAll(
      files,
      { root: scratch.directory, typeCheck: false, tsconfigs: [], entries: [], settings },
      // Stop early: only the choice of threads matters here.
      { shouldStop: () => done >= 5, onOutcome: (count) => void (done = count) },
      2,
    );
    expect(result.threads).toBe(1);
    expect(result.outcomes).toHaveLength(5);
    // As with --jobs 1: the plugin rejects the unknown setting, file by file (no DataCloneError for the run).
    expect(result.outcomes.every((outcome) => outcome.status === 'error' && /not a known setting/.test(outcome.reason ?? ''))).toBe(true);
  }, 60_000);

  it('the CLI with --jobs 2 reports and diffs exactly as with --jobs 1', () => {
    const run = (jobs: string) =>
      spawnSync(process.execPath, [cliPath, '--dry-run', '--jobs', jobs, 'src'], {
        cwd: scratch.directory,
        encoding: 'utf8',
        timeout: 150_000,
        env: { ...process.env, FORCE_COLOR: '0' },
      });
    const two = run('2');
    const one = run('1');
    expect(two.status, two.stderr).toBe(0);
    expect(one.status, one.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stdout).toContain('+import { setInterval, track } from');
  }, 300_000);
});
