// BASELINE ONLY, for packages/verify/bench/run.mjs: a frozen copy of the load driver bench/shutdown
// used before it moved into @quiesce/verify (bench/shutdown/load.mjs at the commit before #18). It
// is kept here, and only here, so the benchmark can show that the package's driver sustains at
// least its request rate. Nothing else imports it.
// The load client: a fixed number of workers, each sending one request at a time with node:http,
// through a keep-alive agent or a non-keep-alive one, and recording how every request ended.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a failed request failed. A refused connection is the clean failure: the client may retry it. */
export function classifyError(error) {
  if (error.code === 'ECONNREFUSED') return 'refused';
  if (error.message === 'socket hang up') return 'hangup';
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'aborted') return 'reset';
  if (error.code === 'ETIMEDOUT') return 'timeout';
  return 'other';
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

function sendRequest({ port, agent, durationMs, timeoutMs }) {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let settled = false;
    const finish = (outcome, status) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ startedAt, endedAt: performance.now(), outcome, status });
    };
    const outgoing = request(
      { host: '127.0.0.1', port, path: `/?ms=${durationMs}`, agent },
      (response) => {
        response.on('error', (error) => finish(classifyError(error)));
        response.on('aborted', () => finish('reset'));
        response.on('end', () => finish(response.statusCode === 200 ? 'ok' : 'status', response.statusCode));
        response.resume();
      },
    );
    const timer = setTimeout(() => {
      finish('timeout');
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', (error) => finish(classifyError(error)));
    outgoing.end();
  });
}

/**
 * Starts `concurrency` workers against 127.0.0.1:port. Each keeps sending while `shouldContinue()`
 * is true; after a refused connection it waits `retryDelayMs` (as a client retrying would).
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
  const agent = new Agent({ keepAlive, maxSockets: Infinity });
  const nextDuration = durationSequence(seed, minDurationMs, maxDurationMs);
  const records = [];
  const worker = async () => {
    while (shouldContinue() && records.length < maxRequests) {
      const durationMs = nextDuration();
      const record = await sendRequest({ port, agent, durationMs, timeoutMs: requestTimeoutMs });
      records.push(record);
      if (record.outcome !== 'ok') await sleep(retryDelayMs);
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker)).then(() => records);
  // The caller closes the pool when the scenario ends: until then idle keep-alive sockets stay
  // pooled, as they do in a real client, and a server must deal with them.
  return { records, done, close: () => agent.destroy() };
}
