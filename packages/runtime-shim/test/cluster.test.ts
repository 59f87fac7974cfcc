// node:cluster with two workers: SIGTERM to the primary reaches both workers (over IPC), each
// drains its own requests, and the primary exits after them with one combined report.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterShutdownReport } from '../src/index.js';
import { destroyOpenConnections, RawConnection, requestThenSignal, waitFor } from './server-helpers.js';
import { childrenDir, spawnNode } from './support/child.js';
import { sleep } from './support/time.js';

afterEach(destroyOpenConnections);

// Process groups started by a test (a terminal's Ctrl-C signals the whole group): killed after each test.
const groups = new Set<ChildProcess>();
afterEach(() => {
  for (const child of groups) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }
  groups.clear();
});

function combinedReport(stdout: string): ClusterShutdownReport {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('REPORT '));
  if (line === undefined) throw new Error(`no REPORT line in:\n${stdout}`);
  return JSON.parse(line.slice('REPORT '.length)) as ClusterShutdownReport;
}

/** Opens four connections with a request each; the primary hands each to a free worker, so both get some. */
async function requestsOnBothWorkers(port: number, path: string): Promise<RawConnection[]> {
  const connections: RawConnection[] = [];
  for (let i = 0; i < 4; i++) {
    const connection = await RawConnection.open(port);
    connection.send(path);
    connections.push(connection);
  }
  return connections;
}

describe('installClusterShutdown', () => {
  it('drains both workers on SIGTERM to the primary, which exits 0 after them with a combined report', async () => {
    const child = spawnNode(['cluster-app.mjs']);
    const port = Number((await child.waitForLine(/^ready \d+$/)).split(' ')[1]);
    const connections = await requestsOnBothWorkers(port, '/wait?ms=600');
    await sleep(150);
    child.signal('SIGTERM');
    const responses = await Promise.all(connections.map((connection) => connection.readResponse()));
    expect(responses.map((response) => [response.status, response.headers['connection']])).toEqual(
      Array.from({ length: 4 }, () => [200, 'close']),
    );
    expect(new Set(responses.map((response) => response.body))).toEqual(new Set(['worker 1', 'worker 2']));

    const exit = await child.exited(15_000);
    expect(exit.code).toBe(0);
    const report = combinedReport(exit.stdout);
    expect(report.primary).toMatchObject({ reason: 'SIGTERM', deadlineHit: false, hookErrors: [] });
    expect(report.workers.map((worker) => [worker.id, worker.exitCode])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    // The primary hands connections to whichever worker is free, so the split is 2/2 or 3/1 depending on
    // timing: each worker's report must count at least the requests that worker answered.
    for (const worker of report.workers) {
      expect(worker.report).toMatchObject({ reason: 'SIGTERM', deadlineHit: false, pending: [] });
      const answered = responses.filter((response) => response.body === `worker ${worker.id}`).length;
      expect(answered).toBeGreaterThanOrEqual(1);
      expect(worker.report?.tasksCompleted).toBeGreaterThanOrEqual(answered);
    }
  });

  it("exits non-zero when a worker hits its deadline, naming the worker's pending request", async () => {
    const child = spawnNode(['cluster-app.mjs'], { env: { TIMEOUT_MS: '500' } });
    const port = Number((await child.waitForLine(/^ready \d+$/)).split(' ')[1]);
    const connection = await requestThenSignal(child, port, '/hang?job=7');
    const exit = await child.exited(15_000);
    expect(exit.code).toBe(1);
    const report = combinedReport(exit.stdout);
    const stuck = report.workers.filter((worker) => worker.exitCode !== 0);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]?.report?.pending).toEqual([expect.objectContaining({ kind: 'request', name: 'GET /hang?job=7' })]);
    expect(report.primary.hookErrors).toEqual([
      expect.objectContaining({ name: 'cluster: workers drained', message: expect.stringContaining('did not drain cleanly') }),
    ]);
    await waitFor(() => !connection.isOpen, 'the stuck request to be cut at the deadline');
  });

  it('after Ctrl-C (SIGINT to the whole process group) each worker drains once instead of exiting at once', async () => {
    // Its own process group, as a foreground job in a terminal is.
    const child = spawn(process.execPath, ['cluster-app.mjs'], { cwd: childrenDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    groups.add(child);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => (stdout += `${line}\n`));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const [readyLine] = (await Promise.race([
      once(lines, 'line'),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`cluster did not start:\n${stderr}`)), 10_000)),
    ])) as [string];
    const port = Number(readyLine.split(' ')[1]);
    const connections = await requestsOnBothWorkers(port, '/wait?ms=600');
    await sleep(150);
    process.kill(-child.pid!, 'SIGINT');
    const responses = await Promise.all(connections.map((connection) => connection.readResponse()));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/second SIGINT/);
    // Whether the IPC from the primary or the terminal's SIGINT reached a worker first, each drained once.
    expect(stderr.match(/worker \d: done in/g)).toHaveLength(2);
    const report = combinedReport(stdout);
    expect(report.workers.map((worker) => [worker.exitCode, worker.report?.reason])).toEqual([
      [0, 'SIGINT'],
      [0, 'SIGINT'],
    ]);
  });
});
