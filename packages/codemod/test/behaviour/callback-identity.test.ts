import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('a tracked callback that is also removed and compared by identity', () => {
  it('is tracked where it is defined, so it stays the same function everywhere: uninstalling still works and a later SIGTERM still ends the process (143)', async () => {
    const prepared = await prepareCase('callback-identity');
    expect(prepared.rewrittenText).toContain('const handleJob = trackCallback(async function handleJob(id) {');
    expect(prepared.rewrittenText).toContain('const flushOnTerm = trackCallback(async () => {');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);

    expect(original.signal, describeRun(original)).toBe('SIGTERM');
    expect(eventsOf(original)).toEqual(['same handler true', 'handled 1', 'listeners left 0 0']);

    expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
    expect(rewritten.signal, describeRun(rewritten)).toBe('SIGTERM');
    expect(rewritten.code).toBe(original.code);
    expect(eventsOf(rewritten), describeRun(rewritten)).toEqual(eventsOf(original));
  });
});
