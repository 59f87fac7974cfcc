// The same worker with the classic mistake: it polls with the global setInterval, which nothing
// stops at intake, and has no intake hook, so it keeps taking jobs while the shutdown drains.
// The examples' tests fail on it (packages/runtime-shim/test/testing-examples.test.ts runs them so).
const { onShutdown, track } = require('@quiesce/runtime-shim');
const { runJob } = require('./jobs.cjs');

function startWorker({ queue, db }) {
  const poll = setInterval(() => {
    const job = queue.take();
    if (job !== undefined) void track(runJob(job, db), { name: `job ${job.id}` });
  }, 10);
  onShutdown(() => db.close(), { name: 'close database' });
  return { stop: () => clearInterval(poll) };
}

module.exports = { startWorker };
