// Throughput of the same app with and without trackServer, in alternating rounds. On a shared
// machine requests per second swing with the neighbours' load, so the server's CPU time per
// request (from /proc on Linux) is reported beside it: the steadier measure of trackServer's cost.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { startServer } from './child.mjs';
import { median } from './table.mjs';

/** User + system CPU time of a process in ms, or undefined where /proc is not available. */
function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted from after the command name; in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function measureOnce(script, env, durationSeconds, connections) {
  const server = startServer(script, { env });
  try {
    const port = await server.ready;
    const url = `http://127.0.0.1:${port}/?ms=0`;
    await autocannon({ url, connections, duration: 0.5 }); // warm up the JIT
    const cpuBefore = cpuTimeMs(server.child.pid);
    const result = await autocannon({ url, connections, duration: durationSeconds });
    const cpuAfter = cpuTimeMs(server.child.pid);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers while measuring throughput`);
    }
    const cpuMicrosPerRequest =
      cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
    return { requestsPerSecond: result.requests.average, cpuMicrosPerRequest };
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

export async function compareThroughput({ script, rounds, durationSeconds, connections }) {
  const sides = { bare: [], tracked: [] };
  for (let round = 0; round < rounds; round += 1) {
    // Alternate which side goes first, so drift on a shared machine hits both alike.
    const order = round % 2 === 0 ? ['bare', 'tracked'] : ['tracked', 'bare'];
    for (const side of order) {
      const env = side === 'bare' ? { QUIESCE_BENCH_UNTRACKED: '1' } : {};
      sides[side].push(await measureOnce(script, env, durationSeconds, connections));
    }
  }
  const summary = (runs) => ({
    requestsPerSecond: runs.map((run) => run.requestsPerSecond),
    medianRequestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    medianCpuMicrosPerRequest: runs.some((run) => run.cpuMicrosPerRequest === undefined)
      ? undefined
      : median(runs.map((run) => run.cpuMicrosPerRequest)),
  });
  const bare = summary(sides.bare);
  const tracked = summary(sides.tracked);
  return {
    bare,
    tracked,
    pairedRatioMedian: median(sides.tracked.map((run, round) => run.requestsPerSecond / sides.bare[round].requestsPerSecond)),
    cpuRatio:
      bare.medianCpuMicrosPerRequest === undefined ? undefined : bare.medianCpuMicrosPerRequest / tracked.medianCpuMicrosPerRequest,
  };
}
