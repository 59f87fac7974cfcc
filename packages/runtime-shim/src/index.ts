// @quiesce/runtime-shim: track timers, tasks, servers and hooks; drain them timer-first on shutdown.

import { defaultQuiescer } from './default-instance.js';
import type { QuiescerOptions } from './options.js';
import { Quiescer } from './quiescer.js';
import { installShutdownHandlersOn, type InstallShutdownHandlersOptions } from './signals.js';
import { trackServerWith, type ListeningApp, type TrackableServer, type TrackServerOptions } from './server.js';
import { readinessHandlerWith, type ReadinessHandler, type ReadinessHandlerOptions } from './readiness.js';
import { installClusterShutdownOn, type ClusterShutdownOptions } from './cluster.js';

export type { HookFailure, OnShutdownOptions, ShutdownHook, ShutdownHookContext, ShutdownPhase } from './hooks.js';
export type { Logger } from './logger.js';
export type { QuiescerOptions } from './options.js';
export type { TrackOptions } from './quiescer.js';
export type { ShutdownReport } from './report.js';
export type { InstallShutdownHandlersOptions } from './signals.js';
export type { BeginWorkOptions, PendingWork, WorkHandle, WorkKind } from './work.js';
export { defaultTimeoutMs, defaultCleanupReserveMs } from './options.js';
export { environmentVariables, EnvironmentConfigError } from './env.js';
export { Quiescer };
export type { ListeningApp, TrackableServer, TrackServerOptions } from './server.js';
export type { ReadinessHandler, ReadinessHandlerOptions } from './readiness.js';
export type { ClusterShutdownOptions, ClusterShutdownReport, WorkerShutdown } from './cluster.js';

/** A quiescer of its own (for tests and libraries), with the same functions as methods (`q.track`, `q.trackServer`, …). */
export function createQuiescer(options?: QuiescerOptions): Quiescer {
  return new Quiescer(options);
}

const quiescer = defaultQuiescer();

/** Tracks a promise: in flight until it settles. Returns a promise that settles as the input does. */
export const track = quiescer.track;
/** Wraps a function so that each promise it returns is tracked (for event listeners). */
export const trackCallback = quiescer.trackCallback;
/** Low-level in-flight work without a promise (a request, a job): call `end()` when done. */
export const beginWork = quiescer.beginWork;
/** Drop-in `setInterval` whose timer stops at intake and whose async callbacks are drained. */
export const setInterval = quiescer.setInterval;
/** Drop-in `setTimeout` for scheduled work: cancelled at intake, never run once shutdown began. */
export const setTimeout = quiescer.setTimeout;
export const clearInterval = quiescer.clearInterval;
export const clearTimeout = quiescer.clearTimeout;
/** Registers a shutdown hook; returns a function that unregisters it. */
export const onShutdown = quiescer.onShutdown;
/** Runs intake → drain → cleanup once and resolves with the report; does not exit. */
export const shutdown = quiescer.shutdown;
/** True from the moment shutdown starts. */
export const isShuttingDown = quiescer.isShuttingDown;
/** Aborted when shutdown starts. */
export const shutdownSignal: AbortSignal = quiescer.shutdownSignal;

/** On the first signal (default SIGTERM, SIGINT) runs `shutdown()` and exits; a second signal exits at once. */
export function installShutdownHandlers(options?: InstallShutdownHandlersOptions): () => void {
  return installShutdownHandlersOn(quiescer, options);
}

/** Drains a server's requests at shutdown: refuses new connections, closes keep-alive ones safely. Returns the server (or app). */
export function trackServer<S extends TrackableServer | ListeningApp>(server: S, options?: TrackServerOptions): S {
  return trackServerWith(quiescer, server, options);
}

/** A request handler answering 200 while serving and 503 once shutdown started (readiness probes). */
export function readinessHandler(options?: ReadinessHandlerOptions): ReadinessHandler {
  return readinessHandlerWith(quiescer, options);
}

/** installShutdownHandlers for node:cluster: call it in the primary and in each worker. */
export function installClusterShutdown(options?: ClusterShutdownOptions): () => void {
  return installClusterShutdownOn(quiescer, options);
}
