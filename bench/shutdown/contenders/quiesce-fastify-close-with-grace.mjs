// The codemod's rewrite of fastify-close-with-grace.mjs: the app is tracked (trackServer), and the
// grace callback first awaits the shim's shutdown(signal), which drains the app timer-first and
// closes it with its own close(); the app's own `await app.close()` then finds it closed. close-with-grace
// keeps the signals and the exit.
import closeWithGrace from 'close-with-grace';
import { GRACE_MS } from './app.mjs';
import { startFastify } from './frameworks.mjs';

const { shutdown, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
const app = await startFastify({ beforeListen: (app) => trackServer(app) });
closeWithGrace({ delay: GRACE_MS, logger: false }, async ({ signal }) => {
  await shutdown(signal);
  await app.close();
});
