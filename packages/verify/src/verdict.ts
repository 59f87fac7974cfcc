// The verdict: one check per way a shutdown loses work, each with the line a person reads.
import { countOutcomes, isUncleanAfterSignal } from './outcome.js';
import type { Check, RequestOutcome, RequestRecord, TimelineEvent } from './report-types.js';

export interface RunFacts {
  signal: string;
  signalAt: number | null;
  /** Why the run has no signal or load to judge (the service was never ready), else undefined. */
  notReady?: string;
  exitAt: number | null;
  exitCode: number | null;
  exitSignal: string | null;
  /** The process group was killed at the hard limit, this long after the signal. */
  killedAtHardLimitMs?: number;
  exitLagMs: number | null;
  maxExitLagMs: number;
  /** Requests and work units together. */
  records: RequestRecord[];
  /** What the load itself reported wrong (a --load function that threw, --after-requests not reached). */
  loadProblems: string[];
  timeline: TimelineEvent[] | null;
  /** 'request' or 'work unit', for messages. */
  unitName: string;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function describeOutcomes(records: RequestRecord[], outcomes: RequestOutcome[]): string {
  const counts = countOutcomes(records);
  return outcomes
    .filter((outcome) => counts[outcome] > 0)
    .map((outcome) => {
      const examples = [...new Set(records.filter((record) => record.outcome === outcome).map((record) => record.error ?? (record.status === undefined ? '' : String(record.status))))]
        .filter((text) => text !== '')
        .slice(0, 2);
      return `${counts[outcome]} ${outcome}${examples.length === 0 ? '' : ` (${examples.join(', ')})`}`;
    })
    .join(', ');
}

function pathsOf(records: RequestRecord[]): string {
  const paths = [...new Set(records.map((record) => `${record.method === 'WORK' ? '' : `${record.method} `}${record.path}`))];
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

/** Where a cluster worker's event happened, for messages; nothing for the service's own process. */
const inWorker = (event: TimelineEvent) => (event.worker === undefined ? '' : ` in worker ${event.worker}`);

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

export function judge(facts: RunFacts): Check[] {
  const unit = facts.unitName;
  if (facts.notReady !== undefined) return [{ id: 'ready', passed: false, message: facts.notReady }];
  const checks: Check[] = [{ id: 'ready', passed: true, message: 'the service became ready' }];

  const before = facts.records.filter((record) => facts.signalAt !== null && record.start < facts.signalAt);
  const inFlight = facts.records.filter((record) => record.inFlightAtSignal);
  const after = facts.records.filter((record) => record.afterSignal);
  const loadMessages = [...facts.loadProblems];
  if (before.length === 0) loadMessages.push(`no ${unit} was sent before the signal, so nothing in flight was tested`);
  else if (inFlight.length === 0) {
    loadMessages.push(`no ${unit} was in flight at the signal, so nothing was tested: raise --concurrency or use slower paths`);
  }
  checks.push(
    loadMessages.length === 0
      ? { id: 'load', passed: true, message: `${plural(facts.records.length, unit)}: ${before.length} sent before the signal, ${inFlight.length} in flight at it, ${after.length} after it` }
      : { id: 'load', passed: false, message: loadMessages.join('; ') },
  );

  // Refused: never accepted, so nothing was lost (a queued job left for the next start; a request
  // can only be refused at its connection, so one in flight never is).
  const lost = inFlight.filter((record) => record.outcome !== 'completed' && record.outcome !== 'refused');
  const refusedInFlight = inFlight.length - lost.length - inFlight.filter((record) => record.outcome === 'completed').length;
  checks.push(
    lost.length === 0
      ? {
          id: 'in-flight-lost',
          passed: true,
          message: `all ${plural(inFlight.length, unit)} in flight at ${facts.signal} completed${refusedInFlight === 0 ? '' : ` or were left unaccepted (${refusedInFlight} refused)`}`,
        }
      : {
          id: 'in-flight-lost',
          passed: false,
          message: `${lost.length} of ${plural(inFlight.length, unit)} in flight at ${facts.signal} lost: ${describeOutcomes(lost, ['status', 'reset', 'hung', 'error'])} — ${pathsOf(lost)}`,
        },
  );

  const unclean = after.filter((record) => isUncleanAfterSignal(record.outcome));
  const clean = countOutcomes(after);
  checks.push(
    unclean.length === 0
      ? {
          id: 'unclean-after-signal',
          passed: true,
          message: `${plural(after.length, unit)} sent after ${facts.signal}: ${clean.completed} completed, ${clean.refused} refused, ${clean.status} answered 5xx; none reset or hung`,
        }
      : {
          id: 'unclean-after-signal',
          passed: false,
          message: `${unclean.length} of ${plural(after.length, unit)} sent after ${facts.signal} failed uncleanly: ${describeOutcomes(unclean, ['reset', 'hung', 'error'])} (a clean refusal is ECONNREFUSED or a 503)`,
        },
  );

  const timeline = facts.timeline;
  const noTimeline = 'not checked: the service wrote no timeline (it does not run @quiesce/runtime-shim, or one without QUIESCE_TIMELINE_FILE)';
  if (timeline === null) {
    checks.push({ id: 'work-after-intake', passed: true, skipped: true, message: noTimeline });
  } else {
    // A request that reached an open kept-alive connection after intake is the client's doing, not
    // work the service started; the request checks judge how it was answered.
    const afterIntake = timeline.filter((event) => event.event === 'work-after-intake');
    const late = afterIntake.filter((event) => event.kind !== 'request');
    const lateRequests = afterIntake.length - late.length;
    const requestsNote = lateRequests === 0 ? '' : ` (${plural(lateRequests, 'request')} arrived on kept-alive connections after it: judged by their outcomes)`;
    checks.push(
      late.length === 0
        ? { id: 'work-after-intake', passed: true, message: `no work started after intake (the shim's timeline)${requestsNote}` }
        : {
            id: 'work-after-intake',
            passed: false,
            message: `${plural(late.length, 'piece')} of work started after intake: ${late
              .slice(0, 3)
              .map((event) => `${event.kind} '${event.name}'${event.location ? ` at ${event.location}` : ''}${inWorker(event)}`)
              .join(', ')}${late.length > 3 ? ` and ${late.length - 3} more` : ''}`,
          },
    );
  }

  // One deadline per process at most: a cluster's workers each have their own.
  const deadlines = (timeline ?? []).filter((event) => event.event === 'deadline');
  const pendingCount = deadlines.reduce((sum, deadline) => sum + deadline.pending.length, 0);
  const whose = deadlines.some((deadline) => deadline.worker !== undefined)
    ? ` (in ${deadlines.map((deadline) => (deadline.worker === undefined ? 'the primary' : `worker ${deadline.worker}`)).join(', ')})`
    : '';
  if (facts.killedAtHardLimitMs !== undefined) {
    checks.push({
      id: 'deadline',
      passed: false,
      message: `still running ${ms(facts.killedAtHardLimitMs)} after ${facts.signal}: killed at --hard-limit${deadlines.length > 0 ? `; the shim's deadline hit with ${plural(pendingCount, 'piece')} of work pending${whose}` : ''}`,
    });
  } else if (deadlines.length > 0) {
    const pending = deadlines.flatMap((deadline) => deadline.pending.map((work) => `${work.kind} '${work.name}' (${ms(work.ageMs)} old)${inWorker(deadline)}`));
    checks.push({
      id: 'deadline',
      passed: false,
      message: `the shim's deadline hit with ${plural(pending.length, 'piece')} of work pending${pending.length === 0 ? whose : `: ${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ` and ${pending.length - 3} more` : ''}`}`,
    });
  } else {
    checks.push({
      id: 'deadline',
      passed: true,
      message: timeline === null ? 'exited by itself before --hard-limit (no timeline to say whether a deadline hit)' : 'the drain finished before the deadline',
    });
  }

  if (facts.exitSignal !== null) {
    checks.push({ id: 'exit-code', passed: false, message: `killed by ${facts.exitSignal}${facts.exitSignal === facts.signal ? ' (no handler for it: the default action ended the process at once)' : ''}` });
  } else if (facts.exitCode !== 0) {
    checks.push({ id: 'exit-code', passed: false, message: `exit code ${facts.exitCode}` });
  } else {
    checks.push({ id: 'exit-code', passed: true, message: 'exit code 0' });
  }

  if (facts.exitLagMs === null) {
    checks.push({ id: 'exit-lag', passed: true, skipped: true, message: 'not measured: the service did not exit by itself' });
  } else {
    const within = facts.exitLagMs <= facts.maxExitLagMs;
    checks.push({
      id: 'exit-lag',
      passed: within,
      message: `exited ${ms(facts.exitLagMs)} after its last finished work (--max-exit-lag ${facts.maxExitLagMs} ms)`,
    });
  }
  return checks;
}
