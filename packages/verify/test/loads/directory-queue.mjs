// A --load module for directory-queue workers (test/services/file-queue.mjs and fixtures/queue-worker):
// while the load runs, it drops a job file into $QUEUE_DIR/pending every 40 ms (written aside, then
// renamed in, as a producer must); after the service exited it reads where each job ended up:
// done/ → completed (at the file's mtime), failed/ → error, processing/ → reset (claimed and never
// finished: lost), still in pending/ → refused (never accepted; the next start picks it up).
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export default async function load({ signal, record, env, serviceExited, now }) {
  const queue = env.QUEUE_DIR;
  const started = new Map();
  for (let n = 1; !signal.aborted && n <= 500; n += 1) {
    const id = `job-${String(n).padStart(4, '0')}`;
    const job = { id, type: 'invoice.render', payload: { customer: `c-${n}`, amount: 100 + n } };
    await writeFile(join(queue, `${id}.json.partial`), JSON.stringify(job));
    await rename(join(queue, `${id}.json.partial`), join(queue, 'pending', `${id}.json`));
    started.set(id, now());
    await sleep(40);
  }
  const exit = await serviceExited;
  const jobsIn = async (dir) => new Set((await readdir(join(queue, dir)).catch(() => [])).map((name) => name.replace(/\.json$/, '')));
  const [done, failed, processing] = [await jobsIn('done'), await jobsIn('failed'), await jobsIn('processing')];
  for (const [id, start] of started) {
    if (done.has(id)) {
      const { mtimeMs } = await stat(join(queue, 'done', `${id}.json`));
      record({ name: id, start, end: Math.max(start, mtimeMs), outcome: 'completed' });
    } else if (failed.has(id)) {
      record({ name: id, start, end: exit.at, outcome: 'error', error: 'moved to failed/' });
    } else if (processing.has(id)) {
      record({ name: id, start, end: exit.at, outcome: 'reset', error: 'left in processing/' });
    } else {
      record({ name: id, start, end: exit.at, outcome: 'refused', error: 'still pending: never claimed' });
    }
  }
}

/** Makes the queue's directories. */
export async function prepare(queue) {
  for (const dir of ['pending', 'processing', 'done', 'failed']) await mkdir(join(queue, dir), { recursive: true });
}
