// `@quiesce/runtime-shim/testing` in the test process itself, as a user's suite uses it: the
// module-level functions act on the test quiescer and nothing of the process changes (no signal or
// fault listener, no exit, the default quiescer's own state back at restore); the assertions throw
// node:assert's AssertionError naming what went wrong. The runners' own runs are in
// testing-examples.test.ts.

import { AssertionError } from 'node:assert';
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import * as shim from '../src/index.js';
import { createTestQuiescer, expectDrained, expectHookOrder, expectNoWorkAfterIntake, type TestQuiescer } from '../src/testing.js';
import { destroyOpenConnections, listen, RawConnection } from './server-helpers.js';
import { deferred, sleep } from './support/time.js';

let harness: TestQuiescer | undefined;
afterEach(() => {
  harness?.restore();
  harness = undefined;
  destroyOpenConnections();
});

function thrown(fn: () => void): AssertionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return error as AssertionError;
  }
  throw new Error('expected an AssertionError, nothing was thrown');
}

describe('createTestQuiescer', () => {
  it('puts the module-level functions on a fresh quiescer, and gives the default its own state back at restore', async () => {
    const defaultQuiescer = (globalThis as Record<symbol, shim.Quiescer>)[Symbol.for('@quiesce/runtime-shim/default-quiescer@1')]!;
    const bystander = shim.createQuiescer();
    void shim.track(new Promise(() => {}), { name: 'default quiescer work' });
    const inFlightBefore = defaultQuiescer.inFlightCount;

    harness = createTestQuiescer({ timeoutMs: 500 });
    expect(harness.quiescer.inFlightCount).toBe(0);
    const job = deferred();
    void shim.track(job.promise, { name: 'test job' });
    expect(harness.quiescer.inFlightCount).toBe(1);
    expect(shim.shutdownSignal.aborted).toBe(false);

    const shutdown = harness.shutdown();
    expect(shim.isShuttingDown()).toBe(true);
    expect(shim.shutdownSignal.aborted).toBe(true);
    job.resolve();
    const result = await shutdown;
    expectDrained(result);
    expect(result.report.tasksCompleted).toBe(1);

    harness.restore();
    expect(shim.isShuttingDown()).toBe(false);
    expect(shim.shutdownSignal.aborted).toBe(false);
    expect(defaultQuiescer.inFlightCount).toBe(inFlightBefore);
    expect(defaultQuiescer.pendingWork().map((work) => work.name)).toContain('default quiescer work');
    expect(bystander.isShuttingDown()).toBe(false);
  });

  it('installs no signal or fault listener, even when the code under test calls installShutdownHandlers, and never exits', async () => {
    const listeners = () => ['SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
    const before = listeners();
    harness = createTestQuiescer();
    shim.installShutdownHandlers({ timeoutMs: 60_000, preset: 'kubernetes' });
    harness.quiescer.installShutdownHandlers();
    expect(listeners()).toEqual(before);
    const result = await harness.shutdown();
    expectDrained(result);
    // The harness's deadline stands, not the service's.
    expect(result.report.timeoutMs).toBe(2_000);
  });

  it('with replaceDefault false, is an isolated quiescer and leaves the module-level functions alone', async () => {
    harness = createTestQuiescer({ replaceDefault: false });
    const other = createTestQuiescer({ replaceDefault: false });
    try {
      void harness.quiescer.track(sleep(5), { name: 'own work' });
      expect(harness.quiescer.inFlightCount).toBe(1);
      expect(other.quiescer.inFlightCount).toBe(0);
      const result = await harness.shutdown();
      expectDrained(result);
      expect(shim.isShuttingDown()).toBe(false);
    } finally {
      other.restore();
    }
  });

  it('names a bad option and what it accepts', () => {
    expect(() => createTestQuiescer({ timeoutMs: -1 })).toThrow(/createTestQuiescer.*options\.timeoutMs/);
    expect(() => createTestQuiescer({ readinessDelayMs: 'soon' as never })).toThrow(/createTestQuiescer.*options\.readinessDelayMs/);
    expect(() => createTestQuiescer({ replaceDefault: 'yes' as never })).toThrow(/createTestQuiescer.*options\.replaceDefault.*a boolean/);
  });

  it('refuses a second test quiescer behind the module-level functions until the first is restored', () => {
    harness = createTestQuiescer();
    expect(() => createTestQuiescer()).toThrow(/another test quiescer still replaces the default one; call restore\(\) on it first/);
    harness.restore();
    harness = createTestQuiescer();
  });

  it('stops the timers a test left running when it is restored', async () => {
    harness = createTestQuiescer();
    let ticks = 0;
    shim.setInterval(() => ticks++, 1);
    while (ticks < 2) await sleep(2);
    harness.restore();
    const stoppedAt = ticks;
    await sleep(30);
    expect(ticks).toBe(stoppedAt);
  });

  it('drains a tracked server of the code under test: the request in flight completes', async () => {
    harness = createTestQuiescer();
    const server = shim.trackServer(
      createServer((_request, response) => {
        void sleep(100).then(() => response.end('done'));
      }),
    );
    const port = await listen(server);
    const connection = await RawConnection.open(port);
    connection.send('/');
    while (harness.quiescer.inFlightCount === 0) await sleep(2);
    const [result, response] = await Promise.all([harness.shutdown(), connection.readResponse()]);
    expect(response.body).toBe('done');
    expectDrained(result);
    expectNoWorkAfterIntake(result);
    expect(server.listening).toBe(false);
  });
});

describe('expectDrained', () => {
  it('fails naming each piece of work still pending at the deadline, with its kind and age', async () => {
    harness = createTestQuiescer({ timeoutMs: 100 });
    void shim.track(new Promise(() => {}), { name: 'stuck upload' });
    const result = await harness.shutdown();
    const error = thrown(() => expectDrained(result));
    expect(error.message).toMatch(/^expected the shutdown to drain, but the deadline \(100 ms\) hit with 1 piece\(s\) of work still pending:\n  - task 'stuck upload' \(\d+ ms old\)/);
    // A plain report is checked the same way.
    expect(thrown(() => expectDrained(result.report)).message).toBe(error.message);
  });

  it('fails naming a hook that threw', async () => {
    harness = createTestQuiescer();
    shim.onShutdown(
      () => {
        throw new Error('pool refused to close');
      },
      { name: 'close pool' },
    );
    const result = await harness.shutdown();
    expect(thrown(() => expectDrained(result)).message).toMatch(/1 hook\(s\) failed:\n  - cleanup hook 'close pool' failed: pool refused to close/);
  });

  it('says what it expected when given something else', () => {
    expect(() => expectDrained({} as never)).toThrow(/expectDrained: expected what testQuiescer.shutdown\(\) resolves with \(or a ShutdownReport\)/);
  });
});

describe('expectNoWorkAfterIntake', () => {
  it('passes on the steps of work in flight: a timer callback running at intake, a hook flushing', async () => {
    harness = createTestQuiescer();
    const tick = deferred();
    const running = deferred();
    shim.setTimeout(async function refresh() {
      running.resolve();
      await tick.promise;
      await shim.track(sleep(5), { name: 'refresh step' });
      shim.setTimeout(refresh, 10); // its next run: cancelled at intake, not new work
    }, 0);
    shim.onShutdown(() => shim.track(sleep(5), { name: 'flush buffer' }), { name: 'flush', phase: 'intake' });
    await running.promise;
    const shutdown = harness.shutdown();
    tick.resolve();
    const result = await shutdown;
    expectDrained(result);
    expectNoWorkAfterIntake(result);
  });

  it('fails naming the work an untracked interval began after intake, and where, once per place with a count', async () => {
    harness = createTestQuiescer();
    const first = deferred();
    void shim.track(first.promise, { name: 'job 1' });
    let begun = 0;
    const source = globalThis.setInterval(() => {
      begun++;
      void shim.track(sleep(1), { name: 'queue job' });
    }, 2);
    try {
      const shutdown = harness.shutdown();
      const seenAt = begun;
      while (begun < seenAt + 2) await sleep(2);
      globalThis.clearInterval(source);
      first.resolve();
      const result = await shutdown;
      const error = thrown(() => expectNoWorkAfterIntake(result));
      expect(error.message).toMatch(
        /^expected no work to begin after intake, but \d+ piece\(s\) did .*:\n  - task 'queue job' at .*testing\.test\.ts:\d+:\d+ \(\d+ times\)$/s,
      );
      expect(result.workAfterIntake.length).toBeGreaterThanOrEqual(2);
    } finally {
      globalThis.clearInterval(source);
    }
  });
});

describe('expectHookOrder', () => {
  async function shutdownWithHooks() {
    harness = createTestQuiescer();
    shim.onShutdown(() => {}, { name: 'stop consumer', phase: 'intake' });
    shim.onShutdown(() => {}, { name: 'close database' });
    shim.onShutdown(function flushLogs() {});
    return harness.shutdown();
  }

  it('passes when the named hooks ran in that order (intake first, cleanup last registered first), others between', async () => {
    const result = await shutdownWithHooks();
    expectHookOrder(result, ['stop consumer', 'flushLogs', 'close database']);
    expectHookOrder(result, ['intake:stop consumer', 'cleanup:close database']);
    expect(result.hooks.map((hook) => `${hook.phase}:${hook.name}`)).toEqual(['intake:stop consumer', 'cleanup:flushLogs', 'cleanup:close database']);
  });

  it('fails saying which hook ran out of order, or did not run, and the order they ran in', async () => {
    const result = await shutdownWithHooks();
    expect(thrown(() => expectHookOrder(result, ['close database', 'flushLogs'])).message).toBe(
      "expected the hooks to run in the order 'close database' → 'flushLogs', but hook 'flushLogs' ran, but before 'close database'; " +
        'they ran: intake:stop consumer → cleanup:flushLogs → cleanup:close database',
    );
    expect(thrown(() => expectHookOrder(result, ['stop consumer', 'close cache'])).message).toMatch(/but hook 'close cache' did not run; they ran: /);
  });

  it('fails naming a named hook that ran in order but failed', async () => {
    harness = createTestQuiescer();
    shim.onShutdown(() => Promise.reject(new Error('socket hang up')), { name: 'close database' });
    const result = await harness.shutdown();
    expect(thrown(() => expectHookOrder(result, ['close database'])).message).toMatch(
      /and they did in order, but 1 failed:\n  - cleanup hook 'close database' failed: socket hang up/,
    );
  });
});

describe('under the browser export condition', () => {
  it('each function throws, saying that shutdown tests need the Node build and how to get it', async () => {
    const browser = await import('../src/browser-testing.js');
    expect(() => browser.createTestQuiescer()).toThrow(/createTestQuiescer\(\) needs the Node build.*@jest-environment node/);
    expect(() => browser.expectDrained({} as never)).toThrow(/expectDrained\(\) needs the Node build/);
  });
});
