// HTTP/1 (http and https): each request is work in flight; at shutdown every response asks for
// `Connection: close`, so a keep-alive client learns that the connection ends *from the response*
// instead of finding it closed under its next request. Idle keep-alive connections are closed only
// once they have stayed idle for a grace period, and never while a request is arriving on them.

import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import {
  coarseClock,
  leastAgeSinceCoarse,
  notifyObservers,
  observationOf,
  passiveRequestKey,
  upgradeOwnerKey,
  workRegistryOf,
  type QuiescerCore,
  type WorkHandle,
} from '../core/index.js';
import type { ProtocolDrain } from './intake.js';

export interface Http1DrainOptions {
  idleSocketGraceMs: number;
  firstRequestGraceMs: number;
  closeUpgraded: (sockets: ReadonlySet<Duplex>) => unknown;
}

interface ConnectionState {
  /** Requests on this connection whose response has not closed yet. */
  active: number;
  /** When the connection last became idle (accepted, or its last response closed): `coarseClock()`. */
  idleSince: number;
  /**
   * `socket.bytesRead` when the connection went idle (a change means a request is arriving), kept
   * only where Node's parser cannot tell that itself (see `isRequestArriving`).
   */
  bytesReadWhenIdle: number | undefined;
  /**
   * The latest request's response while it is in flight. HTTP/1.1 answers in order, so marking
   * the latest one `Connection: close` is enough to end the connection after everything queued.
   */
  latestResponse: TrackedResponse | undefined;
  /**
   * Until shutdown starts, the response in flight that is not registered as work yet (at most one
   * per connection: a pipelined request registers the one before it), and when its request began.
   */
  unregistered: TrackedResponse | undefined;
  unregisteredStartedAt: number;
  idleTimer: ReturnType<typeof globalThis.setTimeout> | undefined;
  /** During shutdown, an idle connection is work until it closes, so the drain waits for its grace. */
  idleWork: WorkHandle | undefined;
  /** Destroys the connection (at the deadline); one function per connection, shared by its requests. */
  destroy: () => void;
  /**
   * Accepted after the readiness delay while the listener was still open: a client that
   * reconnected. Under a flood of such reconnections it is kept alive until the listener closes
   * (see `keepReconnectedAlive`).
   */
  acceptedInIntake: boolean;
}



type PassiveAware = HttpServer & { [passiveRequestKey]?: (request: IncomingMessage) => boolean };
type OwnedSocket = Duplex & { [upgradeOwnerKey]?: true };

const stateKey = Symbol('quiesce.connection');
type TrackedSocket = Socket & { [stateKey]?: ConnectionState };
const workKey = Symbol('quiesce.request');
type TrackedResponse = ServerResponse & { [workKey]?: WorkHandle | undefined };

/** Node's HTTP parser of a connection (`socket.parser`), where it tells when its current message began. */
interface ArrivalAwareParser {
  /** Milliseconds since the current message began to arrive; 0 between messages. */
  duration(): number;
}

function arrivalAwareParser(socket: Socket): ArrivalAwareParser | undefined {
  const parser = (socket as Socket & { parser?: Partial<ArrivalAwareParser> | null }).parser;
  return typeof parser?.duration === 'function' ? (parser as ArrivalAwareParser) : undefined;
}

// Whether a request has begun to arrive on an idle connection. Node 20's parser tells (the same
// state its own `closeIdleConnections()` reads), so no request has to note anything for it; it
// counts a new connection as begun, so there the bytes tell. Later Nodes dropped `duration()`:
// there the bytes read since the connection went idle tell.
function isRequestArriving(socket: Socket, bytesReadWhenIdle: number | undefined): boolean {
  if (bytesReadWhenIdle !== undefined) return socket.bytesRead !== bytesReadWhenIdle;
  return socket.bytesRead > 0 && (arrivalAwareParser(socket)?.duration() ?? 0) > 0;
}

/**
 * Runs `callback` after an event-loop poll phase that began after this call: an immediate runs
 * after the poll phase of its turn, which may have begun before the call (when called from a poll
 * callback), so the second immediate is the one that certainly follows a fresh poll.
 */
function afterNextPollPhase(callback: () => void): void {
  setImmediate(() => setImmediate(callback));
}

function describeRemote(socket: Socket): string {
  return `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? '?'}`;
}

export function trackHttp1Server(quiescer: QuiescerCore, server: HttpServer, options: Http1DrainOptions): ProtocolDrain {
  const connections = new Set<TrackedSocket>();
  const upgradedSockets = new Set<Duplex>();
  let shuttingDown = false;
  let listenerClosed = false;
  /** After the readiness delay, while the listener waits for its moment to close (intake.ts). */
  let settling = false;
  /** The listener found no quiet moment to close on: reconnected clients are kept alive (intake.ts). */
  let keepingReconnectedAlive = false;
  /** From the signal on, when a response last ended or a connection last closed (intake.ts). */
  let lastActivityAt = Number.NEGATIVE_INFINITY;

  const stateOf = (socket: TrackedSocket): ConnectionState => {
    let state = socket[stateKey];
    if (state === undefined) {
      state = {
        active: 0,
        idleSince: coarseClock(),
        bytesReadWhenIdle: arrivalAwareParser(socket) === undefined ? socket.bytesRead : undefined,
        latestResponse: undefined,
        unregistered: undefined,
        unregisteredStartedAt: 0,
        idleTimer: undefined,
        idleWork: undefined,
        destroy: () => socket.destroy(),
        acceptedInIntake: settling && !listenerClosed,
      };
      socket[stateKey] = state;
      connections.add(socket);
      socket.once('close', () => {
        if (shuttingDown) lastActivityAt = performance.now();
        connections.delete(socket);
        releaseIdle(state as ConnectionState);
      });
    }
    return state;
  };

  const releaseIdle = (state: ConnectionState): void => {
    if (state.idleTimer !== undefined) globalThis.clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
    state.idleWork?.end();
    state.idleWork = undefined;
  };

  // Closes the connection once it has been idle for the grace period. A client may pick a pooled
  // connection at any moment; closing one that was just used is the likeliest collision, and
  // bytes already arriving mean a request is on its way: then wait, and answer it with close.
  //
  // Bytes already in the kernel are not seen until the event loop polls the socket, and a timer
  // runs before the poll of its loop turn: after a long turn (a busy or CPU-starved process) a
  // request the client sent meanwhile sits unread, and destroying the connection then resets it.
  // So a connection found idle long enough is destroyed only after a poll phase that began later
  // has read it (`pollPassed`), and only if it is still idle then.
  const closeWhenIdle = (socket: TrackedSocket, state: ConnectionState, pollPassed = false): void => {
    if (state.active > 0 || socket.destroyed) return;
    // A request arriving will be served with Connection: close and the connection closes after
    // it; meanwhile it stays work in flight (the deadline ends a client that never completes it).
    const requestArriving = isRequestArriving(socket, state.bytesReadWhenIdle);
    // A connection that has read nothing yet was opened to send a request, and a busy client writes
    // it only once it has seen the connection open (measured: up to 380 ms late on a loaded
    // machine): it gets the longer grace. No request pays for this: the bytes read tell.
    const graceMs = socket.bytesRead === 0 ? options.firstRequestGraceMs : options.idleSocketGraceMs;
    const waitMs = graceMs - leastAgeSinceCoarse(state.idleSince);
    if (waitMs <= 0 && !requestArriving && pollPassed) {
      socket.destroy();
      return;
    }
    // Work until it closes, so that the drain waits for it (and the process does not exit under a
    // client about to reuse it).
    state.idleWork ??= quiescer.beginWork({
      kind: 'connection',
      name: `keep-alive connection from ${describeRemote(socket)}`,
      onDeadline: state.destroy,
    });
    if (requestArriving) return;
    if (state.idleTimer !== undefined) globalThis.clearTimeout(state.idleTimer);
    state.idleTimer = undefined;
    if (waitMs <= 0) {
      afterNextPollPhase(() => closeWhenIdle(socket, state, true));
      return;
    }
    state.idleTimer = globalThis.setTimeout(() => {
      state.idleTimer = undefined;
      closeWhenIdle(socket, state);
    }, Math.ceil(waitMs));
  };

  const onConnection = (socket: TrackedSocket): void => {
    stateOf(socket);
    if (listenerClosed) closeWhenIdle(socket, stateOf(socket));
  };

  // Until shutdown starts, a request is only counted: naming it and registering it as work would
  // cost every request, and only the drain and its report need that, so the requests in flight
  // are registered when shutdown starts (stopDeferring), aged from their arrival. Meanwhile the
  // quiescer's registry adds `unregisteredCount` to its count. A quiescer made by a copy of the
  // package without such a registry (an older copy sharing the default quiescer) registers each
  // request as it arrives.
  const registry = workRegistryOf(quiescer);
  const observation = observationOf(quiescer);
  let unregisteredCount = 0;
  let deferring = false;
  if (registry !== undefined && typeof registry.addUnregisteredCount === 'function') {
    registry.addUnregisteredCount(() => unregisteredCount);
    deferring = true;
  }

  const register = (response: TrackedResponse, state: ConnectionState, startedAt: number | undefined): void => {
    const request = response.req;
    const name = `${request.method ?? 'GET'} ${request.url ?? '/'}`;
    // Registration happens from the signal on only, so this check costs a request nothing before.
    const passive = (server as PassiveAware)[passiveRequestKey]?.(request) === true;
    response[workKey] =
      registry !== undefined
        ? registry.begin('request', name, state.destroy, startedAt, passive)
        : quiescer.beginWork({ kind: 'request', name, onDeadline: state.destroy, passive });
  };

  /** Registers the connection's response that waits unregistered, if any, aged from its arrival. */
  const registerWaiting = (state: ConnectionState): void => {
    const response = state.unregistered;
    if (response === undefined) return;
    state.unregistered = undefined;
    unregisteredCount--;
    register(response, state, state.unregisteredStartedAt);
  };

  // Shutdown has started: every request from now on is registered as it arrives, and those in
  // flight are registered now, before the drain looks at the registry.
  const stopDeferring = (): void => {
    if (!deferring) return;
    deferring = false;
    for (const socket of connections) {
      const state = socket[stateKey];
      if (state !== undefined) registerWaiting(state);
    }
  };
  // The abort comes first in shutdown, before intake hooks (beginShutdown among them) and the drain.
  if (quiescer.shutdownSignal.aborted) stopDeferring();
  else quiescer.shutdownSignal.addEventListener('abort', stopDeferring, { once: true });

  // The hot path: one listener function shared by every response (no closure per request).
  function onResponseClose(this: TrackedResponse): void {
    const socket = this.req.socket as TrackedSocket;
    const state = socket[stateKey];
    if (state === undefined) return;
    let work: WorkHandle | undefined;
    if (state.unregistered === this) {
      state.unregistered = undefined;
      unregisteredCount--;
    } else {
      work = this[workKey];
      if (work === undefined) return;
      this[workKey] = undefined;
    }
    state.active--;
    if (shuttingDown) lastActivityAt = performance.now();
    if (state.active === 0) {
      state.latestResponse = undefined;
      state.idleSince = coarseClock();
      if (state.bytesReadWhenIdle !== undefined) state.bytesReadWhenIdle = socket.bytesRead;
      // A response that went out as keep-alive (headers sent before the signal) leaves an idle
      // connection behind: it closes after the grace period, or with the next response. Its idle
      // work begins before the request's ends, or the drain would see nothing in flight between
      // them and the process would exit under a client about to reuse the connection.
      if (listenerClosed && this.shouldKeepAlive && !socket.destroyed) closeWhenIdle(socket, state);
    }
    work?.end();
  }

  const onRequest = (request: IncomingMessage, response: TrackedResponse): void => {
    // Where an observer tells new work from old (observers.ts): what the application's handler
    // starts is this request's work. A request accepted while the listener is open (before the
    // signal, or in the readiness delay) is intake doing its job; one that arrives on a kept-alive
    // connection once the listener closed is new work, said so here: the connection's async context
    // may still carry an earlier request's lineage, so the registry's own check cannot tell.
    const lineage = observation.lineage;
    if (lineage !== undefined) {
      lineage.enter();
      if (listenerClosed) notifyObservers(quiescer, 'workAfterIntake', { kind: 'request', name: `${request.method ?? 'GET'} ${request.url ?? '/'}` });
    }
    const state = stateOf(request.socket as TrackedSocket);
    state.active++;
    state.latestResponse = response;
    if (deferring) {
      // A pipelined request while the one before is in flight: that one is registered now, so
      // that at most one response per connection waits unregistered.
      registerWaiting(state);
      unregisteredCount++;
      state.unregistered = response;
      state.unregisteredStartedAt = coarseClock();
    } else {
      // Under a flood of reconnections, a client that reconnected while the listener is open keeps
      // its new connection until the listener closes (see keepReconnectedAlive).
      if (shuttingDown && !(keepingReconnectedAlive && state.acceptedInIntake && !listenerClosed)) response.shouldKeepAlive = false;
      register(response, state, undefined);
    }
    response.on('close', onResponseClose);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex): void => {
    // No longer HTTP: closeUpgraded decides how it ends, not the idle-connection rule.
    const state = (socket as TrackedSocket)[stateKey];
    if (state !== undefined) {
      releaseIdle(state);
      // Leaving `connections`, so shutdown would not find a response still in flight before it.
      registerWaiting(state);
    }
    connections.delete(socket as TrackedSocket);
    upgradedSockets.add(socket);
    // Passive: a long-lived connection waits for the rest of the work, then is closed (closeUpgraded,
    // or the integration that owns it, such as a tracked WebSocketServer).
    const work = quiescer.beginWork({
      kind: 'upgraded-connection',
      name: `upgraded connection ${request.method ?? 'GET'} ${request.url ?? '/'}`,
      onDeadline: () => socket.destroy(),
      passive: true,
    });
    socket.once('close', () => {
      upgradedSockets.delete(socket);
      work.end();
    });
  };

  server.on(server instanceof TlsServer ? 'secureConnection' : 'connection', onConnection);
  // First, so that a response is marked before the application writes its headers.
  server.prependListener('request', onRequest);
  // An 'upgrade' listener makes Node hand the socket over instead of destroying it, so ours is
  // only added beside the application's own (ws and socket.io add theirs with server.on).
  let upgradeTracked = false;
  const trackUpgrades = (): void => {
    if (upgradeTracked) return;
    upgradeTracked = true;
    server.prependListener('upgrade', onUpgrade);
  };
  if (server.listenerCount('upgrade') > 0) trackUpgrades();
  else {
    server.on('newListener', function watchUpgrade(event: string | symbol) {
      if (event !== 'upgrade') return;
      server.removeListener('newListener', watchUpgrade);
      trackUpgrades();
    });
  }

  return {
    beginShutdown() {
      shuttingDown = true;
      for (const socket of connections) {
        const response = socket[stateKey]?.latestResponse;
        if (response !== undefined && !response.headersSent) response.shouldKeepAlive = false;
      }
    },
    settleIntake() {
      settling = true;
    },
    keepReconnectedAlive() {
      keepingReconnectedAlive = true;
    },
    stopIntake() {
      listenerClosed = true;
      for (const socket of connections) {
        const state = stateOf(socket);
        // The reconnected clients kept alive so far: their answers in flight close now.
        if (state.acceptedInIntake && state.latestResponse !== undefined && !state.latestResponse.headersSent) state.latestResponse.shouldKeepAlive = false;
        closeWhenIdle(socket, state);
      }
      // Sockets an integration owns (a tracked WebSocketServer closes its clients with 1001) are its own.
      const unowned = new Set([...upgradedSockets].filter((socket) => !(socket as OwnedSocket)[upgradeOwnerKey]));
      return unowned.size > 0 ? options.closeUpgraded(unowned) : undefined;
    },
    lastActivityAt: () => lastActivityAt,
  };
}

/** Default for upgraded sockets: end our side (FIN). WebSocket servers should pass a proper close. */
export function endUpgradedSockets(sockets: ReadonlySet<Duplex>): void {
  for (const socket of sockets) socket.end();
}
