import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('library code', () => {
  it('gets no shim and no process-wide behaviour; its close() now clears its timer and waits for its flush', async () => {
    const prepared = await prepareCase('library-no-shim');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    expect(prepared.rewrittenText).not.toContain('@quiesce/runtime-shim');
    const original = await runProcess(prepared.original);
    const rewritten = await runProcess(prepared.rewritten);

    const order = (events: string[]) => events.map((event) => event.replace(/^flushed \d+$/, 'flushed'));
    expect(original.code, describeRun(original)).toBe(0);
    expect(order(eventsOf(original))).toEqual(['closed', 'close returned', 'flushed']);

    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(order(eventsOf(rewritten)), describeRun(rewritten)).toEqual(['flushed', 'closed', 'close returned']);
  });

  it('keeps its own SIGTERM listener as it was (the app decides), with a review item', async () => {
    const prepared = await prepareCase('library-no-shim');
    const plan = { signal: 'SIGTERM' as const };
    const original = await runProcess(prepared.original, plan);
    const rewritten = await runProcess(prepared.rewritten, plan);
    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original)).toEqual(['library saw SIGTERM']);
    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    expect(eventsOf(rewritten), describeRun(rewritten)).toEqual(['library saw SIGTERM']);
  });
});
