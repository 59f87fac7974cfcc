// What the page calls lost, unclean and clean, from the report's own words (src/report-types.ts):
// a request in flight at the signal must complete; one sent after it may be refused or answered 503
// but must not be reset, hang or fail otherwise. Work units of `--load <module>` count as requests.
import type { RequestOutcome, RequestRecord, RunReport } from '../report-types.js';

export const OUTCOMES: readonly RequestOutcome[] = ['completed', 'status', 'refused', 'reset', 'hung', 'error'];

/** The words the legend and the hover use, so an outcome never rests on colour alone. */
export const OUTCOME_LABELS: Readonly<Record<RequestOutcome, string>> = {
  completed: 'completed',
  status: '5xx status',
  refused: 'refused',
  reset: 'reset',
  hung: 'hung (no response)',
  error: 'other error',
};

const UNCLEAN: ReadonlySet<RequestOutcome> = new Set(['reset', 'hung', 'error']);

/** In flight when the signal was sent and not answered with a success: work the shutdown lost. */
export function isLost(record: RequestRecord): boolean {
  return record.inFlightAtSignal && record.outcome !== 'completed';
}

/** Sent after the signal and failed in a way a load balancer cannot retry safely. */
export function isUnclean(record: RequestRecord): boolean {
  return record.afterSignal && UNCLEAN.has(record.outcome);
}

export interface RunCounts {
  total: number;
  completed: number;
  inFlightAtSignal: number;
  lost: number;
  afterSignal: number;
  refused: number;
  status: number;
  unclean: number;
  byOutcome: Record<RequestOutcome, number>;
}

/** The requests and the `--load` work units of a run, in that order. */
export function unitsOf(run: RunReport): RequestRecord[] {
  return [...run.requests, ...run.work];
}

export function countRun(run: RunReport): RunCounts {
  const byOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<RequestOutcome, number>;
  const counts: RunCounts = {
    total: 0,
    completed: 0,
    inFlightAtSignal: 0,
    lost: 0,
    afterSignal: 0,
    refused: 0,
    status: 0,
    unclean: 0,
    byOutcome,
  };
  for (const record of unitsOf(run)) {
    counts.total += 1;
    // An outcome this page does not know (a newer report) counts as an error rather than as nothing.
    byOutcome[record.outcome in byOutcome ? record.outcome : 'error'] += 1;
    if (record.inFlightAtSignal) counts.inFlightAtSignal += 1;
    if (record.afterSignal) counts.afterSignal += 1;
    if (isLost(record)) counts.lost += 1;
    if (isUnclean(record)) counts.unclean += 1;
  }
  counts.completed = byOutcome.completed;
  counts.refused = byOutcome.refused;
  counts.status = byOutcome.status;
  return counts;
}
