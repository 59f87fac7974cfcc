import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsAfterSignal, eventsOf, killAll, prepareCase, runProcess, unfinished } from './harness.js';

afterEach(killAll);

describe('a SIGTERM handler that stops intake and closes a store', () => {
  it('stops intake at the signal and closes the store after the drain: nothing cut off, nothing started late', async () => {
    const prepared = await prepareCase('signal-handler-phases');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    // Orders arrive on stdin every 40 ms, a source of work the shim itself knows nothing about.
    const plan = {
      signal: 'SIGTERM' as const,
      when: (line: string) => line === 'event: order 3 started',
      feed: { text: 'order\n', everyMs: 40 },
    };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    // The original loses the order in flight: that is what the rewrite is for.
    expect(original.code, describeRun(original)).toBe(0);
    expect(unfinished(original).length, describeRun(original)).toBeGreaterThan(0);

    // The rewrite does everything the original did at the signal, exits as it did, and loses nothing.
    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    const events = eventsOf(rewritten);
    expect(events).toEqual(expect.arrayContaining(['intake stopped', 'store closed']));
    expect(unfinished(rewritten), describeRun(rewritten)).toEqual([]);
    // Timer-first order: intake stops before the drain, so no order starts after it ...
    const intakeAt = events.indexOf('intake stopped');
    expect(events.slice(intakeAt).filter((event) => / started$/.test(event)), describeRun(rewritten)).toEqual([]);
    expect(eventsAfterSignal(rewritten).filter((event) => / started$/.test(event)), describeRun(rewritten)).toEqual([]);
    // ... and the store closes only after the last order is done.
    const closedAt = events.indexOf('store closed');
    expect(events.slice(closedAt).filter((event) => / done$/.test(event)), describeRun(rewritten)).toEqual([]);
    expect(events.filter((event) => event === 'store closed')).toHaveLength(1);
  });
});
