import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsAfterSignal, eventsOf, killAll, prepareCase, runProcess, unfinished } from './harness.js';

afterEach(killAll);

describe("a service's own SIGTERM teardown that exits from a callback", () => {
  it('drains through the shim first, then runs its own teardown once and exits as before', async () => {
    const prepared = await prepareCase('signal-handler-connect');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.code, describeRun(original)).toBe(0);
    expect(unfinished(original).length, describeRun(original)).toBeGreaterThan(0);

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(original.code);
    const events = eventsOf(rewritten);
    // The app's own teardown, exactly once ...
    expect(events.filter((event) => event === 'teardown'), describeRun(rewritten)).toHaveLength(1);
    expect(events.filter((event) => event === 'db closed')).toHaveLength(1);
    // ... after the drain: nothing cut off, nothing failed, nothing started after the signal (timers first).
    expect(unfinished(rewritten), describeRun(rewritten)).toEqual([]);
    expect(events.filter((event) => event.endsWith('failed'))).toEqual([]);
    expect(eventsAfterSignal(rewritten).filter((event) => event.endsWith('started')), describeRun(rewritten)).toEqual([]);
    const lastDone = events.map((event, index) => (event.endsWith('done') ? index : -1)).reduce((a, b) => Math.max(a, b), -1);
    expect(events.indexOf('db closed')).toBeGreaterThan(lastDone);
  });
});
