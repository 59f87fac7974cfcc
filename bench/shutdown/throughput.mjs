// Throughput of the same app with and without trackServer, beside a calibration: the bare app with a
// known extra cost per request, which shows how small a cost this measure resolves on this machine.
// The same for each framework's contender (quiesce-fastify, …), bare against tracked only.
//
// The three servers run at the same time, on one CPU, each under its own load: the scheduler shares
// that CPU fairly between them, so each one's requests per second, and its CPU time per request, are
// measured in the same second under the same conditions. Measured one after the other instead, the
// machine's speed changes between them (±25 % from one second to the next on a shared VM) and hides
// a cost of a few percent. Each slice gives a ratio against bare; the result is the median of those
// ratios, over several rounds of fresh processes (a process's speed also varies from one start to
// the next). The server's CPU time is its main thread's (Linux schedstat), where requests run.
//
// Where Linux `taskset` and two CPUs are available, the servers share CPU 1 and the load generator
// (this process) has CPU 0, so that the load generator does not take the servers' CPU time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { startServer } from './child.mjs';
import { median } from './table.mjs';

/** The calibration's known extra cost per request (a few percent of what a request costs this app). */
export const CALIBRATION_EXTRA_NS = 1_500;

const SIDES = {
  bare: { QUIESCE_BENCH_UNTRACKED: '1' },
  tracked: {},
  calibration: { QUIESCE_BENCH_UNTRACKED: '1', QUIESCE_BENCH_EXTRA_WORK_NS: String(CALIBRATION_EXTRA_NS) },
};

/** CPU time of a process's main thread in ns (Linux schedstat), or undefined where not available. */
function mainThreadCpuNs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/**
 * Pins every thread of this process to CPU 0 and returns a function that restores the old mask, or
 * returns undefined where pinning is not possible (not Linux, no taskset, one CPU).
 */
function pinThisProcess() {
  if (process.platform !== 'linux' || os.availableParallelism() < 2) return undefined;
  try {
    const current = execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' });
    const mask = /:\s*([0-9a-f,]+)\s*$/i.exec(current)?.[1];
    if (mask === undefined) return undefined;
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return () => execFileSync('taskset', ['-a', '-p', mask, String(process.pid)], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
}

/** Loads every server at once for `durationSeconds`; per server: req/s and main-thread µs per request. */
async function loadAll(servers, ports, durationSeconds, connections) {
  const names = Object.keys(servers);
  const cpuBefore = names.map((name) => mainThreadCpuNs(servers[name].child.pid));
  const results = await Promise.all(
    names.map((name) => autocannon({ url: `http://127.0.0.1:${ports[name]}/?ms=0`, connections, duration: durationSeconds })),
  );
  const slice = {};
  names.forEach((name, index) => {
    const result = results[index];
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${name}: ${result.errors} errors and ${result.non2xx} non-2xx answers while measuring throughput`);
    }
    const cpuAfter = mainThreadCpuNs(servers[name].child.pid);
    slice[name] = {
      requestsPerSecond: result.requests.average,
      cpuMicrosPerRequest:
        cpuBefore[index] === undefined || cpuAfter === undefined
          ? undefined
          : (cpuAfter - cpuBefore[index]) / 1000 / result.requests.total,
    };
  });
  return slice;
}

/**
 * `rounds` rounds, each starting a bare, a tracked and a calibration server, warming them up together
 * for `warmUpSeconds`, then loading them together for `slicesPerRound` slices of `durationSeconds`.
 * `baselineShimUrl` (a file URL of another build's ESM entry) adds a fourth server tracked by that
 * build: a change to the request path is then compared with the code before it in the same slices.
 */
export async function compareThroughput({
  script,
  rounds,
  baselineShimUrl,
  withCalibration = true,
  slicesPerRound = 5,
  durationSeconds = 1,
  warmUpSeconds = 2,
  connections = 20,
  pin = true,
}) {
  // A framework's contender serves bare or tracked (QUIESCE_BENCH_UNTRACKED), with no calibration.
  const { calibration: calibrationSide, ...pair } = SIDES;
  const measured = withCalibration ? { ...pair, calibration: calibrationSide } : pair;
  const sides = baselineShimUrl === undefined ? measured : { ...measured, baseline: { QUIESCE_BENCH_SHIM: baselineShimUrl } };
  const unpin = pin ? pinThisProcess() : undefined;
  const serverCpu = unpin === undefined ? undefined : 1;
  const names = Object.keys(sides);
  const slices = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const servers = Object.fromEntries(names.map((name) => [name, startServer(script, { env: sides[name], cpu: serverCpu })]));
      try {
        const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await servers[name].ready])));
        await loadAll(servers, ports, warmUpSeconds, connections); // the JIT, the heap's sizes
        for (let slice = 0; slice < slicesPerRound; slice += 1) slices.push(await loadAll(servers, ports, durationSeconds, connections));
      } finally {
        for (const server of Object.values(servers)) server.child.kill('SIGKILL');
        await Promise.all(Object.values(servers).map((server) => server.exited));
      }
    }
  } finally {
    unpin?.();
  }
  const hasCpu = slices.every((slice) => names.every((name) => slice[name].cpuMicrosPerRequest !== undefined));
  const medians = Object.fromEntries(
    names.map((name) => [
      name,
      {
        medianRequestsPerSecond: median(slices.map((slice) => slice[name].requestsPerSecond)),
        medianCpuMicrosPerRequest: hasCpu ? median(slices.map((slice) => slice[name].cpuMicrosPerRequest)) : undefined,
      },
    ]),
  );
  const against = (name) => ({
    /** Median over slices of this side's req/s over bare's in the same slice. */
    ratio: median(slices.map((slice) => slice[name].requestsPerSecond / slice.bare.requestsPerSecond)),
    /** Median over slices of bare's CPU per request over this side's in the same slice. */
    cpuRatio: hasCpu ? median(slices.map((slice) => slice.bare.cpuMicrosPerRequest / slice[name].cpuMicrosPerRequest)) : undefined,
  });
  return {
    settings: { rounds, slicesPerRound, durationSeconds, warmUpSeconds, connections },
    pinned: serverCpu !== undefined,
    slices,
    sides: medians,
    tracked: against('tracked'),
    calibration: withCalibration ? against('calibration') : undefined,
    ...(baselineShimUrl === undefined
      ? {}
      : {
          baseline: against('baseline'),
          /** Median over slices of the baseline build's CPU per request over the tracked one's: above 1, the change is cheaper. */
          trackedOverBaselineCpu: hasCpu
            ? median(slices.map((slice) => slice.baseline.cpuMicrosPerRequest / slice.tracked.cpuMicrosPerRequest))
            : undefined,
        }),
  };
}
