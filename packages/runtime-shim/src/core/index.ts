// The core's public surface: what every feature (signals, faults, servers, frameworks,
// readiness, cluster) builds on. Features import this file only, and nothing in the core imports
// a feature.

export { exchangeState, onStateExchange, QuiescerCore, workRegistryOf, type Track, type TrackOptions } from './quiescer.js';
export { beforeReraise, configureExit, exitCodeFor, isExiting, shutdownAndExit, signalNumber } from './exit.js';
export type { ExitPolicy, ExitPolicyOptions } from './exit.js';
export { harnessOf, passiveRequestKey, stateOf, trackedServerKey, upgradeOwnerKey, type HarnessState } from './state.js';
export { runOnceDrained, trackFrameworkWithOwnClose, type DrainedClose, type FrameworkWithOwnClose } from './after-drain.js';
export { createAsyncLineage, notifyObservers, observationOf, observeShutdown } from './observers.js';
export type { NewWork, ObservedPhase, Observation, ShutdownObserver, WorkLineage } from './observers.js';
export type { HookFailure, OnShutdownOptions, ShutdownHook, ShutdownHookContext, ShutdownPhase } from './hooks.js';
export { resolveLogger, silentLogger, stderrLogger, type Logger } from './logger.js';
export { defaultCleanupReserveMs, defaultTimeoutMs, validateQuiescerOptions, type QuiescerOptions } from './options.js';
export { describeFault, describePending, formatDuration, type Fault, type ShutdownReport } from './report.js';
export { coarseClock, leastAgeSinceCoarse } from './clock.js';
export type { BeginWorkOptions, PendingWork, TaskFailure, WorkHandle, WorkKind } from './work.js';
export {
  describeValue,
  expectFunction,
  expectOptionalDuration,
  expectOptionalOneOf,
  expectOptionalString,
  expectOptionsObject,
  invalidArgument,
  isThenable,
} from './validate.js';
