// Options shared by createQuiescer, installShutdownHandlers and the env entry, and their checks.

import {
  expectOptionalDuration,
  expectOptionsObject,
  invalidArgument,
} from './validate.js';
import type { Logger } from './logger.js';

/** Kubernetes sends SIGKILL 30 s after SIGTERM by default; 25 s leaves room to log and exit. */
export const defaultTimeoutMs = 25_000;
/** When the drain overruns, it stops this long before the deadline so cleanup hooks still run. */
export const defaultCleanupReserveMs = 1_000;

export interface QuiescerOptions {
  /** Deadline for the whole shutdown (intake, drain and cleanup), in ms. Default 25 000. */
  timeoutMs?: number;
  /** Where the one line per phase goes; `false` silences. Default: stderr. */
  logger?: Logger | false | null;
  /** Record where unnamed work began, for the report (costs a stack capture per task). Default false. */
  captureLocations?: boolean;
  /** If the drain overruns and cleanup hooks exist, the drain ends this long before the deadline. Default 1 000. */
  cleanupReserveMs?: number;
}

export function validateQuiescerOptions(where: string, options: unknown): asserts options is QuiescerOptions | undefined {
  expectOptionsObject(where, options);
  if (!options) return;
  const fields = options as Record<string, unknown>;
  expectOptionalDuration(where, 'options.timeoutMs', fields['timeoutMs']);
  expectOptionalDuration(where, 'options.cleanupReserveMs', fields['cleanupReserveMs']);
  const logger = fields['logger'];
  if (logger !== undefined && logger !== false && logger !== null) {
    const candidate = logger as Partial<Logger>;
    if (typeof logger !== 'object' || ['info', 'warn', 'error'].some((m) => typeof candidate[m as keyof Logger] !== 'function')) {
      throw invalidArgument(where, 'options.logger', 'an object with info, warn and error methods, or false', logger);
    }
  }
  const capture = fields['captureLocations'];
  if (capture !== undefined && typeof capture !== 'boolean') {
    throw invalidArgument(where, 'options.captureLocations', 'a boolean', capture);
  }
}
