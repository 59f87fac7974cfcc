// A plain net.Server: the protocol is unknown, so each connection is one piece of work. At
// shutdown the listener closes; open connections finish on their own unless `closeConnections`
// says how to end them for this protocol. At the deadline the rest are destroyed.

import type { Server as NetServer, Socket } from 'node:net';
import type { QuiescerCore } from '../core/index.js';
import type { ProtocolDrain } from './intake.js';

export function trackNetServer(
  quiescer: QuiescerCore,
  server: NetServer,
  closeConnections: ((sockets: ReadonlySet<Socket>) => unknown) | undefined,
): ProtocolDrain {
  const sockets = new Set<Socket>();
  let shuttingDown = false;
  let lastClosedAt = Number.NEGATIVE_INFINITY;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    const work = quiescer.beginWork({
      kind: 'connection',
      name: `connection from ${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? '?'}`,
      onDeadline: () => socket.destroy(),
    });
    socket.once('close', () => {
      if (shuttingDown) lastClosedAt = performance.now();
      sockets.delete(socket);
      work.end();
    });
  });
  return {
    beginShutdown() {
      shuttingDown = true;
    },
    stopIntake() {
      return closeConnections !== undefined && sockets.size > 0 ? closeConnections(sockets) : undefined;
    },
    lastActivityAt: () => lastClosedAt,
  };
}
