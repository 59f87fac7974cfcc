import { afterEach, describe, it } from 'vitest';
import { killAll } from './harness.js';
import { expectDrainThenLibraryTeardown } from './shutdown-library-case.js';

afterEach(killAll);

describe('a service whose shutdown is http-graceful-shutdown (the real package)', () => {
  it("drains through the shim in http-graceful-shutdown's preShutdown, then runs the app's teardown once and exits as before", async () => {
    await expectDrainThenLibraryTeardown('http-graceful-shutdown-connect', 'preShutdown: async (signal) => { await shutdown(signal); },');
  });
});
