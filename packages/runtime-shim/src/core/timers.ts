// Tracked timers: drop-in replacements of the globals that return real Node `Timeout`s, so
// `.unref()`, `.refresh()` and the global clear functions keep working. Intake clears them all;
// a timer created once shutdown has begun never runs.

import type { Observation } from './observers.js';
import { invalidArgument, isThenable } from './validate.js';
import type { WorkRegistry } from './work.js';

type TimerCallback<TArgs extends unknown[]> = (...args: TArgs) => unknown;
type Timeout = ReturnType<typeof globalThis.setTimeout>;

/** Node marks a timer `_destroyed` once it is cleared (by any clear function) or has fired for good. */
interface NodeTimerInternals {
  _destroyed?: boolean;
}

const minimumSweepThreshold = 64;

export class TimerRegistry {
  private readonly active = new Set<Timeout>();
  private sweepThreshold = minimumSweepThreshold;
  private stopped = false;
  private cancelledAfterStop = 0;

  constructor(
    private readonly work: WorkRegistry,
    private readonly observation: Pick<Observation, 'lineage'>,
  ) {}

  /** Timers created after `stopAll()` that were cancelled before they could run. */
  get cancelledAfterStopCount(): number {
    return this.cancelledAfterStop;
  }

  /** Tracked timers currently scheduled. */
  get activeCount(): number {
    this.sweep();
    return this.active.size;
  }

  setInterval<TArgs extends unknown[]>(callback: TimerCallback<TArgs>, delay?: number, ...args: TArgs): Timeout {
    return this.schedule('setInterval', callback, delay, args);
  }

  setTimeout<TArgs extends unknown[]>(callback: TimerCallback<TArgs>, delay?: number, ...args: TArgs): Timeout {
    return this.schedule('setTimeout', callback, delay, args);
  }

  clear(timer: Timeout | string | number | undefined | null): void {
    // The global clear functions accept every value (ids, primitives, undefined); so do we.
    globalThis.clearTimeout(timer as Timeout);
    if (timer !== null && typeof timer === 'object') this.active.delete(timer);
  }

  /** Intake: clears every tracked timer and refuses to start new ones. Returns how many were cleared. */
  stopAll(): number {
    this.stopped = true;
    let cleared = 0;
    for (const timer of this.active) {
      if (!(timer as NodeTimerInternals)._destroyed) {
        globalThis.clearTimeout(timer);
        cleared++;
      }
    }
    this.active.clear();
    return cleared;
  }

  private schedule<TArgs extends unknown[]>(
    which: 'setInterval' | 'setTimeout',
    callback: TimerCallback<TArgs>,
    delay: number | undefined,
    args: TArgs,
  ): Timeout {
    if (typeof callback !== 'function') throw invalidArgument(which, 'callback', 'a function', callback);
    if (delay !== undefined && typeof delay !== 'number') {
      throw invalidArgument(which, 'delay', 'a number of milliseconds or undefined', delay);
    }
    const taskName = `${which === 'setInterval' ? 'interval' : 'timeout'} ${callback.name || 'callback'}`;
    if (this.stopped) {
      // Scheduling once intake stopped the timers is an attempt at new work, whatever becomes of it.
      this.work.beginWatcher?.('timer', taskName);
      return this.cancelledTimer(delay);
    }

    const registry = this;
    const isOneShot = which === 'setTimeout';
    let timer: Timeout;
    const runCallback = function (this: unknown, ...callArgs: TArgs): void {
      // A fired one-shot timer is no longer scheduled; `refresh()` from inside re-adds it.
      if (isOneShot) registry.active.delete(timer);
      const lineage = registry.observation.lineage;
      const result = lineage === undefined ? callback.apply(this, callArgs) : lineage.run(() => callback.apply(this, callArgs));
      if (isThenable(result)) {
        // The callback's promise was dropped by Node's timer loop; tracked, an unhandled
        // rejection still surfaces once, as before.
        void registry.work.trackPromise(result, 'timer-callback', taskName);
      }
    };
    timer = (globalThis[which] as (cb: (...a: TArgs) => void, ms?: number, ...a: TArgs) => Timeout)(
      runCallback,
      delay,
      ...args,
    );
    this.overrideRefresh(timer);
    this.add(timer);
    return timer;
  }

  /** `refresh()` re-arms a fired timeout behind our back: keep it tracked, and inert once stopped. */
  private overrideRefresh(timer: Timeout): void {
    const registry = this;
    const nativeRefresh = timer.refresh;
    timer.refresh = function refresh(this: Timeout) {
      if (registry.stopped) return this;
      nativeRefresh.call(this);
      registry.add(this);
      return this;
    };
  }

  private add(timer: Timeout): void {
    this.active.add(timer);
    if (this.active.size >= this.sweepThreshold) {
      this.sweep();
      this.sweepThreshold = Math.max(minimumSweepThreshold, this.active.size * 2);
    }
  }

  /** Forgets timers cleared by the global clear functions, so they leak nothing (amortised O(1)). */
  private sweep(): void {
    for (const timer of this.active) {
      if ((timer as NodeTimerInternals)._destroyed) this.active.delete(timer);
    }
  }

  private cancelledTimer(delay: number | undefined): Timeout {
    // Callers still get a real Timeout (it may be `.unref()`ed or cleared), but it never runs.
    this.cancelledAfterStop++;
    const timer = globalThis.setTimeout(noop, delay);
    globalThis.clearTimeout(timer);
    return timer;
  }
}

function noop(): void {}
