// `--load <module>`: load that is not HTTP requests (enqueueing jobs, publishing messages, writing
// files a worker picks up). The module's default export (or its `load` export) is called once per
// run with a LoadContext, records each unit of work it started, and returns once every unit's
// outcome is known — which may be after the service exited, when only what the service left behind
// says how a unit ended.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { RequestOutcome, RequestRecord } from '../report-types.js';
import type { ServiceExit } from '../service.js';

export interface WorkUnit {
  /** What the unit was (`job 17`); shown in the report as its path. */
  name: string;
  /** When it was handed to the service and when its outcome was known (ms since the epoch; see `now`). */
  start: number;
  end: number;
  outcome: RequestOutcome;
  error?: string;
}

export interface LoadContext {
  /** Aborted when no new unit should start: the service exited, the duration ended, or (with
   * --stop-load-at-signal) the signal was sent. Units already started should still be recorded. */
  signal: AbortSignal;
  /** Records one unit of work, once its outcome is known. */
  record(unit: WorkUnit): void;
  /** The clock the report uses (ms since the epoch, fractional). */
  now(): number;
  /** Resolves with when the signal was sent to the service. */
  signalSent: Promise<number>;
  /** Resolves when the service exited. */
  serviceExited: Promise<ServiceExit>;
  /** The service's pid, the host and port quiesce-verify knows of (from --url, --port or --ready-line). */
  pid: number | undefined;
  host: string;
  port: number | undefined;
  /** The environment the service was started with (quiesce-verify's own plus --env). */
  env: Record<string, string | undefined>;
}

export type LoadFunction = (context: LoadContext) => void | Promise<void>;

/** Imports a --load module and returns its load function. */
export async function importLoadFunction(specifier: string, cwd: string): Promise<LoadFunction> {
  const url = /^[a-z]+:/i.test(specifier) ? specifier : pathToFileURL(isAbsolute(specifier) ? specifier : resolve(cwd, specifier)).href;
  let imported: { default?: unknown; load?: unknown };
  try {
    imported = (await import(url)) as { default?: unknown; load?: unknown };
  } catch (error) {
    throw new UsageError('--load', `could not import ${specifier}: ${(error as Error).message}`);
  }
  const load = typeof imported.default === 'function' ? imported.default : imported.load;
  if (typeof load !== 'function') {
    throw new UsageError('--load', `${specifier} exports no load function: export default async function load({ signal, record }) { … }`);
  }
  return load as LoadFunction;
}

/** A unit's record as the report keeps it. */
export function workRecord(unit: WorkUnit, id: number): RequestRecord {
  const record: RequestRecord = {
    id,
    method: 'WORK',
    path: unit.name,
    start: unit.start,
    end: unit.end,
    outcome: unit.outcome,
    inFlightAtSignal: false,
    afterSignal: false,
  };
  if (unit.error !== undefined) record.error = unit.error;
  return record;
}
