// Hapi: its requests are those of its listener (`server.listener`), drained as any http server's;
// then its own `server.stop()` runs inside the drain, once, so its onPreStop/onPostStop extensions
// and plugin cleanups run after the last request. Called alone, `stop()` ends idle keep-alive
// connections at once (racing a client about to reuse one) and destroys the rest at its timeout.

import { trackFrameworkWithOwnClose, type QuiescerCore } from '../core/index.js';

/** The part of a Hapi server the integration uses (duck-typed: no dependency on @hapi/hapi). */
export interface HapiServerLike {
  listener: object;
  stop(options?: { timeout?: number }): PromiseLike<unknown> | unknown;
  ext(event: string, method: (...args: never[]) => unknown): unknown;
  route(...args: never[]): unknown;
  inject(...args: never[]): unknown;
}

export function isHapiServer(value: unknown): value is HapiServerLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof HapiServerLike, unknown>>;
  return (
    typeof candidate.stop === 'function' &&
    typeof candidate.ext === 'function' &&
    typeof candidate.route === 'function' &&
    typeof candidate.inject === 'function' &&
    typeof candidate.listener === 'object' &&
    candidate.listener !== null
  );
}

export function trackHapiWith<S extends HapiServerLike, O extends { name?: string }>(
  quiescer: QuiescerCore,
  server: S,
  options: O | undefined,
  trackRawServer: (listener: never, options: O) => unknown,
): S {
  const stopping = trackFrameworkWithOwnClose(quiescer, server, {
    options,
    defaultName: 'hapi',
    server: server.listener,
    trackRawServer,
    closeName: 'server.stop()',
    close: (remainingMs) => server.stop({ timeout: Math.max(0, Math.floor(remainingMs())) }),
  });
  if (stopping === undefined) return server;
  // The app (or a test) may stop it itself: then it is not stopped again.
  try {
    server.ext('onPreStop', (() => {
      stopping.closedElsewhere();
    }) as never);
  } catch {
    // Extensions cannot be added any more: our own call is still made only once.
  }
  return server;
}
