// The shutdown report and the lines the logger prints for it.

import type { HookFailure } from './hooks.js';
import type { PendingWork, TaskFailure } from './work.js';

/** An error nobody caught (an `uncaughtException` or `unhandledRejection`) that reached the quiescer. */
export interface Fault {
  origin: 'uncaughtException' | 'unhandledRejection';
  message: string;
  /** The name of the tracked task it came from, when it was one. */
  task?: string;
  /** The error itself (not kept across cluster IPC). */
  error?: unknown;
}

export interface ShutdownReport {
  /** Why shutdown started: the signal name, or the reason given to `shutdown()`. */
  reason: string;
  /** When shutdown started (ms since the epoch). */
  startedAt: number;
  /** From the start of shutdown to the end of cleanup. */
  durationMs: number;
  /** The deadline that applied. */
  timeoutMs: number;
  /** True when the drain or the hooks were cut off by the deadline. */
  deadlineHit: boolean;
  /** Tracked timers cleared at intake. */
  timersStopped: number;
  /** Tracked timers created after intake: cancelled, never run. */
  timersCancelled: number;
  /** Work (tasks, timer callbacks, requests) that finished after shutdown started. */
  tasksCompleted: number;
  /** Work still in flight when the deadline hit (empty after a full drain). */
  pending: PendingWork[];
  /** Hooks that threw or overran. */
  hookErrors: HookFailure[];
  /** Tracked tasks that rejected while shutdown ran (the drain of the rest went on). */
  taskErrors: TaskFailure[];
  /** Uncaught errors recorded before or during the shutdown (see `onFatal`): each makes the exit code non-zero. */
  faults: Fault[];
  /** How many hooks ran, by phase. */
  hooksRun: { intake: number; cleanup: number };
  /** Time spent in each phase, in ms. */
  phases: { intakeMs: number; drainMs: number; cleanupMs: number };
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function describePending(pending: readonly PendingWork[], limit = 20): string {
  const shown = pending.slice(0, limit).map((work) => `${work.kind} '${work.name}' (${formatDuration(work.ageMs)} old)`);
  if (pending.length > limit) shown.push(`… and ${pending.length - limit} more`);
  return shown.join(', ');
}

export function intakeLine(reason: string, timersStopped: number, intakeHooks: number, inFlight: number, ms: number): string {
  return (
    `${reason}: intake — stopped ${plural(timersStopped, 'timer')}, ran ${plural(intakeHooks, 'intake hook')}; ` +
    `draining ${plural(inFlight, 'piece')} of work in flight (${formatDuration(ms)})`
  );
}

export function drainLine(report: Pick<ShutdownReport, 'tasksCompleted' | 'pending'>, ms: number, deadlineHit: boolean): string {
  if (!deadlineHit) return `drain — ${plural(report.tasksCompleted, 'piece')} of work finished, nothing pending (${formatDuration(ms)})`;
  return `drain — deadline hit after ${formatDuration(ms)}: ${report.pending.length} still pending: ${describePending(report.pending)}`;
}

export function cleanupLine(hooks: number, failures: number, ms: number): string {
  return `cleanup — ran ${plural(hooks, 'cleanup hook')}${failures ? `, ${failures} failed` : ''} (${formatDuration(ms)})`;
}

export function describeFault(fault: Fault): string {
  return `${fault.origin}${fault.task ? ` in '${fault.task}'` : ''}: ${fault.message}`;
}
