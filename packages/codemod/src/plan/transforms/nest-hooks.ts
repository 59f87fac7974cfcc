/**
 * Why a Nest app that calls `app.enableShutdownHooks()` is not rewritten: `trackServer(app)` alone changes nothing
 * (Nest's listener still closes the app and re-raises the signal before anything drains), and handing the signals to
 * the shim instead (its handlers, then `app.close()` after the drain) leaves the timers and consumers that providers
 * stop in `onModuleDestroy` running through the drain, which then waits for new work until its deadline (tried on
 * the nest-shutdown-hooks fixture: 100 audits started after SIGTERM). Moving those first is the maintainer's call.
 */
export const NEST_HOOKS_REVIEW =
  "Nest's enableShutdownHooks() owns the signals here, so nothing drains tracked work: to drain it, replace that call with the shim's signal handling and listen with trackServer(app) (which runs app.close() after the drain), after moving the timers and consumers your providers stop in onModuleDestroy to the shim's setInterval or an onShutdown intake hook, or they keep starting work during the drain";
