// The message service every ws, Socket.IO and gRPC contender runs: a message (or call) asks for its
// own duration, `{ id, ms }`, and is answered `{ id }` after it. The child prints its port as one
// JSON line and, at exit, when it last sent an answer or saw a connection close (the harness's
// child.mjs reads both): a WebSocket server's shutdown ends with closing handshakes, which take a
// round trip to each client, so its exit is due after the last of them, not after the last answer.
import { setTimeout as sleep } from 'node:timers/promises';

let lastReplyAt;
const epochNow = () => performance.timeOrigin + performance.now();

/** Waits the message's own duration, then sends the answer with `reply` (true if it went out). */
export async function answer(message, reply) {
  await sleep(message.ms);
  if (reply({ id: message.id })) lastReplyAt = epochNow();
}

/** A client connection closed (ws, Socket.IO): the server's last activity may be this. */
export function noteClosed() {
  lastReplyAt = epochNow();
}

export function announce(port) {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on('exit', () => {
    process.stdout.write(`${JSON.stringify({ exitAt: epochNow(), lastResponseAt: lastReplyAt })}\n`);
  });
}

/** The same gRPC service as the shim's tests: JSON messages, one unary method `Wait`. */
const json = {
  serialize: (value) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes) => JSON.parse(bytes.toString()),
};
export const waitService = {
  wait: {
    path: '/demo.Demo/Wait',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

const OPEN = 1;

/** A `ws` WebSocketServer on its own port; `handler` wraps each message handler (trackCallback for quiesce). */
export async function startWs({ handler = (fn) => fn, beforeListen } = {}) {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (client) => {
    client.once('close', noteClosed);
    client.on(
      'message',
      handler(async (data) => {
        await answer(JSON.parse(String(data)), (reply) => {
          if (client.readyState !== OPEN) return false;
          client.send(JSON.stringify(reply));
          return true;
        });
      }),
    );
  });
  beforeListen?.(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  announce(wss.address().port);
  return wss;
}

/** A Socket.IO server on an http server; event `wait` is acknowledged after its duration. */
export async function startSocketIo({ handler = (fn) => fn, beforeListen } = {}) {
  const [{ createServer }, { Server }] = await Promise.all([import('node:http'), import('socket.io')]);
  const server = createServer();
  const io = new Server(server);
  io.on('connection', (socket) => {
    // Its transport's close, not the disconnect packet: the exit is due after the connection ends.
    socket.conn.once('close', noteClosed);
    socket.on(
      'wait',
      handler(async (message, ack) => {
        await answer(message, (reply) => {
          if (!socket.connected) return false;
          ack(reply);
          return true;
        });
      }),
    );
  });
  beforeListen?.(server, io);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  announce(server.address().port);
  return { server, io };
}

/** A @grpc/grpc-js server with the unary `Wait`. */
export async function startGrpc({ beforeListen } = {}) {
  const grpc = await import('@grpc/grpc-js');
  const server = new grpc.Server();
  server.addService(waitService, {
    wait: (call, callback) => {
      void answer(call.request, (reply) => {
        if (call.cancelled) return false;
        callback(null, reply);
        return true;
      });
    },
  });
  beforeListen?.(server);
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  announce(port);
  return server;
}
