// A directory-queue worker for the --load tests: claims jobs from $QUEUE_DIR/pending (moves them to
// processing/), works 300 ms on each, writes its result to done/. With QUEUE_DRAIN=1 it stops claiming at
// SIGTERM and finishes the jobs it holds; without, SIGTERM kills it mid-job.
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const queue = process.env.QUEUE_DIR;
let stopping = false;
const running = new Set();

async function work(name) {
  await sleep(300);
  // Written anew (not renamed), so the file's mtime is when the job finished.
  await writeFile(join(queue, 'done', name), JSON.stringify({ result: 'ok' }));
  await rm(join(queue, 'processing', name));
}

const poll = setInterval(async () => {
  if (stopping || running.size >= 3) return;
  for (const name of (await readdir(join(queue, 'pending'))).slice(0, 3 - running.size)) {
    await rename(join(queue, 'pending', name), join(queue, 'processing', name));
    const job = work(name).finally(() => running.delete(job));
    running.add(job);
  }
}, 20);

if (process.env.QUEUE_DRAIN === '1') {
  process.on('SIGTERM', async () => {
    stopping = true;
    clearInterval(poll);
    while (running.size > 0) await Promise.all(running);
    process.exit(0);
  });
}
console.log('worker started');
