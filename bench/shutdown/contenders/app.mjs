// The service every contender runs: each request asks for its own duration (?ms=…), so the load
// client decides how long requests stay in flight. The child prints its port as one JSON line.
import { createServer } from 'node:http';

/** When this process last finished writing a response (wall clock), reported at exit. */
let lastResponseAt;
const epochNow = () => performance.timeOrigin + performance.now();

/** Notes when a response (a node:http ServerResponse, whatever framework wrote it) finished. */
export function noteResponse(response) {
  response.on('finish', () => {
    lastResponseAt = epochNow();
  });
}

/** The request's own duration, from `?ms=…` of its URL. */
export function durationOf(url) {
  return Number(new URL(url ?? '/', 'http://127.0.0.1').searchParams.get('ms') ?? '0');
}

export function handleRequest(request, response) {
  noteResponse(response);
  const durationMs = durationOf(request.url);
  // A delay inside running work, not scheduled work: the global setTimeout on purpose.
  setTimeout(() => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok\n');
  }, durationMs);
}

/**
 * A fixed amount of arithmetic, sized at startup to take about `ns` nanoseconds (the median of a few
 * timed batches). A clock read in a spin loop would cost more than it measures on some machines.
 */
function fixedWork(ns) {
  let sink = 0;
  const run = (iterations) => {
    let x = sink | 1;
    for (let i = 0; i < iterations; i++) x = (x ^ (x << 13) ^ (x >>> 17) ^ (x << 5)) | 0;
    sink = x;
  };
  const batch = 1_000_000;
  run(batch); // let the JIT compile it before it is timed
  const nsPerIteration = [];
  for (let sample = 0; sample < 5; sample++) {
    const started = process.hrtime.bigint();
    run(batch);
    nsPerIteration.push(Number(process.hrtime.bigint() - started) / batch);
  }
  nsPerIteration.sort((a, b) => a - b);
  const iterations = Math.max(1, Math.round(ns / nsPerIteration[2]));
  return () => run(iterations);
}

/**
 * `extraWorkNs`: this much fixed work in every request before handling it. The throughput
 * benchmark's calibration: a server with a known extra cost shows what the measure can resolve.
 */
export function createAppServer({ extraWorkNs = 0 } = {}) {
  if (extraWorkNs <= 0) return createServer(handleRequest);
  const extraWork = fixedWork(extraWorkNs);
  return createServer((request, response) => {
    extraWork();
    handleRequest(request, response);
  });
}

export function listenAndAnnounce(server) {
  server.listen(0, '127.0.0.1', () => announce(server.address().port));
  return server;
}

/** Prints the port (the harness waits for it) and, at exit, when the last response finished. */
export function announce(port) {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  // The time from the last response to the exit, seen by the server itself (writes to a pipe are
  // synchronous on Linux): the harness is busy with the load and sees both events late. Not
  // emitted when a signal ends the process; the harness then uses what it saw.
  process.on('exit', () => {
    process.stdout.write(`${JSON.stringify({ exitAt: epochNow(), lastResponseAt })}\n`);
  });
}

/** Grace period given to every contender that has one: longer than the harness's hard limit. */
export const GRACE_MS = 30_000;
