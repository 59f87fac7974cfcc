// The browser build of @quiesce/runtime-shim (the `browser` export condition, picked by bundlers).
// A browser tab has no SIGTERM and no process to drain: every function passes its work through
// unchanged — `track(p)` gives `p` back, the timers are the global ones, `trackServer(x)` returns
// `x`, hooks never run — so code that imports the shim (isomorphic libraries, rewritten call sites)
// bundles into a few hundred bytes with no Node built-in. It imports nothing at run time.

import type * as NodeBuild from './index.js';

type Api = typeof NodeBuild;

const noop = (): void => {};
const neverAborted: AbortSignal = new AbortController().signal;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

const passThrough = {
  // A promise is returned itself; another thenable as a promise, as the Node build does.
  track: ((value: unknown) => (isThenable(value) && !(value instanceof Promise) ? Promise.resolve(value) : value)) as Api['track'],
  trackCallback: (<F>(fn: F): F => fn) as Api['trackCallback'],
  beginWork: (() => ({ end: noop })) as Api['beginWork'],
  // Looked up at each call, so that a test's fake timers apply.
  setInterval: ((...args: Parameters<typeof globalThis.setInterval>) => globalThis.setInterval(...args)) as Api['setInterval'],
  setTimeout: ((...args: Parameters<typeof globalThis.setTimeout>) => globalThis.setTimeout(...args)) as Api['setTimeout'],
  clearInterval: ((timer?: Parameters<typeof globalThis.clearInterval>[0]) => globalThis.clearInterval(timer)) as Api['clearInterval'],
  clearTimeout: ((timer?: Parameters<typeof globalThis.clearTimeout>[0]) => globalThis.clearTimeout(timer)) as Api['clearTimeout'],
  onShutdown: (() => noop) as Api['onShutdown'],
  shutdown: ((reason?: string) =>
    Promise.resolve({
      reason: reason ?? 'shutdown()',
      startedAt: Date.now(),
      durationMs: 0,
      timeoutMs: 0,
      deadlineHit: false,
      timersStopped: 0,
      timersCancelled: 0,
      tasksCompleted: 0,
      pending: [],
      hookErrors: [],
      taskErrors: [],
      faults: [],
      hooksRun: { intake: 0, cleanup: 0 },
      phases: { intakeMs: 0, drainMs: 0, cleanupMs: 0 },
    })) as Api['shutdown'],
  isShuttingDown: (() => false) as Api['isShuttingDown'],
  installShutdownHandlers: (() => noop) as Api['installShutdownHandlers'],
  installClusterShutdown: (() => noop) as Api['installClusterShutdown'],
  trackServer: (<S>(server: S): S => server) as Api['trackServer'],
  readinessHandler: (() => noop) as Api['readinessHandler'],
  livenessHandler: (() => noop) as Api['livenessHandler'],
};

export const {
  track,
  trackCallback,
  beginWork,
  setInterval,
  setTimeout,
  clearInterval,
  clearTimeout,
  onShutdown,
  shutdown,
  isShuttingDown,
  installShutdownHandlers,
  installClusterShutdown,
  trackServer,
  readinessHandler,
  livenessHandler,
} = passThrough;
export const shutdownSignal: AbortSignal = neverAborted;
export const defaultTimeoutMs = 25_000;
export const defaultCleanupReserveMs = 1_000;
export const defaultFatalTimeoutMs = 5_000;
export const environmentVariables = {};

/** The same methods as the Node build's quiescer, passing work through. */
export class Quiescer {
  readonly timeoutMs = defaultTimeoutMs;
  readonly inFlightCount = 0;
  readonly activeTimerCount = 0;
  readonly shutdownSignal = neverAborted;
  readonly log = { info: noop, warn: noop, error: noop };
  whenActiveIdle = (): Promise<void> => Promise.resolve();
  whenDrainStarts = (): Promise<void> => new Promise(noop);
  recordFault = noop;
  configure = noop;
  pendingWork = (): [] => [];
  constructor() {
    Object.assign(this, passThrough);
  }
}
export interface Quiescer extends Readonly<typeof passThrough> {}

export function createQuiescer(): Quiescer {
  return new Quiescer();
}

export class EnvironmentConfigError extends Error {
  override name = 'EnvironmentConfigError';
}
