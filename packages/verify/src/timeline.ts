// The shim's own account of its shutdown: JSON Lines in the TimelineEvent shape, appended to the
// file that QUIESCE_TIMELINE_FILE names. quiesce-verify names a fresh file per run and reads it after
// the exit. A node:cluster worker that runs the shim writes `<file>.<pid>` instead (events carry no
// pid, so one file could not hold several processes' lines apart).
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TimelineEvent } from './report-types.js';

/** The environment variable the shim reads; part of the shim's contract. */
export const TIMELINE_ENV = 'QUIESCE_TIMELINE_FILE';

const EVENTS = new Set<TimelineEvent['event']>([
  'start',
  'signal',
  'shutdown-start',
  'phase-start',
  'phase-end',
  'timers-stopped',
  'work-after-intake',
  'deadline',
  'fault',
  'exit',
]);

function isTimelineEvent(value: unknown): value is TimelineEvent {
  if (typeof value !== 'object' || value === null) return false;
  const { event, t } = value as { event?: unknown; t?: unknown };
  return typeof event === 'string' && EVENTS.has(event as TimelineEvent['event']) && typeof t === 'number' && Number.isFinite(t);
}

export interface ParsedTimeline {
  events: TimelineEvent[];
  /** Lines that were not timeline events (a line cut off by a kill, or foreign writes), 1-based. */
  skippedLines: number[];
}

/** Parses JSON Lines; lines that are not timeline events are skipped and counted, never guessed at. */
export function parseTimeline(text: string): ParsedTimeline {
  const events: TimelineEvent[] = [];
  const skippedLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (isTimelineEvent(value)) events.push(value);
      else skippedLines.push(index + 1);
    } catch {
      skippedLines.push(index + 1);
    }
  });
  events.sort((a, b) => a.t - b.t);
  return { events, skippedLines };
}

/** The file's timeline, or null when the service wrote none (it does not run the shim, or an old one). */
export async function readTimeline(file: string): Promise<ParsedTimeline | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = parseTimeline(text);
  return parsed.events.length === 0 && parsed.skippedLines.length === 0 ? null : parsed;
}

export interface ServiceTimeline {
  /** Every process's events in time order (a worker's with `worker`: its pid); null when none wrote any. */
  events: TimelineEvent[] | null;
  /** Per file that had lines which were not timeline events: whose file, and which lines (1-based). */
  skipped: Array<{ worker?: number; lines: number[] }>;
}

/** The `<file>.<pid>` files the cluster workers of a service wrote beside `file`, by pid. */
async function workerFiles(file: string): Promise<Array<{ pid: number; path: string }>> {
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^[1-9]\d*$/.test(name.slice(prefix.length)))
    .map((name) => ({ pid: Number(name.slice(prefix.length)), path: join(dirname(file), name) }))
    .sort((a, b) => a.pid - b.pid);
}

/** The service's timeline: its own file and its cluster workers' files, merged in time order. */
export async function readServiceTimeline(file: string): Promise<ServiceTimeline> {
  const own = await readTimeline(file);
  const workers = await Promise.all(
    (await workerFiles(file)).map(async ({ pid, path }) => ({ pid, parsed: await readTimeline(path) })),
  );
  const skipped: ServiceTimeline['skipped'] = [];
  if (own !== null && own.skippedLines.length > 0) skipped.push({ lines: own.skippedLines });
  const events: TimelineEvent[] = [...(own?.events ?? [])];
  for (const { pid, parsed } of workers) {
    if (parsed === null) continue;
    if (parsed.skippedLines.length > 0) skipped.push({ worker: pid, lines: parsed.skippedLines });
    for (const event of parsed.events) events.push({ ...event, worker: pid });
  }
  const wroteAny = own !== null || workers.some(({ parsed }) => parsed !== null);
  return { events: wroteAny ? events.sort((a, b) => a.t - b.t) : null, skipped };
}

/** Removes the service's timeline file and its workers' files. */
export async function removeServiceTimeline(file: string): Promise<void> {
  const files = [file, ...(await workerFiles(file)).map(({ path }) => path)];
  await Promise.all(files.map((path) => rm(path, { force: true })));
}
