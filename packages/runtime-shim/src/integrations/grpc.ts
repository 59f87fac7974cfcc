// @grpc/grpc-js: a server's calls are its own business (HTTP/2 under its own session handling), so
// the integration uses its shutdown: at intake `tryShutdown()` stops new calls (GOAWAY to every
// client: they know what was never processed) and waits for the calls in flight; if the deadline
// comes first, `forceShutdown()` cancels what is left, and the report names it.

import type { QuiescerCore } from '../core/index.js';

/** The part of a grpc-js Server the integration uses (duck-typed: no dependency on @grpc/grpc-js). */
export interface GrpcServerLike {
  tryShutdown(callback: (error?: Error) => void): void;
  forceShutdown(): void;
  bindAsync(...args: never[]): unknown;
  addService(...args: never[]): unknown;
}

export function isGrpcServer(value: unknown): value is GrpcServerLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof GrpcServerLike, unknown>>;
  return ['tryShutdown', 'forceShutdown', 'bindAsync', 'addService'].every(
    (method) => typeof candidate[method as keyof GrpcServerLike] === 'function',
  );
}

const trackedServers = new WeakSet<object>();

export function trackGrpcServerWith<S extends GrpcServerLike>(quiescer: QuiescerCore, server: S, options?: { name?: string }): S {
  if (trackedServers.has(server)) return server;
  trackedServers.add(server);
  const name = options?.name ?? 'grpc server';
  const stop = (): void => {
    const work = quiescer.beginWork({
      kind: 'grpc',
      name: `${name}: calls in flight (tryShutdown)`,
      onDeadline: () => server.forceShutdown(),
    });
    server.tryShutdown((error) => {
      if (error !== undefined) quiescer.log.error(`${name}: tryShutdown failed: ${error.message}`);
      work.end();
    });
  };
  if (quiescer.isShuttingDown()) stop();
  else quiescer.onShutdown(stop, { phase: 'intake', name: `${name}: tryShutdown` });
  return server;
}
