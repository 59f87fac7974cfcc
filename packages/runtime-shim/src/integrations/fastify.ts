// Fastify: its requests are those of its raw server (`app.server`), drained as any http server's;
// its own `close()` then runs inside the drain, once the requests and connections are done, so its
// `onClose` hooks (database pools registered as plugins) close after the work that used them.
//
// Fastify's `close()` alone would call `server.close()`, which destroys idle keep-alive sockets at
// once (racing a client that is just sending on one) and, with `return503OnClosing`, answers 503 to
// requests still arriving on busy ones. Inside our phases the listener has already closed, each
// response carried `Connection: close` and every connection has ended before `close()` runs; a
// request that still reaches Fastify after that gets its own 503 with `Connection: close`.

import { trackFrameworkWithOwnClose, type QuiescerCore } from '../core/index.js';

/** The part of a Fastify instance the integration uses (duck-typed: no dependency on fastify). */
export interface FastifyLike {
  server: object;
  close(): PromiseLike<unknown> | unknown;
  addHook(name: string, hook: (...args: never[]) => unknown): unknown;
  register(...args: never[]): unknown;
}

export function isFastifyInstance(value: unknown): value is FastifyLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof FastifyLike, unknown>> & { listen?: unknown };
  return (
    typeof candidate.close === 'function' &&
    typeof candidate.addHook === 'function' &&
    typeof candidate.register === 'function' &&
    typeof candidate.listen === 'function' &&
    typeof candidate.server === 'object' &&
    candidate.server !== null
  );
}

/**
 * `trackServer(fastifyApp)`. `trackRawServer` is the http server tracking (passed in by the package
 * index). Returns the app.
 */
export function trackFastifyWith<A extends FastifyLike, O extends { name?: string }>(
  quiescer: QuiescerCore,
  app: A,
  options: O | undefined,
  trackRawServer: (server: never, options: O) => unknown,
): A {
  const closing = trackFrameworkWithOwnClose(quiescer, app, {
    options,
    defaultName: 'fastify',
    server: app.server,
    trackRawServer,
    closeName: 'close()',
    close: () => app.close(),
  });
  if (closing === undefined) return app;
  // The app (or a test) may close it itself: then it is not closed again.
  try {
    app.addHook('preClose', ((done: () => void) => {
      closing.closedElsewhere();
      done();
    }) as never);
  } catch {
    // Already booted: hooks can no longer be added; our own call is still made only once.
  }
  return app;
}
