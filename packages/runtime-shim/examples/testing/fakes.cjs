// In-memory stand-ins for the worker's queue and database, shared by the three runners' examples.
// `queue.taken(n)` resolves once n jobs were taken, so a test shuts down with work in flight
// without guessing a delay.

function createQueue(count) {
  const jobs = Array.from({ length: count }, (_, index) => ({ id: index + 1 }));
  const waiters = [];
  let taken = 0;
  let closed = false;
  return {
    take() {
      if (closed || jobs.length === 0) return undefined;
      taken++;
      for (const waiter of waiters.filter((candidate) => candidate.count <= taken)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      return jobs.shift();
    },
    taken(count) {
      return taken >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      closed = true;
    },
  };
}

function createDatabase() {
  const lines = [];
  let open = true;
  return {
    lines,
    get open() {
      return open;
    },
    async write(line) {
      if (!open) throw new Error(`write after close: ${line}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      lines.push(line);
    },
    close() {
      open = false;
    },
  };
}

module.exports = { createQueue, createDatabase };
