import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe("a service's own async signal listener that is its teardown (shared by SIGINT and SIGTERM)", () => {
  it('drains through the shim at the start of the listener, then runs the teardown once and ends as before', async () => {
    const prepared = await prepareCase('signal-listener-teardown');
    expect(prepared.rewrittenText).toContain('    await shutdown(signal);\n    if (isShuttingDown) return;');
    expect(prepared.rewrittenText).not.toContain('trackCallback');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original), describeRun(original)).toContain('audit 1 failed');

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(original.code);
    expect(rewritten.signal).toBe(original.signal);
    const events = eventsOf(rewritten);
    expect(events.filter((event) => event === 'teardown'), describeRun(rewritten)).toHaveLength(1);
    expect(events.filter((event) => event === 'db closed')).toHaveLength(1);
    expect(events, describeRun(rewritten)).toContain('audit 1 done');
    expect(events.indexOf('teardown')).toBeGreaterThan(events.indexOf('audit 1 done'));
  }, 60_000);
});
