import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsAfterSignal, eventsOf, killAll, prepareCase, runProcess, unfinished } from './harness.js';

afterEach(killAll);

describe('a service whose shutdown is http-graceful-shutdown (the real package)', () => {
  it("drains through the shim in http-graceful-shutdown's preShutdown, then runs the app's teardown once and exits as before", async () => {
    const prepared = await prepareCase('http-graceful-shutdown-connect');
    expect(prepared.rewrittenText).toContain('preShutdown: async (signal) => { await shutdown(signal); },');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original).filter((event) => event === 'teardown SIGTERM')).toHaveLength(1);
    expect(unfinished(original).length, describeRun(original)).toBeGreaterThan(0);

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(original.code);
    const events = eventsOf(rewritten);
    // The app's own teardown, exactly once, with the signal http-graceful-shutdown gave it ...
    expect(events.filter((event) => event === 'teardown SIGTERM'), describeRun(rewritten)).toHaveLength(1);
    expect(events.filter((event) => event === 'db closed')).toHaveLength(1);
    // ... after the drain: nothing cut off, nothing failed, nothing started after the signal (timers first).
    expect(unfinished(rewritten), describeRun(rewritten)).toEqual([]);
    expect(events.filter((event) => event.endsWith('failed'))).toEqual([]);
    expect(eventsAfterSignal(rewritten).filter((event) => event.endsWith('started')), describeRun(rewritten)).toEqual([]);
    const lastDone = events.map((event, index) => (event.endsWith('done') ? index : -1)).reduce((a, b) => Math.max(a, b), -1);
    expect(lastDone, describeRun(rewritten)).toBeGreaterThan(-1);
    expect(events.indexOf('teardown SIGTERM')).toBeGreaterThan(lastDone);
  });
});
