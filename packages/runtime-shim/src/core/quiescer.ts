// The core: one quiescer owns everything a process must drain — tracked timers, work in flight
// and hooks. Shutdown runs timer-first: intake (stop timers, abort the signal, intake hooks) →
// drain → cleanup (hooks, last first) → report, all within one deadline. The core knows nothing
// of what starts a shutdown (signals, faults, a cluster primary) or of what feeds it work
// (servers, frameworks): those features build on this public surface (core/index.ts).

import { HookRegistry, type OnShutdownOptions, type ShutdownHook, type ShutdownHookContext } from './hooks.js';
import { captureCallerLocation } from './location.js';
import { resolveLogger, stderrLogger, type Logger } from './logger.js';
import { notifyAll, observationOf, type NewWork, type Observation, type ShutdownObserver } from './observers.js';
import { defaultCleanupReserveMs, defaultTimeoutMs, validateQuiescerOptions, type QuiescerOptions } from './options.js';
import { cleanupLine, describeFault, drainLine, intakeLine, type Fault, type ShutdownReport } from './report.js';
import { TimerRegistry } from './timers.js';
import {
  expectFunction,
  expectOptionalDuration,
  expectOptionalOneOf,
  expectOptionalString,
  expectOptionsObject,
  invalidArgument,
  isThenable,
} from './validate.js';
import { messageOf, WorkRegistry, type BeginWorkOptions, type PendingWork, type WorkHandle } from './work.js';

/** `track`: a promise in, a tracked promise out; anything else passes through unchanged. */
export interface Track {
  <T>(promise: PromiseLike<T>, options?: TrackOptions): Promise<T>;
  <T>(value: T, options?: TrackOptions): T;
}

export interface TrackOptions {
  /** Shown in the report if the task is still pending at the deadline. */
  name?: string;
}


// A quiescer's registry, for the shim's own integrations (servers) and not part of the API. Kept on
// the instance under a registered symbol because the default quiescer is shared by every copy of
// the package in the process (default-instance.ts).
const registryKey = Symbol.for('@quiesce/runtime-shim/work-registry@1');

/** The quiescer's registry, or undefined when a copy of the package without one made it. */
export function workRegistryOf(quiescer: QuiescerCore): WorkRegistry | undefined {
  return (quiescer as QuiescerCore & { [registryKey]?: WorkRegistry })[registryKey];
}

export class QuiescerCore {
  private settings: Required<Omit<QuiescerOptions, 'logger'>>;
  private logger: Logger;
  private readonly work: WorkRegistry;
  private readonly timers: TimerRegistry;
  private readonly hooks = new HookRegistry();
  private readonly abortController = new AbortController();
  private shutdownPromise: Promise<ShutdownReport> | undefined;
  private readonly faults: Fault[] = [];
  private drainStarted: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly observation: Observation;

  constructor(options?: QuiescerOptions) {
    validateQuiescerOptions('createQuiescer', options);
    const settings = { timeoutMs: defaultTimeoutMs, cleanupReserveMs: defaultCleanupReserveMs, captureLocations: false };
    this.settings = settings;
    this.logger = stderrLogger;
    this.apply(options ?? {});
    // The settings object, not `this`: the state travels as one piece when exchanged (exchangeState).
    this.work = new WorkRegistry(() => settings.captureLocations);
    Object.defineProperty(this, registryKey, { value: this.work, configurable: true });
    this.observation = observationOf(this);
    this.timers = new TimerRegistry(this.work, this.observation);
  }

  /** Changes settings after creation (used by `installShutdownHandlers` and the env entry). */
  configure(options: QuiescerOptions): void {
    validateQuiescerOptions('configure', options);
    this.apply(options);
  }

  private apply(options: QuiescerOptions): void {
    if (options.timeoutMs !== undefined) this.settings.timeoutMs = options.timeoutMs;
    if (options.cleanupReserveMs !== undefined) this.settings.cleanupReserveMs = options.cleanupReserveMs;
    if (options.captureLocations !== undefined) this.settings.captureLocations = options.captureLocations;
    if (options.logger !== undefined) this.logger = resolveLogger(options.logger, stderrLogger);
  }

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  get log(): Logger {
    return this.logger;
  }

  /** Aborted when shutdown starts: pass it to fetch, consumers and loops that should stop taking work. */
  get shutdownSignal(): AbortSignal {
    return this.abortController.signal;
  }

  /** How many pieces of work are in flight right now. */
  get inFlightCount(): number {
    return this.work.size;
  }

  /**
   * The work in flight, named and aged as the deadline report names it. Before shutdown a
   * server's requests are only counted (see `inFlightCount`), so this lists them from the signal on.
   */
  pendingWork = (): PendingWork[] => this.work.pending();

  /** Tracked timers currently scheduled. */
  get activeTimerCount(): number {
    return this.timers.activeCount;
  }

  // Public methods are arrow properties so that they work detached: `const { track } = createQuiescer()`.

  isShuttingDown = (): boolean => this.shutdownPromise !== undefined;

  /**
   * A promise or thenable: tracked, and a new promise that settles as it does is returned. Any other
   * value (`undefined`, a number, an object without `then`) is returned as it is, untracked: there
   * is nothing in flight to wait for, and a call site that sometimes gets a value keeps working.
   */
  track: Track = ((value: unknown, options?: TrackOptions): unknown => {
    if (options !== undefined) validateTrackOptions('track', options);
    if (!isThenable(value)) return value;
    return this.work.trackPromise(value, 'task', options?.name);
  }) as Track;

  trackCallback = <TArgs extends unknown[], TResult>(
    fn: (...args: TArgs) => TResult,
    options?: TrackOptions,
  ): ((...args: TArgs) => TResult) => {
    expectFunction('trackCallback', 'fn', fn);
    if (options !== undefined) validateTrackOptions('trackCallback', options);
    const work = this.work;
    const observation = this.observation;
    const name = options?.name ?? (fn.name || undefined);
    return function trackedCallback(this: unknown, ...args: TArgs): TResult {
      const lineage = observation.lineage;
      const result = lineage === undefined ? fn.apply(this, args) : lineage.run(() => fn.apply(this, args));
      return (isThenable(result) ? work.trackPromise(result, 'callback', name) : result) as TResult;
    };
  };

  beginWork = (options?: BeginWorkOptions): WorkHandle => {
    expectOptionsObject('beginWork', options);
    expectOptionalString('beginWork', 'options.kind', options?.kind);
    expectOptionalString('beginWork', 'options.name', options?.name);
    if (options?.onDeadline !== undefined) expectFunction('beginWork', 'options.onDeadline', options.onDeadline);
    if (options?.passive !== undefined && typeof options.passive !== 'boolean') {
      throw invalidArgument('beginWork', 'options.passive', 'a boolean', options.passive);
    }
    return this.work.begin(options?.kind ?? 'task', options?.name, options?.onDeadline, undefined, options?.passive ?? false);
  };

  /**
   * Resolves once nothing but passive work is in flight: the moment to close long-lived connections
   * (WebSocket clients) whose in-flight messages are tracked work.
   */
  whenActiveIdle = (): Promise<void> => this.work.whenActiveIdle();

  /**
   * Resolves when the intake phase has finished (every listener closed, after any readiness delay)
   * and the drain begins: what closes connections from the drain on waits for this, then for
   * `whenActiveIdle()`.
   */
  whenDrainStarts = (): Promise<void> => {
    if (this.drainStarted === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.drainStarted = { promise, resolve };
    }
    return this.drainStarted.promise;
  };

  setInterval: typeof globalThis.setInterval = ((callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]) =>
    this.timers.setInterval(callback, delay, ...args)) as typeof globalThis.setInterval;

  setTimeout: typeof globalThis.setTimeout = ((callback: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]) =>
    this.timers.setTimeout(callback, delay, ...args)) as typeof globalThis.setTimeout;

  clearInterval: typeof globalThis.clearInterval = (timer) => this.timers.clear(timer);

  clearTimeout: typeof globalThis.clearTimeout = (timer) => this.timers.clear(timer);

  onShutdown = (hook: ShutdownHook, options?: OnShutdownOptions): (() => void) => {
    expectFunction('onShutdown', 'hook', hook);
    expectOptionsObject('onShutdown', options);
    expectOptionalString('onShutdown', 'options.name', options?.name);
    expectOptionalOneOf('onShutdown', 'options.phase', options?.phase, ['intake', 'cleanup'] as const);
    expectOptionalDuration('onShutdown', 'options.timeoutMs', options?.timeoutMs);
    return this.hooks.add(hook, options ?? {});
  };

  /**
   * Records an error nobody caught, for the report (the fault handlers of installShutdownHandlers
   * call it). A rejection of a tracked task is named by its task. Returns the recorded fault.
   */
  recordFault = (origin: Fault['origin'], error: unknown): Fault => {
    const task = origin === 'unhandledRejection' ? this.work.recordedFailures.find((failure) => failure.error === error)?.name : undefined;
    const fault: Fault = { origin, message: error instanceof Error ? (error.stack ?? error.message) : messageOf(error), error };
    if (task !== undefined) fault.task = task;
    this.faults.push(fault);
    this.logger.error(describeFault(fault));
    notifyAll(this.observation.observers, 'fault', [fault]);
    return fault;
  };

  /** Runs the shutdown phases once; later calls return the same report. Never exits the process. */
  shutdown = (reason?: string): Promise<ShutdownReport> => {
    expectOptionalString('shutdown', 'reason', reason);
    // What the shutdown itself starts (hooks, abort listeners) is its own work, not new work.
    const lineage = this.observation.lineage;
    const run = () => this.runPhases(reason ?? 'shutdown()');
    this.shutdownPromise ??= lineage === undefined ? run() : lineage.run(run);
    return this.shutdownPromise;
  };

  /**
   * From now on, work that begins outside every piece of work in flight (see observers.ts) is new
   * work begun after intake started, and the observers are told, with where it began.
   */
  private watchNewWork(observers: Set<ShutdownObserver>): void {
    const observation = this.observation;
    this.work.beginWatcher = (kind, name) => {
      if (observation.lineage?.inside() === true) return;
      const location = captureCallerLocation();
      const work: NewWork = { kind, name: name ?? (location ? `unnamed ${kind} at ${location}` : `unnamed ${kind}`) };
      if (location !== undefined) work.location = location;
      notifyAll(observers, 'workAfterIntake', [work]);
    };
  }

  private async runPhases(reason: string): Promise<ShutdownReport> {
    const { timeoutMs, cleanupReserveMs } = this.settings;
    const logger = this.logger;
    const startedAt = Date.now();
    const start = performance.now();
    const deadlineAt = start + timeoutMs;
    const finishedBefore = this.work.finished;
    const context: ShutdownHookContext = {
      reason,
      signal: this.abortController.signal,
      remainingMs: () => Math.max(0, deadlineAt - performance.now()),
    };

    // A task that rejects from now on is recorded for the report; the drain of the rest goes on.
    this.work.recordFailures();
    const observers = this.observation.observers.size > 0 ? this.observation.observers : undefined;
    if (observers !== undefined) {
      notifyAll(observers, 'shutdownStart', [reason]);
      this.watchNewWork(observers);
      notifyAll(observers, 'phaseStart', ['intake']);
    }

    // 1. Intake: nothing new may start. Timers first, so no tick begins while hooks run.
    const timersStopped = this.timers.stopAll();
    if (observers !== undefined) notifyAll(observers, 'timersStopped', [timersStopped]);
    this.abortController.abort(new DOMException(`shutting down: ${reason}`, 'AbortError'));
    const intake = await this.hooks.run('intake', context, observers);
    const intakeEnd = performance.now();
    if (observers !== undefined) {
      notifyAll(observers, 'phaseEnd', ['intake']);
      notifyAll(observers, 'phaseStart', ['drain']);
    }
    logger.info(intakeLine(reason, timersStopped, intake.ran, this.work.size, intakeEnd - start));

    // 2. Drain: everything in flight, including work it starts meanwhile.
    if (this.drainStarted === undefined) this.drainStarted = { promise: Promise.resolve(), resolve: () => {} };
    else this.drainStarted.resolve();
    const reserveMs = this.hooks.count('cleanup') > 0 ? Math.min(cleanupReserveMs, timeoutMs / 2) : 0;
    const drained = await settlesWithin(this.work.whenIdle(), context.remainingMs() - reserveMs);
    const pending = drained ? [] : this.work.pending();
    if (!drained && observers !== undefined) notifyAll(observers, 'deadline', [pending]);
    if (!drained) {
      this.work.abandonPending((error, name) =>
        logger.warn(`could not abandon '${name}' at the deadline: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    const drainEnd = performance.now();
    const tasksCompleted = this.work.finished - finishedBefore;
    const drainMessage = drainLine({ tasksCompleted, pending }, drainEnd - intakeEnd, !drained);
    if (drained) logger.info(drainMessage);
    else logger.error(drainMessage);
    const taskErrors = [...this.work.recordedFailures];
    for (const failure of taskErrors) logger.warn(`${failure.kind} '${failure.name}' rejected during the shutdown: ${failure.message}`);

    // 3. Cleanup: close what the drained work used.
    if (observers !== undefined) {
      notifyAll(observers, 'phaseEnd', ['drain']);
      notifyAll(observers, 'phaseStart', ['cleanup']);
    }
    const cleanup = await this.hooks.run('cleanup', context, observers);
    const end = performance.now();
    if (observers !== undefined) notifyAll(observers, 'phaseEnd', ['cleanup']);
    const hookErrors = [...intake.failures, ...cleanup.failures];
    logger.info(cleanupLine(cleanup.ran, cleanup.failures.length, end - drainEnd));
    for (const failure of hookErrors) logger.error(failure.message);

    return {
      reason,
      startedAt,
      durationMs: Math.round(end - start),
      timeoutMs,
      deadlineHit: !drained || hookErrors.some((failure) => failure.timedOut && context.remainingMs() === 0),
      timersStopped,
      timersCancelled: this.timers.cancelledAfterStopCount,
      tasksCompleted,
      pending,
      hookErrors,
      taskErrors,
      faults: [...this.faults],
      hooksRun: { intake: intake.ran, cleanup: cleanup.ran },
      phases: {
        intakeMs: Math.round(intakeEnd - start),
        drainMs: Math.round(drainEnd - intakeEnd),
        cleanupMs: Math.round(end - drainEnd),
      },
    };
  }
}

// What stays with an instance when its state is exchanged: who to tell.
const exchangeListenersKey = Symbol.for('@quiesce/runtime-shim/exchange-listeners@1');

/**
 * Calls `listener` each time the quiescer's state is exchanged (see `exchangeState`): for what
 * holds a piece of that state outside it, such as the package's `shutdownSignal` export.
 */
export function onStateExchange(quiescer: QuiescerCore, listener: () => void): void {
  const holder = quiescer as QuiescerCore & { [exchangeListenersKey]?: Set<() => void> };
  if (holder[exchangeListenersKey] === undefined) {
    Object.defineProperty(holder, exchangeListenersKey, { value: new Set(), configurable: true });
  }
  holder[exchangeListenersKey]!.add(listener);
}

/**
 * Exchanges everything two quiescers hold — work, timers, hooks, settings, the shutdown signal, the
 * shutdown itself, and every feature's state kept on them — but not their methods, which stay bound
 * to their own instance. The test harness points the package's module-level functions (bound to
 * the default quiescer) at a fresh state this way, and puts the original back by exchanging again;
 * no call of `track()` pays for an indirection that only tests need.
 */
export function exchangeState(a: QuiescerCore, b: QuiescerCore): void {
  const keys = new Set<string | symbol>([...Reflect.ownKeys(a), ...Reflect.ownKeys(b)]);
  for (const key of keys) {
    if (key === exchangeListenersKey) continue;
    const fromA = Object.getOwnPropertyDescriptor(a, key);
    const fromB = Object.getOwnPropertyDescriptor(b, key);
    if (typeof fromA?.value === 'function' || typeof fromB?.value === 'function') continue;
    if (fromB === undefined) Reflect.deleteProperty(a, key);
    else Object.defineProperty(a, key, fromB);
    if (fromA === undefined) Reflect.deleteProperty(b, key);
    else Object.defineProperty(b, key, fromA);
  }
  for (const quiescer of [a, b]) {
    for (const listener of (quiescer as QuiescerCore & { [exchangeListenersKey]?: Set<() => void> })[exchangeListenersKey] ?? []) listener();
  }
}

function validateTrackOptions(where: string, options: TrackOptions): void {
  expectOptionsObject(where, options);
  expectOptionalString(where, 'options.name', options.name);
}

/** True if the promise settles within `ms`; the wait holds the event loop open, so a drain never ends by the loop emptying. */
async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = globalThis.setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    globalThis.clearTimeout(timer);
  }
}
