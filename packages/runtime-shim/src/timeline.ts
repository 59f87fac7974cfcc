// The shutdown's timeline as a file, for a tool that runs the service and judges its shutdown
// (quiesce-verify sets QUIESCE_TIMELINE_FILE): one JSON object a line, each written synchronously
// as it happens, so nothing is lost however the process ends. A file that cannot be opened or
// written costs one warning on stderr and nothing else: a shutdown never fails for its record.
//
// In a node:cluster worker the file is `<path>.<pid>`: each process writes its own file (the
// events carry no pid, so lines of several processes in one file could not be told apart); the
// primary, or a process outside a cluster, writes `<path>` itself.

import cluster from 'node:cluster';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createAsyncLineage, observeShutdown, stateOf, type QuiescerCore, type ShutdownObserver } from './core/index.js';

export const timelineVariable = 'QUIESCE_TIMELINE_FILE';

export interface TimelineOptions {
  /**
   * Appends the shutdown's timeline to this file as JSON Lines (docs/timeline.md); in a cluster
   * worker to `<file>.<pid>`. Default: the QUIESCE_TIMELINE_FILE environment variable; none if unset.
   */
  timelineFile?: string;
}

interface TimelineState {
  path: string | undefined;
}

const now = (): number => performance.timeOrigin + performance.now();

/** The file this process writes, given the path asked for. */
export function timelinePathFor(path: string): string {
  return cluster.isWorker ? `${path}.${process.pid}` : path;
}

/**
 * Starts the timeline of this quiescer's shutdown, once per quiescer (a second call with another
 * path keeps the first and warns). Nothing happens when no file is named.
 */
export function installTimelineOn(quiescer: QuiescerCore, requested: string | undefined): void {
  if (requested === undefined || requested.trim() === '') return;
  const state = stateOf<TimelineState>(quiescer, 'timeline-state@1', () => ({ path: undefined }));
  const path = timelinePathFor(requested);
  if (state.path !== undefined) {
    if (state.path !== path) warn(`the timeline already goes to ${state.path}; ignoring ${path}`);
    return;
  }
  state.path = path;

  let fd: number | undefined;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    warn(`cannot open the timeline file ${path}: ${messageOf(error)}; no timeline is written`);
    return;
  }
  let exitWritten = false;
  const write = (event: Record<string, unknown>): void => {
    if (fd === undefined) return;
    try {
      writeSync(fd, `${JSON.stringify({ event: event['event'], t: now(), ...event })}\n`);
    } catch (error) {
      warn(`cannot write the timeline file ${path}: ${messageOf(error)}; the timeline stops here`);
      try {
        closeSync(fd);
      } catch {
        // Already unusable.
      }
      fd = undefined;
    }
  };
  const writeExit = (code: number): void => {
    if (exitWritten) return;
    exitWritten = true;
    write({ event: 'exit', code });
  };

  const observer: ShutdownObserver = {
    signal: (signal) => write({ event: 'signal', signal }),
    shutdownStart: (reason) => write({ event: 'shutdown-start', reason }),
    phaseStart: (phase) => write({ event: 'phase-start', phase }),
    phaseEnd: (phase) => write({ event: 'phase-end', phase }),
    timersStopped: (count) => write({ event: 'timers-stopped', count }),
    workAfterIntake: (work) => write({ event: 'work-after-intake', ...work }),
    deadline: (pending) => write({ event: 'deadline', pending }),
    fault: (fault) => write({ event: 'fault', origin: fault.origin, message: fault.message, ...(fault.task ? { task: fault.task } : {}) }),
    exit: writeExit,
  };
  observeShutdown(quiescer, observer, createAsyncLineage());
  // Every other way out (the application's own process.exit, a second signal, the loop running dry).
  process.on('exit', (code) => writeExit(typeof code === 'number' ? code : 0));
  write({ event: 'start', pid: process.pid, timeoutMs: quiescer.timeoutMs });
}

let warned = false;

/** Once per process: a broken timeline file is one line on stderr, not a flood. */
function warn(message: string): void {
  if (warned) return;
  warned = true;
  try {
    process.stderr.write(`[quiesce] warning: ${message}\n`);
  } catch {
    // stderr itself is gone: nothing left to tell.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
