import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';
import { clean, runUnderLoad, summary } from './keep-alive-load.js';

// A NestJS service on Nest's own shutdown hooks whose only lifecycle hook runs after the server closes (fixture
// nest-shutdown-hooks-handover): the codemod hands the signals to the shim. Under keep-alive load that goes on after
// SIGTERM, Nest's close never ends (bench/shutdown's nest-close: killed at 8 s); the rewrite drains, then runs
// app.close() (its onApplicationShutdown hook, once) and still ends by the signal.

afterEach(killAll);

/** Bound on each run: the original is expected to be still closing when it comes. */
const boundMs = 6_000;

describe("a NestJS service on Nest's shutdown hooks, handed to the shim (the real packages)", () => {
  it('never finishes closing under keep-alive load before; after, drains every request, runs the hook once and ends by SIGTERM', async () => {
    const prepared = await prepareCase('nest-shutdown-hooks-handover');
    expect(prepared.rewrittenText).not.toContain('app.enableShutdownHooks()');
    expect(prepared.rewrittenText).toContain('installShutdownHandlers({');
    expect(prepared.rewrittenText).toContain('await trackServer(app).listen(');

    const original = await runUnderLoad(prepared.original, { boundMs });
    const rewritten = await runUnderLoad(prepared.rewritten, { boundMs });

    // Nest's server.close() leaves the busy keep-alive connections open: still serving them at the bound.
    expect(original.run.killedByHarness, describeRun(original.run)).toBe(true);
    expect(original.outcomes.filter((outcome) => outcome.afterSignal && outcome.status === 200).length, summary(original.outcomes)).toBeGreaterThan(0);

    expect(rewritten.run.killedByHarness, describeRun(rewritten.run)).toBe(false);
    expect(rewritten.run.signal, describeRun(rewritten.run)).toBe('SIGTERM');
    expect(eventsOf(rewritten.run), describeRun(rewritten.run)).toEqual(['store closed by SIGTERM']);
    expect(rewritten.outcomes.filter((outcome) => outcome.afterSignal && outcome.status === 200).length, summary(rewritten.outcomes)).toBeGreaterThan(0);
    expect(rewritten.outcomes.filter((outcome) => !clean(outcome)), summary(rewritten.outcomes)).toEqual([]);
  }, 60_000);

  it('without load, ends as before: the hook runs once with the signal, then the process ends by it', async () => {
    const prepared = await prepareCase('nest-shutdown-hooks-handover');
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const original = await runProcess(prepared.original, { signal });
      const rewritten = await runProcess(prepared.rewritten, { signal });
      expect(original.signal, describeRun(original)).toBe(signal);
      expect(eventsOf(original)).toEqual([`store closed by ${signal}`]);
      expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
      expect(rewritten.signal, describeRun(rewritten)).toBe(signal);
      expect(rewritten.code).toBe(original.code);
      expect(eventsOf(rewritten)).toEqual(eventsOf(original));
      expect(rewritten.stderr).not.toMatch(/Error/);
    }
  }, 60_000);
});
