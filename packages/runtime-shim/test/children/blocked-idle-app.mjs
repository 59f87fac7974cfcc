// A tracked server whose event loop is blocked while a keep-alive client sends its next request:
// `/stream` sends its headers (keep-alive) before the signal and ends once the listener has closed,
// so its connection becomes idle during shutdown; right after, the loop is blocked (in the check
// phase) past the idle grace until the test has sent the next request on that connection
// (FLAG_FILE exists). The request is then waiting in the kernel, unread, when the loop goes on.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { installShutdownHandlers, trackServer } from '@quiesce/runtime-shim';

const idleSocketGraceMs = 50;
installShutdownHandlers({ timeoutMs: 10_000 });
const server = createServer((request, response) => {
  if (request.url !== '/stream') {
    response.end(`answer to ${request.url}`);
    return;
  }
  response.writeHead(200, { 'content-length': '11' });
  response.write('first\n');
  const listenerClosed = setInterval(() => {
    if (server.listening) return;
    clearInterval(listenerClosed);
    response.end('last\n');
  }, 5);
  // After the tracked server's own close listener (it was added first), so its idle timer is set.
  response.on('close', () =>
    setImmediate(() => {
      console.log('blocking');
      const until = performance.now() + 3 * idleSocketGraceMs;
      while (performance.now() < until || !existsSync(process.env.FLAG_FILE)) {
        // blocked, as a busy or starved process is
      }
    }),
  );
});
trackServer(server, { idleSocketGraceMs });
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
