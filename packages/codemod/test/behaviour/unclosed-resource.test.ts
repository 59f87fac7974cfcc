import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('a store that nothing closes at shutdown', () => {
  it('is closed once by a cleanup hook after the drain, so what it buffered is not lost', { timeout: 60_000 }, async () => {
    const prepared = await prepareCase('unclosed-resource');
    expect(prepared.rewrittenText).toContain('onShutdown(() => audit.close()');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.signal, describeRun(original)).toBe('SIGTERM');
    expect(eventsOf(original)).toEqual([]);

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(eventsOf(rewritten), describeRun(rewritten)).toEqual(['store flushed 1 entries and closed']);
  });
});
