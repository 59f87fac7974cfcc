// An HTTP service under trackServer and the signal handlers. `/wait?ms=N` answers after N ms,
// `/hang` never answers. TIMEOUT_MS sets the deadline, RERAISE=1 re-raises the signal after a
// full drain, READINESS_DELAY_MS the readiness delay, IDLE_GRACE_MS and FIRST_REQUEST_GRACE_MS the
// idle graces. Prints "listening <port>".
import { createServer } from 'node:http';
import { installShutdownHandlers, readinessHandler, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({
  timeoutMs: Number(process.env.TIMEOUT_MS ?? 5_000),
  reraiseSignal: process.env.RERAISE === '1',
});
const ready = readinessHandler();
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/ready') return ready(request, response);
  if (url.pathname === '/hang') return;
  // A delay inside the request's own work: the global setTimeout.
  setTimeout(() => response.end(`done ${url.search}`), Number(url.searchParams.get('ms') ?? '0'));
});
trackServer(server, {
  readinessDelayMs: Number(process.env.READINESS_DELAY_MS ?? 0),
  ...(process.env.IDLE_GRACE_MS ? { idleSocketGraceMs: Number(process.env.IDLE_GRACE_MS) } : {}),
  ...(process.env.FIRST_REQUEST_GRACE_MS ? { firstRequestGraceMs: Number(process.env.FIRST_REQUEST_GRACE_MS) } : {}),
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
