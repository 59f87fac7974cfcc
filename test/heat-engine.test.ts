import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LATENCY_BUDGET_MS, fixtureCopies, itRewritesCleanly } from './support/fixture-suite.js';
import { lintProject, locations } from './support/lint.mjs';
import { fixturesDir } from './support/paths.mjs';
import { runHeatEngineScenario } from './support/scenarios/heat-engine.mjs';
import { buildTypeScript } from './support/workspace.mjs';

/** Every hazard of fixtures/heat-engine, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS = [
  { file: 'src/api.ts', line: 84, ruleId: 'quiesce/no-untracked-promise', messageId: 'droppedChain' },
  { file: 'src/convergence.ts', line: 14, ruleId: 'quiesce/no-untracked-timer', messageId: 'untrackedTimer' },
  { file: 'src/engine.ts', line: 47, ruleId: 'quiesce/no-untracked-promise', messageId: 'droppedChain' },
  { file: 'src/engine.ts', line: 63, ruleId: 'quiesce/no-untracked-promise', messageId: 'voidedPromise' },
  { file: 'src/main.ts', line: 27, ruleId: 'quiesce/no-untracked-server', messageId: 'untrackedServer' },
  { file: 'src/main.ts', line: 34, ruleId: 'quiesce/no-abrupt-exit', messageId: 'abruptExit' },
];

const heatEngine = fixtureCopies('heat-engine');

describe('heat-engine', () => {
  it('before: SIGTERM mid-creation leaves stacks CREATE_IN_PROGRESS after a restart and cuts requests off, exit code 0', async () => {
    const dir = await heatEngine.plain('before');
    await buildTypeScript(dir);

    const run = await runHeatEngineScenario(dir);

    expect(run.engine.eventsNamed('shutdown').map((event) => event.msg)).toEqual(['Caught SIGTERM, exiting']);
    expect(run.stacksLeftInProgress).toBeGreaterThan(0);
    expect(run.requests.lost.length).toBeGreaterThan(0);
    expect(run.requests.lost.every((request) => request.errorCode === 'ECONNRESET')).toBe(true);
    // process.exit() reports success: nothing outside the process can tell that work was lost.
    expect(run.exit.exitCode).toBe(0);
  });

  it('lint: recommended-type-checked reports exactly the known hazards', async () => {
    expect(locations(await lintProject(join(fixturesDir, 'heat-engine')))).toEqual(EXPECTED_FINDINGS);
  });

  itRewritesCleanly(heatEngine.rewritten);

  it('after: the rewritten engine drains — every accepted stack finishes, no request lost, exit 0 right after the last work', async () => {
    const dir = await heatEngine.rewritten();
    await buildTypeScript(dir);

    const run = await runHeatEngineScenario(dir);

    expect(run.exit.exitCode).toBe(0);
    // Every stack accepted before the signal reached a final state, and the journal says so after a restart.
    expect(run.acceptedStackIds.length).toBeGreaterThan(0);
    for (const id of run.acceptedStackIds) expect(run.statusById.get(id)).toBe('CREATE_COMPLETE');
    expect(run.stacksLeftInProgress).toBe(0);
    // No new work after intake: the convergence poll was stopped first.
    expect(run.intakeAt).toBeDefined();
    expect(run.workStartedAfterIntake).toEqual([]);
    // Every request sent before the signal was answered; later ones were answered or refused, never reset.
    expect(run.requests.lost).toEqual([]);
    expect(run.requests.failedBeforeSignal).toEqual([]);
    expect(run.requests.cutOffAfterSignal).toEqual([]);
    expect(run.requests.refusedAfterSignal).toBeGreaterThan(0);
    // The fire-and-forget notifications were waited for too.
    expect(run.notificationsDelivered).toBe(run.stacksFinished);
    expect(run.exit.exitLatencyMs).toBeDefined();
    expect(run.exit.exitLatencyMs).toBeLessThanOrEqual(EXIT_LATENCY_BUDGET_MS);
  });
});
