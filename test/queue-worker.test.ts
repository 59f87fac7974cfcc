import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LATENCY_BUDGET_MS, fixtureCopies, itRewritesCleanly } from './support/fixture-suite.js';
import { lintProject, locations } from './support/lint.mjs';
import { fixturesDir } from './support/paths.mjs';
import { runQueueWorkerScenario } from './support/scenarios/queue-worker.mjs';
import { buildTypeScript } from './support/workspace.mjs';

/** Every hazard of fixtures/queue-worker, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS = [
  // The SIGINT handler is no SIGTERM handling, and `void poll()` starts the timer loop when the module loads.
  { file: 'src/main.ts', line: 1, ruleId: 'quiesce/require-shutdown-handler', messageId: 'missingShutdownHandler' },
  { file: 'src/main.ts', line: 33, ruleId: 'quiesce/no-untracked-async-callback', messageId: 'asyncCallback' },
  // Line 61, the back-off delay inside the poll (`await new Promise((resolve) => setTimeout(resolve, …))`), is not new work: not reported.
  { file: 'src/main.ts', line: 63, ruleId: 'quiesce/no-untracked-timer', messageId: 'selfReschedulingTimeout' },
  { file: 'src/main.ts', line: 68, ruleId: 'quiesce/no-abrupt-exit', messageId: 'abruptExit' },
  // Line 74, `void poll()` at the entry's top level, is start-up: the loop it starts is reported at its self-rescheduling
  // setTimeout (line 63), where the codemod makes it a timer that intake stops.
];

const queueWorker = fixtureCopies('queue-worker');

describe('queue-worker', () => {
  it('before: SIGTERM kills the worker mid-job and leaves jobs in processing/', async () => {
    const dir = await queueWorker.plain('before');
    await buildTypeScript(dir);

    const run = await runQueueWorkerScenario(dir);

    expect(run.exit.exitSignal).toBe('SIGTERM');
    expect(run.jobsLeftInProgress.length).toBeGreaterThan(0);
  });

  it('lint: recommended-type-checked reports exactly the known hazards', async () => {
    expect(locations(await lintProject(join(fixturesDir, 'queue-worker')))).toEqual(EXPECTED_FINDINGS);
  });

  itRewritesCleanly(queueWorker.rewritten);

  it('after: the rewritten worker finishes every claimed job, claims none after intake, exits 0 right after the last job', async () => {
    const dir = await queueWorker.rewritten();
    await buildTypeScript(dir);

    const run = await runQueueWorkerScenario(dir);

    expect(run.exit.exitCode).toBe(0);
    expect(run.jobsLeftInProgress).toEqual([]);
    expect(run.jobsFailed).toBe(0);
    const claimed = run.worker.eventsNamed('job.claimed').map((event) => event.jobId);
    const finished = run.worker.eventsNamed('job.end').map((event) => event.jobId);
    expect(finished.sort()).toEqual(claimed.sort());
    expect(run.intakeAt).toBeDefined();
    expect(run.workStartedAfterIntake).toEqual([]);
    expect(run.exit.exitLatencyMs).toBeDefined();
    expect(run.exit.exitLatencyMs).toBeLessThanOrEqual(EXIT_LATENCY_BUDGET_MS);
  });
});
