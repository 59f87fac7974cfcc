import { describe, expect, it } from 'vitest';
import { createQuiescer } from '../src/index.js';
import { deferred, sleep } from './support/time.js';

const quiet = () => createQuiescer({ logger: false, timeoutMs: 2_000 });

describe('tracked timers are drop-in replacements', () => {
  it('return real Timeouts that unref, refresh and clear with the global functions', async () => {
    const q = quiet();
    let ticks = 0;
    const interval = q.setInterval(() => ticks++, 5);
    expect(interval.unref()).toBe(interval);
    expect(interval.hasRef()).toBe(false);
    await sleep(30);
    globalThis.clearInterval(interval);
    const ticksAtClear = ticks;
    await sleep(20);
    expect(ticksAtClear).toBeGreaterThan(0);
    expect(ticks).toBe(ticksAtClear);

    let fired = 0;
    const timeout = q.setTimeout((a: number, b: string) => (fired += a + b.length), 5, 1, 'xy');
    await sleep(20);
    expect(fired).toBe(3);
    timeout.refresh();
    await sleep(20);
    expect(fired).toBe(6);
  });

  it('forget timers cleared by either clear function, so nothing leaks', async () => {
    const q = quiet();
    for (let i = 0; i < 1_000; i++) {
      const timer = q.setInterval(() => {}, 1_000);
      if (i % 2 === 0) globalThis.clearInterval(timer);
      else q.clearInterval(timer);
    }
    expect(q.activeTimerCount).toBe(0);
    const kept = q.setInterval(() => {}, 1_000);
    expect(q.activeTimerCount).toBe(1);
    q.clearTimeout(kept);
    expect(q.activeTimerCount).toBe(0);
  });

  it('accept whatever the global clear functions accept', () => {
    const q = quiet();
    expect(() => q.clearInterval(undefined)).not.toThrow();
    expect(() => q.clearTimeout(null as never)).not.toThrow();
    expect(() => q.clearTimeout(123 as never)).not.toThrow();
  });

  it('refuse a callback that is not a function, naming it', () => {
    const q = quiet();
    expect(() => q.setInterval('tick()' as never, 10)).toThrow(/setInterval: callback must be a function, got the string "tick\(\)"/);
    expect(() => q.setTimeout(() => {}, '10' as never)).toThrow(TypeError);
  });
});

describe('timers at shutdown', () => {
  it('intake clears every tracked timer and no tick starts afterwards', async () => {
    const q = quiet();
    let ticks = 0;
    q.setInterval(() => ticks++, 5);
    q.setTimeout(() => ticks++, 50);
    await sleep(20);
    const report = await q.shutdown('test');
    const ticksAtShutdown = ticks;
    await sleep(80);
    expect(ticks).toBe(ticksAtShutdown);
    expect(report.timersStopped).toBe(2);
  });

  it('waits for the running async callback of a timer it just stopped', async () => {
    const q = quiet();
    const job = deferred();
    let finished = false;
    q.setInterval(async () => {
      await job.promise;
      finished = true;
    }, 5);
    await sleep(20); // the first tick is now running and waiting on `job`
    const report = q.shutdown('test');
    await sleep(20);
    expect(finished).toBe(false);
    job.resolve();
    const done = await report;
    expect(finished).toBe(true);
    expect(done.deadlineHit).toBe(false);
    expect(done.tasksCompleted).toBeGreaterThanOrEqual(1);
  });

  it('stops a self-rescheduling setTimeout loop cleanly and counts what it cancelled', async () => {
    const q = quiet();
    let runs = 0;
    const loop = async () => {
      runs++;
      await sleep(5);
      q.setTimeout(loop, 5);
    };
    q.setTimeout(loop, 5);
    await sleep(40);
    const report = await q.shutdown('test');
    const runsAtShutdown = runs;
    await sleep(40);
    expect(runs).toBe(runsAtShutdown);
    expect(report.timersStopped + report.timersCancelled).toBeGreaterThanOrEqual(1);
    expect(report.deadlineHit).toBe(false);
  });

  it('never runs a timer created once shutdown began, and refresh() cannot revive one', async () => {
    const q = quiet();
    let ran = false;
    const existing = q.setTimeout(() => (ran = true), 5);
    void q.shutdown('test');
    const late = q.setTimeout(() => (ran = true), 1);
    late.refresh();
    existing.refresh();
    await sleep(30);
    expect(ran).toBe(false);
    expect((await q.shutdown()).timersCancelled).toBe(1);
  });

  it('leaves delays inside running work alone: the global setTimeout keeps working during the drain', async () => {
    const q = quiet();
    let finished = false;
    void q.track(
      (async () => {
        await sleep(30); // a delay inside the task, as `await new Promise(r => setTimeout(r, ms))`
        finished = true;
      })(),
    );
    const report = await q.shutdown('test');
    expect(finished).toBe(true);
    expect(report.deadlineHit).toBe(false);
  });
});
