// The shapes quiesce-verify records and prints (`--format json`) and the HTML timeline renders. They
// are a contract: the JSON report is read by users' CI, the timeline events are written by
// @quiesce/runtime-shim (QUIESCE_TIMELINE_FILE). Times are ms since the epoch (fractional), taken
// from `performance.timeOrigin + performance.now()` on both sides, so they share one clock.

/** One line of the file the shim writes when QUIESCE_TIMELINE_FILE names it (JSON Lines). In a
 * report, an event of a node:cluster worker (read from its `<file>.<pid>`) also carries `worker`:
 * that worker's pid; the service's own process's events have none. */
export type TimelineEvent = TimelineEventOf & { worker?: number };

type TimelineEventOf =
  | { event: 'start'; t: number; pid: number; timeoutMs: number }
  | { event: 'signal'; t: number; signal: string }
  | { event: 'shutdown-start'; t: number; reason: string }
  | { event: 'phase-start'; t: number; phase: 'intake' | 'drain' | 'cleanup' }
  | { event: 'phase-end'; t: number; phase: 'intake' | 'drain' | 'cleanup' }
  | { event: 'timers-stopped'; t: number; count: number }
  | { event: 'work-after-intake'; t: number; kind: string; name: string; location?: string }
  | { event: 'deadline'; t: number; pending: Array<{ kind: string; name: string; ageMs: number; location?: string }> }
  | { event: 'fault'; t: number; origin: string; message: string; task?: string }
  | { event: 'exit'; t: number; code: number };

export type RequestOutcome =
  /** A complete response with a success or redirect status (< 500, or the status the user allows). */
  | 'completed'
  /** A complete response with a 503 (or other 5xx) status. Clean after the signal, a loss before it. */
  | 'status'
  /** The connection was refused (ECONNREFUSED): clean after the signal. */
  | 'refused'
  /** The connection was reset or closed without a response (ECONNRESET, socket hang up). */
  | 'reset'
  /** No response within the request timeout. */
  | 'hung'
  /** Any other client error (named in `error`). */
  | 'error';

export interface RequestRecord {
  id: number;
  method: string;
  path: string;
  /** When the request was sent and when its outcome was known. */
  start: number;
  end: number;
  outcome: RequestOutcome;
  status?: number;
  error?: string;
  /** Sent before the signal and not finished when it was sent. */
  inFlightAtSignal: boolean;
  /** Sent after the signal. */
  afterSignal: boolean;
}

export type CheckId =
  | 'ready'
  | 'in-flight-lost'
  | 'unclean-after-signal'
  | 'work-after-intake'
  | 'deadline'
  | 'exit-code'
  | 'exit-lag'
  | 'load';

export interface Check {
  id: CheckId;
  passed: boolean;
  /** True when the check could not be made (e.g. no timeline): passed, but proves nothing. */
  skipped?: boolean;
  /** One line a person reads: what was measured and, when failed, what was lost. */
  message: string;
}

export interface RunReport {
  run: number;
  startedAt: number;
  readyAt: number | null;
  signal: string;
  signalAt: number | null;
  exitAt: number | null;
  exitCode: number | null;
  /** The signal that ended the process when it did not exit by itself (e.g. SIGKILL at the hard limit). */
  exitSignal: string | null;
  /** From the last completed work (response or load unit) to the exit, ms. */
  exitLagMs: number | null;
  /** How exitLagMs was measured: 'timeline' from the shim's own exit and phase ends (exact);
   * 'observed' from when quiesce-verify saw the answers and the exit (late by its own event-loop
   * delay under load). */
  exitLagSource?: 'timeline' | 'observed';
  requests: RequestRecord[];
  /** Units of `--load <module>` work, with the same outcome words as requests. */
  work: RequestRecord[];
  /** The shim's own account, when the service ran the shim; null when it wrote none. A cluster's
   * workers' events are merged in, in time order, each with its `worker` pid. */
  timeline: TimelineEvent[] | null;
  /** The service's stdout and stderr, last lines, for the reader of a failed run. */
  outputTail: string[];
  checks: Check[];
  verdict: 'pass' | 'fail';
}

export interface VerifyReport {
  version: 1;
  command: string[];
  options: Record<string, unknown>;
  runs: RunReport[];
  verdict: 'pass' | 'fail';
}
