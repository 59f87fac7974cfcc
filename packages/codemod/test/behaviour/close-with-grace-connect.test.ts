import { afterEach, describe, it } from 'vitest';
import { killAll } from './harness.js';
import { expectDrainThenLibraryTeardown } from './shutdown-library-case.js';

afterEach(killAll);

describe('a service whose shutdown is close-with-grace (the real package)', () => {
  it("drains through the shim at the start of close-with-grace's callback, then runs the app's teardown once and exits as before", async () => {
    await expectDrainThenLibraryTeardown('close-with-grace-connect', 'await shutdown(signal);');
  });
});
