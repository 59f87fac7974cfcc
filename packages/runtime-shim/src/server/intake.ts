// What every tracked server does at shutdown, whatever its protocol: from the signal on, answers
// ask clients to close their connections; after the readiness delay the listener closes (new
// connections are refused, which a client can retry elsewhere) and idle connections are let go.

import { Server as NetServer } from 'node:net';
import { stateOf, type QuiescerCore, type ShutdownHookContext } from '../core/index.js';

/** The protocol-specific part of a tracked server. */
export interface ProtocolDrain {
  /** At the signal: in-flight and later responses close their connection once done. */
  beginShutdown(): void;
  /** When the listener has closed: let idle connections go and close long-lived ones (awaited). */
  stopIntake(): unknown;
}

/**
 * Stops accepting connections without touching the open ones. `http.Server#close()` would also
 * call `closeIdleConnections()`, which destroys idle keep-alive sockets at once and races a client
 * that is just sending on one (nodejs/node#47130); the base `net.Server#close()` only stops listening.
 */
export function stopListening(server: NetServer): void {
  if (server.listening) NetServer.prototype.close.call(server);
}

/**
 * Closing a listening socket resets every connection whose handshake is done but which Node has not
 * accepted yet, and their clients have already sent a request. Node cannot see that queue, but a
 * poll phase that accepted nothing found it empty: the listener closes right after such a phase
 * (each connection accepted before is served, with Connection: close). It waits at least
 * `acceptMinimumMs` for handshakes under way, and under a steady flood of new connections gives up
 * waiting for a quiet phase after `acceptSettleLimitMs`.
 */
const acceptMinimumMs = 20;
const acceptSettleLimitMs = 1_000;

async function closeWhenAcceptQueueEmpty(server: NetServer, acceptedCount: () => number): Promise<void> {
  const startedAt = performance.now();
  let acceptedBefore = acceptedCount();
  for (;;) {
    // Let a poll phase accept what is queued.
    await new Promise((resolve) => setImmediate(resolve));
    const accepted = acceptedCount();
    const quietPhase = accepted === acceptedBefore;
    acceptedBefore = accepted;
    const waitedMs = performance.now() - startedAt;
    if ((quietPhase && waitedMs >= acceptMinimumMs) || waitedMs >= acceptSettleLimitMs) break;
    await new Promise((resolve) => globalThis.setTimeout(resolve, 1));
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
  let acceptedConnections = 0;
  server.on('connection', () => {
    acceptedConnections++;
  });
  const stop = async (context: ShutdownHookContext | undefined): Promise<void> => {
    drain.beginShutdown();
    const requestedMs = readinessDelayMs ?? serverDefaultsOf(quiescer).readinessDelayMs ?? 0;
    const delayMs = context ? effectiveDelayMs(quiescer, requestedMs, context, label) : 0;
    // Keep serving while readiness probes fail and load balancers take this instance out.
    if (delayMs > 0) await new Promise((resolve) => globalThis.setTimeout(resolve, delayMs));
    await closeWhenAcceptQueueEmpty(server, () => acceptedConnections);
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
