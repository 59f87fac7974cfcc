// The service under test in the examples: a job worker. It polls a queue with the shim's
// setInterval (stopped at intake), runs each job as tracked work (drained), stops its consumer
// first and closes its database last. It imports @quiesce/runtime-shim directly, as a service does:
// the test quiescer stands behind these functions for the length of a test.
const { onShutdown, setInterval, clearInterval, track } = require('@quiesce/runtime-shim');
const { runJob } = require('./jobs.cjs');

function startWorker({ queue, db }) {
  const poll = setInterval(() => {
    const job = queue.take();
    if (job !== undefined) void track(runJob(job, db), { name: `job ${job.id}` });
  }, 10);
  onShutdown(() => queue.close(), { phase: 'intake', name: 'stop consumer' });
  onShutdown(() => db.close(), { name: 'close database' });
  return { stop: () => clearInterval(poll) };
}

module.exports = { startWorker };
