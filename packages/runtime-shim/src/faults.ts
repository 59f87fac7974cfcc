// Errors nobody caught. Node's default ends the process at once on an `uncaughtException` or an
// `unhandledRejection`, cutting off every request and task in flight. With `onFatal: 'drain'`
// (the default, as close-with-grace does) the fault starts the same timer-first shutdown, with a
// short deadline since the process may be in a bad state, and the process then exits non-zero
// with the report naming the error. A fault while a shutdown already runs is recorded and the
// drain of the rest goes on. `onFatal: 'exit'` logs the error and exits 1 at once, as Node would.

import {
  expectOptionalDuration,
  expectOptionalOneOf,
  expectOptionsObject,
  formatDuration,
  shutdownAndExit,
  stateOf,
  type Fault,
  type QuiescerCore,
} from './core/index.js';

export interface FaultHandlingOptions {
  /**
   * On an `uncaughtException` or `unhandledRejection`: `'drain'` (default) runs the shutdown with
   * the `fatalTimeoutMs` deadline, then exits with `exitCodeOnError` (default 1); `'exit'` exits 1 at once.
   */
  onFatal?: 'drain' | 'exit';
  /** Deadline of a shutdown a fault started (never longer than `timeoutMs`). Default 5 000. */
  fatalTimeoutMs?: number;
}

export const defaultFatalTimeoutMs = 5_000;

interface FaultState {
  onFatal: 'drain' | 'exit';
  fatalTimeoutMs: number;
  listeners: Map<Fault['origin'], (error: unknown) => void> | undefined;
}

export function validateFaultOptions(where: string, options: FaultHandlingOptions | undefined): void {
  expectOptionsObject(where, options);
  expectOptionalOneOf(where, 'options.onFatal', options?.onFatal, ['drain', 'exit'] as const);
  expectOptionalDuration(where, 'options.fatalTimeoutMs', options?.fatalTimeoutMs);
}

export function installFaultHandlersOn(quiescer: QuiescerCore, options?: FaultHandlingOptions): () => void {
  validateFaultOptions('installShutdownHandlers', options);
  const state = stateOf<FaultState>(quiescer, 'fault-state@1', () => ({
    onFatal: 'drain',
    fatalTimeoutMs: defaultFatalTimeoutMs,
    listeners: undefined,
  }));
  if (options?.onFatal !== undefined) state.onFatal = options.onFatal;
  if (options?.fatalTimeoutMs !== undefined) state.fatalTimeoutMs = options.fatalTimeoutMs;
  if (state.listeners !== undefined) return () => {};

  const onFault = (origin: Fault['origin'], error: unknown): void => {
    quiescer.recordFault(origin, error);
    if (state.onFatal === 'exit') {
      quiescer.log.error(`${origin}: exiting at once with code 1 (onFatal: 'exit')`);
      process.exit(1);
    }
    // Already shutting down: the fault is in the report and makes the exit code non-zero.
    if (quiescer.isShuttingDown()) return;
    const timeoutMs = Math.min(quiescer.timeoutMs, state.fatalTimeoutMs);
    quiescer.configure({ timeoutMs });
    quiescer.log.error(`${origin}: shutting down (deadline ${formatDuration(timeoutMs)}), then exiting non-zero`);
    void shutdownAndExit(quiescer, origin);
  };
  const listeners = new Map<Fault['origin'], (error: unknown) => void>([
    ['uncaughtException', (error) => onFault('uncaughtException', error)],
    ['unhandledRejection', (error) => onFault('unhandledRejection', error)],
  ]);
  state.listeners = listeners;
  for (const [event, listener] of listeners) process.on(event, listener);
  return () => {
    if (state.listeners !== listeners) return;
    for (const [event, listener] of listeners) process.removeListener(event, listener);
    state.listeners = undefined;
  };
}
