// The worker's shutdown under node:test: `node --test examples/testing/node-test/`.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createTestQuiescer, expectDrained, expectHookOrder, expectNoWorkAfterIntake } from '@quiesce/runtime-shim/testing';
import { createDatabase, createQueue } from '../fakes.cjs';
import { startWorker } from '../worker.cjs';

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
  assert.deepEqual(db.lines, ['job 1 started', 'job 1 done']);
  assert.equal(db.open, false);
});
