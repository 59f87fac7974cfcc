import { describe, expect, it } from 'vitest';
import * as shim from '../src/index.js';
import { createQuiescer, type Logger } from '../src/index.js';
import { deferred, sleep } from './support/time.js';

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (line) => lines.push(`info ${line}`),
    warn: (line) => lines.push(`warn ${line}`),
    error: (line) => lines.push(`error ${line}`),
  };
  return { lines, logger };
}

describe('shutdown phases', () => {
  it('runs intake → drain → cleanup, cleanup last registered first', async () => {
    const q = createQuiescer({ logger: false });
    const events: string[] = [];
    const task = deferred();
    void q.track(task.promise.then(() => events.push('task settled')));
    q.onShutdown(() => void events.push('cleanup: close pool (registered first)'));
    q.onShutdown(() => void events.push('cleanup: flush metrics (registered last)'));
    q.onShutdown(() => void events.push(`intake: stop consumer (signal aborted: ${q.shutdownSignal.aborted})`), { phase: 'intake' });
    const report = q.shutdown('test');
    await sleep(10);
    task.resolve();
    await report;
    expect(events).toEqual([
      'intake: stop consumer (signal aborted: true)',
      'task settled',
      'cleanup: flush metrics (registered last)',
      'cleanup: close pool (registered first)',
    ]);
  });

  it('waits for work that in-flight tasks start while draining', async () => {
    const q = createQuiescer({ logger: false });
    let followUpDone = false;
    void q.track(
      (async () => {
        await sleep(10);
        void q.track(sleep(30).then(() => (followUpDone = true)), { name: 'follow-up' });
      })(),
    );
    const report = await q.shutdown('test');
    expect(followUpDone).toBe(true);
    expect(report.tasksCompleted).toBe(2);
  });

  it('runs once: a second call returns the same report', async () => {
    const q = createQuiescer({ logger: false });
    expect(q.isShuttingDown()).toBe(false);
    const first = q.shutdown('first');
    expect(q.isShuttingDown()).toBe(true);
    expect(q.shutdownSignal.aborted).toBe(true);
    expect(q.shutdown('second')).toBe(first);
    expect((await first).reason).toBe('first');
  });

  it('reports a throwing and an overrunning hook, and still runs the rest', async () => {
    const q = createQuiescer({ logger: false });
    let lastRan = false;
    q.onShutdown(() => void (lastRan = true), { name: 'runs-anyway' });
    q.onShutdown(() => new Promise(() => {}), { name: 'hangs', timeoutMs: 50 });
    q.onShutdown(() => {
      throw new Error('already closed');
    }, { name: 'throws' });
    const report = await q.shutdown('test');
    expect(lastRan).toBe(true);
    expect(report.hookErrors.map(({ name, timedOut, message }) => ({ name, timedOut, message }))).toEqual([
      { name: 'throws', timedOut: false, message: "cleanup hook 'throws' failed: already closed" },
      { name: 'hangs', timedOut: true, message: "cleanup hook 'hangs' did not finish within 50 ms" },
    ]);
    expect(report.deadlineHit).toBe(false);
  });

  it('unregisters a hook', async () => {
    const q = createQuiescer({ logger: false });
    let ran = false;
    const unregister = q.onShutdown(() => void (ran = true));
    unregister();
    await q.shutdown();
    expect(ran).toBe(false);
  });

  it('at the deadline, names every pending task and still runs cleanup within it', async () => {
    const { lines, logger } = recordingLogger();
    const q = createQuiescer({ logger, timeoutMs: 300, cleanupReserveMs: 100 });
    void q.track(new Promise(() => {}), { name: 'stuck-upload' });
    let cleanedUp = false;
    q.onShutdown(() => void (cleanedUp = true), { name: 'close-pool' });
    const report = await q.shutdown('SIGTERM');
    expect(report.deadlineHit).toBe(true);
    expect(report.pending).toEqual([{ kind: 'task', name: 'stuck-upload', ageMs: expect.any(Number) }]);
    expect(report.pending[0]?.ageMs).toBeGreaterThanOrEqual(150);
    expect(cleanedUp).toBe(true);
    expect(report.durationMs).toBeLessThan(1_000);
    expect(lines.some((line) => /^error drain — deadline hit after .*: 1 still pending: task 'stuck-upload'/.test(line))).toBe(true);
  });

  it('logs one line per phase and can be silenced', async () => {
    const { lines, logger } = recordingLogger();
    await createQuiescer({ logger }).shutdown('SIGTERM');
    expect(lines.map((line) => line.split(' — ')[0])).toEqual(['info SIGTERM: intake', 'info drain', 'info cleanup']);
  });

  it('names the origin of unnamed tasks only when asked', async () => {
    const withLocations = createQuiescer({ logger: false, timeoutMs: 50, captureLocations: true });
    void withLocations.track(new Promise(() => {}));
    const [pending] = (await withLocations.shutdown()).pending;
    expect(pending?.location).toMatch(/shutdown\.test\.ts:\d+:\d+/);
    expect(pending?.name).toMatch(/^unnamed task at .*shutdown\.test\.ts/);

    const without = createQuiescer({ logger: false, timeoutMs: 50 });
    void without.track(new Promise(() => {}));
    expect((await without.shutdown()).pending[0]).toEqual({ kind: 'task', name: 'unnamed task', ageMs: expect.any(Number) });
  });
});

describe('bad arguments', () => {
  it('are TypeErrors naming the argument', () => {
    expect(() => createQuiescer({ timeoutMs: -1 })).toThrow(/createQuiescer: options.timeoutMs must be a finite number of milliseconds >= 0, got number -1/);
    expect(() => createQuiescer({ timeoutMs: Infinity })).toThrow(TypeError);
    expect(() => createQuiescer({ logger: {} as never })).toThrow(/options.logger must be an object with info, warn and error methods/);
    const q = createQuiescer({ logger: false });
    expect(() => q.onShutdown('close' as never)).toThrow(/onShutdown: hook must be a function, got the string "close"/);
    expect(() => q.onShutdown(() => {}, { phase: 'drain' as never })).toThrow(/options.phase must be one of 'intake', 'cleanup'/);
    expect(() => q.shutdown(5 as never)).toThrow(/shutdown: reason must be a string/);
    expect(() => q.beginWork({ onDeadline: 1 as never })).toThrow(/beginWork: options.onDeadline must be a function/);
  });
});

describe('installShutdownHandlers', () => {
  it('is harmless to install twice: one listener per signal, removed by the returned function', () => {
    const q = createQuiescer({ logger: false });
    const before = process.listenerCount('SIGHUP');
    const uninstall = q.installShutdownHandlers({ signals: ['SIGHUP'] });
    const again = q.installShutdownHandlers({ signals: ['SIGHUP'], timeoutMs: 1_000 });
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    expect(q.timeoutMs).toBe(1_000);
    again();
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    uninstall();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });

  it('refuses signals that cannot be caught and bad exit codes', () => {
    const q = createQuiescer({ logger: false });
    expect(() => q.installShutdownHandlers({ signals: ['SIGKILL'] })).toThrow(/options.signals must be signal names that can be caught/);
    expect(() => q.installShutdownHandlers({ signals: [] })).toThrow(/options.signals must be a non-empty array/);
    expect(() => q.installShutdownHandlers({ exitCodeOnTimeout: 0 })).toThrow(/options.exitCodeOnTimeout must be a whole number from 1 to 255/);
  });
});

describe('createQuiescer', () => {
  it('gives an instance with every top-level function as a method', () => {
    const q = createQuiescer({ logger: false });
    const functions = Object.entries(shim)
      .filter(([name, value]) => typeof value === 'function' && name !== 'createQuiescer' && !/^[A-Z]/.test(name))
      .map(([name]) => name);
    expect(functions).toEqual(expect.arrayContaining(['track', 'installShutdownHandlers', 'trackServer', 'readinessHandler']));
    for (const name of functions) expect(typeof (q as unknown as Record<string, unknown>)[name], name).toBe('function');
    expect(q.shutdownSignal).toBeInstanceOf(AbortSignal);
  });
});
