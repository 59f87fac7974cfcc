// The time at which work begins, read once per turn of the event loop. Reading the clock is a
// system call on many virtual machines (no vDSO fast path for their clock source): on the 2-vCPU
// VM we measure on, one reading cost about 120 ns, and the two a request took were a third of
// trackServer's cost per request in process (`npm run bench:shutdown`). A turn's I/O callbacks run
// within milliseconds of each other, so the work they begin can share one reading: the first use
// in a turn reads the clock, and an immediate, which runs once the turn's I/O callbacks are done,
// lets the next use read it again.

import { setImmediate } from 'node:timers';

// Node's own, taken when this module loads: a test's fake timers must not freeze the reading.
const afterThisTurn = setImmediate;

let reading = 0;
let fresh = false;

function expire(): void {
  fresh = false;
}

/** Milliseconds on `performance.now()`'s scale, as read at most once per turn of the event loop. */
export function loopTime(): number {
  if (!fresh) {
    reading = performance.now();
    fresh = true;
    // Unreferenced: it must not keep a process alive that has nothing else to do.
    afterThisTurn(expire).unref();
  }
  return reading;
}
