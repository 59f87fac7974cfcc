// A readiness endpoint for orchestrators: 200 while serving, 503 from the moment shutdown starts,
// so the load balancer stops sending during the readiness delay (see trackServer).

import type { ServerResponse } from 'node:http';
import { expectFunction, expectOptionsObject, type QuiescerCore } from './core/index.js';

export interface ReadinessHandlerOptions {
  /** An extra condition for readiness (e.g. the database pool is connected). Default: always ready. */
  isReady?: () => boolean;
}

/** The part of a response the handler uses: node:http, Express, Fastify's raw reply, http2 compat. */
type ReadinessResponse = Pick<ServerResponse, 'statusCode' | 'setHeader' | 'end'>;

export type ReadinessHandler = (request: unknown, response: ReadinessResponse) => void;

export function readinessHandlerWith(quiescer: QuiescerCore, options?: ReadinessHandlerOptions): ReadinessHandler {
  expectOptionsObject('readinessHandler', options);
  const isReady = options?.isReady;
  if (isReady !== undefined) expectFunction('readinessHandler', 'options.isReady', isReady);
  return function readinessHandler(_request, response) {
    const ready = !quiescer.isShuttingDown() && (isReady === undefined || isReady());
    response.statusCode = ready ? 200 : 503;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    response.end(ready ? 'ready\n' : 'shutting down\n');
  };
}

export interface LivenessHandlerOptions {
  /** An extra condition for liveness (e.g. the event loop is not wedged). Default: alive. */
  isAlive?: () => boolean;
}

/**
 * A liveness endpoint: 200 until the process exits, shutdown included, so that the orchestrator
 * does not kill a process that is draining (readiness says "send nothing new"; liveness must not
 * say "restart me"). 503 only when `isAlive` says so.
 */
export function livenessHandlerWith(_quiescer: QuiescerCore, options?: LivenessHandlerOptions): ReadinessHandler {
  expectOptionsObject('livenessHandler', options);
  const isAlive = options?.isAlive;
  if (isAlive !== undefined) expectFunction('livenessHandler', 'options.isAlive', isAlive);
  return function livenessHandler(_request, response) {
    const alive = isAlive === undefined || isAlive();
    response.statusCode = alive ? 200 : 503;
    response.setHeader('content-type', 'text/plain; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    response.end(alive ? 'alive\n' : 'not alive\n');
  };
}
