import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe("a NestJS service that closes itself with Nest's shutdown hooks (the real packages)", () => {
  it("keeps Nest's own shutdown (a review item, no trackServer): its lifecycle hooks run once and it ends by the signal as before", async () => {
    const prepared = await prepareCase('nest-shutdown-hooks');
    expect(prepared.rewrittenText).toContain('app.enableShutdownHooks();');
    expect(prepared.rewrittenText).not.toContain('trackServer(app).listen');
    expect(prepared.rewrittenText).not.toContain('@quiesce/runtime-shim/register');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.signal, describeRun(original)).toBe('SIGTERM');
    expect(eventsOf(original).filter((event) => event === 'teardown')).toHaveLength(1);
    expect(eventsOf(original).filter((event) => event === 'db closed')).toHaveLength(1);

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.signal, describeRun(rewritten)).toBe(original.signal);
    expect(rewritten.code).toBe(original.code);
    const events = eventsOf(rewritten);
    expect(events.filter((event) => event === 'teardown'), describeRun(rewritten)).toHaveLength(1);
    expect(events.filter((event) => event === 'db closed')).toHaveLength(1);
    expect(events.indexOf('db closed')).toBeGreaterThan(events.indexOf('teardown'));
    expect(rewritten.stderr).not.toMatch(/Error/);
  }, 60_000);
});
