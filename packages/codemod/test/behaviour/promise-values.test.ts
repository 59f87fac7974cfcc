import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('dropped values that are not always fresh promises', () => {
  it('neither throws nor leaves a rejection unhandled where the original did neither', async () => {
    const prepared = await prepareCase('promise-values');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    const original = await runProcess(prepared.original);
    const rewritten = await runProcess(prepared.rewritten);

    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original)).toEqual(
      expect.arrayContaining(['synced a', 'logged upload refused', 'warmed x', 'warmed y', 'still running, 0 in flight']),
    );
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(rewritten.stderr, describeRun(rewritten)).not.toMatch(/TypeError|Unhandled|unhandled/);
    expect([...eventsOf(rewritten)].sort(), describeRun(rewritten)).toEqual([...eventsOf(original)].sort());
  });
});
