// quiesce on Socket.IO: trackServer(server) and trackServer(io) (clients disconnected once drained),
// event handlers tracked.
import { startSocketIo } from './messages-app.mjs';

const { installShutdownHandlers, trackCallback, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({ timeoutMs: 30_000, logger: false });
await startSocketIo({
  handler: (fn) => trackCallback(fn, { name: 'socket.io wait' }),
  beforeListen: (server, io) => {
    trackServer(server);
    trackServer(io);
  },
});
