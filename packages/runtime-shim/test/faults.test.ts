// Faults during shutdown, in real processes: a tracked task that rejects mid-drain is recorded and
// the rest drains; an uncaught exception or unhandled rejection starts the drain (onFatal 'drain',
// the default) with its own short deadline, or exits at once (onFatal 'exit'); a hook's fault is
// reported and the next hook runs.

import { describe, expect, it } from 'vitest';
import { spawnNode, type ExitResult } from './support/child.js';

interface ChildReport {
  reason: string;
  deadlineHit: boolean;
  pending: string[];
  taskErrors: Array<{ name: string; message: string }>;
  faults: Array<{ origin: string; task?: string; message: string }>;
  hookErrors: string[];
}

function reportOf(result: ExitResult): ChildReport {
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('report '));
  if (line === undefined) throw new Error(`no report\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return JSON.parse(line.slice('report '.length)) as ChildReport;
}

async function run(mode: string, env: NodeJS.ProcessEnv = {}, signal?: NodeJS.Signals): Promise<ExitResult> {
  const child = spawnNode(['faults.mjs'], { env: { MODE: mode, ...env } });
  await child.waitForLine(/^ready$/);
  if (signal) child.signal(signal);
  return child.exited();
}

describe('a tracked task that rejects during the drain', () => {
  it('unhandled: is recorded by name, the other jobs finish, and the exit code is 1 with the error named', async () => {
    const result = await run('reject-mid-drain', {}, 'SIGTERM');
    expect(result.stdout).toContain('job A done');
    expect(result.stdout).toContain('job B done');
    const report = reportOf(result);
    expect(report).toMatchObject({ reason: 'SIGTERM', deadlineHit: false, pending: [] });
    expect(report.taskErrors).toEqual([{ name: 'charge card', message: 'payment failed' }]);
    expect(report.faults).toEqual([{ origin: 'unhandledRejection', task: 'charge card', message: 'Error: payment failed' }]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/exiting with code 1 \(unhandledRejection in 'charge card': Error: payment failed\)/);
  });

  it('handled by its caller: is listed in the report, the drain goes on, and the exit code is 0', async () => {
    const result = await run('handled-mid-drain', {}, 'SIGTERM');
    expect(result.stdout).toContain('caller handled it');
    expect(result.stdout).toContain('job B done');
    const report = reportOf(result);
    expect(report.taskErrors).toEqual([{ name: 'charge card', message: 'payment failed' }]);
    expect(report.faults).toEqual([]);
    expect(result.stderr).toMatch(/task 'charge card' rejected during the shutdown: payment failed/);
    expect(result.code).toBe(0);
  });

  it('an exception thrown mid-drain is recorded, and the in-flight jobs still finish', async () => {
    const result = await run('throw-mid-drain', {}, 'SIGTERM');
    expect(result.stdout).toContain('job B done');
    expect(reportOf(result).faults).toEqual([{ origin: 'uncaughtException', message: 'Error: handler crashed' }]);
    expect(result.code).toBe(1);
  });
});

describe('onFatal', () => {
  it("'drain' (default): an uncaught exception drains the job in flight, then exits 1 naming the error", async () => {
    const result = await run('uncaught');
    expect(result.stdout).toContain('job A done');
    const report = reportOf(result);
    expect(report).toMatchObject({ reason: 'uncaughtException', deadlineHit: false });
    expect(report.faults).toEqual([{ origin: 'uncaughtException', message: 'Error: kaboom' }]);
    expect(result.stderr).toMatch(/uncaughtException: shutting down \(deadline 5\.0 s\)/);
    expect(result.stderr).toMatch(/exiting with code 1 \(uncaughtException: Error: kaboom\)/);
    expect(result.code).toBe(1);
  });

  it("'drain': an unhandled rejection does the same", async () => {
    const result = await run('rejection');
    expect(result.stdout).toContain('job A done');
    expect(reportOf(result).faults).toEqual([{ origin: 'unhandledRejection', message: 'Error: nobody caught this' }]);
    expect(result.code).toBe(1);
  });

  it("'drain' with fatalTimeoutMs: a hung task is cut at that deadline and named", async () => {
    const started = performance.now();
    const result = await run('hung', { FATAL_TIMEOUT_MS: '700' });
    const report = reportOf(result);
    expect(report.deadlineHit).toBe(true);
    expect(report.pending).toEqual(['stuck export']);
    expect(result.stdout).toContain('job A done');
    expect(result.stderr).toMatch(/deadline 700 ms/);
    expect(result.code).toBe(1);
    // Far below the 10 s deadline of a signal: the fault's own deadline applied.
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it("'exit': exits 1 at once, as Node would, without draining", async () => {
    const result = await run('uncaught', { ON_FATAL: 'exit' });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('job A done');
    expect(result.stderr).toMatch(/Error: kaboom/);
    expect(result.stderr).toMatch(/exiting at once with code 1 \(onFatal: 'exit'\)/);
  });
});

describe('a fault the app handles itself', () => {
  // Node would not have ended these processes, so the shim does not either; a later SIGTERM still drains.
  async function runOn(mode: string, env: NodeJS.ProcessEnv = {}): Promise<ExitResult> {
    const child = spawnNode(['faults.mjs'], { env: { MODE: mode, ...env } });
    await child.waitForLine(/^still running$/);
    child.signal('SIGTERM');
    return child.exited();
  }

  it('its own uncaughtException listener: the process runs on', async () => {
    const result = await runOn('app-handles-uncaught');
    expect(result.stdout).toContain('app logged uncaughtException: kaboom');
    expect(result.stdout).toContain('job A done');
    expect(reportOf(result)).toMatchObject({ reason: 'SIGTERM', faults: [] });
    expect(result.stderr).not.toMatch(/uncaughtException: shutting down/);
    expect(result.code).toBe(0);
  });

  it('a rejection reaches its uncaughtException listener with origin unhandledRejection, as from Node', async () => {
    const result = await runOn('app-handles-rejection');
    expect(result.stdout).toContain('app logged unhandledRejection: nobody caught this');
    expect(reportOf(result)).toMatchObject({ reason: 'SIGTERM', faults: [] });
    expect(result.code).toBe(0);
  });

  it('--unhandled-rejections=warn: a warning, and the process runs on', async () => {
    const result = await runOn('rejection-not-fatal', { NODE_OPTIONS: '--unhandled-rejections=warn' });
    expect(result.stderr).toMatch(/UnhandledPromiseRejectionWarning: Error: nobody caught this/);
    expect(reportOf(result)).toMatchObject({ reason: 'SIGTERM', faults: [] });
    expect(result.code).toBe(0);
  });

  it('--unhandled-rejections=warn-with-error-code on the command line: runs on too', async () => {
    const child = spawnNode(['--unhandled-rejections=warn-with-error-code', 'faults.mjs'], { env: { MODE: 'rejection-not-fatal' } });
    await child.waitForLine(/^still running$/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.stdout).toContain('job A done');
    expect(reportOf(result)).toMatchObject({ reason: 'SIGTERM', faults: [] });
  });
});

describe('faults inside hooks', () => {
  it('a hook that rejects and throws later is reported, and the next hook runs', async () => {
    const result = await run('hook-faults', {}, 'SIGTERM');
    const ran = result.stdout.split('\n').filter((line) => line.includes('ran'));
    expect(ran).toEqual(['hook third ran', 'hook first ran']);
    const report = reportOf(result);
    expect(report.hookErrors).toEqual(["cleanup hook 'broken pool' failed: pool refused to close"]);
    expect(report.faults).toEqual([{ origin: 'uncaughtException', message: 'Error: late error from the pool' }]);
    expect(result.code).toBe(1);
  });
});
