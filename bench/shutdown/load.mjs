// The load client: @quiesce/verify's HTTP load driver (a fixed number of workers, one request at a
// time each, through a keep-alive agent or not) sending each request its own duration (`/?ms=…`),
// with its outcomes in the benchmark's words.
import { startHttpLoad } from '@quiesce/verify';

/**
 * The benchmark's name for a request's outcome: verify's, with a hang-up (`socket hang up`) told
 * apart from a reset, as the tables do.
 * @param {import('@quiesce/verify').RequestRecord} record
 */
export function benchOutcome(record) {
  switch (record.outcome) {
    case 'completed':
      return record.status === 200 ? 'ok' : 'status';
    case 'reset':
      return record.error === 'socket hang up' ? 'hangup' : 'reset';
    case 'hung':
      return 'timeout';
    case 'error':
      return 'other';
    default:
      return record.outcome; // 'refused', 'status'
  }
}

/**
 * Request durations as an additive (golden-ratio) sequence: spread evenly over the range, the same
 * for every contender given the same seed, with no random generator to share.
 */
export function durationSequence(seed, minMs, maxMs) {
  const goldenRatio = 0.6180339887498949;
  let fraction = (seed * goldenRatio) % 1;
  return () => {
    fraction = (fraction + goldenRatio) % 1;
    return Math.round(minMs + fraction * (maxMs - minMs));
  };
}

/**
 * Starts `concurrency` workers against 127.0.0.1:port. Each keeps sending while `shouldContinue()`
 * is true; after a failure it waits `retryDelayMs` (as a client retrying would). Records carry
 * `startedAt`/`endedAt` in ms since the epoch (the clock of child.mjs's `signal()` and exits).
 */
export function startLoad({
  port,
  keepAlive,
  concurrency = 100,
  minDurationMs = 50,
  maxDurationMs = 500,
  seed = 1,
  shouldContinue,
  requestTimeoutMs = 20_000,
  retryDelayMs = 50,
  maxRequests = 200_000,
}) {
  const nextDuration = durationSequence(seed, minDurationMs, maxDurationMs);
  const records = [];
  const load = startHttpLoad({
    port,
    keepAlive,
    concurrency,
    shouldContinue,
    requestTimeoutMs,
    retryDelayMs,
    maxRequests,
    nextRequest: () => ({ method: 'GET', path: `/?ms=${nextDuration()}` }),
    onRecord: (record) => records.push({ startedAt: record.start, endedAt: record.end, outcome: benchOutcome(record), status: record.status }),
  });
  // The caller closes the pool when the scenario ends: until then idle keep-alive sockets stay
  // pooled, as they do in a real client, and a server must deal with them.
  return { records, done: load.done.then(() => records), close: load.close };
}
