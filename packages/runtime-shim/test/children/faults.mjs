// Faults while work is in flight. MODE picks the fault; the report goes to stdout as JSON.
import { beginWork, installShutdownHandlers, onShutdown, track } from '@quiesce/runtime-shim';

const mode = process.env.MODE;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const options = {
  timeoutMs: 10_000,
  onReport: (report) =>
    console.log(
      'report ' +
        JSON.stringify({
          reason: report.reason,
          deadlineHit: report.deadlineHit,
          pending: report.pending.map((work) => work.name),
          taskErrors: report.taskErrors.map(({ name, message }) => ({ name, message })),
          faults: report.faults.map(({ origin, task, message }) => ({ origin, task, message: message.split('\n')[0] })),
          hookErrors: report.hookErrors.map((failure) => failure.message),
        }),
    ),
};
if (process.env.ON_FATAL) options.onFatal = process.env.ON_FATAL;
if (process.env.FATAL_TIMEOUT_MS) options.fatalTimeoutMs = Number(process.env.FATAL_TIMEOUT_MS);
installShutdownHandlers(options);

// Work in flight: a job that needs 400 ms, and (in some modes) one that rejects 100 ms after the signal.
const slowJob = (label, ms) => track(sleep(ms).then(() => console.log(`${label} done`)), { name: label });
process.on('SIGTERM', () => {
  if (mode === 'reject-mid-drain') void track(sleep(100).then(() => Promise.reject(new Error('payment failed'))), { name: 'charge card' });
  if (mode === 'handled-mid-drain') track(sleep(100).then(() => Promise.reject(new Error('payment failed'))), { name: 'charge card' }).catch(() => console.log('caller handled it'));
  if (mode === 'throw-mid-drain') setTimeout(() => { throw new Error('handler crashed'); }, 100);
});

if (mode === 'hook-faults') {
  onShutdown(() => console.log('hook first ran'), { name: 'first' });
  onShutdown(async () => {
    setTimeout(() => {
      throw new Error('late error from the pool');
    }, 10);
    await sleep(50);
    throw new Error('pool refused to close');
  }, { name: 'broken pool' });
  onShutdown(() => console.log('hook third ran'), { name: 'third' });
}

if (mode === 'app-handles-uncaught' || mode === 'app-handles-rejection' || mode === 'rejection-not-fatal') {
  // The app keeps its own fault handling: it logs and runs on, as it did before the shim.
  if (mode !== 'rejection-not-fatal') {
    process.on('uncaughtException', (error, origin) => console.log(`app logged ${origin}: ${error.message}`));
  }
  setTimeout(() => {
    if (mode === 'app-handles-uncaught') throw new Error('kaboom');
    void Promise.reject(new Error('nobody caught this'));
  }, 50);
  setTimeout(() => {
    slowJob('job A', 300);
    console.log('still running');
  }, 300);
} else if (mode === 'uncaught' || mode === 'rejection' || mode === 'hung') {
  // The fault comes while a job is in flight, with no signal at all.
  slowJob('job A', 400);
  if (mode === 'hung') beginWork({ name: 'stuck export' });
  setTimeout(() => {
    if (mode === 'rejection') void Promise.reject(new Error('nobody caught this'));
    else throw new Error('kaboom');
  }, 50);
} else {
  slowJob('job A', 400);
  slowJob('job B', 600);
}
setInterval(() => {}, 1_000);
console.log('ready');
