// The shim's own account of its shutdown: JSON Lines in the TimelineEvent shape, appended to the
// file that QUIESCE_TIMELINE_FILE names. quiesce-verify names a fresh file per run and reads it after
// the exit.
import { readFile } from 'node:fs/promises';
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
