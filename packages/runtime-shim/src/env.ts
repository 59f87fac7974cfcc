// Configuration of the `register` entry from environment variables. A bad value stops the
// process at start with a message naming the variable and what it accepts: a typo in a
// deployment manifest must not silently become the default.

import { constants } from 'node:os';

export const environmentVariables = {
  QUIESCE_TIMEOUT_MS: 'deadline for the whole shutdown, in ms (whole number >= 0; default 25000)',
  QUIESCE_SIGNALS: 'comma-separated signals that start the shutdown (default SIGTERM,SIGINT)',
  QUIESCE_LOG: "'info' (default) or 'silent'",
  QUIESCE_CAPTURE_LOCATIONS: "'1'/'true' to record where unnamed tasks began (default off)",
  QUIESCE_EXIT_CODE_ON_TIMEOUT: 'exit code when the deadline hit (1-255; default 1)',
  QUIESCE_EXIT_CODE_ON_ERROR: 'exit code when a hook failed (1-255; default 1)',
  QUIESCE_RERAISE_SIGNAL: "'1'/'true' to end by the signal itself (status 128+n) after a full drain (default off)",
  QUIESCE_ON_FATAL: "'drain' (default: an uncaught error drains, then exits 1) or 'exit' (exit 1 at once)",
  QUIESCE_FATAL_TIMEOUT_MS: 'deadline of a shutdown an uncaught error started, in ms (whole number >= 0; default 5000)',
  QUIESCE_READINESS_DELAY_MS:
    'how long tracked servers keep serving after the signal, readiness failing, before closing their listeners, in ms (whole number >= 0; default 0)',
  QUIESCE_PRESET: "'kubernetes' (readiness delay 5000 ms, deadline 25000 ms; variables set beside it win)",
  QUIESCE_TRACK_ALL_SERVERS: "'0' to track only the servers passed to trackServer; default '1': every http(s) server, from its first connection",
  QUIESCE_LAUNCH_CHECK: "'0' to silence the start-up warning about how signals reach this process (default on)",
  QUIESCE_TIMELINE_FILE:
    'a file to append the shutdown timeline to, as JSON Lines (docs/timeline.md; a cluster worker appends to <file>.<pid>); read by installShutdownHandlers too',
} as const;

type VariableName = keyof typeof environmentVariables;

/** The options the variables set: those of installShutdownHandlers (signals.ts). */
export interface EnvironmentShutdownConfig {
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  logger?: false;
  captureLocations?: boolean;
  exitCodeOnTimeout?: number;
  exitCodeOnError?: number;
  reraiseSignal?: boolean;
  onFatal?: 'drain' | 'exit';
  fatalTimeoutMs?: number;
  readinessDelayMs?: number;
  preset?: 'kubernetes';
  trackAllServers?: boolean;
}

export class EnvironmentConfigError extends Error {
  constructor(variable: VariableName, value: string) {
    super(`quiesce: ${variable}=${JSON.stringify(value)} is not valid: expected ${environmentVariables[variable]}`);
    this.name = 'EnvironmentConfigError';
  }
}

function present(env: NodeJS.ProcessEnv, name: VariableName): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function wholeNumber(env: NodeJS.ProcessEnv, name: VariableName, min: number, max: number): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new EnvironmentConfigError(name, raw);
  return Number(raw);
}

function flag(env: NodeJS.ProcessEnv, name: VariableName): boolean | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const normalised = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  throw new EnvironmentConfigError(name, raw);
}

export function readShutdownConfig(env: NodeJS.ProcessEnv): EnvironmentShutdownConfig {
  const options: EnvironmentShutdownConfig = {};
  const timeoutMs = wholeNumber(env, 'QUIESCE_TIMEOUT_MS', 0, 2 ** 31 - 1);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;

  const signals = present(env, 'QUIESCE_SIGNALS');
  if (signals !== undefined) {
    const names = signals.split(',').map((name) => name.trim().toUpperCase());
    const catchable = (name: string) => name in constants.signals && name !== 'SIGKILL' && name !== 'SIGSTOP';
    if (names.length === 0 || !names.every(catchable)) throw new EnvironmentConfigError('QUIESCE_SIGNALS', signals);
    options.signals = names as NodeJS.Signals[];
  }

  const log = present(env, 'QUIESCE_LOG');
  if (log !== undefined) {
    if (log === 'silent') options.logger = false;
    else if (log !== 'info') throw new EnvironmentConfigError('QUIESCE_LOG', log);
  }

  const capture = flag(env, 'QUIESCE_CAPTURE_LOCATIONS');
  if (capture !== undefined) options.captureLocations = capture;
  const onTimeout = wholeNumber(env, 'QUIESCE_EXIT_CODE_ON_TIMEOUT', 1, 255);
  if (onTimeout !== undefined) options.exitCodeOnTimeout = onTimeout;
  const onError = wholeNumber(env, 'QUIESCE_EXIT_CODE_ON_ERROR', 1, 255);
  if (onError !== undefined) options.exitCodeOnError = onError;
  const reraise = flag(env, 'QUIESCE_RERAISE_SIGNAL');
  if (reraise !== undefined) options.reraiseSignal = reraise;
  const onFatal = present(env, 'QUIESCE_ON_FATAL');
  if (onFatal !== undefined) {
    if (onFatal !== 'drain' && onFatal !== 'exit') throw new EnvironmentConfigError('QUIESCE_ON_FATAL', onFatal);
    options.onFatal = onFatal;
  }
  const fatalTimeoutMs = wholeNumber(env, 'QUIESCE_FATAL_TIMEOUT_MS', 0, 2 ** 31 - 1);
  if (fatalTimeoutMs !== undefined) options.fatalTimeoutMs = fatalTimeoutMs;
  const readinessDelayMs = wholeNumber(env, 'QUIESCE_READINESS_DELAY_MS', 0, 2 ** 31 - 1);
  if (readinessDelayMs !== undefined) options.readinessDelayMs = readinessDelayMs;
  const preset = present(env, 'QUIESCE_PRESET');
  if (preset !== undefined) {
    if (preset.toLowerCase() !== 'kubernetes') throw new EnvironmentConfigError('QUIESCE_PRESET', preset);
    options.preset = 'kubernetes';
  }
  const trackAll = flag(env, 'QUIESCE_TRACK_ALL_SERVERS');
  if (trackAll !== undefined) options.trackAllServers = trackAll;
  const launchCheck = present(env, 'QUIESCE_LAUNCH_CHECK');
  if (launchCheck !== undefined && launchCheck !== '0' && launchCheck !== '1') throw new EnvironmentConfigError('QUIESCE_LAUNCH_CHECK', launchCheck);
  return options;
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * One warning per QUIESCE_* variable the shim does not know (a typo in a manifest must not pass
 * unseen), naming the closest known one.
 */
export function unknownVariableWarnings(env: NodeJS.ProcessEnv): string[] {
  const known = Object.keys(environmentVariables);
  return Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith('QUIESCE_') && !known.includes(name))
    .sort()
    .map((name) => {
      const closest = known.reduce((best, candidate) =>
        distance(name.toUpperCase(), candidate) < distance(name.toUpperCase(), best) ? candidate : best,
      );
      return `unknown variable ${name} is ignored; did you mean ${closest}? (known: ${known.join(', ')})`;
    });
}
