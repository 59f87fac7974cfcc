// Socket.IO: its clients are long-lived (WebSocket, or HTTP long polls that engine.io holds open
// until it has something to send). From the signal on, the events clients send are no longer
// handed to the application (a middleware of each socket drops them), as an HTTP server stops
// taking requests, or a client that keeps emitting would keep the drain from ever ending; the
// events in flight (handlers tracked with `trackCallback`) and the server's requests drain; then
// every client is disconnected by the server (reason "io server disconnect", so socket.io-client
// does not reconnect to this process, and an event it emitted unanswered was not processed), with
// `io.close()` when Socket.IO made its own http server, or `disconnectSockets(true)` when the http
// server is tracked (it is closed by its own drain, not a second time). The long polls wait as
// passive work, so they do not hold the drain up until engine.io's next ping.

import { passiveRequestKey, runOnceDrained, trackedServerKey, upgradeOwnerKey, type QuiescerCore } from '../core/index.js';

interface EventTarget {
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** The part of a Socket.IO namespace the integration uses. */
interface NamespaceLike {
  on(event: 'connection', listener: (socket: { use(middleware: (packet: unknown, next: () => void) => void): unknown }) => void): unknown;
}

/** The part of a Socket.IO Server the integration uses (duck-typed: no dependency on socket.io). */
export interface SocketIoServerLike {
  close(callback?: (error?: Error) => void): unknown;
  disconnectSockets(close?: boolean): unknown;
  of(namespace: string): unknown;
  path(): string;
  httpServer?: object;
}

export function isSocketIoServer(value: unknown): value is SocketIoServerLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof SocketIoServerLike, unknown>>;
  return (
    typeof candidate.close === 'function' &&
    typeof candidate.disconnectSockets === 'function' &&
    typeof candidate.of === 'function' &&
    typeof candidate.path === 'function'
  );
}

interface MarkedServer extends EventTarget {
  [trackedServerKey]?: true;
  [passiveRequestKey]?: (request: { url?: string }) => boolean;
}

const trackedServers = new WeakSet<object>();

export function trackSocketIoWith<S extends SocketIoServerLike>(quiescer: QuiescerCore, io: S, options?: { name?: string }): S {
  if (trackedServers.has(io)) return io;
  trackedServers.add(io);
  const name = options?.name ?? 'socket.io server';
  const path = io.path().replace(/\/?$/, '/');
  const httpServer = io.httpServer as MarkedServer | undefined;
  if (httpServer !== undefined && typeof httpServer.on === 'function') {
    const isOurs = (request: { url?: string }): boolean => (request.url ?? '').startsWith(path);
    const previous = httpServer[passiveRequestKey];
    httpServer[passiveRequestKey] = (request) => isOurs(request) || previous?.(request) === true;
    // Its WebSockets get a Socket.IO disconnect, not the tracked server's end of upgraded sockets.
    httpServer.on('upgrade', ((request: { url?: string }, socket: { [upgradeOwnerKey]?: true }) => {
      if (isOurs(request)) socket[upgradeOwnerKey] = true;
    }) as never);
  }
  // Every socket of every namespace (the main one, and those made later: Socket.IO announces them
  // with 'new_namespace') gets the middleware.
  let takingEvents = true;
  const dropEventsAtShutdown = (namespace: NamespaceLike): void => {
    namespace.on('connection', (socket) =>
      socket.use((_packet, next) => {
        if (takingEvents) next();
      }),
    );
  };
  dropEventsAtShutdown(io.of('/') as NamespaceLike);
  (io as unknown as EventTarget).on('new_namespace', ((namespace: NamespaceLike) => dropEventsAtShutdown(namespace)) as never);
  const stopIntake = (): Promise<void> =>
    new Promise((resolve) => {
      // After a poll phase that began after the signal, so that what clients emitted before it is
      // handled as in flight (an immediate may follow a poll phase begun earlier).
      setImmediate(() =>
        setImmediate(() => {
          takingEvents = false;
          resolve();
        }),
      );
    });
  if (quiescer.isShuttingDown()) void stopIntake();
  else quiescer.onShutdown(stopIntake, { phase: 'intake', name: `${name}: stop taking events` });

  runOnceDrained(quiescer, `${name}: disconnect clients`, async () => {
    if (httpServer?.[trackedServerKey] === true) {
      // Each client gets its disconnect packet, then engine.io closes its connection once what was
      // queued for it is written (a WebSocket then ends as work of the tracked server; a long poll
      // was answered with the packet). engine.close() right away would cut those packets off.
      io.disconnectSockets(true);
      return;
    }
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });
  return io;
}
