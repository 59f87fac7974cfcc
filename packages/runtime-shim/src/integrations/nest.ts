// NestJS: its requests are those of its http server (`app.getHttpServer()`), drained as any http
// server's; then its own `app.close()` runs inside the drain, once, so the lifecycle hooks
// (onModuleDestroy, beforeApplicationShutdown, onApplicationShutdown: pools, queues) run after the
// last request. Do not also call `app.enableShutdownHooks()`: its own signal listener closes the
// app at once and re-raises the signal, ending the process before the drain.

import { trackFrameworkWithOwnClose, type QuiescerCore } from '../core/index.js';

/** The part of a Nest application the integration uses (duck-typed: no dependency on @nestjs/*). */
export interface NestApplicationLike {
  getHttpServer(): object;
  getHttpAdapter(): unknown;
  close(signal?: string): PromiseLike<unknown> | unknown;
  listen(...args: never[]): unknown;
  enableShutdownHooks(...args: never[]): unknown;
}

export function isNestApplication(value: unknown): value is NestApplicationLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Partial<Record<keyof NestApplicationLike, unknown>>;
  return ['getHttpServer', 'getHttpAdapter', 'close', 'listen', 'enableShutdownHooks'].every(
    (method) => typeof candidate[method as keyof NestApplicationLike] === 'function',
  );
}

export function trackNestWith<A extends NestApplicationLike, O extends { name?: string }>(
  quiescer: QuiescerCore,
  app: A,
  options: O | undefined,
  trackRawServer: (server: never, options: O) => unknown,
): A {
  trackFrameworkWithOwnClose(quiescer, app, {
    options,
    defaultName: 'nest app',
    server: app.getHttpServer(),
    trackRawServer,
    closeName: 'app.close()',
    // Nest hands `app.close(signal)`'s signal to onApplicationShutdown(signal) and beforeApplicationShutdown(signal),
    // as its own enableShutdownHooks() does: a shutdown that a signal started passes it on.
    close: (_remainingMs, reason) => (reason !== undefined && /^SIG[A-Z0-9]+$/.test(reason) ? app.close(reason) : app.close()),
  });
  return app;
}
