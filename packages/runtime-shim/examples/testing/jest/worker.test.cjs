/** @jest-environment node */
// The worker's shutdown under jest (CommonJS): `npx jest --rootDir examples/testing/jest`.
const { createTestQuiescer, expectDrained, expectHookOrder, expectNoWorkAfterIntake } = require('@quiesce/runtime-shim/testing');
const { createDatabase, createQueue } = require('../fakes.cjs');
const { startWorker } = require('../worker.cjs');

let harness;
let worker;
afterEach(() => {
  worker?.stop();
  harness?.restore();
});

test('the worker finishes the job in flight, takes no new one, and closes the database last', async () => {
  harness = createTestQuiescer();
  const queue = createQueue(5);
  const db = createDatabase();
  worker = startWorker({ queue, db });
  await queue.taken(1);

  const result = await harness.shutdown();

  expectDrained(result);
  expectNoWorkAfterIntake(result);
  expectHookOrder(result, ['stop consumer', 'close database']);
  expect(db.lines).toEqual(['job 1 started', 'job 1 done']);
  expect(db.open).toBe(false);
});
