// quiesce on grpc-js: trackServer(server) (tryShutdown at intake, forceShutdown at the deadline).
import { startGrpc } from './messages-app.mjs';

const { installShutdownHandlers, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({ timeoutMs: 30_000, logger: false });
await startGrpc({ beforeListen: (server) => trackServer(server) });
