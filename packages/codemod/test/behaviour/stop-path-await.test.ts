import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, eventsOf, killAll, prepareCase, runProcess } from './harness.js';

afterEach(killAll);

describe('a dropped promise inside stop() and close()', () => {
  it('is awaited by the stop path, so its callers go on only once the work is done', { timeout: 60_000 }, async () => {
    const prepared = await prepareCase('stop-path-await');
    expect(prepared.rewrittenText).not.toBe(prepared.originalText);
    const original = await runProcess(prepared.original);
    const rewritten = await runProcess(prepared.rewritten);

    // The original's stop path returns before its work: callers see a feed still connected and buffered.
    expect(original.code, describeRun(original)).toBe(0);
    expect(eventsOf(original)).toEqual(
      expect.arrayContaining(['closed with 2 buffered', 'stopped, connected true', 'flushed 2', 'disconnected']),
    );

    expect(rewritten.code, describeRun(rewritten)).toBe(0);
    const events = eventsOf(rewritten);
    // The same work, each exactly once ...
    for (const work of ['flushed 2', 'disconnected', 'closing']) {
      expect(events.filter((event) => event === work), describeRun(rewritten)).toHaveLength(1);
    }
    // ... and now finished before the stop path reports done.
    expect(events, describeRun(rewritten)).toEqual(expect.arrayContaining(['closed with 0 buffered', 'stopped, connected false']));
    expect(events.indexOf('flushed 2')).toBeLessThan(events.indexOf('closed with 0 buffered'));
    expect(events.indexOf('disconnected')).toBeLessThan(events.indexOf('stopped, connected false'));
    expect(events.some((event) => event.startsWith('failed'))).toBe(false);
  });
});
