// How a request ended, in the report's words. One classification for quiesce-verify and for the
// repository's shutdown benchmark (bench/shutdown), so both count the same failures the same way.
import type { RequestOutcome, RequestRecord } from './report-types.js';

export interface ClassifiedFailure {
  outcome: RequestOutcome;
  /** The client's error code or message, kept so a reader can tell a reset from a hang-up. */
  error: string;
}

/** A failed request's outcome. A refused connection is the clean failure: the client may retry it. */
export function classifyError(error: NodeJS.ErrnoException): ClassifiedFailure {
  if (error.code === 'ECONNREFUSED') return { outcome: 'refused', error: 'ECONNREFUSED' };
  if (error.message === 'socket hang up') return { outcome: 'reset', error: 'socket hang up' };
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return { outcome: 'reset', error: error.code };
  if (error.message === 'aborted') return { outcome: 'reset', error: 'aborted' };
  if (error.code === 'ETIMEDOUT') return { outcome: 'hung', error: 'ETIMEDOUT' };
  return { outcome: 'error', error: error.code ?? error.message };
}

/** A complete response's outcome: below 500 it was served; a 5xx (a 503 while draining) is `status`. */
export function classifyStatus(status: number): RequestOutcome {
  return status < 500 ? 'completed' : 'status';
}

/** Failures that lose a request sent after the signal: everything but a refusal or a 5xx answer. */
export function isUncleanAfterSignal(outcome: RequestOutcome): boolean {
  return outcome === 'reset' || outcome === 'hung' || outcome === 'error';
}

/**
 * Marks each record against the signal: in flight when it was sent (started before, ended after) or
 * sent after it. Records are changed in place and returned.
 */
export function markAgainstSignal<R extends Pick<RequestRecord, 'start' | 'end' | 'inFlightAtSignal' | 'afterSignal'>>(
  records: R[],
  signalAt: number | null,
): R[] {
  for (const record of records) {
    record.inFlightAtSignal = signalAt !== null && record.start < signalAt && record.end > signalAt;
    record.afterSignal = signalAt !== null && record.start >= signalAt;
  }
  return records;
}

/** Counts of each outcome (every outcome present, zero or more). */
export function countOutcomes(records: Array<Pick<RequestRecord, 'outcome'>>): Record<RequestOutcome, number> {
  const counts: Record<RequestOutcome, number> = { completed: 0, status: 0, refused: 0, reset: 0, hung: 0, error: 0 };
  for (const record of records) counts[record.outcome] += 1;
  return counts;
}
