import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createQuiescer } from '../src/index.js';
import { deferred, sleep } from './support/time.js';

const quiet = (timeoutMs = 2_000) => createQuiescer({ logger: false, timeoutMs });

describe('track', () => {
  it('returns a promise that settles as the input does', async () => {
    const q = quiet();
    await expect(q.track(Promise.resolve(42))).resolves.toBe(42);
    await expect(q.track(Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    const thenable: PromiseLike<string> = {
      then: (onFulfilled) => (onFulfilled?.('from a thenable'), thenable) as never,
    };
    await expect(q.track(thenable)).resolves.toBe('from a thenable');
  });

  it('counts the task as in flight until it settles', async () => {
    const q = quiet();
    const task = deferred<number>();
    const tracked = q.track(task.promise, { name: 'upload' });
    expect(q.inFlightCount).toBe(1);
    task.resolve(1);
    await tracked;
    expect(q.inFlightCount).toBe(0);
  });

  it('returns a value that is not a thenable unchanged, untracked, and still checks its options', () => {
    const q = quiet();
    const object = { then: 'not a function' };
    for (const value of [42, undefined, null, 'text', object, [1, 2]]) {
      expect(q.track(value)).toBe(value);
    }
    const fn = () => 1;
    expect(q.track(fn, { name: 'not work' })).toBe(fn);
    expect(q.inFlightCount).toBe(0);
    expect(() => q.track(Promise.resolve(), { name: 7 } as never)).toThrow(/track: options.name must be a string/);
    expect(() => q.track(42, { name: 7 } as never)).toThrow(/track: options.name must be a string/);
  });

  it('returns a new promise for a thenable, typed as a promise', async () => {
    const q = quiet();
    const thenable = { then: (resolve: (value: number) => void) => resolve(5) } as unknown as PromiseLike<number>;
    const tracked: Promise<number> = q.track(thenable);
    expect(tracked).toBeInstanceOf(Promise);
    expect(await tracked).toBe(5);
  });

  it('works detached from its quiescer', async () => {
    const { track, shutdown } = quiet();
    const task = deferred();
    void track(task.promise);
    const report = shutdown('test');
    task.resolve();
    expect((await report).tasksCompleted).toBe(1);
  });
});

describe('trackCallback', () => {
  it('tracks every promise the wrapped listener returns, keeping this and arguments', async () => {
    const q = quiet();
    const emitter = new EventEmitter();
    const seen: number[] = [];
    const gates = [deferred(), deferred()];
    emitter.on(
      'job',
      q.trackCallback(async function (this: EventEmitter, id: number) {
        expect(this).toBe(emitter);
        await gates[id]?.promise;
        seen.push(id);
      }),
    );
    emitter.emit('job', 0);
    emitter.emit('job', 1);
    expect(q.inFlightCount).toBe(2);
    const report = q.shutdown('test');
    gates[1]?.resolve();
    await sleep(5);
    gates[0]?.resolve();
    expect((await report).tasksCompleted).toBe(2);
    expect(seen).toEqual([1, 0]);
  });

  it('passes synchronous results and throws through untouched', () => {
    const q = quiet();
    expect(q.trackCallback((a: number) => a * 2)(21)).toBe(42);
    expect(() =>
      q.trackCallback(() => {
        throw new Error('sync');
      })(),
    ).toThrow('sync');
    expect(q.inFlightCount).toBe(0);
    expect(() => q.trackCallback(undefined as never)).toThrow(/trackCallback: fn must be a function, got undefined/);
  });
});

describe('beginWork', () => {
  it('keeps the drain waiting until end(), which is idempotent', async () => {
    const q = quiet();
    const work = q.beginWork({ kind: 'request', name: 'GET /slow' });
    let drained = false;
    const report = q.shutdown('test').then((r) => ((drained = true), r));
    await sleep(20);
    expect(drained).toBe(false);
    work.end();
    work.end();
    expect((await report).tasksCompleted).toBe(1);
  });

  it('calls onDeadline for work still pending at the deadline', async () => {
    const q = quiet(100);
    let abandoned = 0;
    q.beginWork({ kind: 'request', name: 'GET /stuck', onDeadline: () => abandoned++ });
    const report = await q.shutdown('test');
    expect(abandoned).toBe(1);
    expect(report.pending).toEqual([{ kind: 'request', name: 'GET /stuck', ageMs: expect.any(Number) }]);
  });
});

describe('the bookkeeping of work in flight', () => {
  it('counts each piece of work once, and reports what is pending oldest first', async () => {
    const q = quiet(50);
    const first = q.beginWork({ name: 'first' });
    await sleep(15);
    const second = q.beginWork({ name: 'second' });
    await sleep(15);
    const third = q.beginWork({ name: 'third' });
    second.end();
    second.end();
    expect(q.inFlightCount).toBe(2);
    q.beginWork({ name: 'fourth', onDeadline: () => first.end() });
    third.end();
    const report = await q.shutdown('test');
    expect(report.pending.map((work) => work.name)).toEqual(['first', 'fourth']);
    expect(report.pending[0]?.ageMs).toBeGreaterThanOrEqual(report.pending[1]?.ageMs ?? Infinity);
    expect(report.tasksCompleted).toBe(1); // during shutdown: first, ended by fourth's onDeadline
  });

  it('drains after a burst of 5,000 pieces of work, and keeps counting after it', async () => {
    const q = quiet();
    const burst = Array.from({ length: 5_000 }, (_, index) => q.beginWork({ name: `burst ${index}` }));
    expect(q.inFlightCount).toBe(5_000);
    for (const work of burst.reverse()) work.end();
    expect(q.inFlightCount).toBe(0);
    const later = [q.beginWork({ name: 'a' }), q.beginWork({ name: 'b' })];
    burst[0]?.end(); // already ended: still a no-op
    expect(q.inFlightCount).toBe(2);
    const report = q.shutdown('test');
    for (const work of later) work.end();
    expect((await report).tasksCompleted).toBe(2);
  });
});
