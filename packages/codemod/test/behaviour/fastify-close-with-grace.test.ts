import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, killAll, prepareCase } from './harness.js';
import { clean, runUnderLoad, summary } from './keep-alive-load.js';

// Fastify on close-with-grace (fixture fastify-close-with-grace), under keep-alive load that goes on after SIGTERM,
// before and after the codemod: the original turns clients away uncleanly (Fastify's 503 while it closes, resets);
// the rewrite drains the app through the shim first, so every request gets its answer or a clean refusal.

afterEach(killAll);

describe('Fastify on close-with-grace (the real packages), under keep-alive load that continues after SIGTERM', () => {
  it('turns clients away uncleanly before; after, the shim drains it first: every request answered or cleanly refused, exit as before', async () => {
    const prepared = await prepareCase('fastify-close-with-grace');
    expect(prepared.rewrittenText).toContain('await shutdown(signal);');
    expect(prepared.rewrittenText).toContain('await trackServer(app).listen(');

    const original = await runUnderLoad(prepared.original);
    const rewritten = await runUnderLoad(prepared.rewritten);

    expect(original.run.killedByHarness, describeRun(original.run)).toBe(false);
    expect(original.run.code, describeRun(original.run)).toBe(0);
    expect(original.outcomes.filter((outcome) => !clean(outcome)).length, summary(original.outcomes)).toBeGreaterThan(0);

    expect(rewritten.run.killedByHarness, describeRun(rewritten.run)).toBe(false);
    expect(rewritten.run.code, describeRun(rewritten.run)).toBe(original.run.code);
    expect(rewritten.outcomes.filter((outcome) => outcome.afterSignal && outcome.status === 200).length, summary(rewritten.outcomes)).toBeGreaterThan(0);
    expect(rewritten.outcomes.filter((outcome) => !clean(outcome)), summary(rewritten.outcomes)).toEqual([]);
  }, 60_000);
});
