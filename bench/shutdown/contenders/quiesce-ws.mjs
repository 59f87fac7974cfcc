// quiesce on ws: trackServer(wss) (clients closed with 1001 once drained), message handlers tracked.
import { startWs } from './messages-app.mjs';

const { installShutdownHandlers, trackCallback, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({ timeoutMs: 30_000, logger: false });
await startWs({ handler: (fn) => trackCallback(fn, { name: 'ws message' }), beforeListen: (wss) => trackServer(wss) });
