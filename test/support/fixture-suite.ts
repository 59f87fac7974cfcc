// Test-only helpers shared by the three fixture suites (the demo uses the .mjs support directly).
import { afterAll, afterEach, expect, it } from 'vitest';
import { rewriteFixtureCopy, runCodemod, snapshotSources } from './codemod.mjs';
import { lintProject } from './lint.mjs';
import { killAllServices } from './service.mjs';
import { copyFixture, removeCopy, runTsc } from './workspace.mjs';

/** The process must be gone this soon after its last piece of work finished. */
export const EXIT_LATENCY_BUDGET_MS = 100;

/**
 * Copies of one fixture for a test file: plain copies for "before" runs and one codemod-rewritten
 * copy shared by the codemod and "after" tests. Kills leftover children after each test and removes
 * the copies at the end (kept with QUIESCE_KEEP_TMP=1 for a post-mortem).
 */
export function fixtureCopies(name: string) {
  const copies: string[] = [];
  let rewritten: Promise<string> | undefined;
  afterEach(killAllServices);
  afterAll(async () => {
    if (process.env['QUIESCE_KEEP_TMP'] !== '1') await Promise.all(copies.map(removeCopy));
  });
  return {
    async plain(label: string): Promise<string> {
      const dir = await copyFixture(name, label);
      copies.push(dir);
      return dir;
    },
    rewritten(): Promise<string> {
      rewritten ??= rewriteFixtureCopy(name, 'after').then(({ dir }) => {
        copies.push(dir);
        return dir;
      });
      return rewritten;
    },
  };
}

/** The codemod's promise: the copy still type-checks, the plugin finds nothing left, a second run is a no-op. */
export function itRewritesCleanly(rewritten: () => Promise<string>): void {
  it('codemod: the rewritten copy type-checks, lints clean, and a second run changes nothing', async () => {
    const dir = await rewritten();

    const typeCheck = await runTsc(dir, { noEmit: true });
    expect(typeCheck.output).toBe('');
    expect(typeCheck.ok).toBe(true);
    expect(await lintProject(dir)).toEqual([]);

    const before = await snapshotSources(dir);
    const second = await runCodemod(dir);
    expect(second.code).toBe(0);
    expect(await snapshotSources(dir)).toEqual(before);
  });
}
