// Errors nobody caught. Node's default ends the process at once on an `uncaughtException` or an
// `unhandledRejection`, cutting off every request and task in flight. With `onFatal: 'drain'`
// (the default, as close-with-grace does) the fault starts the same timer-first shutdown, with a
// short deadline since the process may be in a bad state, and the process then exits non-zero
// with the report naming the error. A fault while a shutdown already runs is recorded and the
// drain of the rest goes on. `onFatal: 'exit'` logs the error and exits 1 at once, as Node would.
//
// Only a fault that would have ended the process is ours: where the app listens for it itself (a
// service that logs uncaught errors and runs on), or Node is told not to end on a rejection
// (`--unhandled-rejections=warn|none|warn-with-error-code`), the process goes on as it did.

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
    if (origin === 'uncaughtException' ? appListensFor('uncaughtException', listeners) : rejectionLeftToTheApp(error, listeners)) return;
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

type FaultListeners = ReadonlyMap<Fault['origin'], (error: unknown) => void>;

/** Whether a listener other than ours hears this fault: Node would then not have ended the process. */
function appListensFor(origin: Fault['origin'], ours: FaultListeners): boolean {
  const theirs: readonly unknown[] = origin === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection');
  return theirs.some((listener) => listener !== ours.get(origin));
}

/**
 * Whether Node, without our listener, would not have ended the process on this rejection, and what it would have done
 * instead: the app's own `unhandledRejection` listener has it; `--unhandled-rejections=none|warn|warn-with-error-code`
 * says to go on (with a warning, and exit code 1 later for the last); or, in the default mode, Node would have raised
 * it as an uncaught exception, which the app's `uncaughtException` listener handles (so it gets it, as from Node).
 */
function rejectionLeftToTheApp(error: unknown, ours: FaultListeners): boolean {
  if (appListensFor('unhandledRejection', ours)) return true;
  const mode = unhandledRejectionsMode();
  if (mode === 'none') return true;
  if (mode === 'warn' || mode === 'warn-with-error-code') {
    process.emitWarning(error instanceof Error ? error : String(error), 'UnhandledPromiseRejectionWarning');
    if (mode === 'warn-with-error-code') process.exitCode = 1;
    return true;
  }
  if (mode !== 'strict' && appListensFor('uncaughtException', ours)) {
    // Node's own event, with the origin Node gives it (the typings of emit leave the origin out).
    (process.emit as (event: 'uncaughtException', error: Error, origin: 'unhandledRejection') => boolean)(
      'uncaughtException',
      error instanceof Error ? error : new Error(String(error)),
      'unhandledRejection',
    );
    return true;
  }
  return false;
}

/** `--unhandled-rejections=<mode>` as Node reads it (the command line, then NODE_OPTIONS); `'throw'` by default. */
function unhandledRejectionsMode(): string {
  // The command line comes last: it wins over NODE_OPTIONS.
  const flags = [...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/), ...process.execArgv];
  let mode = 'throw';
  for (const [index, flag] of flags.entries()) {
    if (flag.startsWith('--unhandled-rejections=')) mode = flag.slice('--unhandled-rejections='.length);
    else if (flag === '--unhandled-rejections' && flags[index + 1] !== undefined) mode = flags[index + 1] as string;
  }
  return mode;
}
