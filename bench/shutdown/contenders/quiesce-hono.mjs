// quiesce on Hono: trackServer(the server serve() returns) and the signal handlers.
import { startHono } from './frameworks.mjs';

const { installShutdownHandlers, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({ timeoutMs: 30_000, logger: false });
// QUIESCE_BENCH_UNTRACKED=1: the same app without trackServer (the throughput's baseline).
const tracked = process.env.QUIESCE_BENCH_UNTRACKED !== '1';
await startHono({ beforeListen: (server) => tracked && trackServer(server) });
