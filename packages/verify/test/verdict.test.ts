// The verdict in both directions, on real services (real processes, sockets on 127.0.0.1, real
// SIGTERM): each way of losing work fails on its own check, and a service that drains passes all.
import { describe, expect, it } from 'vitest';
import { verify, type Check, type CheckId, type RunReport, type VerifyOptions } from '../src/index.js';
import { READY_LINE, cleansUpChildren, service } from './support.js';

cleansUpChildren();

const base = (name: string, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  command: service(name),
  readyLine: READY_LINE,
  paths: ['/?ms=150'],
  afterMs: 600,
  // Inside the test's own timeout, so a service that never exits is reported, not timed out.
  hardLimitMs: 8000,
  ...extra,
});

const check = (run: RunReport, id: CheckId): Check => {
  const found = run.checks.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no ${id} check in ${JSON.stringify(run.checks)}`);
  return found;
};
const failedIds = (run: RunReport) => run.checks.filter((candidate) => !candidate.passed).map((candidate) => candidate.id);

describe('verify: the verdict', () => {
  it('passes a service that drains (http + trackServer): every in-flight request answered, later ones refused, exit 0', async () => {
    const report = await verify(base('drains'));
    const [run] = report.runs;

    expect(report.verdict).toBe('pass');
    expect(failedIds(run!)).toEqual([]);
    const inFlight = run!.requests.filter((request) => request.inFlightAtSignal);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(inFlight.every((request) => request.outcome === 'completed')).toBe(true);
    const after = run!.requests.filter((request) => request.afterSignal);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((request) => request.outcome === 'refused' || request.outcome === 'completed')).toBe(true);
    expect(run!.exitCode).toBe(0);
    expect(run!.exitLagMs).not.toBeNull();
    // The shim's own account was read and judged, not skipped.
    expect(run!.timeline?.map((event) => event.event)).toEqual(expect.arrayContaining(['signal', 'phase-end', 'exit']));
    expect(check(run!, 'work-after-intake').skipped).toBeUndefined();
    // The exit lag from the shim's own exit and phase ends, not from when this process saw them.
    expect(run!.exitLagSource).toBe('timeline');
  });

  it('fails a service that exits early, naming the in-flight requests it reset', async () => {
    const [run] = (await verify(base('exits-early'))).runs;

    expect(run!.verdict).toBe('fail');
    expect(failedIds(run!)).toContain('in-flight-lost');
    // Exit code 0 and within the exit lag: only the requests show what was lost.
    expect(check(run!, 'exit-code').passed).toBe(true);
    expect(run!.exitLagSource).toBe('observed');
    expect(check(run!, 'in-flight-lost').message).toMatch(/^\d+ of \d+ requests in flight at SIGTERM lost: \d+ reset .*GET \/\?ms=150$/);
  });

  it('fails a service whose drain hangs past the shim deadline, naming what was pending (the shim\'s timeline)', async () => {
    const [run] = (await verify(base('hangs-past-deadline'))).runs;

    expect(run!.verdict).toBe('fail');
    expect(check(run!, 'deadline').passed).toBe(false);
    expect(check(run!, 'deadline').message).toMatch(/^the shim's deadline hit with 1 piece of work pending: task 'stuck-upload' \(\d+ ms old\)$/);
    expect(check(run!, 'exit-code')).toMatchObject({ passed: false, message: 'exit code 1' });
    // Requests were not the problem: the tracked task was.
    expect(check(run!, 'in-flight-lost').passed).toBe(true);
    expect(check(run!, 'unclean-after-signal').passed).toBe(true);
  });

  it('fails a service that starts work after intake, naming it (the shim\'s timeline)', async () => {
    const [run] = (await verify(base('starts-work-after-intake'))).runs;

    expect(run!.verdict).toBe('fail');
    expect(failedIds(run!)).toEqual(['work-after-intake']);
    expect(check(run!, 'work-after-intake').message).toMatch(/^\d+ pieces? of work started after intake: task 'metrics-flush' at .*starts-work-after-intake\.mjs:\d+/);
  });

  it('reads a cluster\'s worker timelines (`<file>.<pid>`): both workers drain, and the pass rests on their accounts too', async () => {
    // Load stops at the signal: what is judged here is the workers' accounts. (Connections that reach
    // the primary while its workers are closing their servers can be reset: runtime-shim's
    // docs/frameworks.md, cluster.)
    const [run] = (await verify(base('cluster', { concurrency: 8, stopLoadAtSignal: true }))).runs;

    expect(failedIds(run!)).toEqual([]);
    const workers = new Set(run!.timeline?.flatMap((event) => (event.worker === undefined ? [] : [event.worker])));
    expect(workers.size).toBe(2);
    // The primary's own file, and each worker's file named by the pid its start event carries.
    const starts = run!.timeline!.filter((event) => event.event === 'start');
    const primaryStart = starts.find((event) => event.worker === undefined);
    expect(primaryStart).toBeDefined();
    expect(workers.has((primaryStart as { pid: number }).pid)).toBe(false);
    for (const start of starts.filter((event) => event.worker !== undefined)) expect((start as { pid: number }).pid).toBe(start.worker);
    // Each worker drained: its own phases ended before the primary's exit.
    for (const worker of workers) {
      expect(run!.timeline!.filter((event) => event.worker === worker && event.event === 'phase-end').map((event) => (event as { phase: string }).phase)).toEqual(['intake', 'drain', 'cleanup']);
    }
    expect(run!.exitLagSource).toBe('timeline');
  });

  it('fails a cluster whose worker starts work after intake, naming the work and the worker', async () => {
    const [run] = (await verify(base('cluster', { concurrency: 8, stopLoadAtSignal: true, env: { LEAKY_WORKER: '1' } }))).runs;

    expect(run!.verdict).toBe('fail');
    expect(failedIds(run!)).toEqual(['work-after-intake']);
    const leaky = run!.timeline!.find((event) => event.event === 'work-after-intake')!.worker;
    expect(leaky).toEqual(expect.any(Number));
    expect(check(run!, 'work-after-intake').message).toMatch(new RegExp(`^\\d+ pieces? of work started after intake: task 'worker-metrics-flush' at .*cluster\\.mjs:\\d+:\\d+ in worker ${leaky}`));
  });

  it('fails a service that never exits: killed at --hard-limit, its open requests counted as hung', async () => {
    const [run] = (await verify(base('ignores-signal', { hardLimitMs: 1500 }))).runs;

    expect(run!.verdict).toBe('fail');
    expect(check(run!, 'deadline')).toMatchObject({ passed: false });
    expect(check(run!, 'deadline').message).toMatch(/^still running \d+ ms after SIGTERM: killed at --hard-limit/);
    expect(run!.exitSignal).toBe('SIGKILL');
    expect(run!.exitLagMs).toBeNull();
    expect(run!.requests.some((request) => request.outcome === 'hung')).toBe(true);
  });

  it('fails a service that resets kept-alive connections after the signal, though every in-flight request was answered', async () => {
    const [run] = (await verify(base('resets-keep-alive'))).runs;

    expect(run!.verdict).toBe('fail');
    expect(failedIds(run!)).toEqual(['unclean-after-signal']);
    expect(check(run!, 'unclean-after-signal').message).toMatch(/^\d+ of \d+ requests sent after SIGTERM failed uncleanly: \d+ reset/);
    expect(check(run!, 'in-flight-lost').passed).toBe(true);
  });

  it('the same reset service passes the after-signal check without keep-alive: new connections are refused cleanly', async () => {
    const [run] = (await verify(base('resets-keep-alive', { keepAlive: false }))).runs;

    expect(check(run!, 'unclean-after-signal').passed).toBe(true);
    expect(run!.requests.filter((request) => request.afterSignal).every((request) => request.outcome === 'refused')).toBe(true);
  });
});

describe('verify: Fastify on the shim, with and without trackServer', () => {
  it('fails Fastify without trackServer: requests reset while the shim reports nothing pending', async () => {
    const [run] = (await verify(base('fastify'))).runs;

    expect(run!.verdict).toBe('fail');
    expect(failedIds(run!)).toContain('in-flight-lost');
    expect(check(run!, 'in-flight-lost').message).toMatch(/^\d+ of \d+ requests in flight at SIGTERM lost: \d+ reset/);
    // The shim's own account: a clean, quick drain, no deadline, exit 0 — the false all-clear.
    expect(check(run!, 'deadline')).toMatchObject({ passed: true, message: 'the drain finished before the deadline' });
    expect(run!.exitCode).toBe(0);
  });

  it('passes Fastify with trackServer', async () => {
    const [run] = (await verify(base('fastify', { env: { FASTIFY_TRACKED: '1' } }))).runs;

    expect(failedIds(run!)).toEqual([]);
    expect(run!.requests.filter((request) => request.inFlightAtSignal).length).toBeGreaterThan(0);
  });
});

// These services are NOT the shim: they write the timeline contract's lines themselves, so these
// tests prove quiesce-verify's reader and verdict, not what the shim writes.
describe('verify: reading a timeline (a child writing the contract lines itself)', () => {
  it('fails work started after intake, naming it', async () => {
    const [run] = (await verify(base('writes-own-timeline', { env: { TIMELINE_SCENARIO: 'work-after-intake' } }))).runs;

    expect(run!.timeline?.map((event) => event.event)).toContain('work-after-intake');
    expect(failedIds(run!)).toEqual(['work-after-intake']);
    expect(check(run!, 'work-after-intake').message).toBe("1 piece of work started after intake: timer 'metrics-flush' at src/metrics.js:12");
  });

  it('fails a deadline the timeline reports, naming what was pending', async () => {
    const [run] = (await verify(base('writes-own-timeline', { env: { TIMELINE_SCENARIO: 'deadline' } }))).runs;

    // The exit came at the deadline, long after the last answer: the exit lag fails with it.
    expect(failedIds(run!)).toEqual(['deadline', 'exit-code', 'exit-lag']);
    expect(check(run!, 'deadline').message).toMatch(/^the shim's deadline hit with 1 piece of work pending: task 'stuck-upload' \(\d+ ms old\)$/);
  });

  it('passes a clean timeline, and keeps its events in order', async () => {
    const [run] = (await verify(base('writes-own-timeline', { env: { TIMELINE_SCENARIO: 'clean' } }))).runs;

    expect(failedIds(run!)).toEqual([]);
    expect(check(run!, 'work-after-intake')).toEqual({ id: 'work-after-intake', passed: true, message: "no work started after intake (the shim's timeline)" });
    const names = run!.timeline!.map((event) => ('phase' in event ? `${event.event}:${event.phase}` : event.event));
    expect(names).toEqual([
      'start',
      'signal',
      'shutdown-start',
      'phase-start:intake',
      'timers-stopped',
      'phase-end:intake',
      'phase-start:drain',
      'phase-end:drain',
      'phase-start:cleanup',
      'phase-end:cleanup',
      'exit',
    ]);
  });

  it('without a timeline the work-after-intake check is marked skipped, not passed silently', async () => {
    const [run] = (await verify(base('exits-early'))).runs;

    expect(run!.timeline).toBeNull();
    expect(check(run!, 'work-after-intake')).toMatchObject({ passed: true, skipped: true });
  });
});
