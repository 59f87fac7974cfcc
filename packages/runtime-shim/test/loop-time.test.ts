import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loopTime } from '../src/loop-time.js';

const busyFor = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('loopTime', () => {
  it('reads the clock once per turn of the event loop', async () => {
    await nextTurn();
    const first = loopTime();
    busyFor(15);
    expect(loopTime()).toBe(first);
    await nextTurn();
    const next = loopTime();
    expect(next - first).toBeGreaterThanOrEqual(15);
    expect(Math.abs(next - performance.now())).toBeLessThan(15);
  });

  it('is fresh in the first turn after an idle wait', async () => {
    const before = loopTime();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(loopTime() - before).toBeGreaterThanOrEqual(25);
  });
});

describe('loopTime under fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps moving when a test fakes setImmediate after the shim has loaded', async () => {
    await nextTurn(); // a reading of an earlier turn has expired
    vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate'] });
    const before = loopTime();
    busyFor(15);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(loopTime() - before).toBeGreaterThanOrEqual(15);
  });
});
