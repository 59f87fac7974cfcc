// A tracked server whose event loop spends a long poll phase just before its listener would close:
// from 10 ms after SIGTERM (within the 20 ms the listener stays open at least), the first time an
// immediate is scheduled (the listener's close is decided from one, right after a poll phase), a
// byte is written to a loopback connection of this process, so that the poll phase in between runs
// its read callback, which blocks until the test has connected a new client and sent its request
// (FLAG_FILE exists) and 40 ms have passed since the signal. That client's handshake completes in
// the kernel meanwhile: its connection waits in the accept queue, unaccepted, when the loop reaches
// the check phase.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { installShutdownHandlers, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const server = createServer((request, response) => response.end(`answer to ${request.url}`));
trackServer(server);

// The loopback pair: its read callback is the long poll-phase work (a busy request handler's stand-in).
const blocker = createNetServer((socket) =>
  socket.once('data', () => {
    console.log('blocking');
    const limit = performance.now() + 5_000;
    // Until the flag, and past the 20 ms the listener stays open at least, so that it is due.
    while ((!existsSync(process.env.FLAG_FILE) || performance.now() - signalAt < 40) && performance.now() < limit) {
      // blocked in the poll phase
    }
    socket.destroy();
    blocker.close();
  }),
);
blocker.listen(0, '127.0.0.1');
await new Promise((resolve) => blocker.once('listening', resolve));
const trigger = connect(blocker.address().port, '127.0.0.1');
await new Promise((resolve) => trigger.once('connect', resolve));
trigger.on('error', () => {});

let signalAt;
let armed = true;
const scheduleImmediate = globalThis.setImmediate;
globalThis.setImmediate = function watchedSetImmediate(...args) {
  if (armed && signalAt !== undefined && performance.now() - signalAt >= 10) {
    armed = false;
    trigger.end('x');
  }
  return scheduleImmediate(...args);
};
process.once('SIGTERM', () => {
  signalAt = performance.now();
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
