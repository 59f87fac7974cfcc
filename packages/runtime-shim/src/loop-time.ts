// The time at which work begins, read once per turn of the event loop. Reading the clock is a
// system call on many virtual machines (no vDSO fast path for their clock source), and under load a
// server paid more for the two readings per request than for the rest of its tracking (measured
// with `npm run bench:shutdown`). A turn's I/O callbacks run within milliseconds of each other, so
// the work they begin can share one reading: the first use in a turn reads the clock, and an
// immediate, which runs once the turn's I/O callbacks are done, lets the next use read it again.

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
    setImmediate(expire).unref();
  }
  return reading;
}
