// A clock for stamps taken on every request. A busy server would read the system clock twice per
// request (arrival, and the moment its connection goes idle) only to name and age work that almost
// never reaches a report; this one reads it at most once per tick while it is in use, and an
// unreferenced timer marks the reading stale. An idle process has no timer running.
//
// A stamp is at most one tick behind, or one event-loop turn when a turn runs longer than that
// (the same staleness as the loop time Node's own timers start from).

import { setTimeout as setNativeTimeout } from 'node:timers';
import { clock } from './work.js';

/** How far behind the registry's `clock()` a coarse stamp can be, in milliseconds. */
export const coarseClockTickMs = 10;

let reading: number | undefined;
let staleTimer: ReturnType<typeof setNativeTimeout> | undefined;

function markStale(): void {
  reading = undefined;
}

/** The registry's `clock()`, read again only once the last reading is a tick old. */
export function coarseClock(): number {
  if (reading !== undefined) return reading;
  reading = clock();
  // Imported from node:timers, not the global: fake timers in an application's tests must not
  // freeze it, and it is not the application's timer (never tracked, never keeps the process up).
  if (staleTimer === undefined) staleTimer = setNativeTimeout(markStale, coarseClockTickMs).unref();
  else staleTimer.refresh();
  return reading;
}
