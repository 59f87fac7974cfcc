// fixtures/fastify-api: the Fastify service of #16's first report (SIGTERM reset its in-flight
// requests while the shim said "nothing pending"). The plugin finds its hazards, the codemod
// rewrites it onto the shim (register first, tracked audit writes and timer), and under `register`
// Fastify's server is drained like any http server: nothing acknowledged is lost.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LATENCY_BUDGET_MS, fixtureCopies, itRewritesCleanly } from './support/fixture-suite.js';
import { lintProject, locations } from './support/lint.mjs';
import { fixturesDir } from './support/paths.mjs';
// The same API, load and checks as express-api's scenario: the fixture answers the same routes and logs the same events.
import { runExpressApiScenario as runOrdersApiScenario } from './support/scenarios/express-api.mjs';

/** Every hazard of fixtures/fastify-api, where @quiesce/eslint-plugin must point at it. */
const EXPECTED_FINDINGS = [
  { file: 'src/server.js', line: 1, ruleId: 'quiesce/require-shutdown-handler', messageId: 'missingShutdownHandler' },
  { file: 'src/server.js', line: 31, ruleId: 'quiesce/no-untracked-promise', messageId: 'floatingPromise' },
  // Line 41, `store.open().then(…listen…)` at the entry's top level, is its start-up: not reported. The Fastify server it
  // starts is (line 43): Fastify is one of the servers no-untracked-server knows.
  { file: 'src/server.js', line: 43, ruleId: 'quiesce/no-untracked-server', messageId: 'untrackedServer' },
  { file: 'src/server.js', line: 47, ruleId: 'quiesce/no-untracked-timer', messageId: 'untrackedTimer' },
];

const fastifyApi = fixtureCopies('fastify-api');

describe('fastify-api', () => {
  it('before: SIGTERM kills the API with requests in flight and loses audit records of acknowledged orders', async () => {
    const run = await runOrdersApiScenario(await fastifyApi.plain('before'));

    expect(run.exit.exitSignal).toBe('SIGTERM');
    expect(run.requests.lost.length).toBeGreaterThan(0);
    expect(run.auditsLost.length).toBeGreaterThan(0);
  });

  it('lint: recommended-type-checked (JavaScript typed through checkJs) reports exactly the known hazards', async () => {
    expect(locations(await lintProject(join(fixturesDir, 'fastify-api')))).toEqual(EXPECTED_FINDINGS);
  });

  itRewritesCleanly(fastifyApi.rewritten);

  it('after: the rewritten API answers every accepted request, refuses new connections, writes every audit record, exits 0', async () => {
    const run = await runOrdersApiScenario(await fastifyApi.rewritten());

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
