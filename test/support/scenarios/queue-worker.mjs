// @ts-check
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measureExit, eventsAfter } from '../outcome.mjs';
import { startService } from '../service.mjs';
import { sigtermMidWork } from '../sigterm.mjs';

export const WORKER_WORK_END_EVENTS = ['job.step', 'job.end'];

/**
 * Drops a job into pending/ the way a producer must: written aside, then renamed in.
 * @param {string} queueDir
 * @param {number} sequence
 */
async function enqueue(queueDir, sequence) {
  const id = `job-${String(sequence).padStart(6, '0')}`;
  const aside = join(queueDir, `${id}.json.partial`);
  await writeFile(aside, JSON.stringify({ id, type: 'invoice.render', payload: { customer: `c-${sequence}`, amount: 100 + sequence } }));
  await rename(aside, join(queueDir, 'pending', `${id}.json`));
}

/** @param {string} dir */
const jobFiles = async (dir) => (await readdir(dir)).filter((name) => name.endsWith('.json'));

/**
 * A producer adding `perSecond` jobs until stopped (bounded by `maxJobs`).
 * @param {string} queueDir
 * @param {number} perSecond
 * @param {number} maxJobs
 */
function startProducer(queueDir, perSecond, maxJobs) {
  let produced = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && produced < maxJobs) {
      produced += 1;
      await enqueue(queueDir, produced);
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
  })();
  return {
    get produced() {
      return produced;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** @param {import('../service.mjs').Service} worker */
const jobsRunning = (worker) => worker.eventsNamed('job.start').length - worker.eventsNamed('job.end').length;

/**
 * Runs queue-worker with a steady producer, sends SIGTERM while jobs are running and reports what
 * the queue directory holds after the exit.
 * @param {string} dir a compiled copy of fixtures/queue-worker
 */
export async function runQueueWorkerScenario(dir) {
  const queueDir = join(dir, '.data', 'queue');
  await mkdir(join(queueDir, 'pending'), { recursive: true });
  const producer = startProducer(queueDir, 8, 400);
  const worker = await startService({
    name: 'queue-worker',
    cwd: dir,
    entry: join(dir, 'dist', 'main.js'),
    env: { QUEUE_DIR: queueDir, WORKER_CONCURRENCY: '4', QUEUE_POLL_INTERVAL_MS: '100', QUIESCE_TIMEOUT_MS: '20000' },
    readyEvent: 'worker.started',
  });
  let jobsRunningAtSignal = 0;
  const { signalSentAt, intakeAt } = await sigtermMidWork(worker, {
    what: '3 jobs running and one finished',
    minRunMs: 1200,
    isMidWork: (service) => {
      jobsRunningAtSignal = jobsRunning(service);
      return jobsRunningAtSignal >= 3 && service.eventsNamed('job.end').length > 0;
    },
    stopLoad: () => producer.stop(),
  });
  return {
    worker,
    signalSentAt,
    intakeAt,
    jobsRunningAtSignal,
    jobsProduced: producer.produced,
    jobsDone: (await jobFiles(join(queueDir, 'done'))).length,
    jobsFailed: (await jobFiles(join(queueDir, 'failed'))).length,
    /** job files stuck in processing/: claimed, maybe half done, never picked up again */
    jobsLeftInProgress: await jobFiles(join(queueDir, 'processing')),
    exit: measureExit(worker, signalSentAt, WORKER_WORK_END_EVENTS),
    /** jobs claimed after the shim's intake (none may be) */
    workStartedAfterIntake: intakeAt === undefined ? [] : eventsAfter(worker, intakeAt, ['job.claimed']),
  };
}
