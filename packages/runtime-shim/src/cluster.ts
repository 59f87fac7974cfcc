// node:cluster: the primary passes the shutdown on to its workers, each worker drains as a
// single process would, and the primary exits after them with one combined report.
//
// Call `installClusterShutdown()` in the primary and in every worker (the same line at the top
// of a cluster script). The primary forwards over IPC rather than by signal: after Ctrl-C a
// terminal has already sent SIGINT to every worker, and a second signal means "exit at once".

import cluster, { type Worker } from 'node:cluster';
import {
  expectFunction,
  shutdownAndExit,
  stderrLogger,
  type ExitPolicyOptions,
  type Logger,
  type QuiescerCore,
  type QuiescerOptions,
  type ShutdownReport,
} from './core/index.js';

export interface WorkerShutdown {
  id: number;
  pid: number | undefined;
  /** The worker's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The worker's own report, when it sent one before exiting. */
  report: ShutdownReport | undefined;
}

export interface ClusterShutdownReport {
  primary: ShutdownReport;
  workers: WorkerShutdown[];
}

export interface ClusterShutdownOptions extends QuiescerOptions, Omit<ExitPolicyOptions, 'onReport'> {
  /** Signals that start the shutdown. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  /** Primary: called with the combined report before exiting. Worker: called with its own report. */
  onReport?: (report: ClusterShutdownReport | ShutdownReport) => unknown;
}

interface ShutdownRequest {
  quiesce: 'shutdown';
  signal: NodeJS.Signals;
}

interface ReportMessage {
  quiesce: 'report';
  report: ShutdownReport;
}

function isMessage<T extends { quiesce: string }>(message: unknown, kind: T['quiesce']): message is T {
  return typeof message === 'object' && message !== null && (message as { quiesce?: unknown }).quiesce === kind;
}

/** Errors do not survive JSON IPC; their messages already sit in each failure's text. */
function serializable(report: ShutdownReport): ShutdownReport {
  return {
    ...report,
    hookErrors: report.hookErrors.map(({ error: _error, ...failure }) => failure),
    taskErrors: (report.taskErrors ?? []).map(({ error: _error, ...failure }) => failure),
    faults: (report.faults ?? []).map(({ error: _error, ...fault }) => fault),
  };
}

/** What the cluster needs of signal handling (signals.ts, passed in by the package index). */
export type InstallSignalHandlers = (
  quiescer: QuiescerCore,
  options: Omit<ClusterShutdownOptions, 'onReport'> & ExitPolicyOptions,
) => () => void;

export function installClusterShutdownOn(
  quiescer: QuiescerCore,
  installSignalHandlers: InstallSignalHandlers,
  options?: ClusterShutdownOptions,
): () => void {
  if (options?.onReport !== undefined) expectFunction('installClusterShutdown', 'options.onReport', options.onReport);
  return cluster.isPrimary
    ? installInPrimary(quiescer, installSignalHandlers, options)
    : installInWorker(quiescer, installSignalHandlers, options);
}

function installInWorker(
  quiescer: QuiescerCore,
  installShutdownHandlersOn: InstallSignalHandlers,
  options: ClusterShutdownOptions | undefined,
): () => void {
  const userOnReport = options?.onReport;
  const uninstall = installShutdownHandlersOn(quiescer, {
    ...options,
    logger: options?.logger === undefined ? workerLogger() : options.logger,
    onReport: async (report) => {
      await new Promise<void>((resolve) => {
        if (!process.connected || !process.send) resolve();
        else process.send({ quiesce: 'report', report: serializable(report) } satisfies ReportMessage, undefined, {}, () => resolve());
      });
      await userOnReport?.(report);
    },
  });
  const onMessage = (message: unknown): void => {
    if (!isMessage<ShutdownRequest>(message, 'shutdown')) return;
    // A forwarded shutdown is not a signal the worker received: after Ctrl-C the terminal's own
    // SIGINT may reach the worker after this message, and it must count as the first signal, not
    // as the second that means "exit at once". If the worker is already draining, this is a no-op.
    void shutdownAndExit(quiescer, message.signal);
  };
  process.on('message', onMessage);
  return () => {
    uninstall();
    process.removeListener('message', onMessage);
  };
}

/** Exit 0, or ended by its own re-raised signal (`reraiseSignal`) after a full drain. */
function drainedCleanly(worker: WorkerShutdown): boolean {
  if (worker.exitCode === 0) return true;
  const report = worker.report;
  return worker.exitCode === null && report !== undefined && !report.deadlineHit && report.hookErrors.length === 0;
}

/** The default logger, with each line saying which worker wrote it. */
function workerLogger(): Logger {
  const prefix = `worker ${cluster.worker?.id ?? '?'}: `;
  return {
    info: (message) => stderrLogger.info(prefix + message),
    warn: (message) => stderrLogger.warn(prefix + message),
    error: (message) => stderrLogger.error(prefix + message),
  };
}

function describeWorker(worker: WorkerShutdown): string {
  const ended = worker.exitCode !== null ? `exit ${worker.exitCode}` : `ended by ${worker.signal ?? 'unknown'}`;
  const drained = worker.report
    ? `, ${worker.report.tasksCompleted} piece(s) of work finished in ${worker.report.durationMs} ms` +
      (worker.report.pending.length > 0 ? `, ${worker.report.pending.length} pending at the deadline` : '')
    : ', no report';
  return `worker ${worker.id} (pid ${worker.pid ?? '?'}): ${ended}${drained}`;
}

function installInPrimary(
  quiescer: QuiescerCore,
  installShutdownHandlersOn: InstallSignalHandlers,
  options: ClusterShutdownOptions | undefined,
): () => void {
  const reports = new Map<number, ShutdownReport>();
  const outcomes: WorkerShutdown[] = [];
  const onMessage = (worker: Worker, message: unknown): void => {
    if (isMessage<ReportMessage>(message, 'report')) reports.set(worker.id, message.report);
  };
  cluster.on('message', onMessage);

  const stopWorkers = async (context: { reason: string }): Promise<void> => {
    const signal = (context.reason.startsWith('SIG') ? context.reason : 'SIGTERM') as NodeJS.Signals;
    const exits = Object.values(cluster.workers ?? {}).flatMap((worker) => {
      if (worker === undefined || worker.isDead()) return [];
      const pid = worker.process.pid;
      const work = quiescer.beginWork({
        kind: 'worker',
        name: `cluster worker ${worker.id} (pid ${pid ?? '?'})`,
        onDeadline: () => worker.process.kill('SIGKILL'),
      });
      const exited = new Promise<void>((resolve) => {
        worker.once('exit', (exitCode: number | null, exitSignal: NodeJS.Signals | null) => {
          outcomes.push({ id: worker.id, pid, exitCode, signal: exitSignal, report: reports.get(worker.id) });
          work.end();
          resolve();
        });
      });
      if (worker.isConnected()) worker.send({ quiesce: 'shutdown', signal } satisfies ShutdownRequest);
      else worker.process.kill(signal);
      return [exited];
    });
    // Not awaited here: the drain waits for the workers (they are work in flight).
    void Promise.all(exits);
  };

  // A worker that did not drain makes the primary's shutdown fail, so the exit code says so.
  const checkWorkers = (): void => {
    outcomes.sort((a, b) => a.id - b.id);
    for (const outcome of outcomes) quiescer.log.info(describeWorker(outcome));
    const failed = outcomes.filter((outcome) => !drainedCleanly(outcome));
    if (failed.length > 0) throw new Error(`${failed.length} worker(s) did not drain cleanly: ${failed.map(describeWorker).join('; ')}`);
  };

  const unregisterIntake = quiescer.onShutdown(stopWorkers, { phase: 'intake', name: 'cluster: stop workers' });
  // Cleanup hooks run last registered first: hooks the application registers later run before this check.
  const unregisterCheck = quiescer.onShutdown(checkWorkers, { phase: 'cleanup', name: 'cluster: workers drained' });
  const userOnReport = options?.onReport;
  const uninstall = installShutdownHandlersOn(quiescer, {
    ...options,
    onReport: (primary) => userOnReport?.({ primary, workers: [...outcomes] }),
  });
  return () => {
    uninstall();
    unregisterIntake();
    unregisterCheck();
    cluster.removeListener('message', onMessage);
  };
}
