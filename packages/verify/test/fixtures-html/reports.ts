// Reports for the HTML timeline's tests, simulated the way quiesce-verify records a run: a number of
// keep-alive clients each sending one request after another, a signal part-way, load kept up after
// it, and the shim's timeline around the shutdown. Seeded, so every run of the tests sees the same data.
import type { Check, RequestOutcome, RequestRecord, RunReport, TimelineEvent, VerifyReport } from '../../src/report-types.js';

const T0 = 1_764_633_600_000.125; // a fixed epoch in ms; times carry fractions like performance.now()'s

/** Seeded variation in [0, 1) (a sine hash): the same data on every machine and every run. */
function random(seed: number): () => number {
  let n = 0;
  return () => {
    const x = Math.sin((n += 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return x - Math.floor(x);
  };
}

export interface Fate {
  outcome: RequestOutcome;
  /** When the outcome was known, ms after the signal. */
  endAfterSignal?: number;
  status?: number;
  error?: string;
}

export interface Simulation {
  run: number;
  seed: number;
  clients: number;
  /** Load before the signal, ms; null sends no signal. */
  signalAfterMs: number | null;
  /** Load kept up after the signal, ms. */
  loadAfterSignalMs: number;
  latencyMs: [number, number];
  paths: string[];
  /** What becomes of a request in flight at the signal (the i-th such) and of one sent after it. */
  inFlight: (i: number, request: { start: number; end: number }) => Fate | null;
  afterSignal: (i: number, request: { start: number; sinceSignal: number }) => Fate;
}

export function simulateRequests(sim: Simulation): { requests: RequestRecord[]; signalAt: number | null; lastEnd: number } {
  const rand = random(sim.seed);
  const startAt = T0 + 50;
  const signalAt = sim.signalAfterMs === null ? null : startAt + sim.signalAfterMs;
  const stopAt = (signalAt ?? startAt + 500) + (signalAt === null ? 0 : sim.loadAfterSignalMs);
  const requests: RequestRecord[] = [];
  let inFlightSeen = 0;
  let afterSeen = 0;
  for (let client = 0; client < sim.clients; client += 1) {
    let t = startAt + rand() * 3;
    for (let sent = 0; sent < 100_000 && t < stopAt; sent += 1) {
      const latency = sim.latencyMs[0] + rand() * (sim.latencyMs[1] - sim.latencyMs[0]);
      let end = t + latency;
      const record: RequestRecord = {
        id: 0,
        method: rand() < 0.8 ? 'GET' : 'POST',
        path: sim.paths[Math.floor(rand() * sim.paths.length)]!,
        start: t,
        end,
        outcome: 'completed',
        status: 200,
        inFlightAtSignal: signalAt !== null && t < signalAt && end > signalAt,
        afterSignal: signalAt !== null && t >= signalAt,
      };
      const fate = record.inFlightAtSignal
        ? sim.inFlight(inFlightSeen++, { start: t - signalAt!, end: end - signalAt! })
        : record.afterSignal
          ? sim.afterSignal(afterSeen++, { start: t, sinceSignal: t - signalAt! })
          : null;
      if (fate) {
        record.outcome = fate.outcome;
        if (fate.endAfterSignal !== undefined) end = Math.max(t + 0.05, signalAt! + fate.endAfterSignal);
        record.end = end;
        if (fate.status === undefined) delete record.status;
        else record.status = fate.status;
        if (fate.error !== undefined) record.error = fate.error;
      }
      requests.push(record);
      // A completed client sends its next request at once; a failed one backs off a few ms, as a load balancer's retry does.
      t = end + (record.outcome === 'completed' ? rand() * 0.5 : 4 + rand() * 6);
    }
  }
  requests.sort((a, b) => a.start - b.start);
  requests.forEach((r, i) => (r.id = i + 1));
  return { requests, signalAt, lastEnd: Math.max(...requests.map((r) => r.end)) };
}

export function shimTimeline(signalAt: number, parts: {
  intakeMs: number;
  drainMs: number;
  cleanupMs: number | null;
  workAfterIntake?: Array<{ atMs: number; kind: string; name: string; location?: string }>;
  deadline?: { atMs: number; pending: Array<{ kind: string; name: string; ageMs: number; location?: string }> };
  faults?: Array<{ atMs: number; origin: string; message: string; task?: string }>;
  exitCode: number;
  exitMs: number;
}): TimelineEvent[] {
  const received = signalAt + 0.21;
  const intakeEnd = received + parts.intakeMs;
  const drainEnd = intakeEnd + parts.drainMs;
  const events: TimelineEvent[] = [
    { event: 'start', t: T0 + 3, pid: 4242, timeoutMs: 10_000 },
    { event: 'signal', t: received, signal: 'SIGTERM' },
    { event: 'shutdown-start', t: received + 0.02, reason: 'SIGTERM' },
    { event: 'phase-start', t: received + 0.03, phase: 'intake' },
    { event: 'timers-stopped', t: received + 0.05, count: 3 },
    { event: 'phase-end', t: intakeEnd, phase: 'intake' },
    { event: 'phase-start', t: intakeEnd, phase: 'drain' },
  ];
  for (const w of parts.workAfterIntake ?? []) events.push({ event: 'work-after-intake', t: signalAt + w.atMs, kind: w.kind, name: w.name, ...(w.location ? { location: w.location } : {}) });
  for (const f of parts.faults ?? []) events.push({ event: 'fault', t: signalAt + f.atMs, origin: f.origin, message: f.message, ...(f.task ? { task: f.task } : {}) });
  if (parts.deadline) events.push({ event: 'deadline', t: signalAt + parts.deadline.atMs, pending: parts.deadline.pending });
  events.push({ event: 'phase-end', t: drainEnd, phase: 'drain' });
  if (parts.cleanupMs !== null) {
    events.push({ event: 'phase-start', t: drainEnd, phase: 'cleanup' });
    events.push({ event: 'phase-end', t: drainEnd + parts.cleanupMs, phase: 'cleanup' });
  }
  events.push({ event: 'exit', t: signalAt + parts.exitMs, code: parts.exitCode });
  return events.sort((a, b) => a.t - b.t);
}

function check(id: Check['id'], passed: boolean, message: string): Check {
  return { id, passed, message };
}

/** A service that drains: every request in flight completes, later ones get 503 then a refused connection. */
export function passingRun(run = 1, clients = 12): RunReport {
  const { requests, signalAt, lastEnd } = simulateRequests({
    run,
    seed: 7 + run,
    clients,
    signalAfterMs: 400,
    loadAfterSignalMs: 140,
    latencyMs: [4, 38],
    paths: ['/orders', '/orders/17', '/health', '/users/me', '/search?q=a%20b'],
    inFlight: () => ({ outcome: 'completed', status: 200 }),
    afterSignal: (_i, r) =>
      r.sinceSignal < 35 ? { outcome: 'status', status: 503, endAfterSignal: r.sinceSignal + 0.6 } : { outcome: 'refused', error: 'ECONNREFUSED', endAfterSignal: r.sinceSignal + 0.2 },
  });
  const exitAt = lastEnd + 3.4;
  return {
    run,
    startedAt: T0,
    readyAt: T0 + 41,
    signal: 'SIGTERM',
    signalAt,
    exitAt,
    exitCode: 0,
    exitSignal: null,
    exitLagMs: 3.4,
    requests,
    work: [],
    timeline: shimTimeline(signalAt!, { intakeMs: 0.4, drainMs: lastEnd - signalAt! + 1, cleanupMs: 1.2, exitCode: 0, exitMs: exitAt - signalAt! }),
    outputTail: ['listening on 127.0.0.1:41234', 'shutdown: drained 0 pending, exit 0'],
    checks: [
      check('ready', true, 'ready after 41 ms'),
      check('in-flight-lost', true, 'every request in flight at the signal completed'),
      check('unclean-after-signal', true, 'requests after the signal were refused or answered 503'),
      check('work-after-intake', true, 'no work began after intake'),
      check('deadline', true, 'drained before the deadline'),
      check('exit-code', true, 'exit code 0'),
      check('exit-lag', true, 'exit 3.4 ms after the last work (max 250 ms)'),
    ],
    verdict: 'pass',
  };
}

/** A service that resets a third of what is in flight, resets keep-alive requests after the signal and hits its deadline. */
export function failingRun(run = 2): RunReport {
  const { requests, signalAt } = simulateRequests({
    run,
    seed: 99,
    clients: 16,
    signalAfterMs: 300,
    loadAfterSignalMs: 120,
    latencyMs: [5, 60],
    paths: ['/checkout', '/cart', '/orders/17', '/stream'],
    inFlight: (i) => (i % 3 === 0 ? { outcome: 'reset', error: 'ECONNRESET', endAfterSignal: 5.2 } : { outcome: 'completed', status: 200 }),
    afterSignal: (i, r) =>
      i % 4 === 0 ? { outcome: 'reset', error: 'socket hang up', endAfterSignal: r.sinceSignal + 1 } : i % 9 === 1 ? { outcome: 'hung', error: 'no response in 400 ms', endAfterSignal: r.sinceSignal + 400 } : { outcome: 'refused', error: 'ECONNREFUSED', endAfterSignal: r.sinceSignal + 0.3 },
  });
  const exitMs = 520;
  return {
    run,
    startedAt: T0,
    readyAt: T0 + 38,
    signal: 'SIGTERM',
    signalAt,
    exitAt: signalAt! + exitMs,
    exitCode: 1,
    exitSignal: null,
    exitLagMs: 511.7,
    requests,
    work: [],
    timeline: shimTimeline(signalAt!, {
      intakeMs: 0.6,
      drainMs: 500,
      cleanupMs: 4,
      workAfterIntake: [{ atMs: 12.5, kind: 'interval', name: 'metrics-flush', location: 'src/metrics.ts:88' }],
      deadline: {
        atMs: 501,
        pending: [
          { kind: 'task', name: 'invoice-batch', ageMs: 812.4, location: 'src/jobs/invoice.ts:41' },
          { kind: 'server', name: 'http 127.0.0.1:41235', ageMs: 501 },
        ],
      },
      faults: [{ atMs: 30, origin: 'unhandledRejection', message: 'Error: pool is closed', task: 'invoice-batch' }],
      exitCode: 1,
      exitMs,
    }),
    outputTail: ['listening on 127.0.0.1:41235', 'quiesce: deadline 500 ms hit, 2 pending: task invoice-batch (812 ms), server http'],
    checks: [
      check('ready', true, 'ready after 38 ms'),
      check('in-flight-lost', false, 'requests in flight at the signal were reset (ECONNRESET)'),
      check('unclean-after-signal', false, 'requests after the signal were reset or hung instead of refused'),
      check('work-after-intake', false, 'interval metrics-flush began after intake (src/metrics.ts:88)'),
      check('deadline', false, 'deadline hit: task invoice-batch, server http 127.0.0.1:41235 pending'),
      check('exit-code', false, 'exit code 1'),
      check('exit-lag', false, 'exit 511.7 ms after the last work (max 250 ms)'),
    ],
    verdict: 'fail',
  };
}

/** A service without the shim: no timeline; killed at the hard limit. Carries hostile text in every user field. */
export function runWithoutTimeline(run = 3): RunReport {
  const { requests, signalAt, lastEnd } = simulateRequests({
    run,
    seed: 5,
    clients: 6,
    signalAfterMs: 200,
    loadAfterSignalMs: 60,
    latencyMs: [3, 20],
    paths: ['/a?x=<script>alert(1)</script>', '/b"onmouseover="alert(2)', "/c'><img src=https://example.invalid/x.png>"],
    inFlight: () => ({ outcome: 'error', error: 'EPIPE </script><img src=x onerror=alert(3)>' }),
    afterSignal: () => ({ outcome: 'refused', error: 'ECONNREFUSED' }),
  });
  return {
    run,
    startedAt: T0,
    readyAt: T0 + 20,
    signal: 'SIGTERM',
    signalAt,
    exitAt: lastEnd + 30,
    exitCode: null,
    exitSignal: 'SIGKILL',
    exitLagMs: null,
    requests,
    work: [],
    timeline: null,
    outputTail: ['<b>bold?</b> & "quoted"', '</pre><script>alert(4)</script>'],
    checks: [
      check('in-flight-lost', false, 'requests in flight lost: EPIPE </script><img src=x onerror=alert(5)>'),
      check('exit-code', false, 'killed by SIGKILL at the hard limit'),
    ],
    verdict: 'fail',
  };
}

export function report(runs: RunReport[], command = ['node', 'server.js', '--port', '0']): VerifyReport {
  return {
    version: 1,
    command,
    options: { signal: 'SIGTERM', after: 300, concurrency: 16, keepAlive: true, url: 'http://127.0.0.1:0/' },
    runs,
    verdict: runs.every((r) => r.verdict === 'pass') ? 'pass' : 'fail',
  };
}
