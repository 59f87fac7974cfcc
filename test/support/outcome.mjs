// @ts-check
import { describeExit } from './service.mjs';
import { wasCutOff, wasRefused, succeeded } from './http-load.mjs';

/**
 * @typedef {import('./service.mjs').Service} Service
 * @typedef {import('./service.mjs').ServiceEvent} ServiceEvent
 * @typedef {import('./http-load.mjs').RequestResult} RequestResult
 */

/**
 * When the shim logged its intake phase (test clock), if it did: from then on no new work may start.
 * @param {Service} service
 * @param {number} signalSentAt
 */
export function intakeLoggedAt(service, signalSentAt) {
  return service.stderr.find((line) => line.at >= signalSentAt && /\bintake\b/.test(line.text))?.at;
}

/**
 * When the process ended: its own `exit` log line when it wrote one (a process killed by a signal
 * writes none), else when the test saw it exit.
 * @param {Service} service
 */
export function exitedAt(service) {
  const exitEvent = service.events.findLast((event) => event.event === 'exit');
  if (exitEvent) return exitEvent.t;
  if (!service.exit) throw new Error(`${service.name} has not exited`);
  return service.exit.at;
}

/**
 * How the process ended, measured from its log: drain time (signal → exit) and exit latency
 * (last piece of work finished → exit).
 * @param {Service} service
 * @param {number} signalSentAt
 * @param {string[]} workEndEvents events that mark a piece of work finishing
 */
export function measureExit(service, signalSentAt, workEndEvents) {
  if (!service.exit) throw new Error(`${service.name} has not exited`);
  const exitAt = exitedAt(service);
  const lastWorkEnd = service.events
    .filter((event) => workEndEvents.includes(event.event) && event.t <= exitAt)
    .reduce((latest, event) => Math.max(latest, event.t), Number.NEGATIVE_INFINITY);
  return {
    exit: describeExit(service.exit),
    exitCode: service.exit.code,
    exitSignal: service.exit.signal,
    drainMs: exitAt - signalSentAt,
    /** undefined when no work finished at all after the signal */
    exitLatencyMs: lastWorkEnd >= signalSentAt ? exitAt - lastWorkEnd : undefined,
  };
}

/**
 * Requests split by when they started relative to the signal, and how they ended.
 * @param {RequestResult[]} results
 * @param {number} signalSentAt
 */
export function classifyRequests(results, signalSentAt) {
  const beforeSignal = results.filter((result) => result.startedAt < signalSentAt);
  const afterSignal = results.filter((result) => result.startedAt >= signalSentAt);
  return {
    beforeSignal: beforeSignal.length,
    /** started before the signal and never answered: the work the signal destroyed */
    lost: beforeSignal.filter(wasCutOff),
    /** started before the signal and answered with an error status */
    failedBeforeSignal: beforeSignal.filter((result) => result.status !== undefined && !succeeded(result)),
    afterSignal: afterSignal.length,
    refusedAfterSignal: afterSignal.filter(wasRefused).length,
    /** started after the signal and reset, hung up or timed out instead of refused */
    cutOffAfterSignal: afterSignal.filter(wasCutOff),
  };
}

/**
 * Events of the given names logged after `boundary` (work that started too late).
 * @param {Service} service
 * @param {number} boundary
 * @param {string[]} startEvents
 */
export function eventsAfter(service, boundary, startEvents) {
  return service.events.filter((event) => startEvents.includes(event.event) && event.t > boundary);
}
