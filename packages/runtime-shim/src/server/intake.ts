// What every tracked server does at shutdown, whatever its protocol: from the signal on, answers
// ask clients to close their connections; after the readiness delay the listener closes (new
// connections are refused, which a client can retry elsewhere; under a flood of reconnections,
// those it still accepts before are kept as they are until then) and idle connections are let go.

import { Server as NetServer } from 'node:net';
import { stateOf, type QuiescerCore, type ShutdownHookContext } from '../core/index.js';


/**
 * Stops accepting connections without touching the open ones. `http.Server#close()` would also
 * call `closeIdleConnections()`, which destroys idle keep-alive sockets at once and races a client
 * that is just sending on one (nodejs/node#47130); the base `net.Server#close()` only stops listening.
 */
export function stopListening(server: NetServer): void {
  if (server.listening) NetServer.prototype.close.call(server);
}

/** The protocol-specific part of a tracked server. */
export interface ProtocolDrain {
  /** At the signal: in-flight and later responses close their connection once done. */
  beginShutdown(): void;
  /**
   * After the readiness delay, while the listener waits for a moment to close: connections it
   * accepts from now on are clients that reconnected.
   */
  settleIntake?(): void;
  /**
   * The listener has found no poll phase that accepted nothing for a while: clients reconnect
   * after every answer that closes their connection, a flood that keeps the accept queue full.
   * From now on the connections of reconnected clients stay alive until the listener has closed,
   * so the flood stops and the listener can close on an empty queue.
   */
  keepReconnectedAlive?(): void;
  /** When the listener has closed: let idle connections go and close long-lived ones (awaited). */
  stopIntake(): unknown;
  /**
   * From the signal on, when (`performance.now()`) a response last ended or a connection last
   * closed: the moments after which a client reconnects. Undefined when the protocol cannot tell.
   */
  lastActivityAt?(): number;
}

/**
 * Closing a listening socket resets every connection whose handshake is done but which Node has not
 * accepted yet, and their clients have already sent a request. Node cannot see that queue; what it
 * can see is when the queue was last emptied and how likely it is to have refilled since:
 *
 * - every poll phase empties it (libuv accepts until the kernel says EAGAIN), and the earliest code
 *   that runs after a poll phase is an immediate, so the listener closes from one, after a poll
 *   phase that accepted nothing (new connections were not arriving);
 * - between that accept and the close, the rest of the poll phase runs (reads, request handlers):
 *   a connection whose handshake completes meanwhile is queued and reset (the Nest reset in
 *   docs/frameworks.md). So the close prefers a loop turn that took at most `shortTurnMs` from its
 *   timers phase to its check phase;
 * - a client reconnects right after its response or its closed connection (every answer carries
 *   `Connection: close` by then): the close prefers a moment when none of those, and no accept,
 *   happened for `reconnectQuietMs`, so no reconnection is on its way.
 *
 * It prefers such a moment only for `preferQuietMs`: the longer the listener stays open, the more
 * reconnections there are, and on a loaded machine waiting for it up to the settle limit let that
 * flood build up until the close at the limit reset dozens (measured). Then it closes after any
 * poll phase that accepted nothing, as before; it waits at least `acceptMinimumMs` for handshakes
 * under way, and under a steady flood stops waiting after `acceptSettleLimitMs` (or
 * `maxSettleTurns` turns).
 */
const acceptMinimumMs = 20;
const shortTurnMs = 1;
const reconnectQuietMs = 5;
const preferQuietMs = 100;
const acceptSettleLimitMs = 1_000;
const maxSettleTurns = 5_000;

interface AcceptActivity {
  accepted: number;
  /** `performance.now()` of the latest accept, response end or connection close since the signal. */
  lastAt(): number;
}

const nextTimersPhase = (): Promise<void> => new Promise((resolve) => globalThis.setTimeout(resolve, 1));
const nextCheckPhase = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function closeWhenAcceptQueueEmpty(server: NetServer, activity: AcceptActivity, drain: ProtocolDrain): Promise<void> {
  const startedAt = performance.now();
  let acceptedBefore = activity.accepted;
  for (let turn = 0; turn < maxSettleTurns; turn++) {
    await nextTimersPhase();
    const turnStartedAt = performance.now();
    // The poll phase of this turn runs in between: it accepts what is queued.
    await nextCheckPhase();
    const now = performance.now();
    const quietPhase = activity.accepted === acceptedBefore;
    acceptedBefore = activity.accepted;
    const waitedMs = now - startedAt;
    if (waitedMs >= acceptSettleLimitMs) break;
    // Only then, not from the start: a kept-alive connection that goes idle is closed after its
    // grace, and a client may just be reusing it (the keep-alive race); with no flood, every answer
    // closing its connection leaves none behind.
    if (!quietPhase && waitedMs >= preferQuietMs) drain.keepReconnectedAlive?.();
    if (!quietPhase || waitedMs < acceptMinimumMs) continue;
    const idealMoment = now - turnStartedAt <= shortTurnMs && now - activity.lastAt() >= reconnectQuietMs;
    if (idealMoment || waitedMs >= preferQuietMs) break;
  }
  stopListening(server);
}

interface ServerDefaults {
  /** For servers tracked without their own `readinessDelayMs` (installShutdownHandlers, QUIESCE_READINESS_DELAY_MS). */
  readinessDelayMs: number | undefined;
}

function serverDefaultsOf(quiescer: QuiescerCore): ServerDefaults {
  return stateOf(quiescer, 'server-defaults@1', () => ({ readinessDelayMs: undefined }));
}

/** Sets the readiness delay of every tracked server that has none of its own (read at shutdown). */
export function configureServerDefaults(quiescer: QuiescerCore, defaults: Partial<ServerDefaults>): void {
  if (defaults.readinessDelayMs !== undefined) serverDefaultsOf(quiescer).readinessDelayMs = defaults.readinessDelayMs;
}

/** The readiness delay may not eat the whole deadline: the drain needs time too. */
function effectiveDelayMs(quiescer: QuiescerCore, requestedMs: number, context: ShutdownHookContext, label: string): number {
  const limitMs = Math.floor(context.remainingMs() / 2);
  if (requestedMs <= limitMs) return requestedMs;
  quiescer.log.warn(
    `${label}: readinessDelayMs ${requestedMs} ms leaves no time to drain within the deadline; waiting ${limitMs} ms instead`,
  );
  return limitMs;
}

export function registerServerIntake(
  quiescer: QuiescerCore,
  server: NetServer,
  drain: ProtocolDrain,
  readinessDelayMs: number | undefined,
  label: string,
): void {
  let shuttingDown = false;
  let lastAcceptAt = Number.NEGATIVE_INFINITY;
  const activity: AcceptActivity = {
    accepted: 0,
    lastAt: () => Math.max(lastAcceptAt, drain.lastActivityAt?.() ?? Number.NEGATIVE_INFINITY),
  };
  server.on('connection', () => {
    activity.accepted++;
    if (shuttingDown) lastAcceptAt = performance.now();
  });
  const stop = async (context: ShutdownHookContext | undefined): Promise<void> => {
    shuttingDown = true;
    drain.beginShutdown();
    const requestedMs = readinessDelayMs ?? serverDefaultsOf(quiescer).readinessDelayMs ?? 0;
    const delayMs = context ? effectiveDelayMs(quiescer, requestedMs, context, label) : 0;
    // Keep serving while readiness probes fail and load balancers take this instance out.
    if (delayMs > 0) await new Promise((resolve) => globalThis.setTimeout(resolve, delayMs));
    drain.settleIntake?.();
    await closeWhenAcceptQueueEmpty(server, activity, drain);
    await drain.stopIntake();
  };
  if (quiescer.isShuttingDown()) {
    // Tracked after intake ran: stop at once, there is no hook phase left to wait for.
    stop(undefined).catch((error: unknown) =>
      quiescer.log.error(`${label}: stopping intake failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return;
  }
  quiescer.onShutdown((context) => stop(context), { phase: 'intake', name: label });
}
