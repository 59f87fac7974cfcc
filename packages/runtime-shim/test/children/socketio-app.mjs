// A Socket.IO server on a tracked http server: a "slow" event is acknowledged after 300 ms by a
// tracked handler; the clients must get that answer, then a server disconnect.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { installShutdownHandlers, trackCallback, trackServer } from '@quiesce/runtime-shim';

installShutdownHandlers({ timeoutMs: 10_000 });
const server = createServer((_req, res) => res.end('http ok\n'));
const io = new Server(server);
trackServer(server);
trackServer(io);
io.on('connection', (socket) => {
  socket.on(
    'slow',
    trackCallback(async (ack) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      ack('slow answered');
    }, { name: 'socket.io slow' }),
  );
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
