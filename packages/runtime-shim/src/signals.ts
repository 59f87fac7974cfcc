// Signal handling: the first signal runs the shutdown and exits with a code that tells the
// orchestrator how it went; a second one exits at once. Installing twice only adds what is new.

import { constants } from 'node:os';
import { validateQuiescerOptions, type QuiescerOptions } from './options.js';
import type { Quiescer } from './quiescer.js';
import { describePending, formatDuration, type ShutdownReport } from './report.js';
import { expectOptionsObject, invalidArgument } from './validate.js';

export interface InstallShutdownHandlersOptions extends QuiescerOptions {
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  /** Exit code when the deadline cut the drain or a hook short. Default 1. */
  exitCodeOnTimeout?: number;
  /** Exit code when a hook threw (and the deadline did not hit). Default 1. */
  exitCodeOnError?: number;
  /**
   * After a full drain, end the process by the signal itself (exit status 128+n, e.g. 143 for
   * SIGTERM) instead of exit code 0, for supervisors that expect "killed by signal". Default false.
   */
  reraiseSignal?: boolean;
  /** Called with the report before the process exits (awaited, within 1 s). */
  onReport?: (report: ShutdownReport) => unknown;
}

export const defaultSignals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface ExitPolicy {
  exitCodeOnTimeout: number;
  exitCodeOnError: number;
  reraiseSignal: boolean;
  onReport: ((report: ShutdownReport) => unknown) | undefined;
}

const onReportLimitMs = 1_000;
const defaultExitPolicy: ExitPolicy = { exitCodeOnTimeout: 1, exitCodeOnError: 1, reraiseSignal: false, onReport: undefined };

export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}

export function exitCodeFor(report: ShutdownReport, policy: Pick<ExitPolicy, 'exitCodeOnTimeout' | 'exitCodeOnError'>): number {
  if (report.deadlineHit) return policy.exitCodeOnTimeout;
  if (report.hookErrors.length > 0) return policy.exitCodeOnError;
  return 0;
}

export function installShutdownHandlersOn(quiescer: Quiescer, options?: InstallShutdownHandlersOptions): () => void {
  validateInstallOptions(options);
  const { signals = defaultSignals, exitCodeOnTimeout, exitCodeOnError, reraiseSignal, onReport, ...quiescerOptions } =
    options ?? {};
  quiescer.configure(quiescerOptions);
  const previous = quiescer.signalState.exitPolicy;
  quiescer.signalState.exitPolicy = {
    exitCodeOnTimeout: exitCodeOnTimeout ?? previous?.exitCodeOnTimeout ?? defaultExitPolicy.exitCodeOnTimeout,
    exitCodeOnError: exitCodeOnError ?? previous?.exitCodeOnError ?? defaultExitPolicy.exitCodeOnError,
    reraiseSignal: reraiseSignal ?? previous?.reraiseSignal ?? defaultExitPolicy.reraiseSignal,
    onReport: onReport ?? previous?.onReport,
  };

  const added: NodeJS.Signals[] = [];
  for (const signal of signals) {
    if (quiescer.signalState.installed.has(signal)) continue;
    const listener = (received: NodeJS.Signals) => onSignal(quiescer, received);
    quiescer.signalState.installed.set(signal, listener);
    process.on(signal, listener);
    added.push(signal);
  }
  return () => {
    for (const signal of added) {
      const listener = quiescer.signalState.installed.get(signal);
      if (listener) process.removeListener(signal, listener);
      quiescer.signalState.installed.delete(signal);
    }
  };
}

function onSignal(quiescer: Quiescer, signal: NodeJS.Signals): void {
  const logger = quiescer.log;
  if (quiescer.signalState.exiting) {
    // The operator asked twice: they want out now, whatever is pending.
    logger.error(`second ${signal}: exiting at once with ${quiescer.inFlightCount} piece(s) of work still in flight`);
    process.exit(128 + signalNumber(signal));
  }
  quiescer.signalState.exiting = true;
  logger.info(
    `received ${signal}: shutting down (deadline ${formatDuration(quiescer.timeoutMs)}); send ${signal} again to exit at once`,
  );
  shutdownAndExit(quiescer, signal);
}

/**
 * Runs the shutdown and exits as the installed policy says, once, whoever asks first: a signal,
 * or a shutdown forwarded without one (a cluster primary to its workers). A forwarded request
 * does not count as a received signal, so the next real signal is still the first.
 */
export function shutdownAndExit(quiescer: Quiescer, signal: NodeJS.Signals): Promise<void> {
  quiescer.signalState.finishing ??= quiescer.shutdown(signal).then(
    (report) => finish(quiescer, signal, report),
    (error: unknown) => {
      quiescer.log.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
  return quiescer.signalState.finishing;
}

async function finish(quiescer: Quiescer, signal: NodeJS.Signals, report: ShutdownReport): Promise<void> {
  const policy = quiescer.signalState.exitPolicy ?? defaultExitPolicy;
  const logger = quiescer.log;
  if (policy.onReport) {
    try {
      await Promise.race([Promise.resolve().then(() => policy.onReport?.(report)), delay(onReportLimitMs)]);
    } catch (error) {
      logger.warn(`onReport failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const code = exitCodeFor(report, policy);
  const summary = `done in ${formatDuration(report.durationMs)}`;
  if (code !== 0) {
    const why = report.deadlineHit
      ? `deadline hit; pending: ${describePending(report.pending) || 'none (a hook overran)'}`
      : `${report.hookErrors.length} hook(s) failed`;
    logger.error(`${summary}; exiting with code ${code} (${why})`);
    process.exit(code);
  }
  if (policy.reraiseSignal) {
    logger.info(`${summary}; re-raising ${signal}`);
    for (const [installedSignal, listener] of quiescer.signalState.installed) process.removeListener(installedSignal, listener);
    quiescer.signalState.installed.clear();
    // With other listeners left the signal would not end the process: exit with its status instead.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    else process.exit(128 + signalNumber(signal));
    return;
  }
  logger.info(`${summary}; exiting with code 0`);
  process.exit(0);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, ms));
}

function validateInstallOptions(options: unknown): asserts options is InstallShutdownHandlersOptions | undefined {
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
