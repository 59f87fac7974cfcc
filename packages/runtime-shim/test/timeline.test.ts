// The shutdown's timeline file (QUIESCE_TIMELINE_FILE or the timelineFile option), in real
// processes: the events of a drain in order with the phases nested, the pending work at a deadline,
// work begun after intake (and what is not), a fault, the exit code (re-raised signals too), a file
// that cannot be written, cluster workers' own files, and the register entry knowing the variable.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../verify/src/report-types.js';
import { unknownVariableWarnings } from '../src/env.js';
import { destroyOpenConnections, RawConnection, waitFor } from './server-helpers.js';
import { spawnNode, type ExitResult, type NodeChild } from './support/child.js';
import { sleep } from './support/time.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiesce-timeline-'));
});
afterEach(() => {
  destroyOpenConnections();
  rmSync(dir, { recursive: true, force: true });
});

function readTimeline(path: string): TimelineEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TimelineEvent);
}

function startApp(mode: string, env: NodeJS.ProcessEnv = {}): NodeChild {
  return spawnNode(['timeline-app.mjs'], { env: { MODE: mode, QUIESCE_TIMELINE_FILE: join(dir, 'timeline.jsonl'), ...env } });
}

/** Starts a server mode, sends one request that takes 300 ms, and signals while it is in flight. */
async function drainWithRequest(child: NodeChild): Promise<{ exit: ExitResult; body: string }> {
  const port = Number((await child.waitForLine(/^ready \d+$/)).split(' ')[1]);
  const connection = await RawConnection.open(port);
  connection.send('/');
  await sleep(100);
  child.signal('SIGTERM');
  const response = await connection.readResponse();
  return { exit: await child.exited(), body: response.body };
}

const names = (events: TimelineEvent[]) => events.map((event) => (event.event.startsWith('phase-') ? `${event.event} ${(event as { phase: string }).phase}` : event.event));

/** A shutdown that drains, event by event: the phases in order, never overlapping. */
const drainEvents = [
  'start',
  'signal',
  'shutdown-start',
  'phase-start intake',
  'timers-stopped',
  'phase-end intake',
  'phase-start drain',
  'phase-end drain',
  'phase-start cleanup',
  'phase-end cleanup',
  'exit',
];

describe('the timeline file', () => {
  it('records a drain that completes: every event in order, the phases nested, times rising, the exit code', async () => {
    const child = startApp('drain');
    const { exit, body } = await drainWithRequest(child);
    expect(body).toBe('ok');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('job done');
    expect(exit.stdout).toContain('tick done');
    const events = readTimeline(join(dir, 'timeline.jsonl'));
    expect(names(events)).toEqual(drainEvents);
    expect(events[0]).toMatchObject({ event: 'start', pid: child.process.pid, timeoutMs: 10_000 });
    expect(events[1]).toMatchObject({ signal: 'SIGTERM' });
    expect(events[2]).toMatchObject({ reason: 'SIGTERM' });
    expect(events[4]).toMatchObject({ count: 1 });
    expect(events.at(-1)).toMatchObject({ event: 'exit', code: 0 });
    const times = events.map((event) => event.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // On the epoch's clock, shared with the process that reads it.
    expect(Math.abs(times[0]! - Date.now())).toBeLessThan(60 * 60 * 1000);
  });

  it('is written where the timelineFile option says, without the variable', async () => {
    const path = join(dir, 'from-option.jsonl');
    const child = startApp('drain', { QUIESCE_TIMELINE_FILE: '', OPTION_FILE: path });
    const { exit } = await drainWithRequest(child);
    expect(exit.code).toBe(0);
    expect(names(readTimeline(path))).toContain('phase-end cleanup');
    expect(readdirSync(dir)).toEqual(['from-option.jsonl']);
  });

  it('names the pending work at the deadline, with kind and age, then the exit code 1', async () => {
    const child = startApp('deadline', { TIMEOUT_MS: '500' });
    await child.waitForLine(/^ready$/);
    child.signal('SIGTERM');
    const exit = await child.exited();
    expect(exit.code).toBe(1);
    const events = readTimeline(join(dir, 'timeline.jsonl'));
    // The deadline ends the drain; cleanup still runs.
    const drainEnd = drainEvents.indexOf('phase-end drain');
    expect(names(events)).toEqual([...drainEvents.slice(0, drainEnd), 'deadline', ...drainEvents.slice(drainEnd)]);
    const deadline = events.find((event) => event.event === 'deadline');
    expect(deadline?.event === 'deadline' && deadline.pending.map(({ kind, name }) => ({ kind, name }))).toEqual([
      { kind: 'task', name: 'stuck upload' },
      { kind: 'timer-callback', name: 'timeout hangingSync' },
    ]);
    for (const pending of deadline?.event === 'deadline' ? deadline.pending : []) expect(pending.ageMs).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'exit', code: 1 });
  });

  it('records work begun after intake from an untracked source, but not the steps of work in flight', async () => {
    const child = startApp('after-intake');
    const { exit, body } = await drainWithRequest(child);
    expect(body).toBe('ok');
    expect(exit.code).toBe(0);
    const events = readTimeline(join(dir, 'timeline.jsonl'));
    const late = events.filter((event) => event.event === 'work-after-intake');
    const timers = late.filter((event) => event.event === 'work-after-intake' && event.kind === 'timer');
    expect(timers).toEqual([expect.objectContaining({ kind: 'timer', name: 'timeout lateRetry', location: expect.stringMatching(/timeline-app\.mjs:\d+:\d+$/) })]);
    const tasks = late.filter((event) => !timers.includes(event));
    expect(tasks.length).toBeGreaterThan(0);
    for (const work of tasks) {
      expect(work).toMatchObject({ kind: 'task', name: 'queue job' });
      expect(work.event === 'work-after-intake' && work.location).toMatch(/timeline-app\.mjs:\d+:\d+$/);
    }
    // After the shutdown started, each one.
    const started = events.find((event) => event.event === 'shutdown-start')!.t;
    expect(late.every((work) => work.t >= started)).toBe(true);
  });

  it('records a request that arrives on a kept-alive connection once the listener closed, and not the one in flight', async () => {
    const path = join(dir, 'timeline.jsonl');
    const child = startApp('keep-alive');
    const port = Number((await child.waitForLine(/^ready \d+$/)).split(' ')[1]);
    const idle = await RawConnection.open(port);
    expect((await idle.request('/')).body).toBe('quick');
    const slow = await RawConnection.open(port);
    slow.send('/slow');
    await waitFor(() => child.stdout() !== '' && slow.isOpen, 'the slow request to be sent');
    await sleep(100);
    child.signal('SIGTERM');
    await waitFor(() => existsSync(path) && readFileSync(path, 'utf8').includes('"phase":"intake"}') && readFileSync(path, 'utf8').includes('"phase-end"'), 'the end of intake');
    const late = await idle.request('/');
    expect(late.body).toBe('quick');
    expect(late.headers['connection']).toBe('close');
    expect((await slow.readResponse()).body).toBe('slow');
    expect((await child.exited()).code).toBe(0);
    const events = readTimeline(path);
    const intakeEnd = events.find((event) => event.event === 'phase-end' && event.phase === 'intake')!.t;
    const lateWork = events.filter((event) => event.event === 'work-after-intake');
    expect(lateWork).toEqual([expect.objectContaining({ kind: 'request', name: 'GET /' })]);
    expect(lateWork[0]!.t).toBeGreaterThan(intakeEnd);
  });

  it('records an uncaught exception as a fault, the shutdown it started, and the exit code 1', async () => {
    const child = startApp('fault');
    const exit = await child.exited();
    expect(exit.code).toBe(1);
    const events = readTimeline(join(dir, 'timeline.jsonl'));
    expect(names(events).slice(0, 3)).toEqual(['start', 'fault', 'shutdown-start']);
    expect(events[1]).toMatchObject({ origin: 'uncaughtException', message: expect.stringContaining('Error: kaboom') });
    expect(events[2]).toMatchObject({ reason: 'uncaughtException' });
    expect(events.at(-1)).toMatchObject({ event: 'exit', code: 1 });
  });

  it('records a re-raised signal as its exit status, 143 for SIGTERM', async () => {
    const child = startApp('reraise');
    const { exit } = await drainWithRequest(child);
    expect(exit.signal).toBe('SIGTERM');
    expect(readTimeline(join(dir, 'timeline.jsonl')).at(-1)).toMatchObject({ event: 'exit', code: 143 });
  });

  it('a file that cannot be opened: one warning, and the process drains and exits as without it', async () => {
    const path = join(dir, 'missing-dir', 'timeline.jsonl');
    const child = startApp('drain', { QUIESCE_TIMELINE_FILE: path });
    const { exit, body } = await drainWithRequest(child);
    expect(body).toBe('ok');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('job done');
    const warnings = exit.stderr.split('\n').filter((line) => line.includes('timeline'));
    expect(warnings).toEqual([expect.stringMatching(/^\[quiesce\] warning: cannot open the timeline file .*missing-dir.*timeline\.jsonl: ENOENT/)]);
    expect(existsSync(path)).toBe(false);
  });

  it('a file that fails on write (a full disk): one warning, and the process drains and exits as without it', async () => {
    const child = startApp('drain', { QUIESCE_TIMELINE_FILE: '/dev/full' });
    const { exit, body } = await drainWithRequest(child);
    expect(body).toBe('ok');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('tick done');
    const warnings = exit.stderr.split('\n').filter((line) => line.includes('timeline'));
    expect(warnings).toEqual([expect.stringMatching(/^\[quiesce\] warning: cannot write the timeline file \/dev\/full: ENOSPC/)]);
  });

  it('in a cluster, each worker writes its own file (<file>.<pid>) and the primary the file itself', async () => {
    const path = join(dir, 'cluster.jsonl');
    const child = spawnNode(['cluster-app.mjs'], { env: { QUIESCE_TIMELINE_FILE: path } });
    await child.waitForLine(/^ready \d+$/);
    child.signal('SIGTERM');
    const exit = await child.exited();
    expect(exit.code).toBe(0);
    const primary = readTimeline(path);
    expect(primary[0]).toMatchObject({ event: 'start', pid: child.process.pid });
    expect(primary.at(-1)).toMatchObject({ event: 'exit', code: 0 });
    const workerFiles = readdirSync(dir).filter((name) => name !== 'cluster.jsonl').sort();
    expect(workerFiles).toHaveLength(2);
    for (const name of workerFiles) {
      const pid = Number(name.slice('cluster.jsonl.'.length));
      const events = readTimeline(join(dir, name));
      expect(events[0]).toMatchObject({ event: 'start', pid });
      expect(names(events)).toContain('phase-end cleanup');
      expect(events.at(-1)).toMatchObject({ event: 'exit', code: 0 });
    }
  });

  it('is a variable the register entry knows: no unknown-variable warning, and the file is written', async () => {
    expect(unknownVariableWarnings({ QUIESCE_TIMELINE_FILE: 'x.jsonl' })).toEqual([]);
    const path = join(dir, 'register.jsonl');
    const child = spawnNode(['--import', '@quiesce/runtime-shim/register', '-e', 'setInterval(() => {}, 1000); console.log("ready")'], {
      env: { QUIESCE_TIMELINE_FILE: path, QUIESCE_LAUNCH_CHECK: '0' },
    });
    await child.waitForLine(/^ready$/);
    await waitFor(() => existsSync(path), 'the timeline file');
    child.signal('SIGTERM');
    const exit = await child.exited();
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toContain('unknown variable');
    expect(names(readTimeline(path))).toEqual(expect.arrayContaining(['start', 'signal', 'shutdown-start', 'exit']));
  });
});
