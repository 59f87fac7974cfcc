import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('a poll inside a wait helper that running work awaits', () => {
  it('keeps polling after intake, so the drain finishes the job instead of waiting for the deadline', async () => {
    const prepared = await prepareCase('poll-in-wait-helper');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    // Without shutdown handling the job is cut off by the signal.
    expect(original.signal, describeRun(original)).toBe('SIGTERM');
    expect(eventsOf(original)).toEqual(['job started']);

    // With the rewrite the job finishes and the drain ends within its deadline (exit 1 would mean it hit it).
    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(eventsOf(rewritten), describeRun(rewritten)).toEqual(['job started', 'job done']);
  });
});
