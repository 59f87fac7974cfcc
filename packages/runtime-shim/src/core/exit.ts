// Shutdown-then-exit: runs the shutdown once, whoever asks first (a signal, a fault, a cluster
// primary), and ends the process with a code that tells the orchestrator how it went. What asks
// is a feature's business; how the process ends is decided here, once.

import { constants } from 'node:os';
import type { QuiescerCore } from './quiescer.js';
import { describeFault, describePending, formatDuration, type ShutdownReport } from './report.js';
import { notifyObservers } from './observers.js';
import { stateOf } from './state.js';

export interface ExitPolicy {
  exitCodeOnTimeout: number;
  exitCodeOnError: number;
  reraiseSignal: boolean;
  onReport: ((report: ShutdownReport) => unknown) | undefined;
}

/** How the process ends after the shutdown (options of installShutdownHandlers and its kin). */
export interface ExitPolicyOptions {
  /** Exit code when the deadline cut the drain or a hook short. Default 1. */
  exitCodeOnTimeout?: number;
  /** Exit code when a hook threw or an uncaught error was recorded (and the deadline did not hit). Default 1. */
  exitCodeOnError?: number;
  /**
   * After a full drain, end the process by the signal itself (exit status 128+n, e.g. 143 for
   * SIGTERM) instead of exit code 0, for supervisors that expect "killed by signal". Default false.
   */
  reraiseSignal?: boolean;
  /** Called with the report before the process exits (awaited, within 1 s). */
  onReport?: (report: ShutdownReport) => unknown;
}

interface ExitState {
  policy: ExitPolicy | undefined;
  /** Shutdown-then-exit, started once. */
  finishing: Promise<void> | undefined;
  /** Run before the process re-raises its signal, so that our own listeners do not catch it again. */
  beforeReraise: Set<() => void>;
}

const onReportLimitMs = 1_000;
const defaultExitPolicy: ExitPolicy = { exitCodeOnTimeout: 1, exitCodeOnError: 1, reraiseSignal: false, onReport: undefined };

function exitStateOf(quiescer: QuiescerCore): ExitState {
  return stateOf(quiescer, 'exit-state@1', () => ({ policy: undefined, finishing: undefined, beforeReraise: new Set() }));
}

export function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}

export function exitCodeFor(report: ShutdownReport, policy: Pick<ExitPolicy, 'exitCodeOnTimeout' | 'exitCodeOnError'>): number {
  if (report.deadlineHit) return policy.exitCodeOnTimeout;
  if (report.hookErrors.length > 0 || (report.faults?.length ?? 0) > 0) return policy.exitCodeOnError;
  return 0;
}

/** Sets how the process exits after the shutdown; a field left out keeps its earlier value. */
export function configureExit(quiescer: QuiescerCore, options: ExitPolicyOptions): void {
  const state = exitStateOf(quiescer);
  const previous = state.policy ?? defaultExitPolicy;
  state.policy = {
    exitCodeOnTimeout: options.exitCodeOnTimeout ?? previous.exitCodeOnTimeout,
    exitCodeOnError: options.exitCodeOnError ?? previous.exitCodeOnError,
    reraiseSignal: options.reraiseSignal ?? previous.reraiseSignal,
    onReport: options.onReport ?? previous.onReport,
  };
}

/** Registers a step to run before the process re-raises its signal; returns its remover. */
export function beforeReraise(quiescer: QuiescerCore, step: () => void): () => void {
  const steps = exitStateOf(quiescer).beforeReraise;
  steps.add(step);
  return () => steps.delete(step);
}

/** True once shutdown-then-exit has started. */
export function isExiting(quiescer: QuiescerCore): boolean {
  return exitStateOf(quiescer).finishing !== undefined;
}

/**
 * Runs the shutdown and exits as the policy says, once, whoever asks first. `reason` is a signal
 * name, or another reason (a fault) for which re-raising makes no sense.
 */
export function shutdownAndExit(quiescer: QuiescerCore, reason: string): Promise<void> {
  const state = exitStateOf(quiescer);
  state.finishing ??= quiescer.shutdown(reason).then(
    (report) => finish(quiescer, reason, report),
    (error: unknown) => {
      quiescer.log.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      notifyObservers(quiescer, 'exit', 1);
      process.exit(1);
    },
  );
  return state.finishing;
}

function isSignalName(reason: string): reason is NodeJS.Signals {
  return reason in constants.signals;
}

async function finish(quiescer: QuiescerCore, reason: string, report: ShutdownReport): Promise<void> {
  const state = exitStateOf(quiescer);
  const policy = state.policy ?? defaultExitPolicy;
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
      : (report.faults?.length ?? 0) > 0
        ? report.faults.map((fault) => describeFault({ ...fault, message: firstLine(fault.message) })).join('; ')
        : `${report.hookErrors.length} hook(s) failed`;
    logger.error(`${summary}; exiting with code ${code} (${why})`);
    notifyObservers(quiescer, 'exit', code);
    process.exit(code);
  }
  if (policy.reraiseSignal && isSignalName(reason)) {
    logger.info(`${summary}; re-raising ${reason}`);
    notifyObservers(quiescer, 'exit', 128 + signalNumber(reason));
    for (const step of state.beforeReraise) step();
    state.beforeReraise.clear();
    // With other listeners left the signal would not end the process: exit with its status instead.
    if (process.listenerCount(reason) === 0) process.kill(process.pid, reason);
    else process.exit(128 + signalNumber(reason));
    return;
  }
  logger.info(`${summary}; exiting with code 0`);
  notifyObservers(quiescer, 'exit', 0);
  process.exit(0);
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, ms));
}
