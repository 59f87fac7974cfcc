import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LATENCY_BUDGET_MS, fixtureCopies, itRewritesCleanly } from './support/fixture-suite.js';
import { lintProject, locations } from './support/lint.mjs';
import { fixturesDir } from './support/paths.mjs';
import { runExpressApiScenario } from './support/scenarios/express-api.mjs';

/** Every hazard of fixtures/express-api, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS = [
  { file: 'src/server.js', line: 1, ruleId: 'quiesce/require-shutdown-handler', messageId: 'missingShutdownHandler' },
  { file: 'src/server.js', line: 48, ruleId: 'quiesce/no-untracked-promise', messageId: 'floatingPromise' },
  // Line 60, `orders.load().then(…listen…)` at the entry's top level, is its start-up (load, then listen), which runs
  // before any SIGTERM can find work in flight: the plugin judges the work it starts where it starts (the server, line 62).
  { file: 'src/server.js', line: 62, ruleId: 'quiesce/no-untracked-server', messageId: 'untrackedServer' },
  { file: 'src/server.js', line: 68, ruleId: 'quiesce/no-untracked-timer', messageId: 'untrackedTimer' },
];

const expressApi = fixtureCopies('express-api');

describe('express-api', () => {
  it('before: SIGTERM kills the API with requests in flight and loses audit records of acknowledged orders', async () => {
    const run = await runExpressApiScenario(await expressApi.plain('before'));

    expect(run.exit.exitSignal).toBe('SIGTERM');
    expect(run.requests.lost.length).toBeGreaterThan(0);
    expect(run.auditsLost.length).toBeGreaterThan(0);
  });

  it('lint: recommended-type-checked (JavaScript typed through checkJs) reports exactly the known hazards', async () => {
    expect(locations(await lintProject(join(fixturesDir, 'express-api')))).toEqual(EXPECTED_FINDINGS);
  });

  itRewritesCleanly(expressApi.rewritten);

  it('after: the rewritten API answers every accepted request, refuses new connections, writes every audit record, exits 0', async () => {
    const run = await runExpressApiScenario(await expressApi.rewritten());

    expect(run.exit.exitCode).toBe(0);
    expect(run.intakeAt).toBeDefined();
    expect(run.workStartedAfterIntake).toEqual([]);
    expect(run.requests.lost).toEqual([]);
    expect(run.requests.failedBeforeSignal).toEqual([]);
    expect(run.requests.cutOffAfterSignal).toEqual([]);
    expect(run.requests.refusedAfterSignal).toBeGreaterThan(0);
    expect(run.ordersLost).toEqual([]);
    expect(run.auditsLost).toEqual([]);
    expect(run.exit.exitLatencyMs).toBeDefined();
    expect(run.exit.exitLatencyMs).toBeLessThanOrEqual(EXIT_LATENCY_BUDGET_MS);
  });
});
