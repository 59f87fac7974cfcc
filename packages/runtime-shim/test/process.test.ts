// Real processes, real signals: the behaviours a deployment depends on.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNode } from './support/child.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiesce-shim-'));
  scratch.push(dir);
  return join(dir, name);
}

interface JournalEntry {
  job?: number;
  state?: 'IN_PROGRESS' | 'DONE';
  signal?: string;
}

function readJournal(path: string): JournalEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalEntry);
}

function jobsLeftInProgress(entries: JournalEntry[]): number[] {
  const started = entries.filter((e) => e.state === 'IN_PROGRESS').map((e) => e.job);
  const done = new Set(entries.filter((e) => e.state === 'DONE').map((e) => e.job));
  return started.filter((job): job is number => job !== undefined && !done.has(job));
}

describe('an interval job under SIGTERM', () => {
  it('without the shim, jobs are left IN_PROGRESS (the bug this package exists for)', async () => {
    const journal = scratchFile('journal.jsonl');
    const child = spawnNode(['interval-worker.mjs'], { env: { JOURNAL: journal, MODE: 'naive' } });
    await child.waitForLine(/job 3 started/);
    child.signal('SIGTERM');
    await child.exited();
    expect(jobsLeftInProgress(readJournal(journal)).length).toBeGreaterThan(0);
  });

  it('with the shim, the running jobs finish, none starts after the signal, and it exits 0', async () => {
    const journal = scratchFile('journal.jsonl');
    const child = spawnNode(['interval-worker.mjs'], { env: { JOURNAL: journal, MODE: 'quiesce' } });
    await child.waitForLine(/job 3 started/);
    child.signal('SIGTERM');
    const result = await child.exited();

    expect(result.code).toBe(0);
    const entries = readJournal(journal);
    const signalAt = entries.findIndex((e) => e.signal === 'SIGTERM');
    expect(signalAt).toBeGreaterThan(0);
    expect(entries.slice(signalAt).filter((e) => e.state === 'IN_PROGRESS')).toEqual([]);
    expect(jobsLeftInProgress(entries)).toEqual([]);
    expect(entries.slice(signalAt).some((e) => e.state === 'DONE')).toBe(true);
    expect(result.stderr).toMatch(/intake — stopped 1 timer/);
    expect(result.stderr).toMatch(/exiting with code 0/);
  });
});

describe('the deadline', () => {
  it('ends a hung drain at the deadline, names the task, and exits non-zero', async () => {
    const child = spawnNode(['hung-task.mjs'], { env: { TIMEOUT_MS: '500' } });
    await child.waitForLine(/ready/);
    const signalledAt = Date.now();
    child.signal('SIGTERM');
    const result = await child.exited(10_000);
    expect(result.code).toBe(1);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(450);
    expect(result.stderr).toMatch(/deadline hit.*task 'stuck-upload'/);
  });

  it('honours a second SIGTERM at once, with the signal exit status', async () => {
    const child = spawnNode(['hung-task.mjs'], { env: { TIMEOUT_MS: '20000' } });
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    await child.waitForLine(/received SIGTERM/);
    child.signal('SIGTERM');
    const result = await child.exited(5_000);
    expect(result.code).toBe(143);
    // Names the pending work, as the deadline report does.
    expect(result.stderr).toMatch(/second SIGTERM: exiting at once with 1 piece\(s\) of work still in flight: task 'stuck-upload' \((\d+ ms|[\d.]+ s) old\)/);
  });
});

describe('hooks in a real process', () => {
  it('runs the others when one throws, last registered first, and reports the failure', async () => {
    const child = spawnNode(['hooks.mjs']);
    await child.waitForLine(/ready/);
    child.signal('SIGINT');
    const result = await child.exited();
    expect(result.code).toBe(1);
    const order = result.stdout.split('\n').filter((line) => line.includes('ran'));
    expect(order).toEqual(['intake hook ran', 'hook third ran', 'hook first ran']);
    expect(result.stderr).toMatch(/cleanup hook 'broken' failed: pool already closed/);
  });
});

describe('consumers', () => {
  for (const [label, file] of [
    ['an ESM', 'esm-consumer.mjs'],
    ['a CommonJS', 'cjs-consumer.cjs'],
  ] as const) {
    it(`${label} consumer drains its task and exits 0`, async () => {
      const child = spawnNode([file]);
      await child.waitForLine(/ready/);
      child.signal('SIGTERM');
      const result = await child.exited();
      expect(result.stdout).toContain('task done (shutting down: true)');
      expect(result.code).toBe(0);
    });
  }

  for (const flag of ['--import', '-r'] as const) {
    it(`the register entry works with ${flag}`, async () => {
      const child = spawnNode([flag, '@quiesce/runtime-shim/register', 'register-app.cjs'], {
        env: { QUIESCE_TIMEOUT_MS: '5000' },
      });
      await child.waitForLine(/ready/);
      child.signal('SIGTERM');
      const result = await child.exited();
      expect(result.stdout).toContain('task done');
      expect(result.stderr).toMatch(/received SIGTERM: shutting down \(deadline 5\.0 s\)/);
      expect(result.code).toBe(0);
    });
  }

  it('the register entry re-raises the signal after a full drain when asked (status 128+n)', async () => {
    const child = spawnNode(['-r', '@quiesce/runtime-shim/register', 'register-app.cjs'], {
      env: { QUIESCE_RERAISE_SIGNAL: '1' },
    });
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.stdout).toContain('task done');
    expect(result.signal).toBe('SIGTERM');
  });

  it('the register entry applies QUIESCE_EXIT_CODE_ON_TIMEOUT', async () => {
    const child = spawnNode(['--import', '@quiesce/runtime-shim/register', 'register-app.cjs'], {
      env: { QUIESCE_TIMEOUT_MS: '50', QUIESCE_EXIT_CODE_ON_TIMEOUT: '75' },
    });
    await child.waitForLine(/ready/);
    child.signal('SIGTERM');
    const result = await child.exited();
    expect(result.code).toBe(75);
    expect(result.stderr).toMatch(/pending: task 'registered-task'/);
  });

  it('the register entry refuses an invalid variable at start, naming it', async () => {
    const child = spawnNode(['--import', '@quiesce/runtime-shim/register', 'register-app.cjs'], {
      env: { QUIESCE_TIMEOUT_MS: '30s' },
    });
    const result = await child.exited();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('QUIESCE_TIMEOUT_MS="30s" is not valid: expected deadline for the whole shutdown');
    expect(result.stdout).not.toContain('ready');
  });
});

describe('rejections of tracked tasks', () => {
  const unhandled = async (mode: string) => {
    const result = await spawnNode(['rejections.mjs'], { env: { MODE: mode } }).exited();
    return JSON.parse(result.stdout.trim()) as string[];
  };

  it('an ignored tracked rejection is reported once, as an ignored untracked one is', async () => {
    expect(await unhandled('untracked-ignored')).toEqual(['boom']);
    expect(await unhandled('ignored')).toEqual(['boom']);
  });

  it('a handled tracked rejection is not reported', async () => {
    expect(await unhandled('handled')).toEqual([]);
  });
});
