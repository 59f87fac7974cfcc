// Throughput of the same app with and without trackServer, alternating rounds, median of each.
import autocannon from 'autocannon';
import { startServer } from './child.mjs';
import { median } from './table.mjs';

async function measureOnce(script, env, durationSeconds, connections) {
  const server = startServer(script, { env });
  try {
    const port = await server.ready;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/?ms=0`,
      connections,
      duration: durationSeconds,
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers while measuring throughput`);
    }
    return result.requests.average;
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

export async function compareThroughput({ script, rounds, durationSeconds, connections }) {
  const bare = [];
  const tracked = [];
  for (let round = 0; round < rounds; round += 1) {
    // Alternate which side goes first, so drift on a shared machine hits both alike.
    const order = round % 2 === 0 ? ['bare', 'tracked'] : ['tracked', 'bare'];
    for (const side of order) {
      const env = side === 'bare' ? { QUIESCE_BENCH_UNTRACKED: '1' } : {};
      (side === 'bare' ? bare : tracked).push(await measureOnce(script, env, durationSeconds, connections));
    }
  }
  const ratios = bare.map((value, round) => tracked[round] / value);
  return { bare, tracked, bareMedian: median(bare), trackedMedian: median(tracked), ratioMedian: median(ratios) };
}
