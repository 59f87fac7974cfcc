// Turns a run into what the page's script draws: times relative to the signal, requests sorted into
// groups (what was lost first) and packed into lanes, the shim's phases as bands and its events as
// markers. Packing keeps a run of thousands of requests about as tall as its concurrency.
import type { RequestOutcome, RequestRecord, RunReport, TimelineEvent } from '../report-types.js';
import { OUTCOMES, isLost, isUnclean } from './classify.js';

type Phase = 'intake' | 'drain' | 'cleanup';

/** One bar: [id, kind (0 request, 1 work unit), method, path, start, end, outcome, status, error, group, lane]. */
export type ChartItem = [
  id: number,
  kind: 0 | 1,
  method: number,
  path: number,
  start: number,
  end: number,
  outcome: number,
  status: number,
  error: number,
  group: number,
  lane: number,
];

export interface ChartGroup {
  id: string;
  label: string;
  count: number;
  lanes: number;
  problem: boolean;
}

export interface ChartPhase {
  phase: Phase;
  start: number;
  end: number;
  /** No phase-end was written (the process died or was killed during it). */
  open: boolean;
}

export interface ChartMarker {
  kind: 'ready' | 'signal' | 'signal-received' | 'shutdown-start' | 'timers-stopped' | 'work-after-intake' | 'deadline' | 'fault' | 'exit';
  t: number;
  /** Drawn as a line across the whole chart (signal, deadline, exit) rather than a point on the shim's lane. */
  line: boolean;
  bad: boolean;
  label: string;
  detail: string[];
}

export interface ChartData {
  run: number;
  /** What t = 0 is: the signal when one was sent. */
  origin: 'signal' | 'first request' | 'start';
  signal: string;
  full: [number, number];
  /** The stretch from the earliest request in flight at the signal to the exit, when it is a small part of the run. */
  focus: [number, number] | null;
  strings: string[];
  items: ChartItem[];
  groups: ChartGroup[];
  phases: ChartPhase[];
  markers: ChartMarker[];
  hasTimeline: boolean;
}

interface GroupSpec {
  id: string;
  label: string;
  matches: (record: RequestRecord) => boolean;
  problem: boolean;
  /** Lanes per outcome, so that e.g. all resets sit together. */
  byOutcome: boolean;
}

const GROUPS: readonly GroupSpec[] = [
  { id: 'lost', label: 'In flight at the signal, lost', matches: isLost, problem: true, byOutcome: true },
  { id: 'unclean', label: 'Sent after the signal, failed uncleanly', matches: isUnclean, problem: true, byOutcome: true },
  { id: 'in-flight', label: 'In flight at the signal, completed', matches: (r) => r.inFlightAtSignal, problem: false, byOutcome: false },
  { id: 'after-signal', label: 'Sent after the signal, refused, 5xx or completed', matches: (r) => r.afterSignal, problem: false, byOutcome: true },
  { id: 'before-signal', label: 'Done before the signal', matches: () => true, problem: false, byOutcome: false },
];

const NO_SIGNAL_GROUP: GroupSpec = { id: 'all', label: 'Requests (no signal was sent)', matches: () => true, problem: false, byOutcome: false };

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** -1 for a missing string. */
  add(value: string | undefined): number {
    if (value === undefined) return -1;
    let at = this.index.get(value);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(value);
      this.index.set(value, at);
    }
    return at;
  }
}

/** First-fit lanes over records sorted by start; returns each record's lane and the lane count. */
function packLanes(records: RequestRecord[]): { lanes: Map<RequestRecord, number>; count: number } {
  const laneEnds: number[] = [];
  const lanes = new Map<RequestRecord, number>();
  for (const record of [...records].sort((a, b) => a.start - b.start || a.id - b.id)) {
    let lane = laneEnds.findIndex((end) => end <= record.start);
    if (lane === -1) lane = laneEnds.push(record.end) - 1;
    else laneEnds[lane] = record.end;
    lanes.set(record, lane);
  }
  return { lanes, count: laneEnds.length };
}

/** The service process's own phases; a cluster's workers have theirs too, drawn only as markers. */
function phasesOf(timeline: TimelineEvent[], end: number): ChartPhase[] {
  const phases: ChartPhase[] = [];
  for (const event of timeline) {
    if (event.worker !== undefined) continue;
    if (event.event === 'phase-start') phases.push({ phase: event.phase, start: event.t, end, open: true });
    if (event.event === 'phase-end') {
      const started = phases.findLast((p) => p.phase === event.phase && p.open);
      if (started) Object.assign(started, { end: event.t, open: false });
    }
  }
  return phases;
}

type MarkerAt = Omit<ChartMarker, 't'> & { at: number };

/** The chart marker of one shim event, or undefined for events drawn otherwise (phases, exit). */
function markerOf(event: TimelineEvent, signalAt: number | null): MarkerAt | undefined {
  switch (event.event) {
    case 'signal':
      // The shim's own receipt; when verify sent the signal that line is already drawn.
      return { kind: 'signal-received', at: event.t, line: signalAt === null, bad: false, label: `${event.signal} received`, detail: [`the shim received ${event.signal}`] };
    case 'shutdown-start':
      return { kind: 'shutdown-start', at: event.t, line: false, bad: false, label: 'shutdown', detail: [`shutdown started: ${event.reason}`] };
    case 'timers-stopped':
      return { kind: 'timers-stopped', at: event.t, line: false, bad: false, label: `${event.count} timers stopped`, detail: [`${event.count} timer(s) stopped`] };
    case 'work-after-intake':
      return {
        kind: 'work-after-intake',
        at: event.t,
        line: false,
        bad: true,
        label: `work after intake: ${event.name}`,
        detail: [`work begun after intake: ${event.kind} ${event.name}`, ...(event.location ? [`at ${event.location}`] : [])],
      };
    case 'deadline':
      return {
        kind: 'deadline',
        at: event.t,
        line: true,
        bad: true,
        label: `deadline: ${event.pending.length} pending`,
        detail: [
          `deadline hit with ${event.pending.length} piece(s) of work pending:`,
          ...event.pending.map((p) => `${p.kind} ${p.name}, ${Math.round(p.ageMs)} ms old${p.location ? ` (${p.location})` : ''}`),
        ],
      };
    case 'fault':
      return {
        kind: 'fault',
        at: event.t,
        line: false,
        bad: true,
        label: `fault: ${event.origin}`,
        detail: [`fault (${event.origin})${event.task ? ` in ${event.task}` : ''}: ${event.message}`],
      };
    default:
      return undefined;
  }
}

function timelineMarkers(timeline: TimelineEvent[], signalAt: number | null): MarkerAt[] {
  const markers: MarkerAt[] = [];
  for (const event of timeline) {
    const marker = markerOf(event, signalAt);
    if (marker === undefined) continue;
    const { worker } = event;
    markers.push(worker === undefined ? marker : { ...marker, label: `worker ${worker}: ${marker.label}`, detail: [`in cluster worker ${worker}`, ...marker.detail] });
  }
  return markers;
}

/** What the page's times are relative to: the signal, else the first request, else the start. */
export function originOf(run: RunReport): { at: number; kind: ChartData['origin'] } {
  if (run.signalAt !== null) return { at: run.signalAt, kind: 'signal' };
  let first = Number.POSITIVE_INFINITY;
  for (const r of run.requests) first = Math.min(first, r.start);
  for (const r of run.work) first = Math.min(first, r.start);
  return Number.isFinite(first) ? { at: first, kind: 'first request' } : { at: run.startedAt, kind: 'start' };
}

export function layoutRun(run: RunReport): ChartData {
  const records = [...run.requests, ...run.work];
  const workFrom = run.requests.length;
  const timeline = run.timeline ?? [];
  const { at: originAt, kind: origin } = originOf(run);
  const rel = (t: number): number => round(t - originAt);

  const timelineExit = timeline.findLast((e): e is Extract<TimelineEvent, { event: 'exit' }> => e.event === 'exit' && e.worker === undefined);
  const exitAt = run.exitAt ?? timelineExit?.t ?? null;

  // The chart spans the requests, the shutdown's events and the exit, not the service's start-up.
  const shutdownEvents = timeline.filter((e) => e.event !== 'start').map((e) => e.t);
  let low = originAt;
  let high = originAt;
  const include = (t: number): void => {
    if (t < low) low = t;
    if (t > high) high = t;
  };
  for (const record of records) {
    include(record.start);
    include(record.end);
  }
  shutdownEvents.forEach(include);
  if (exitAt !== null) include(exitAt);
  if (high - low < 1) high = low + 1;
  const pad = (high - low) * 0.02;
  low -= pad;
  high += pad;

  const strings = new StringTable();
  const specs = run.signalAt === null ? [NO_SIGNAL_GROUP] : GROUPS;
  const members = specs.map(() => [] as RequestRecord[]);
  for (const record of records) {
    const at = specs.findIndex((spec) => spec.matches(record));
    members[at]!.push(record);
  }
  const kindOf = new Map(records.map((r, i) => [r, i < workFrom ? 0 : 1] as const));

  const items: ChartItem[] = [];
  const groups: ChartGroup[] = [];
  specs.forEach((spec, specIndex) => {
    const group = members[specIndex]!;
    if (group.length === 0) return;
    const blocks: RequestRecord[][] = spec.byOutcome
      ? OUTCOMES.map((outcome) => group.filter((r) => r.outcome === outcome)).filter((block) => block.length > 0)
      : [group];
    let laneBase = 0;
    const groupIndex = groups.length;
    for (const block of blocks) {
      const { lanes, count } = packLanes(block);
      for (const record of block) {
        items.push([
          Number(record.id),
          kindOf.get(record)!,
          strings.add(record.method),
          strings.add(record.path),
          rel(record.start),
          rel(record.end),
          OUTCOMES.indexOf(record.outcome as RequestOutcome),
          record.status ?? -1,
          strings.add(record.error),
          groupIndex,
          laneBase + lanes.get(record)!,
        ]);
      }
      laneBase += count;
    }
    groups.push({ id: spec.id, label: spec.label, count: group.length, lanes: laneBase, problem: spec.problem });
  });

  const markers: ChartMarker[] = [];
  const add = (m: MarkerAt): void => {
    const { at, ...rest } = m;
    markers.push({ ...rest, t: rel(at) });
  };
  if (run.readyAt !== null && run.readyAt >= low + originAt) {
    add({ kind: 'ready', at: run.readyAt, line: false, bad: false, label: 'ready', detail: ['the service was ready'] });
  }
  if (run.signalAt !== null) {
    add({ kind: 'signal', at: run.signalAt, line: true, bad: false, label: run.signal, detail: [`${run.signal} sent`] });
  }
  for (const marker of timelineMarkers(timeline, run.signalAt)) add(marker);
  if (exitAt !== null) {
    const how = run.exitSignal ? `killed by ${run.exitSignal}` : `exit ${run.exitCode ?? timelineExit?.code ?? '?'}`;
    const lag = run.exitLagMs === null ? [] : [`${round(run.exitLagMs)} ms after the last completed work`];
    add({ kind: 'exit', at: exitAt, line: true, bad: run.exitSignal !== null || (run.exitCode ?? 0) !== 0, label: how, detail: [`the process ended: ${how}`, ...lag] });
  }

  const phases = phasesOf(timeline, exitAt ?? high).map((p) => ({ ...p, start: rel(p.start), end: rel(p.end) }));

  let focus: [number, number] | null = null;
  if (run.signalAt !== null) {
    let from = 0;
    let to = 0;
    for (const r of records) {
      if (!r.inFlightAtSignal && !r.afterSignal) continue;
      from = Math.min(from, rel(r.start));
      to = Math.max(to, rel(r.end));
    }
    for (const m of markers) to = Math.max(to, m.t);
    for (const p of phases) to = Math.max(to, p.end);
    const focusPad = Math.max((to - from) * 0.05, 0.5);
    const candidate: [number, number] = [round(from - focusPad), round(to + focusPad)];
    if (candidate[1] - candidate[0] < (high - low) * 0.6) focus = candidate;
  }

  return {
    run: run.run,
    origin,
    signal: run.signal,
    full: [rel(low), rel(high)],
    focus,
    strings: strings.strings,
    items,
    groups,
    phases,
    markers,
    hasTimeline: run.timeline !== null,
  };
}
