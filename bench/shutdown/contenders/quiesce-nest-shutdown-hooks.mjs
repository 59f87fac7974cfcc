// The codemod's rewrite of nest-close: Nest's enableShutdownHooks() replaced by the shim's handlers for Nest's own
// signals, re-raising the signal as Nest did (so this contender ends by SIGTERM: exit status 143), and trackServer(app),
// which runs app.close() after the drain.
import { startNest } from './frameworks.mjs';

const { installShutdownHandlers, trackServer } = await import(process.env.QUIESCE_BENCH_SHIM || '@quiesce/runtime-shim');
installShutdownHandlers({
  signals: ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV', 'SIGUSR2', 'SIGTERM'],
  reraiseSignal: true,
  timeoutMs: 30_000,
  logger: false,
});
await startNest({ beforeListen: (app) => trackServer(app) });
