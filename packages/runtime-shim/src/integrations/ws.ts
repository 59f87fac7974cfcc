// ws: a WebSocketServer's clients are long-lived connections. From the signal on, their messages
// are no longer read (ws's pause()), as an HTTP server stops taking requests: the messages in
// flight finish (when the message handlers are tracked with `trackCallback`), and so does the rest
// of the work; then the server stops taking connections with its own `close()` and each client
// gets a close frame, 1001 "going away" by default, after whatever it was sent before (ws writes
// frames in order). What a client sent after the signal is discarded unprocessed. A client that
// does not finish the closing handshake by the deadline is terminated and named in the report.

import { runOnceDrained, upgradeOwnerKey, type QuiescerCore } from '../core/index.js';

/** The part of a `ws` client the integration uses. */
interface WebSocketLike {
  readonly readyState: number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
  /** ws >= 8: stop (and go on) emitting the messages that arrive. */
  pause?(): void;
  resume?(): void;
  removeAllListeners(event: 'message'): unknown;
}

/** The part of a `ws` WebSocketServer the integration uses (duck-typed: no dependency on ws). */
export interface WebSocketServerLike {
  handleUpgrade(...args: never[]): unknown;
  close(callback?: () => void): unknown;
  on(event: 'connection', listener: (client: never, request: never) => void): unknown;
  readonly options?: object;
}

export interface TrackWebSocketServerOptions {
  /** Close code sent to each client. Default 1001 ("going away"). */
  closeCode?: number;
  /** Close reason sent to each client. Default `'server shutting down'`. */
  closeReason?: string;
  /** Shown in logs and the report. Default `'websocket server'`. */
  name?: string;
}

export function isWebSocketServer(value: unknown): value is WebSocketServerLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof WebSocketServerLike, unknown>>;
  return (
    typeof candidate.handleUpgrade === 'function' &&
    typeof candidate.close === 'function' &&
    typeof candidate.on === 'function' &&
    typeof candidate.options === 'object'
  );
}

const OPEN = 1;
const CLOSING = 2;
const trackedServers = new WeakSet<object>();

interface UpgradeRequest {
  socket?: object & { [upgradeOwnerKey]?: true; remoteAddress?: string; remotePort?: number };
}

export function trackWebSocketServerWith<W extends WebSocketServerLike>(
  quiescer: QuiescerCore,
  wss: W,
  options?: TrackWebSocketServerOptions,
): W {
  if (trackedServers.has(wss)) return wss;
  trackedServers.add(wss);
  const name = options?.name ?? 'websocket server';
  const closeCode = options?.closeCode ?? 1001;
  const closeReason = options?.closeReason ?? 'server shutting down';
  const clients = new Map<WebSocketLike, string>();
  let takingMessages = true;
  let closingClients = false;

  // The intake of a WebSocket server is its clients' messages: from the signal on they are no
  // longer read (the messages in flight finish and are answered), or a client that keeps sending
  // would keep the drain from ever ending. What a client sends meanwhile is never delivered to the
  // application: its close frame tells it the server went away before processing it.
  const stopTakingMessages = (client: WebSocketLike): void => {
    if (client.readyState === OPEN) client.pause?.();
  };

  const closeClient = (client: WebSocketLike, label: string): void => {
    if (client.readyState !== OPEN && client.readyState !== CLOSING) return;
    const work = quiescer.beginWork({ kind: 'websocket', name: `${name}: client ${label}`, onDeadline: () => client.terminate() });
    client.once('close', () => work.end());
    if (client.readyState === OPEN) client.close(closeCode, closeReason);
    // Read on, so that the client's close frame ends the handshake; the messages it sent before
    // it saw ours are discarded (RFC 6455 lets an endpoint that sent its close frame drop them).
    client.removeAllListeners('message');
    client.resume?.();
  };

  wss.on('connection', ((client: WebSocketLike, request: UpgradeRequest) => {
    // Closed by us with a close frame, not ended by the http server's default for upgraded sockets.
    const socket = request?.socket;
    if (socket !== undefined) socket[upgradeOwnerKey] = true;
    const label = socket?.remoteAddress !== undefined ? `${socket.remoteAddress}:${socket.remotePort ?? '?'}` : 'unknown';
    clients.set(client, label);
    client.once('close', () => clients.delete(client));
    // Connected while the others were being closed: goes the same way.
    if (closingClients) closeClient(client, label);
    else if (!takingMessages) stopTakingMessages(client);
  }) as never);

  const stopIntake = (): Promise<void> =>
    new Promise((resolve) => {
      // After a poll phase that began after the signal, so that what clients sent before it is
      // read and handled as in flight (an immediate may follow a poll phase begun earlier).
      setImmediate(() =>
        setImmediate(() => {
          takingMessages = false;
          for (const client of clients.keys()) stopTakingMessages(client);
          resolve();
        }),
      );
    });
  if (quiescer.isShuttingDown()) void stopIntake();
  else quiescer.onShutdown(stopIntake, { phase: 'intake', name: `${name}: stop reading messages` });

  runOnceDrained(quiescer, `${name}: close clients`, () => {
    closingClients = true;
    // ws's own close: no new connections (and its own http server closes, when it made one).
    wss.close();
    for (const [client, label] of clients) closeClient(client, label);
  });
  return wss;
}
