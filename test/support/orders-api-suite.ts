// The suite both orders APIs share (fixtures/express-api and fixtures/fastify-api answer the same routes and log the
// same events): before the codemod SIGTERM loses requests and audit records; the plugin reports exactly the known
// hazards; the codemod rewrites cleanly; after it nothing acknowledged is lost and the process exits 0 in time.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LATENCY_BUDGET_MS, fixtureCopies, itRewritesCleanly } from './fixture-suite.js';
import { lintProject, locations } from './lint.mjs';
import { fixturesDir } from './paths.mjs';
import { runExpressApiScenario as runOrdersApiScenario } from './scenarios/express-api.mjs';

export interface ExpectedFinding {
  file: string;
  line: number;
  ruleId: string;
  messageId: string;
}

export function describeOrdersApi(fixture: string, expectedFindings: readonly ExpectedFinding[]): void {
  const copies = fixtureCopies(fixture);

  describe(fixture, () => {
    it('before: SIGTERM kills the API with requests in flight and loses audit records of acknowledged orders', async () => {
      const run = await runOrdersApiScenario(await copies.plain('before'));

      expect(run.exit.exitSignal).toBe('SIGTERM');
      expect(run.requests.lost.length).toBeGreaterThan(0);
      expect(run.auditsLost.length).toBeGreaterThan(0);
    });

    it('lint: recommended-type-checked (JavaScript typed through checkJs) reports exactly the known hazards', async () => {
      expect(locations(await lintProject(join(fixturesDir, fixture)))).toEqual(expectedFindings);
    });

    itRewritesCleanly(copies.rewritten);

    it('after: the rewritten API answers every accepted request, refuses new connections, writes every audit record, exits 0', async () => {
      const run = await runOrdersApiScenario(await copies.rewritten());

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
}
