// The clocks that age work in flight: monotonic (a wall-clock step must not age work or cut a
// grace short), in milliseconds kept as 30-bit offsets so that V8 stores them as small integers
// rather than boxed doubles (bytes per task matter with 100,000 in flight); the modular difference
// stays right for any age under 12 days.
//
// Stamps taken on every task and request come from a coarse clock: reading the system clock for
// each would cost a sixth of `track()` and two readings per request, only to age work that almost
// never reaches a report. It reads the clock at most once per tick while it is in use, and an
// unreferenced timer marks the reading stale, so an idle process has no timer running. A stamp is
// at most one tick behind, or one event-loop turn when a turn runs longer than that (the same
// staleness as the loop time Node's own timers start from).

import { setTimeout as setNativeTimeout } from 'node:timers';

const clockMask = 0x3fffffff;

/** Milliseconds since the process started, as a 30-bit offset (the bit operation truncates). */
export const clock = (): number => performance.now() & clockMask;

/** Milliseconds from one `clock()` (or `coarseClock()`) reading to a later one. */
export const ageSince = (start: number, now: number): number => (now - start) & clockMask;

/** How far behind `clock()` a coarse stamp can be, in milliseconds. */
export const coarseClockTickMs = 10;

let reading: number | undefined;
let staleTimer: ReturnType<typeof setNativeTimeout> | undefined;

function markStale(): void {
  reading = undefined;
}

/** `clock()`, read again only once the last reading is a tick old. */
export function coarseClock(): number {
  if (reading !== undefined) return reading;
  reading = clock();
  // Imported from node:timers, not the global: fake timers in an application's tests must not
  // freeze it, and it is not the application's timer (never tracked, never keeps the process up).
  if (staleTimer === undefined) staleTimer = setNativeTimeout(markStale, coarseClockTickMs).unref();
  else staleTimer.refresh();
  return reading;
}

/**
 * Milliseconds that have certainly passed since a `coarseClock()` stamp. The stamp may be a tick
 * early, so this errs short: for a wait that must not be cut short, such as an idle grace.
 */
export function leastAgeSinceCoarse(stamp: number): number {
  return Math.max(0, ageSince(stamp, clock()) - coarseClockTickMs);
}
