// A --load module for the queue test service (services/file-queue.mjs): drops job files into
// $QUEUE_DIR/pending while the load runs, and after the exit reads where each one ended up.
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export default async function load({ signal, record, env, serviceExited, now }) {
  const queue = env.QUEUE_DIR;
  const started = new Map();
  for (let n = 1; !signal.aborted && n <= 500; n += 1) {
    const id = `job-${String(n).padStart(4, '0')}`;
    await writeFile(join(queue, `${id}.partial`), '{}');
    await rename(join(queue, `${id}.partial`), join(queue, 'pending', `${id}.json`));
    started.set(id, now());
    await sleep(40);
  }
  const exit = await serviceExited;
  const inDir = async (dir) => new Set((await readdir(join(queue, dir)).catch(() => [])).map((name) => name.replace(/\.json$/, '')));
  const [done, processing] = [await inDir('done'), await inDir('processing')];
  for (const [id, start] of started) {
    if (done.has(id)) {
      const { mtimeMs } = await stat(join(queue, 'done', `${id}.json`));
      record({ name: id, start, end: Math.max(start, mtimeMs), outcome: 'completed' });
    } else if (processing.has(id)) {
      record({ name: id, start, end: exit.at, outcome: 'reset', error: 'left in processing/' });
    } else {
      record({ name: id, start, end: exit.at, outcome: 'refused', error: 'still pending: never claimed' });
    }
  }
}

export async function prepare(queue) {
  for (const dir of ['pending', 'processing', 'done']) await mkdir(join(queue, dir), { recursive: true });
}
