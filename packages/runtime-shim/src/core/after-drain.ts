// What a framework's own close (Fastify's close(), Hapi's stop(), ws clients' close frames) needs:
// to run once the shutdown's intake is over and nothing but passive work is left, as work of the
// drain itself, so the drain waits for it and the report names it if the deadline cuts it off.

import type { QuiescerCore } from './quiescer.js';

/**
 * At shutdown (or now, if it already started): waits for the drain to begin and for only passive
 * work to be left, then runs `close` as work named `name`. `onDeadline` is called if the deadline
 * hits while `close` is still running (e.g. force the framework down).
 */
export function runOnceDrained(
  quiescer: QuiescerCore,
  name: string,
  close: (remainingMs: () => number) => unknown,
  onDeadline?: () => void,
): void {
  const run = async (remainingMs: () => number): Promise<void> => {
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
      await close(remainingMs);
    } catch (error) {
      quiescer.log.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      closing.end();
    }
  };
  if (quiescer.isShuttingDown()) void run(() => quiescer.timeoutMs);
  else quiescer.onShutdown((context) => void run(context.remainingMs), { phase: 'intake', name: `${name} once drained` });
}
