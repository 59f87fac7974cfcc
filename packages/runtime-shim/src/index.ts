// @quiesce/runtime-shim: track timers, tasks, servers and hooks; drain them timer-first on shutdown.
//
// The package index is the one place that knows every feature: the core (core/) drains, and each
// feature — signals, servers, readiness, cluster — builds on the core's surface. `Quiescer` is
// the core with the features as methods.

import { installClusterShutdownOn, type ClusterShutdownOptions } from './cluster.js';
import {
  expectOptionalDuration,
  expectOptionalOneOf,
  harnessOf,
  invalidArgument,
  onStateExchange,
  QuiescerCore,
  type QuiescerOptions,
} from './core/index.js';
import {
  livenessHandlerWith,
  readinessHandlerWith,
  type LivenessHandlerOptions,
  type ReadinessHandler,
  type ReadinessHandlerOptions,
} from './readiness.js';
import {
  configureServerDefaults,
  trackEveryServer,
  trackServerWith,
  type ListeningApp,
  type TrackableServer,
  type TrackServerOptions,
} from './server/index.js';
import { isFastifyInstance, trackFastifyWith, type FastifyLike } from './integrations/fastify.js';
import { isGrpcServer, trackGrpcServerWith, type GrpcServerLike } from './integrations/grpc.js';
import { isHapiServer, trackHapiWith, type HapiServerLike } from './integrations/hapi.js';
import { isNestApplication, trackNestWith, type NestApplicationLike } from './integrations/nest.js';
import { isSocketIoServer, trackSocketIoWith, type SocketIoServerLike } from './integrations/socket-io.js';
import { isWebSocketServer, trackWebSocketServerWith, type TrackWebSocketServerOptions, type WebSocketServerLike } from './integrations/ws.js';
import { installFaultHandlersOn, validateFaultOptions, type FaultHandlingOptions } from './faults.js';
import { installShutdownHandlersOn as installSignalHandlersOn, type SignalHandlersOptions } from './signals.js';
import { installTimelineOn, timelineVariable, type TimelineOptions } from './timeline.js';

export type {
  HookFailure,
  Logger,
  OnShutdownOptions,
  QuiescerOptions,
  ShutdownHook,
  ShutdownHookContext,
  ShutdownPhase,
  ShutdownReport,
  Track,
  TrackOptions,
  BeginWorkOptions,
  PendingWork,
  WorkHandle,
  WorkKind,
} from './core/index.js';
export type { Fault, TaskFailure } from './core/index.js';
export { defaultFatalTimeoutMs } from './faults.js';
export { defaultTimeoutMs, defaultCleanupReserveMs } from './core/index.js';
export { environmentVariables, EnvironmentConfigError } from './env.js';
export type { ListeningApp, TrackableServer, TrackServerOptions } from './server/index.js';
export type { FastifyLike } from './integrations/fastify.js';
export type { TrackWebSocketServerOptions, WebSocketServerLike } from './integrations/ws.js';
export type { HapiServerLike } from './integrations/hapi.js';
export type { GrpcServerLike } from './integrations/grpc.js';
export type { SocketIoServerLike } from './integrations/socket-io.js';
export type { NestApplicationLike } from './integrations/nest.js';

/** What `trackServer` accepts: a node server, an app whose listen() makes one, or a known framework's object. */
export type Trackable = TrackableServer | ListeningApp | FastifyLike | HapiServerLike | WebSocketServerLike | GrpcServerLike | SocketIoServerLike | NestApplicationLike;

/** trackServer's options; a WebSocketServer also takes its close code and reason. */
export type TrackAnyServerOptions = TrackServerOptions & TrackWebSocketServerOptions;

/** Finds the integration for what is passed: Fastify, ws, or a node server (or app). */
function trackAnyServer<S extends Trackable>(quiescer: QuiescerCore, server: S, options?: TrackAnyServerOptions): S {
  if (isFastifyInstance(server)) {
    return trackFastifyWith(quiescer, server, options, (raw: TrackableServer, rawOptions: TrackServerOptions) =>
      trackServerWith(quiescer, raw, rawOptions),
    ) as S;
  }
  if (isNestApplication(server)) {
    return trackNestWith(quiescer, server, options, (raw: TrackableServer, rawOptions: TrackServerOptions) =>
      trackServerWith(quiescer, raw, rawOptions),
    ) as S;
  }
  if (isHapiServer(server)) {
    return trackHapiWith(quiescer, server, options, (raw: TrackableServer, rawOptions: TrackServerOptions) =>
      trackServerWith(quiescer, raw, rawOptions),
    ) as S;
  }
  if (isWebSocketServer(server)) return trackWebSocketServerWith(quiescer, server, options) as S;
  if (isGrpcServer(server)) return trackGrpcServerWith(quiescer, server, options) as S;
  if (isSocketIoServer(server)) return trackSocketIoWith(quiescer, server, options) as S;
  return trackServerWith(quiescer, server as TrackableServer | ListeningApp, options) as S;
}
export type { LivenessHandlerOptions, ReadinessHandler, ReadinessHandlerOptions } from './readiness.js';
export type { ClusterShutdownOptions, ClusterShutdownReport, WorkerShutdown } from './cluster.js';

export type { TimelineOptions } from './timeline.js';

export interface InstallShutdownHandlersOptions extends SignalHandlersOptions, FaultHandlingOptions, TimelineOptions {
  /**
   * Readiness delay of every tracked server that sets none itself (see trackServer's option):
   * they keep serving this long after the signal, readiness failing, then close their listeners. Default 0.
   */
  readinessDelayMs?: number;
  /**
   * `'kubernetes'`: `readinessDelayMs` 5 000 and `timeoutMs` 25 000 (inside the default 30 s grace
   * period), unless set beside it.
   */
  preset?: 'kubernetes';
  /**
   * Track every http and https server of the process from its first connection, including those a
   * framework creates that nobody passed to `trackServer`. Default false (`register`: true, unless
   * QUIESCE_TRACK_ALL_SERVERS=0).
   */
  trackAllServers?: boolean;
}

/** The values of each preset, under what is set explicitly. */
const presets = {
  kubernetes: { readinessDelayMs: 5_000, timeoutMs: 25_000 },
} as const;

/** Signals and faults: what starts a shutdown that ends the process. */
function installShutdownHandlersOn(quiescer: QuiescerCore, options?: InstallShutdownHandlersOptions): () => void {
  const { onFatal, fatalTimeoutMs, readinessDelayMs, preset, trackAllServers, timelineFile, ...signalOptions } = options ?? {};
  if (trackAllServers !== undefined && typeof trackAllServers !== 'boolean') {
    throw invalidArgument('installShutdownHandlers', 'options.trackAllServers', 'a boolean', trackAllServers);
  }
  if (timelineFile !== undefined && (typeof timelineFile !== 'string' || timelineFile === '')) {
    throw invalidArgument('installShutdownHandlers', 'options.timelineFile', 'a file path', timelineFile);
  }
  const faultOptions = { onFatal, fatalTimeoutMs };
  validateFaultOptions('installShutdownHandlers', faultOptions);
  expectOptionalDuration('installShutdownHandlers', 'options.readinessDelayMs', readinessDelayMs);
  expectOptionalOneOf('installShutdownHandlers', 'options.preset', preset, ['kubernetes'] as const);
  const presetValues = preset === undefined ? undefined : presets[preset];
  const harness = harnessOf(quiescer);
  if (harness !== undefined) {
    // Under the test harness: nothing process-wide (signals, faults, exit), and the harness's own
    // deadline and readiness delay stand; the servers are still tracked, or there is nothing to drain.
    const stopTrackingAll = trackAllServers === true ? trackEveryServer(quiescer) : () => {};
    harness.cleanups.push(stopTrackingAll);
    return stopTrackingAll;
  }
  if (presetValues !== undefined) signalOptions.timeoutMs ??= presetValues.timeoutMs;
  const uninstallSignals = installSignalHandlersOn(quiescer, options === undefined ? undefined : signalOptions);
  configureServerDefaults(quiescer, { readinessDelayMs: readinessDelayMs ?? presetValues?.readinessDelayMs });
  const uninstallFaults = installFaultHandlersOn(quiescer, faultOptions);
  // Read here, not only by the register entry: a tool that runs the service sets it whatever way
  // the service installs its handlers.
  installTimelineOn(quiescer, timelineFile ?? process.env[timelineVariable]);
  const stopTrackingAll = trackAllServers === true ? trackEveryServer(quiescer) : () => {};
  return () => {
    uninstallSignals();
    uninstallFaults();
    stopTrackingAll();
  };
}

function installClusterShutdownWith(quiescer: QuiescerCore, options?: ClusterShutdownOptions & FaultHandlingOptions & TimelineOptions): () => void {
  const { onFatal, fatalTimeoutMs, ...clusterOptions } = options ?? {};
  validateFaultOptions('installClusterShutdown', { onFatal, fatalTimeoutMs });
  // Under the test harness a process of a cluster is tested as one process: nothing to forward.
  if (harnessOf(quiescer) !== undefined) return () => {};
  return installClusterShutdownOn(
    quiescer,
    (target, installOptions) => installShutdownHandlersOn(target, { ...installOptions, onFatal, fatalTimeoutMs }),
    options === undefined ? undefined : clusterOptions,
  );
}

export class Quiescer extends QuiescerCore {
  /** On the first signal runs `shutdown()` and exits; a second signal exits at once. Returns an uninstaller. */
  installShutdownHandlers = (options?: InstallShutdownHandlersOptions): (() => void) => installShutdownHandlersOn(this, options);

  /** Drains a server's requests at shutdown (see server/index.ts). Returns the server (or app). */
  trackServer = <S extends Trackable>(server: S, options?: TrackAnyServerOptions): S => trackAnyServer(this, server, options);

  /** A request handler answering 200 while serving and 503 once shutdown started. */
  readinessHandler = (options?: ReadinessHandlerOptions): ReadinessHandler => readinessHandlerWith(this, options);

  /** A request handler answering 200 until the process exits, shutdown included (liveness probes). */
  livenessHandler = (options?: LivenessHandlerOptions): ReadinessHandler => livenessHandlerWith(this, options);

  /** `installShutdownHandlers` for node:cluster: call it in the primary and in each worker. */
  installClusterShutdown = (options?: ClusterShutdownOptions & FaultHandlingOptions & TimelineOptions): (() => void) =>
    installClusterShutdownWith(this, options);
}

/** A quiescer of its own (for tests and libraries), with the same functions as methods (`q.track`, `q.trackServer`, …). */
export function createQuiescer(options?: QuiescerOptions): Quiescer {
  return new Quiescer(options);
}

// The top-level functions share one quiescer per process, even when the package is loaded twice
// (an ESM and a CJS copy, or two installs): otherwise a timer tracked through one copy would be
// invisible to the shutdown run by the other.
const defaultKey = Symbol.for('@quiesce/runtime-shim/default-quiescer@1');
const holder = globalThis as typeof globalThis & { [defaultKey]?: QuiescerCore };
holder[defaultKey] ??= new Quiescer();
const quiescer: QuiescerCore = holder[defaultKey];

/** Tracks a promise: in flight until it settles. Returns a promise that settles as the input does; any other value is returned unchanged. */
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
/**
 * Aborted when shutdown starts. A live binding: while the test harness points the module-level
 * functions at a quiescer of its own (`@quiesce/runtime-shim/testing`), it is that quiescer's signal.
 */
export let shutdownSignal: AbortSignal = quiescer.shutdownSignal;
onStateExchange(quiescer, () => {
  shutdownSignal = quiescer.shutdownSignal;
});

/** On the first signal (default SIGTERM, SIGINT) runs `shutdown()` and exits; a second signal exits at once. */
export function installShutdownHandlers(options?: InstallShutdownHandlersOptions): () => void {
  return installShutdownHandlersOn(quiescer, options);
}

/** Drains a server's requests at shutdown: refuses new connections, closes keep-alive ones safely. Returns the server (or app). */
export function trackServer<S extends Trackable>(server: S, options?: TrackAnyServerOptions): S {
  return trackAnyServer(quiescer, server, options);
}

/** A request handler answering 200 while serving and 503 once shutdown started (readiness probes). */
export function readinessHandler(options?: ReadinessHandlerOptions): ReadinessHandler {
  return readinessHandlerWith(quiescer, options);
}

/** A request handler answering 200 until the process exits, shutdown included (liveness probes). */
export function livenessHandler(options?: LivenessHandlerOptions): ReadinessHandler {
  return livenessHandlerWith(quiescer, options);
}

/** installShutdownHandlers for node:cluster: call it in the primary and in each worker. */
export function installClusterShutdown(options?: ClusterShutdownOptions & FaultHandlingOptions & TimelineOptions): () => void {
  return installClusterShutdownWith(quiescer, options);
}
