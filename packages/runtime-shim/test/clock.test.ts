// The coarse clock behind the stamps taken on every task and request.

import { afterEach, expect, it, vi } from 'vitest';
import { ageSince, clock, coarseClock, coarseClockTickMs, leastAgeSinceCoarse } from '../src/core/clock.js';
import { sleep } from './support/time.js';

afterEach(() => {
  vi.useRealTimers();
});

it('reads the clock once per tick while in use, and reads it again once a tick has passed', async () => {
  await sleep(coarseClockTickMs * 3); // any reading left by an earlier test is stale by now
  const first = coarseClock();
  // Fresh: a stale reading would be three ticks old (a loaded machine may pause a millisecond or two here).
  expect(clock() - first).toBeLessThan(coarseClockTickMs);
  // Within the tick (the timer cannot run while this loop holds the thread), the reading stands.
  for (let spins = 0; clock() - first < 3 && spins < 50_000_000; spins++);
  expect(clock() - first).toBeGreaterThanOrEqual(3);
  expect(coarseClock()).toBe(first);

  await sleep(coarseClockTickMs * 5);
  const later = coarseClock();
  expect(later - first).toBeGreaterThanOrEqual(coarseClockTickMs * 4);
  expect(clock() - later).toBeLessThan(coarseClockTickMs);
});

it('errs short on the age of a coarse stamp, by at most a tick', async () => {
  await sleep(coarseClockTickMs * 3); // a fresh reading below
  const stamp = coarseClock();
  expect(leastAgeSinceCoarse(stamp)).toBe(0);
  // Half a tick on, the reading stands (the timer cannot run during this loop): the stamp is stale.
  for (let spins = 0; clock() - stamp < coarseClockTickMs / 2 && spins < 50_000_000; spins++);
  expect(coarseClock()).toBe(stamp);
  const started = clock();
  await sleep(coarseClockTickMs * 5);
  const least = leastAgeSinceCoarse(stamp);
  const elapsed = ageSince(started, clock());
  expect(least).toBeLessThanOrEqual(elapsed);
  // The stamp is at most a tick old when `started` is read (1 ms for the two readings' order).
  expect(least).toBeGreaterThanOrEqual(elapsed - coarseClockTickMs - 1);
});

it('keeps ticking while an application fakes the global timers', async () => {
  // A fresh copy of the module, so that its timer is made while the globals are fake.
  vi.resetModules();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  const fresh = await import('../src/core/clock.js');
  const first = fresh.coarseClock();
  vi.useRealTimers();
  await sleep(coarseClockTickMs * 5);
  expect(fresh.coarseClock() - first).toBeGreaterThanOrEqual(coarseClockTickMs * 4);
});
