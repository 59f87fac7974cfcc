// What the worker does with a job (the same for the worker and its leaky variant): two writes.
async function runJob(job, db) {
  await db.write(`job ${job.id} started`);
  await db.write(`job ${job.id} done`);
}

module.exports = { runJob };
