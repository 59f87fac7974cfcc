// What a framework's own close (Fastify's close(), Hapi's stop(), ws clients' close frames) needs:
// to run once the shutdown's intake is over and nothing but passive work is left, as work of the
// drain itself, so the drain waits for it and the report names it if the deadline cuts it off.

import type { QuiescerCore } from './quiescer.js';

/** The handle of a close that runs once drained. */
export interface DrainedClose {
  /**
   * The framework began closing by itself (its own hook saw it: the app or a test called its
   * close): ours is then not called, so the framework is never closed twice.
   */
  closedElsewhere(): void;
}

/**
 * At shutdown (or now, if it already started): waits for the drain to begin and for only passive
 * work to be left, then runs `close` as work named `name`, once, unless `closedElsewhere()` was
 * called first. `onDeadline` is called if the deadline hits while `close` is still running (e.g.
 * force the framework down). `close` gets the shutdown's reason (e.g. `'SIGTERM'`) when it runs
 * from the shutdown's own start, for a framework that hands the signal to its hooks.
 */
export function runOnceDrained(
  quiescer: QuiescerCore,
  name: string,
  close: (remainingMs: () => number, reason?: string) => unknown,
  onDeadline?: () => void,
): DrainedClose {
  let closeStarted = false;
  const closeOnce = async (remainingMs: () => number, reason: string | undefined): Promise<void> => {
    if (closeStarted) return;
    closeStarted = true;
    await close(remainingMs, reason);
  };
  const run = async (remainingMs: () => number, reason?: string): Promise<void> => {
    // Passive while it waits, so that it does not wait for itself; the close work begins before the
    // waiting ends, so the drain never sees a moment with nothing in flight between them.
    const waiting = quiescer.beginWork({ kind: 'framework', name: `${name} (waiting for the drain)`, passive: true });
    let closing: { end(): void };
    try {
      await quiescer.whenDrainStarts();
      await quiescer.whenActiveIdle();
      closing = quiescer.beginWork({ kind: 'framework', name, ...(onDeadline ? { onDeadline } : {}) });
    } finally {
      waiting.end();
    }
    try {
      await closeOnce(remainingMs, reason);
    } catch (error) {
      quiescer.log.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      closing.end();
    }
  };
  if (quiescer.isShuttingDown()) void run(() => quiescer.timeoutMs);
  else quiescer.onShutdown((context) => void run(context.remainingMs, context.reason), { phase: 'intake', name: `${name} once drained` });
  return {
    closedElsewhere() {
      closeStarted = true;
    },
  };
}

/** A framework served by a node http server, with a close of its own (Fastify, Nest, Hapi). */
export interface FrameworkWithOwnClose<O extends { name?: string }> {
  /** trackServer's options for the framework; `name` defaults to `defaultName`. */
  options: O | undefined;
  defaultName: string;
  /** The framework's node http server, drained by `trackRawServer` (the http server tracking). */
  server: object;
  trackRawServer: (server: never, options: O) => unknown;
  /** How the close appears in the report, e.g. `'close()'`. */
  closeName: string;
  close: (remainingMs: () => number, reason?: string) => unknown;
}

const frameworksTracked = new WeakSet<object>();

/**
 * The shape every such integration shares: its http server drained as any other, then its own
 * close run once drained. Returns the close's handle, or undefined when `framework` was already
 * tracked (tracking twice is harmless).
 */
export function trackFrameworkWithOwnClose<O extends { name?: string }>(
  quiescer: QuiescerCore,
  framework: object,
  spec: FrameworkWithOwnClose<O>,
): DrainedClose | undefined {
  if (frameworksTracked.has(framework)) return undefined;
  frameworksTracked.add(framework);
  const name = spec.options?.name ?? spec.defaultName;
  spec.trackRawServer(spec.server as never, { ...spec.options, name } as O);
  return runOnceDrained(quiescer, `${name}: ${spec.closeName}`, spec.close);
}
