// quiesce: trackServer plus the signal handlers. QUIESCE_READINESS_DELAY_MS sets the readiness delay
// (the rolling-restart scenario); QUIESCE_BENCH_UNTRACKED=1 serves the same app without trackServer
// (the throughput baseline, so both sides load the same modules); QUIESCE_BENCH_EXTRA_WORK_NS adds
// a known cost to every request (the throughput calibration); QUIESCE_BENCH_SHIM loads another build
// of the shim (a file URL of its ESM entry: the throughput's --baseline-shim).
import { GRACE_MS, createAppServer, listenAndAnnounce } from './app.mjs';

const { installShutdownHandlers, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');

const server = createAppServer({ extraWorkNs: Number(process.env.QUIESCE_BENCH_EXTRA_WORK_NS ?? '0') });
if (process.env.QUIESCE_BENCH_UNTRACKED !== '1') {
  trackServer(server, { readinessDelayMs: Number(process.env.QUIESCE_READINESS_DELAY_MS ?? '0') });
}
installShutdownHandlers({ timeoutMs: GRACE_MS, logger: false });
listenAndAnnounce(server);
