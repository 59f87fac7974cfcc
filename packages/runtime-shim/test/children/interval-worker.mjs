// An interval job that writes IN_PROGRESS/DONE records, as heat-engine's stack tasks did.
// MODE=naive is the bug (raw interval, process.exit on SIGTERM); MODE=quiesce uses the shim.
import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { installShutdownHandlers, setInterval as trackedSetInterval, shutdownSignal } from '@quiesce/runtime-shim';

const journal = process.env.JOURNAL;
const naive = process.env.MODE === 'naive';
const record = (entry) => appendFileSync(journal, `${JSON.stringify({ ...entry, at: Date.now() })}\n`);

let nextJob = 0;
async function runJob() {
  const id = ++nextJob;
  record({ job: id, state: 'IN_PROGRESS' });
  console.log(`job ${id} started`);
  await delay(300); // a delay inside running work: must keep working during the drain
  record({ job: id, state: 'DONE' });
}

if (naive) {
  setInterval(runJob, 100);
  process.on('SIGTERM', () => {
    record({ signal: 'SIGTERM' });
    process.exit(0);
  });
} else {
  trackedSetInterval(runJob, 100);
  installShutdownHandlers({ timeoutMs: 5_000 });
  shutdownSignal.addEventListener('abort', () => record({ signal: 'SIGTERM' }));
}
console.log('ready');
