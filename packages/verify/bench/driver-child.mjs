// One load driver in a process of its own, for run.mjs: loads 127.0.0.1:<port> for <ms> ms with
// <concurrency> workers and prints { perSecond, cpuMicrosPerRequest } as one JSON line.
// argv: baseline|verify <port> <keepAlive 0|1> <concurrency> <ms>
import { now, startHttpLoad } from '../dist/index.js';
import { startLoad as startBaselineLoad } from './baseline-bench-shutdown-load.mjs';

const [driver, portText, keepAliveText, concurrencyText, msText] = process.argv.slice(2);
const port = Number(portText);
const keepAlive = keepAliveText === '1';
const concurrency = Number(concurrencyText);

async function slice(ms) {
  const startedAt = now();
  const endAt = startedAt + ms;
  const cpuBefore = process.cpuUsage();
  const shouldContinue = () => now() < endAt;
  let completed;
  if (driver === 'baseline') {
    const load = startBaselineLoad({ port, keepAlive, concurrency, minDurationMs: 0, maxDurationMs: 0, shouldContinue });
    const records = await load.done;
    load.close();
    completed = records.filter((record) => record.outcome === 'ok').length;
  } else {
    const load = startHttpLoad({ port, keepAlive, concurrency, shouldContinue, nextRequest: () => ({ method: 'GET', path: '/?ms=0' }) });
    const records = await load.done;
    load.close();
    completed = records.filter((record) => record.outcome === 'completed').length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: (completed * 1000) / (now() - startedAt), cpuMicrosPerRequest: (cpu.user + cpu.system) / completed };
}

await slice(300); // warm-up: the JIT and the first sockets
process.stdout.write(`${JSON.stringify(await slice(Number(msText)))}\n`);
