// What every tracked server does at shutdown, whatever its protocol: from the signal on, answers
// ask clients to close their connections; after the readiness delay the listener closes (new
// connections are refused, which a client can retry elsewhere) and idle connections are let go.

import { Server as NetServer } from 'node:net';
import type { ShutdownHookContext } from './hooks.js';
import type { Quiescer } from './quiescer.js';

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

/** Connections still arriving this recently mean the kernel may hold more, not yet accepted. */
const acceptQuietMs = 5;
/** Under a steady stream of new connections it never goes quiet: close after this long anyway. */
const acceptSettleLimitMs = 100;

/**
 * Closing a listening socket resets every connection still in the kernel's accept queue, and their
 * clients have already sent a request: on a busy process that queue can hold dozens. So the
 * listener closes once connections have stopped arriving for a moment (each one arriving before
 * is accepted and served, with Connection: close), or after a short limit under a steady stream.
 */
async function closeWhenAcceptQueueSettles(server: NetServer, lastConnectionAt: () => number): Promise<void> {
  const giveUpAt = performance.now() + acceptSettleLimitMs;
  for (;;) {
    // Let a poll phase accept what is queued.
    await new Promise((resolve) => setImmediate(resolve));
    const now = performance.now();
    if (now - lastConnectionAt() >= acceptQuietMs || now >= giveUpAt) break;
    await new Promise((resolve) => globalThis.setTimeout(resolve, 1));
  }
  stopListening(server);
}

/** The readiness delay may not eat the whole deadline: the drain needs time too. */
function effectiveDelayMs(quiescer: Quiescer, requestedMs: number, context: ShutdownHookContext, label: string): number {
  const limitMs = Math.floor(context.remainingMs() / 2);
  if (requestedMs <= limitMs) return requestedMs;
  quiescer.log.warn(
    `${label}: readinessDelayMs ${requestedMs} ms leaves no time to drain within the deadline; waiting ${limitMs} ms instead`,
  );
  return limitMs;
}

export function registerServerIntake(
  quiescer: Quiescer,
  server: NetServer,
  drain: ProtocolDrain,
  readinessDelayMs: number,
  label: string,
): void {
  let lastConnectionAt = Number.NEGATIVE_INFINITY;
  server.on('connection', () => {
    lastConnectionAt = performance.now();
  });
  const stop = async (context: ShutdownHookContext | undefined): Promise<void> => {
    drain.beginShutdown();
    const delayMs = context ? effectiveDelayMs(quiescer, readinessDelayMs, context, label) : 0;
    // Keep serving while readiness probes fail and load balancers take this instance out.
    if (delayMs > 0) await new Promise((resolve) => globalThis.setTimeout(resolve, delayMs));
    await closeWhenAcceptQueueSettles(server, () => lastConnectionAt);
    await drain.stopIntake();
  };
  if (quiescer.isShuttingDown()) {
    // Tracked after intake ran: stop at once, there is no hook phase left to wait for.
    void stop(undefined);
    return;
  }
  quiescer.onShutdown((context) => stop(context), { phase: 'intake', name: label });
}
