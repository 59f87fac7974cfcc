// Signal handling: the first signal runs the shutdown and exits (core/exit.ts says with which
// code); a second one exits at once. Installing twice only adds what is new.

import { constants } from 'node:os';
import {
  beforeReraise,
  configureExit,
  describePending,
  expectOptionsObject,
  formatDuration,
  invalidArgument,
  notifyObservers,
  shutdownAndExit,
  signalNumber,
  stateOf,
  validateQuiescerOptions,
  type QuiescerCore,
  type QuiescerOptions,
  type ExitPolicyOptions,
} from './core/index.js';

export interface SignalHandlersOptions extends QuiescerOptions, ExitPolicyOptions {
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
}

export const defaultSignals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

interface SignalState {
  installed: Map<NodeJS.Signals, (signal: NodeJS.Signals) => void>;
  /** A signal has been received: the next one means "exit at once". */
  exiting: boolean;
}

function signalStateOf(quiescer: QuiescerCore): SignalState {
  return stateOf(quiescer, 'signal-state@2', () => {
    const state: SignalState = { installed: new Map(), exiting: false };
    // Re-raising must reach Node's default action, not our own listeners.
    beforeReraise(quiescer, () => {
      for (const [signal, listener] of state.installed) process.removeListener(signal, listener);
      state.installed.clear();
    });
    return state;
  });
}

export function installShutdownHandlersOn(quiescer: QuiescerCore, options?: SignalHandlersOptions): () => void {
  validateInstallOptions(options);
  const { signals = defaultSignals, exitCodeOnTimeout, exitCodeOnError, reraiseSignal, onReport, ...quiescerOptions } =
    options ?? {};
  quiescer.configure(quiescerOptions);
  configureExit(quiescer, { exitCodeOnTimeout, exitCodeOnError, reraiseSignal, onReport });
  const state = signalStateOf(quiescer);

  const added: NodeJS.Signals[] = [];
  for (const signal of signals) {
    if (state.installed.has(signal)) continue;
    const listener = (received: NodeJS.Signals) => onSignal(quiescer, state, received);
    state.installed.set(signal, listener);
    process.on(signal, listener);
    added.push(signal);
  }
  return () => {
    for (const signal of added) {
      const listener = state.installed.get(signal);
      if (listener) process.removeListener(signal, listener);
      state.installed.delete(signal);
    }
  };
}

function onSignal(quiescer: QuiescerCore, state: SignalState, signal: NodeJS.Signals): void {
  const logger = quiescer.log;
  notifyObservers(quiescer, 'signal', signal);
  if (state.exiting) {
    // The operator asked twice: they want out now, whatever is pending.
    const pending = quiescer.pendingWork();
    const what = pending.length > 0 ? `: ${describePending(pending)}` : '';
    logger.error(`second ${signal}: exiting at once with ${quiescer.inFlightCount} piece(s) of work still in flight${what}`);
    process.exit(128 + signalNumber(signal));
  }
  state.exiting = true;
  logger.info(
    `received ${signal}: shutting down (deadline ${formatDuration(quiescer.timeoutMs)}); send ${signal} again to exit at once`,
  );
  void shutdownAndExit(quiescer, signal);
}

function validateInstallOptions(options: unknown): asserts options is SignalHandlersOptions | undefined {
  const where = 'installShutdownHandlers';
  expectOptionsObject(where, options);
  if (!options) return;
  const { signals, exitCodeOnTimeout, exitCodeOnError, reraiseSignal, onReport, ...rest } = options as Record<string, unknown>;
  validateQuiescerOptions(where, rest);
  if (signals !== undefined) {
    if (!Array.isArray(signals) || signals.length === 0) {
      throw invalidArgument(where, 'options.signals', 'a non-empty array of signal names such as "SIGTERM"', signals);
    }
    for (const signal of signals) {
      if (typeof signal !== 'string' || !(signal in constants.signals) || signal === 'SIGKILL' || signal === 'SIGSTOP') {
        throw invalidArgument(where, 'options.signals', 'signal names that can be caught, such as "SIGTERM" or "SIGINT"', signal);
      }
    }
  }
  for (const [name, value] of [['exitCodeOnTimeout', exitCodeOnTimeout], ['exitCodeOnError', exitCodeOnError]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 255)) {
      throw invalidArgument(where, `options.${name}`, 'a whole number from 1 to 255', value);
    }
  }
  if (reraiseSignal !== undefined && typeof reraiseSignal !== 'boolean') {
    throw invalidArgument(where, 'options.reraiseSignal', 'a boolean', reraiseSignal);
  }
  if (onReport !== undefined && typeof onReport !== 'function') {
    throw invalidArgument(where, 'options.onReport', 'a function', onReport);
  }
}
