// `trackServer(server, options?)`: a server's requests become work in flight, and shutdown stops
// its intake without losing a request — new connections are refused (clean: a client can retry),
// in-flight and later responses carry `Connection: close`, idle keep-alive connections are closed
// without racing a client about to reuse them, and whatever outlives the deadline is destroyed
// and named in the report. http, https and http2 servers; any other net.Server per connection.

import { subscribe } from 'node:diagnostics_channel';
import { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import { Server as HttpsServer } from 'node:https';
import { Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  expectFunction,
  expectOptionalDuration,
  expectOptionalString,
  expectOptionsObject,
  invalidArgument,
  trackedServerKey,
  type QuiescerCore,
} from '../core/index.js';
import { endUpgradedSockets, trackHttp1Server } from './http1.js';
import { trackHttp2Server } from './http2.js';
import { registerServerIntake } from './intake.js';

export { configureServerDefaults } from './intake.js';
import { trackNetServer } from './net.js';

export interface TrackServerOptions {
  /**
   * Keep serving this long after shutdown starts, while `isShuttingDown()` is true and a readiness
   * probe answers 503, so that load balancers stop sending before the listener closes. Default: the
   * `readinessDelayMs` of installShutdownHandlers (or QUIESCE_READINESS_DELAY_MS), else 0.
   * Capped at half of the time left before the deadline.
   */
  readinessDelayMs?: number;
  /**
   * HTTP/1: once the listener has closed, an idle keep-alive connection is closed after it has
   * stayed idle this long; a request arriving before is served with `Connection: close`. Default 250.
   */
  idleSocketGraceMs?: number;
  /**
   * HTTP/1: once the listener has closed, a connection that has not sent a byte yet (its client
   * opened it to send a request) is closed only once it has been open this long; its request, if it
   * comes before, is served with `Connection: close`. Default 1000.
   */
  firstRequestGraceMs?: number;
  /**
   * HTTP/1: closes upgraded connections (WebSocket) when the listener closes; awaited within the
   * deadline. Default: end each socket. With `ws`, send a proper close frame instead, e.g.
   * `() => { for (const client of wss.clients) client.close(1001, 'server shutting down'); }`.
   */
  closeUpgraded?: (sockets: ReadonlySet<Duplex>) => unknown;
  /**
   * Plain net.Server: ends the open connections when the listener closes (the protocol is yours to
   * know). Default: leave them to finish; the rest are destroyed at the deadline.
   */
  closeConnections?: (sockets: ReadonlySet<Socket>) => unknown;
  /** Shown in logs and hook failures. Default `'http server'`, `'https server'`, … */
  name?: string;
}

export type TrackableServer = HttpServer | HttpsServer | Http2Server | Http2SecureServer | NetServer;

/** An app whose `listen()` creates the server and returns it: Express, Koa, Connect. */
export interface ListeningApp {
  listen(...args: never[]): unknown;
}

export const defaultIdleSocketGraceMs = 250;
export const defaultFirstRequestGraceMs = 1_000;



function isHttp2Server(server: NetServer): server is Http2Server {
  // Node does not export the Http2Server classes; both have updateSettings and a 'session' event.
  return typeof (server as Partial<Http2Server>).updateSettings === 'function';
}

function validateOptions(options: unknown): asserts options is TrackServerOptions | undefined {
  const where = 'trackServer';
  expectOptionsObject(where, options);
  if (!options) return;
  const fields = options as Record<string, unknown>;
  expectOptionalDuration(where, 'options.readinessDelayMs', fields['readinessDelayMs']);
  expectOptionalDuration(where, 'options.idleSocketGraceMs', fields['idleSocketGraceMs']);
  expectOptionalDuration(where, 'options.firstRequestGraceMs', fields['firstRequestGraceMs']);
  expectOptionalString(where, 'options.name', fields['name']);
  for (const name of ['closeUpgraded', 'closeConnections']) {
    if (fields[name] !== undefined) expectFunction(where, `options.${name}`, fields[name]);
  }
}

function isListeningApp(value: unknown): value is ListeningApp {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && typeof (value as ListeningApp).listen === 'function';
}

interface WaitingApp {
  quiescer: QuiescerCore;
  options: TrackServerOptions | undefined;
}

/** Apps that are their own request handler (Express, Connect), waiting for the server they create. */
const waitingApps = new WeakMap<object, WaitingApp>();
let watchingConnections = false;
/** The quiescer that tracks every http(s) server of the process at its first connection, if any. */
let trackingEveryServer: QuiescerCore | undefined;

/**
 * Tracks every http and https server of the process from its first connection (the `register`
 * entry does this, so a framework's server that nobody passed to trackServer is drained too).
 * Returns a function that stops it.
 */
export function trackEveryServer(quiescer: QuiescerCore): () => void {
  trackingEveryServer = quiescer;
  watchConnections();
  return () => {
    if (trackingEveryServer === quiescer) trackingEveryServer = undefined;
  };
}

/**
 * Finds the server of a waiting app at its first connection, by `diagnostics_channel` (published
 * right after the server's 'connection' event, before a byte of the request is read): a server
 * whose request listener is the app is the app's. Nothing of the app or the server is replaced,
 * so tests that stub `app.listen` or `server.listen` see their own stubs.
 */
function watchConnections(): void {
  if (watchingConnections) return;
  watchingConnections = true;
  subscribe('net.server.socket', (message) => {
    const server = (message as { socket?: Socket & { server?: unknown } }).socket?.server;
    if (!(server instanceof HttpServer || server instanceof HttpsServer) || (server as { [trackedServerKey]?: true })[trackedServerKey]) return;
    for (const listener of server.listeners('request')) {
      const waiting = waitingApps.get(listener);
      if (waiting !== undefined) {
        trackServerWith(waiting.quiescer, server, waiting.options);
        return;
      }
    }
    if (trackingEveryServer !== undefined) trackServerWith(trackingEveryServer, server);
  });
}

/**
 * `trackServer(app).listen(…)` (what the codemod writes for `app.listen(…)`). An app that is its
 * own request handler (a function: Express, Connect) is observed, never touched: its server is
 * tracked from its first connection. Another kind (Koa, whose `listen` passes a new closure) has
 * no link to its server but its `listen`, which is wrapped, so the server is tracked before it
 * accepts a connection; pass the server instead (`trackServer(app.listen(…))`) to leave it alone.
 */
function trackListeningApp<A extends ListeningApp>(quiescer: QuiescerCore, app: A, options: TrackServerOptions | undefined): A {
  if (typeof app === 'function') {
    if (!waitingApps.has(app)) waitingApps.set(app, { quiescer, options });
    watchConnections();
    return app;
  }
  const marked = app as A & { [trackedServerKey]?: true };
  if (marked[trackedServerKey]) return app;
  marked[trackedServerKey] = true;
  const listen = app.listen;
  Object.defineProperty(app, 'listen', {
    configurable: true,
    writable: true,
    value: function listenTracked(this: unknown, ...args: never[]): unknown {
      const server = Reflect.apply(listen, this, args);
      return server instanceof NetServer ? trackServerWith(quiescer, server, options) : server;
    },
  });
  return app;
}

/** `trackServer` on a given quiescer. Returns the same server (or app); tracking it twice is harmless. */
export function trackServerWith<S extends TrackableServer | ListeningApp>(quiescer: QuiescerCore, server: S, options?: TrackServerOptions): S {
  if (!(server instanceof NetServer)) {
    if (!isListeningApp(server)) {
      throw invalidArgument(
        'trackServer',
        'server',
        'an http, https, http2 or net server, or an app with a listen() method (Express, Koa, Connect)',
        server,
      );
    }
    validateOptions(options);
    return trackListeningApp(quiescer, server, options);
  }
  validateOptions(options);
  const marked = server as S & { [trackedServerKey]?: true };
  if (marked[trackedServerKey]) return server;
  marked[trackedServerKey] = true;

  const readinessDelayMs = options?.readinessDelayMs;
  if (server instanceof HttpServer || server instanceof HttpsServer) {
    const label = options?.name ?? (server instanceof HttpsServer ? 'https server' : 'http server');
    const drain = trackHttp1Server(quiescer, server as HttpServer, {
      idleSocketGraceMs: options?.idleSocketGraceMs ?? defaultIdleSocketGraceMs,
      firstRequestGraceMs: options?.firstRequestGraceMs ?? defaultFirstRequestGraceMs,
      closeUpgraded: options?.closeUpgraded ?? endUpgradedSockets,
    });
    registerServerIntake(quiescer, server, drain, readinessDelayMs, label);
  } else if (isHttp2Server(server)) {
    registerServerIntake(quiescer, server, trackHttp2Server(quiescer, server), readinessDelayMs, options?.name ?? 'http2 server');
  } else {
    const drain = trackNetServer(quiescer, server, options?.closeConnections);
    registerServerIntake(quiescer, server, drain, readinessDelayMs, options?.name ?? 'net server');
  }
  return server;
}
