// quiesce on Fastify: trackServer(app) (its requests drained, then its own close()) and the signal handlers.
import { startFastify } from './frameworks.mjs';

const { installShutdownHandlers, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({ timeoutMs: 30_000, logger: false });
await startFastify({ beforeListen: (app) => trackServer(app) });
