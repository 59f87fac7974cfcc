// The check both shutdown-library connections share (close-with-grace's callback, http-graceful-shutdown's
// preShutdown): one SIGTERM drains the shim's tracked work first, then runs the app's own teardown once, and the
// process exits as the original did.
import { expect } from 'vitest';
import { describeRun, eventsAfterSignal, eventsOf, prepareCase, runProcess, unfinished } from './harness.js';

export async function expectDrainThenLibraryTeardown(fixture: string, connection: string): Promise<void> {
  const prepared = await prepareCase(fixture);
  expect(prepared.rewrittenText).toContain(connection);
  const plan = { signal: 'SIGTERM' as const };
  const original = await runProcess(prepared.original, plan);
  const rewritten = await runProcess(prepared.rewritten, plan);

  expect(original.code, describeRun(original)).toBe(0);
  expect(eventsOf(original).filter((event) => event === 'teardown SIGTERM')).toHaveLength(1);
  expect(unfinished(original).length, describeRun(original)).toBeGreaterThan(0);

  expect(rewritten.killedByHarness, describeRun(rewritten)).toBe(false);
  expect(rewritten.code, describeRun(rewritten)).toBe(original.code);
  const events = eventsOf(rewritten);
  // The app's own teardown, exactly once, with the signal the library gave it ...
  expect(events.filter((event) => event === 'teardown SIGTERM'), describeRun(rewritten)).toHaveLength(1);
  expect(events.filter((event) => event === 'db closed')).toHaveLength(1);
  // ... after the drain: nothing cut off, nothing failed, nothing started after the signal (timers first).
  expect(unfinished(rewritten), describeRun(rewritten)).toEqual([]);
  expect(events.filter((event) => event.endsWith('failed'))).toEqual([]);
  expect(eventsAfterSignal(rewritten).filter((event) => event.endsWith('started')), describeRun(rewritten)).toEqual([]);
  const lastDone = events.map((event, index) => (event.endsWith('done') ? index : -1)).reduce((a, b) => Math.max(a, b), -1);
  expect(lastDone, describeRun(rewritten)).toBeGreaterThan(-1);
  expect(events.indexOf('teardown SIGTERM')).toBeGreaterThan(lastDone);
}
