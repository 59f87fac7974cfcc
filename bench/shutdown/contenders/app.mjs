// The service every contender runs: each request asks for its own duration (?ms=…), so the load
// client decides how long requests stay in flight. The child prints its port as one JSON line.
import { createServer } from 'node:http';

/** When this process last finished writing a response (wall clock), reported at exit. */
let lastResponseAt;
const epochNow = () => performance.timeOrigin + performance.now();

export function handleRequest(request, response) {
  response.on('finish', () => {
    lastResponseAt = epochNow();
  });
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const durationMs = Number(url.searchParams.get('ms') ?? '0');
  // A delay inside running work, not scheduled work: the global setTimeout on purpose.
  setTimeout(() => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok\n');
  }, durationMs);
}

export function createAppServer() {
  return createServer(handleRequest);
}

export function listenAndAnnounce(server) {
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
  // The time from the last response to the exit, seen by the server itself (writes to a pipe are
  // synchronous on Linux): the harness is busy with the load and sees both events late. Not
  // emitted when a signal ends the process; the harness then uses what it saw.
  process.on('exit', () => {
    process.stdout.write(`${JSON.stringify({ exitAt: epochNow(), lastResponseAt })}\n`);
  });
  return server;
}

/** Grace period given to every contender that has one: longer than the harness's hard limit. */
export const GRACE_MS = 30_000;
